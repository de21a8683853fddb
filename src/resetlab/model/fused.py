"""The fused engine: the whole month loop of :func:`resetlab.model.engine.run_chunk` in one
numba-compiled function, parallel over members.

The NumPy engine runs a Python loop over months and, in each, one NumPy call per mechanism
and variable: about 100 ms per 400-month history whatever the member count, which is what a
fit pays thousands of times with 8-128 members. Here one compiled driver runs every member
through every month; each mechanism and strategy contributes its ``kernel`` (a scalar twin of
its NumPy ``step``/``move``, which stays the reference), compiled once per machine
(``cache=True``) into one driver that switches the spec's mechanisms on at run time, so every
perspective and scenario shares the same compiled code.

Members run in blocks of :data:`MEMBER_BLOCK` (the blocks are split over numba's threads).
A block's state, strategy memories, parameters and shocks are copied into local, member-last
arrays of compile-time shape, and each step is one loop over the block's members, with the
same arithmetic, and so the same numbers, as member by member. The columns then sit at
distances the compiler knows, so it can vectorise a step's loop (SIMD) without run-time
overlap checks. It does so at numba's default optimisation level for steps without ``exp``
(numba has no vector ``exp`` without Intel's SVML: M2, M19) and without ``min``/``max``
clipping; the others run as scalar loops. ``fastmath`` is off: these loops have no
reductions, and it would let the compiler reassociate the arithmetic and drop the NaN
handling of ``min``/``max``.

Random numbers are drawn with NumPy from the chunk's generator in exactly the NumPy engine's
order (every month's shock hits first, one call per shock type, from
:meth:`Forcing.sample_shocks`; then for each month the uniforms of stochastic mechanisms of
stage 0, the three normals per member, the uniforms of stages 1 and 2), months in blocks so
that the buffers stay small. The fused engine therefore gives the NumPy engine's
numbers to float32 rounding (its kernels compute in float64 between the float32 state
updates), whatever the number of threads: members are independent and the draws are made
before the compiled loop runs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numba import njit, prange

from resetlab.exceptions import ModelError
from resetlab.model.base import (
    H_HOSTILE_RU,
    H_HOSTILE_US,
    K_CLOCK_RU,
    K_CLOCK_US,
    K_CONCESSION_RU,
    K_CONCESSION_US,
    K_TENURE_RU,
    K_TENURE_US,
    K_TREATIES,
    KERNEL_SERIES,
    STAGE_DYNAMICS,
    STAGE_MOVES,
    STAGE_PRE,
    Mechanism,
    Strategy,
)
from resetlab.model.forcing import SHOCKS
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.state import (
    CLOCK_RU,
    CLOCK_US,
    CONC_RU,
    CONC_US,
    COOP_RU,
    COOP_US,
    DISPUTE,
    N_VARIABLES,
    NOISE,
    RELATIONS,
    SEEN_RU,
    SEEN_US,
    TENURE_RU,
    TENURE_US,
    THREAT_RU,
    THREAT_US,
    TREATIES,
    TRUST,
    VOLATILITY,
    Array,
)
from resetlab.model.strategies import STRATEGIES

#: Mechanism keys in the order the driver calls their kernels: stage by stage, key order.
DRIVER_ORDER: tuple[str, ...] = (
    # stage 0
    "m6", "m12", "m14", "m17", "m20",
    # stage 1
    "m1", "m7", "m15", "m16", "m18", "m19", "m21",
    # stage 2
    "m2", "m3", "m4", "m5", "m8", "m9", "m10", "m11", "m13",
)  # fmt: skip

#: Strategy keys by the code the driver dispatches on.
STRATEGY_CODES: tuple[str, ...] = (
    "tit-for-tat",
    "generous-tit-for-tat",
    "grit",
    "hardline",
    "reset-initiative",
    "package-deal",
)

#: Mechanisms whose kernel gets a uniform number (they draw from the generator).
DRIVER_DRAWS: tuple[str, ...] = ("m18", "m10")

#: Bytes of random numbers and shocks buffered per block of months.
BLOCK_BYTES = 32 * 2**20

#: Members a thread runs month by month together, in local copies of their state (a
#: compile-time constant: the copies' column strides are then known to the compiler).
MEMBER_BLOCK = 128


def _expected_order() -> tuple[str, ...]:
    keys = sorted(MECHANISMS, key=lambda k: (MECHANISMS[k].meta.stage, int(k[1:])))
    return tuple(keys)


if _expected_order() != DRIVER_ORDER:  # a new mechanism or a changed stage needs a driver edit
    raise ModelError(
        f"the fused driver calls {DRIVER_ORDER}, the registry's stage order is {_expected_order()}"
    )


def _jit(fn: Callable[..., Any]) -> Any:
    # Inlined into the driver (a call per member-month costs more than its arithmetic);
    # NumPy's error model: a division by zero gives inf or nan, as in the NumPy engine.
    return njit(cache=True, nogil=True, inline="always", error_model="numpy")(fn)


def _kernel_of(key: str) -> Any:
    k = MECHANISMS[key].kernel
    return None if k is None else _jit(k)


def _strategy_kernel_of(key: str) -> Any:
    k = STRATEGIES[key].kernel
    return None if k is None else _jit(k)


_KM = {key: _kernel_of(key) for key in DRIVER_ORDER}
_KS = {key: _strategy_kernel_of(key) for key in STRATEGY_CODES}


def _no_mechanism(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Stands in for a missing kernel (:func:`unsupported` keeps such a spec off this engine)."""


def _no_strategy(
    t: int, own: float, seen: float, lever: float, mem: Array, i: int, p: Array, q: int
) -> float:
    """Stands in for a missing strategy kernel."""
    return 0.0


def _missing(fn: Any, strategy: bool = False) -> Any:
    return fn if fn is not None else _jit(_no_strategy if strategy else _no_mechanism)


(K06, K12, K14, K17, K20, K01, K07, K15, K16, K18, K19, K21) = (
    _missing(_KM[k])
    for k in ("m6", "m12", "m14", "m17", "m20", "m1", "m7", "m15", "m16", "m18", "m19", "m21")
)
(K02, K03, K04, K05, K08, K09, K10, K11, K13) = (
    _missing(_KM[k]) for k in ("m2", "m3", "m4", "m5", "m8", "m9", "m10", "m11", "m13")
)
S0, S1, S2, S3, S4, S5 = (_missing(_KS[k], strategy=True) for k in STRATEGY_CODES)


@njit(cache=True, nogil=True, inline="always", boundscheck=False, error_model="numpy")
def _moves(code, t, xb, own, seen, lever, mem, pb, q, nb):  # type: ignore[no-untyped-def]
    """One side's moves for the ``nb`` members of a block: column ``own`` from the side's last
    move, what it saw (``seen``) and its concession (``lever``); the strategy is chosen once."""
    if code == 0:
        for j in range(nb):
            xb[j, own] = S0(t, xb[j, own], xb[j, seen], xb[j, lever], mem, j, pb[j], q)
    elif code == 1:
        for j in range(nb):
            xb[j, own] = S1(t, xb[j, own], xb[j, seen], xb[j, lever], mem, j, pb[j], q)
    elif code == 2:
        for j in range(nb):
            xb[j, own] = S2(t, xb[j, own], xb[j, seen], xb[j, lever], mem, j, pb[j], q)
    elif code == 3:
        for j in range(nb):
            xb[j, own] = S3(t, xb[j, own], xb[j, seen], xb[j, lever], mem, j, pb[j], q)
    elif code == 4:
        for j in range(nb):
            xb[j, own] = S4(t, xb[j, own], xb[j, seen], xb[j, lever], mem, j, pb[j], q)
    else:
        for j in range(nb):
            xb[j, own] = S5(t, xb[j, own], xb[j, seen], xb[j, lever], mem, j, pb[j], q)


@njit(cache=True, nogil=True, parallel=True, boundscheck=False, error_model="numpy")
def _drive(  # type: ignore[no-untyped-def]
    x, mem_us, mem_ru, on, off, codes, ps, pm, pi, series, fixed, hs, dense, z, u, t0, rec, out
):
    """Months ``t0 .. t0 + len(z)`` for every member of ``x``, in place; paths into ``out``.

    ``on``/``off``: per mechanism key number - 1, whether it runs and where its parameters
    start; ``off[21:25]``: the U.S. and Russian strategy parameters, the observation's, base
    noise and volatility. ``ps``/``pm``/``pi``: parameter values, common (``ps[k]``) or per
    member (``pm[pi[k], i]`` where ``pi[k] >= 0``). ``series``/``fixed``: month-wide inputs
    and fixed shocks by absolute month; ``hs`` (when ``dense``): sampled shocks by block month;
    ``z``: the three normals, ``u``: the uniforms of m18 and m10, by block month.

    Each block of :data:`MEMBER_BLOCK` members runs in local, member-last copies of its state,
    strategy memories, parameters and shocks, whose shapes are compile-time constants: every
    step is then one loop over the block's members on contiguous columns at fixed distances,
    which the compiler can turn into SIMD code. A kernel's parameter and shock vectors are the
    member's rows of those copies (``pb[j]``, ``hb[j]``), so every member reads its own values
    whether they are common or per member, sampled or fixed.
    """
    n = z.shape[2]  # x may carry a padding row (see run_chunk_fused)
    nt = z.shape[0]
    npar = ps.shape[0]
    q_us, q_ru, q_obs, q_base = off[21], off[22], off[23], off[24]
    n_blocks = (n + MEMBER_BLOCK - 1) // MEMBER_BLOCK
    for b in prange(n_blocks):
        b0 = b * MEMBER_BLOCK
        nb = min(n, b0 + MEMBER_BLOCK) - b0
        xb = np.zeros((N_VARIABLES, MEMBER_BLOCK), dtype=np.float32).T
        mu = np.zeros((mem_us.shape[1], MEMBER_BLOCK)).T
        mr = np.zeros((mem_ru.shape[1], MEMBER_BLOCK)).T
        pb = np.zeros((npar, MEMBER_BLOCK)).T
        hb = np.zeros((6, MEMBER_BLOCK)).T
        for k in range(N_VARIABLES):
            for j in range(nb):
                xb[j, k] = x[b0 + j, k]
        for k in range(mem_us.shape[1]):
            for j in range(nb):
                mu[j, k] = mem_us[b0 + j, k]
        for k in range(mem_ru.shape[1]):
            for j in range(nb):
                mr[j, k] = mem_ru[b0 + j, k]
        for k in range(npar):
            r = pi[k]
            for j in range(nb):
                pb[j, k] = ps[k] if r < 0 else pm[r, b0 + j]
        for tt in range(nt):
            t = t0 + tt
            c = series[t]
            for k in range(6):
                if dense:
                    for j in range(nb):
                        hb[j, k] = hs[tt, k, b0 + j]
                else:
                    v = fixed[t, k]
                    for j in range(nb):
                        hb[j, k] = v
            for j in range(nb):
                xb[j, TREATIES] = c[K_TREATIES]
                xb[j, CLOCK_US] = c[K_CLOCK_US]
                xb[j, CLOCK_RU] = c[K_CLOCK_RU]
                xb[j, TENURE_US] = c[K_TENURE_US]
                xb[j, TENURE_RU] = c[K_TENURE_RU]
                xb[j, CONC_US] = c[K_CONCESSION_US]
                xb[j, CONC_RU] = c[K_CONCESSION_RU]
                xb[j, NOISE] = pb[j, q_base]
                xb[j, VOLATILITY] = pb[j, q_base + 1]
            # stage 0
            if on[5]:
                for j in range(nb):
                    K06(xb, j, pb[j], off[5], c, hb[j], 0.0)
            if on[11]:
                for j in range(nb):
                    K12(xb, j, pb[j], off[11], c, hb[j], 0.0)
            if on[13]:
                for j in range(nb):
                    K14(xb, j, pb[j], off[13], c, hb[j], 0.0)
            if on[16]:
                for j in range(nb):
                    K17(xb, j, pb[j], off[16], c, hb[j], 0.0)
            if on[19]:
                for j in range(nb):
                    K20(xb, j, pb[j], off[19], c, hb[j], 0.0)
            # misreadings (float32, as the NumPy engine computes them)
            for j in range(nb):
                noise = xb[j, NOISE]
                seen_us = noise * z[tt, 0, b0 + j] + xb[j, COOP_RU]
                seen_ru = noise * z[tt, 1, b0 + j] + xb[j, COOP_US]
                xb[j, SEEN_US] = min(max(seen_us, 0.0), 1.0)
                xb[j, SEEN_RU] = min(max(seen_ru, 0.0), 1.0)
            # The two moves are independent (each reads its own side's columns), so each
            # side's strategy runs as its own loop, chosen once per month.
            _moves(codes[0], t, xb, COOP_US, SEEN_US, CONC_US, mu, pb, q_us, nb)
            _moves(codes[1], t, xb, COOP_RU, SEEN_RU, CONC_RU, mr, pb, q_ru, nb)
            # stage 1
            if on[0]:
                for j in range(nb):
                    K01(xb, j, pb[j], off[0], c, hb[j], 0.0)
            if on[6]:
                for j in range(nb):
                    K07(xb, j, pb[j], off[6], c, hb[j], 0.0)
            if on[14]:
                for j in range(nb):
                    K15(xb, j, pb[j], off[14], c, hb[j], 0.0)
            if on[15]:
                for j in range(nb):
                    K16(xb, j, pb[j], off[15], c, hb[j], 0.0)
            if on[17]:
                for j in range(nb):
                    K18(xb, j, pb[j], off[17], c, hb[j], u[0, tt, b0 + j])
            if on[18]:
                for j in range(nb):
                    K19(xb, j, pb[j], off[18], c, hb[j], 0.0)
            if on[20]:
                for j in range(nb):
                    K21(xb, j, pb[j], off[20], c, hb[j], 0.0)
            # stage 2
            if on[1]:
                for j in range(nb):
                    K02(xb, j, pb[j], off[1], c, hb[j], 0.0)
            if on[2]:
                for j in range(nb):
                    K03(xb, j, pb[j], off[2], c, hb[j], 0.0)
            if on[3]:
                for j in range(nb):
                    K04(xb, j, pb[j], off[3], c, hb[j], 0.0)
            if on[4]:
                for j in range(nb):
                    K05(xb, j, pb[j], off[4], c, hb[j], 0.0)
            if on[7]:
                for j in range(nb):
                    K08(xb, j, pb[j], off[7], c, hb[j], 0.0)
            if on[8]:
                for j in range(nb):
                    K09(xb, j, pb[j], off[8], c, hb[j], 0.0)
            if on[9]:
                for j in range(nb):
                    K10(xb, j, pb[j], off[9], c, hb[j], u[1, tt, b0 + j])
            if on[10]:
                for j in range(nb):
                    K11(xb, j, pb[j], off[10], c, hb[j], 0.0)
            if on[12]:
                for j in range(nb):
                    K13(xb, j, pb[j], off[12], c, hb[j], 0.0)
            # observation, in the NumPy engine's order of operations
            for j in range(nb):
                offset, w_coop, w_trust = pb[j, q_obs], pb[j, q_obs + 1], pb[j, q_obs + 2]
                w_dispute, w_threat = pb[j, q_obs + 3], pb[j, q_obs + 4]
                w_shock = pb[j, q_obs + 5]
                rel = (xb[j, COOP_US] + xb[j, COOP_RU]) * (0.5 * w_coop)
                rel += xb[j, TRUST] * w_trust
                rel += xb[j, DISPUTE] * -w_dispute
                rel += (xb[j, THREAT_US] + xb[j, THREAT_RU]) * (-0.5 * w_threat)
                rel += offset - w_shock * hb[j, H_HOSTILE_US] - w_shock * hb[j, H_HOSTILE_RU]
                rel += xb[j, VOLATILITY] * z[tt, 2, b0 + j]
                xb[j, RELATIONS] = min(max(rel, -10.0), 10.0)
            for r in range(rec.shape[0]):
                col = rec[r]
                for j in range(nb):
                    out[tt, r, b0 + j] = xb[j, col]
        for k in range(N_VARIABLES):
            for j in range(nb):
                x[b0 + j, k] = xb[j, k]
        for k in range(mem_us.shape[1]):
            for j in range(nb):
                mem_us[b0 + j, k] = mu[j, k]
        for k in range(mem_ru.shape[1]):
            for j in range(nb):
                mem_ru[b0 + j, k] = mr[j, k]


def _stamp() -> str:
    """A digest of every kernel's source and this file: numba's cache of a function does not
    notice a change in the functions it calls, so the driver's cache is dropped when this
    digest changes."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    kernels: list[Callable[..., Any] | None] = [MECHANISMS[k].kernel for k in DRIVER_ORDER]
    kernels += [STRATEGIES[k].kernel for k in STRATEGY_CODES]
    for k in kernels:
        if k is not None:
            h.update(inspect.getsource(k).encode())
    return h.hexdigest()


def _refresh_cache() -> None:
    caches = [getattr(f, "_cache", None) for f in (_drive, _moves)]
    try:
        folder = Path(caches[0].cache_path)  # type: ignore[union-attr]
    except AttributeError:  # numba changed its internals: caching then is numba's business
        return
    stamp_file = folder / "resetlab-fused.stamp"
    stamp = _stamp()
    try:
        if stamp_file.exists() and stamp_file.read_text() == stamp:
            return
        for cache in caches:
            cache.flush()  # type: ignore[union-attr]
        folder.mkdir(parents=True, exist_ok=True)
        stamp_file.write_text(stamp)
    except OSError:  # a read-only install: numba then compiles in memory
        return


_refresh_cache()


def unsupported(spec: Any) -> list[str]:
    """The spec's mechanisms and strategies the fused engine cannot run (no kernel, or a
    subclass whose ``step`` may differ from the registered class's kernel)."""
    bad = [
        m.meta.key
        for m in spec.mechanisms
        if m.meta.key not in MECHANISMS or type(m) is not MECHANISMS[m.meta.key] or m.kernel is None
    ]
    for s in (spec.strategy_us, spec.strategy_ru):
        key = s.meta.key
        if key not in STRATEGIES or type(s) is not STRATEGIES[key] or s.kernel is None:
            bad.append(key)
    return bad


class _Params:
    """The flat parameter layout the driver reads: common values and per-member rows."""

    def __init__(self, members: int) -> None:
        self.members = members
        self.common: list[float] = []
        self.rows: list[Array] = []
        self.index: list[int] = []

    def add(self, what: str, value: Any) -> None:
        v = np.asarray(value, dtype=np.float64)
        if v.ndim == 0:
            self.common.append(float(v))
            self.index.append(-1)
            return
        if v.shape != (self.members,):
            raise ModelError(
                f"{what}: one value per member needs shape ({self.members},), got {v.shape}"
            )
        self.common.append(float("nan"))
        self.index.append(len(self.rows))
        self.rows.append(v)

    def add_all(self, owner: str, params: Any) -> int:
        start = len(self.common)
        for f in dataclasses.fields(params):
            self.add(f"{owner}.{f.name}", getattr(params, f.name))
        return start

    def arrays(self) -> tuple[Array, Array, Array]:
        pm = np.stack(self.rows) if self.rows else np.zeros((1, 1))
        return (
            np.asarray(self.common, dtype=np.float64),
            np.ascontiguousarray(pm, dtype=np.float64),
            np.asarray(self.index, dtype=np.int64),
        )


def _draws_at(m: Mechanism, series: Array, t: int) -> bool:
    when = type(m).kernel_draws
    if when == "always":
        return True
    if when is None:
        raise ModelError(f"{m.meta.key} is stochastic but says nothing of when its kernel draws")
    return bool(series[t, KERNEL_SERIES.index(when)] > 0)


def _memory(s: Strategy, members: int) -> Array:
    mem = np.asarray(s.init_memory(members), dtype=np.float64)
    if mem.shape[1] == 0:
        mem = np.zeros((members, 1))
    return np.ascontiguousarray(mem)


def run_chunk_fused(
    spec: Any,
    x: Array,
    rng: np.random.Generator,
    cols: tuple[int, ...],
    out: Array,
    tick: Callable[[int], None] | None = None,
) -> Array:
    """Run the state ``x`` (members x variables, set to the start) over the spec's months.

    Same contract as :func:`resetlab.model.engine.run_chunk`, which prepares ``x``, ``rng``,
    ``cols`` and ``out``; ``tick`` is called once per block of months with the member-months
    done.
    """
    bad = unsupported(spec)
    if bad:
        raise ModelError(f"the fused engine has no kernel for {', '.join(bad)}")
    members = x.shape[0]
    f = spec.forcing
    T = f.horizon
    params = _Params(members)
    on = np.zeros(21, dtype=np.bool_)
    off = np.zeros(25, dtype=np.int64)
    by_key = {m.meta.key: m for m in spec.mechanisms}
    for key in DRIVER_ORDER:
        if key in by_key:
            n = int(key[1:]) - 1
            on[n] = True
            off[n] = params.add_all(key, by_key[key].params)
    off[21] = params.add_all("strategy_us", spec.strategy_us.params)
    off[22] = params.add_all("strategy_ru", spec.strategy_ru.params)
    off[23] = params.add_all("observation", spec.observation)
    off[24] = len(params.common)
    params.add("base_noise", spec.base_noise)
    params.add("base_volatility", spec.base_volatility)
    ps, pm, pi = params.arrays()
    codes = np.array(
        [
            STRATEGY_CODES.index(spec.strategy_us.meta.key),
            STRATEGY_CODES.index(spec.strategy_ru.meta.key),
        ],
        dtype=np.int64,
    )
    series = np.empty((T, len(KERNEL_SERIES)), dtype=np.float64)
    for j, name in enumerate(KERNEL_SERIES[:-1]):
        series[:, j] = f.series[name]
    series[:, -1] = np.concatenate([f.series["treaties"][:1], f.series["treaties"][:-1]])
    fixed = np.stack([np.asarray(f.shocks[k], dtype=np.float64) for k in SHOCKS], axis=1)
    fixed = np.ascontiguousarray(fixed)
    sampled = f.sample_shocks(members, rng)  # first, as in the NumPy engine
    staged = {s: spec.ordered(s) for s in (STAGE_PRE, STAGE_MOVES, STAGE_DYNAMICS)}
    before = [m for m in staged[STAGE_PRE] if m.meta.stochastic]
    after = [m for s in (STAGE_MOVES, STAGE_DYNAMICS) for m in staged[s] if m.meta.stochastic]
    slot = {key: j for j, key in enumerate(DRIVER_DRAWS)}
    for m in (*before, *after):
        if m.meta.key not in slot:
            raise ModelError(f"the fused driver gives no random numbers to {m.meta.key}")
    mem_us, mem_ru = _memory(spec.strategy_us, members), _memory(spec.strategy_ru, members)
    rec = np.asarray(cols, dtype=np.int64)
    per_month = members * (3 * 4 + 8 * len(DRIVER_DRAWS) + (6 * 8 if sampled.hits else 0))
    block = int(max(1, min(T, BLOCK_BYTES // max(per_month, 1))))
    no_shocks = np.zeros((1, 6, 1), dtype=np.float64)
    # One compiled driver for every call: numba compiles once per array layout, so the state
    # is always handed over as a Fortran-ordered array (one member is padded to two rows) and
    # the paths as a C-ordered one (a slice of a bigger array goes through a buffer).
    state = x
    if members == 1:
        state = np.zeros((2, x.shape[1]), dtype=x.dtype, order="F")
        state[0] = x[0]
    direct = bool(out.flags.c_contiguous)
    buffer = out if direct else np.empty((block, len(cols), members), dtype=np.float32)
    for t0 in range(0, T, block):
        t1 = min(T, t0 + block)
        nt = t1 - t0
        z = np.empty((nt, 3, members), dtype=np.float32)
        u = np.empty((len(DRIVER_DRAWS), nt, members), dtype=np.float64)
        dense = sampled.any_in(t0, t1)
        hs = f.shock_block(t0, t1, sampled) if dense else no_shocks
        if not before and not after:
            rng.standard_normal(out=z, dtype=np.float32)  # the same stream as month by month
        else:
            for tt in range(nt):
                t = t0 + tt
                for m in before:
                    if _draws_at(m, series, t):
                        rng.random(out=u[slot[m.meta.key], tt])
                rng.standard_normal(out=z[tt], dtype=np.float32)
                for m in after:
                    if _draws_at(m, series, t):
                        rng.random(out=u[slot[m.meta.key], tt])
        target = out[t0:t1] if direct else buffer[:nt]
        _drive(
            state, mem_us, mem_ru, on, off, codes, ps, pm, pi,
            series, fixed, hs, dense, z, u, t0, rec, target,
        )  # fmt: skip
        if not direct:
            out[t0:t1] = target
        if tick is not None:
            tick(members * nt)
    if state is not x:
        x[0] = state[0]
    return out
