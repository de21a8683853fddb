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
before the compiled loop runs. That is the default random source (``"numpy"``).

The ``"kernel"`` source draws the normals and uniforms inside the compiled loop instead, from
one generator per member (see :func:`kernel_key` and the notes above :func:`_seed_states`):
the same model and distributions as the NumPy engine, other numbers (tested by distribution),
without NumPy's generator's cost; the numbers depend on the seed and the member's position
only, not on the number of threads. The sampled shocks come from NumPy in both sources (one
Bernoulli process per shock type, O(hits)), and reach the driver compact
(:class:`resetlab.model.forcing.ShockHits`: per month and type a value for the members not
hit, one for those hit, and the sorted members hit) rather than as a dense block.
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


#: The random sources of the fused engine: NumPy's generator (the NumPy engine's numbers) or
#: a generator inside the compiled loop (the same distributions, other numbers).
SOURCES: tuple[str, ...] = ("numpy", "kernel")

#: The spawn-key word of the kernel generator's child of a chunk's ``SeedSequence``.
KERNEL_STREAM = 0x6B726E6C

# The kernel source is hand-written: numba cannot call NumPy's Generator from compiled code,
# and drawing with NumPy outside the loop is what caps the "numpy" source (the draws cost as
# much as the model). Each member has its own xoshiro128++ generator (Blackman & Vigna,
# "Scrambled linear pseudorandom number generators", ACM TOMS 47, 2021), 32-bit operations
# only, so a block's members advance together in SIMD lanes; its four words are two outputs
# of SplitMix64 (the seeding its authors recommend) at the member's place in a sequence keyed
# by the chunk's SeedSequence. A member's numbers depend only on the seed and the member's
# position, never on the block or the thread that runs it. Normals: the ziggurat of Marsaglia
# & Tsang (2000, J. Stat. Softw. 5(8)) with 256 layers and separate bits for layer, sign and
# a 23-bit magnitude, as NumPy draws float32 normals.

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_ZIG_R = 3.6541528853610088  # the base layer's edge (256 layers)
_ZIG_V = 4.92867323399e-3  # each layer's area


def _ziggurat_tables() -> tuple[Array, Array, Array]:
    """``k`` (accept a magnitude below it), ``w`` (magnitude to x) and ``f`` (density at the
    layer's edge) by layer, for 23-bit magnitudes (Marsaglia & Tsang's construction)."""
    m = 2.0**23
    k = np.zeros(256, dtype=np.uint32)
    w = np.zeros(256)
    f = np.zeros(256)
    d = t = _ZIG_R
    q = _ZIG_V / np.exp(-0.5 * d * d)
    k[0] = int(d / q * m)
    w[0], w[255] = q / m, d / m
    f[0], f[255] = 1.0, np.exp(-0.5 * d * d)
    for i in range(254, 0, -1):
        d = float(np.sqrt(-2.0 * np.log(_ZIG_V / d + np.exp(-0.5 * d * d))))
        k[i + 1] = int(d / t * m)
        t = d
        f[i] = np.exp(-0.5 * d * d)
        w[i] = d / m
    return k, w.astype(np.float32), f.astype(np.float32)


ZIG_K, ZIG_W, ZIG_F = _ziggurat_tables()


@njit(cache=True, nogil=True, inline="always")
def _splitmix(state):  # type: ignore[no-untyped-def]
    z = np.uint64(state)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, nogil=True)
def _seed_states(key, first, g):  # type: ignore[no-untyped-def]
    """Members ``first .. first + len(g)``'s generator states (rows of ``g``, uint32 x 4)."""
    lo32 = np.uint64(0xFFFFFFFF)
    for j in range(g.shape[0]):
        m = np.uint64(first + j)
        a = _splitmix(np.uint64(key) + (np.uint64(2) * m + np.uint64(1)) * _GOLDEN)
        b = _splitmix(np.uint64(key) + (np.uint64(2) * m + np.uint64(2)) * _GOLDEN)
        g[j, 0] = np.uint32(a & lo32)
        g[j, 1] = np.uint32(a >> np.uint64(32))
        g[j, 2] = np.uint32(b & lo32)
        g[j, 3] = np.uint32(b >> np.uint64(32))
        if g[j, 0] == 0 and g[j, 1] == 0 and g[j, 2] == 0 and g[j, 3] == 0:
            g[j, 0] = np.uint32(1)  # the one state xoshiro cannot leave


@njit(cache=True, nogil=True, inline="always", boundscheck=False)
def _next(g, j):  # type: ignore[no-untyped-def]
    """The next 32-bit output of member ``j``'s xoshiro128++ generator (columns of ``g``)."""
    s0, s1, s2, s3 = g[0, j], g[1, j], g[2, j], g[3, j]
    a = np.uint32(s0 + s3)
    r = np.uint32(np.uint32(np.uint32(a << np.uint32(7)) | (a >> np.uint32(25))) + s0)
    t = np.uint32(s1 << np.uint32(9))
    s2 = np.uint32(s2 ^ s0)
    s3 = np.uint32(s3 ^ s1)
    s1 = np.uint32(s1 ^ s2)
    s0 = np.uint32(s0 ^ s3)
    s2 = np.uint32(s2 ^ t)
    s3 = np.uint32(np.uint32(s3 << np.uint32(11)) | (s3 >> np.uint32(21)))
    g[0, j], g[1, j], g[2, j], g[3, j] = s0, s1, s2, s3
    return r


@njit(cache=True, nogil=True, inline="always", boundscheck=False)
def _uniform(g, j):  # type: ignore[no-untyped-def]
    """A float64 uniform on [0, 1) with 53 random bits (two outputs)."""
    a = np.uint64(_next(g, j)) >> np.uint64(5)
    b = np.uint64(_next(g, j)) >> np.uint64(6)
    return (float(a) * 67108864.0 + float(b)) * (1.0 / 9007199254740992.0)


@njit(cache=True, nogil=True, boundscheck=False, error_model="numpy")
def _normal_slow(g, j, w):  # type: ignore[no-untyped-def]
    """The ziggurat's rare branch (about 1 draw in 90) for member ``j`` after output ``w`` fell
    outside its layer's rectangle: the tail, the wedge test, or a fresh output."""
    while True:
        idx = w & np.uint32(0xFF)
        neg = (w >> np.uint32(8)) & np.uint32(1)
        mag = w >> np.uint32(9)
        x = np.float32(mag) * ZIG_W[idx]
        if neg:
            x = -x
        if mag < ZIG_K[idx]:
            return x
        if idx == 0:
            while True:
                xx = -(1.0 / _ZIG_R) * np.log1p(-_uniform(g, j))
                yy = -np.log1p(-_uniform(g, j))
                if yy + yy > xx * xx:
                    return np.float32(-(_ZIG_R + xx) if neg else _ZIG_R + xx)
        f0, f1 = ZIG_F[idx - 1], ZIG_F[idx]
        if (f0 - f1) * _uniform(g, j) + f1 < np.exp(-0.5 * float(x) * float(x)):
            return x
        w = _next(g, j)


@njit(cache=True, nogil=True, inline="always", boundscheck=False, error_model="numpy")
def _normals(g, zb, rej, nb):  # type: ignore[no-untyped-def]
    """Three standard normals per member of a block into ``zb`` (3 x block): the common case
    for all members first (one loop per normal, without branches the vectoriser cannot take),
    then the rare draws member by member."""
    for k in range(3):
        for j in range(nb):
            w = _next(g, j)
            idx = w & np.uint32(0xFF)
            mag = w >> np.uint32(9)
            x = np.float32(mag) * ZIG_W[idx]
            zb[k, j] = -x if (w >> np.uint32(8)) & np.uint32(1) else x
            rej[k, j] = w if mag >= ZIG_K[idx] else np.uint32(0)
    for j in range(nb):
        for k in range(3):
            if rej[k, j] != 0:
                zb[k, j] = _normal_slow(g, j, rej[k, j])


@njit(cache=True, nogil=True)
def kernel_draws(states, months, uniforms):  # type: ignore[no-untyped-def]
    """The kernel source's draws for the members of ``states`` (members x 4, advanced in
    place), as the driver makes them each month: 3 normals, then ``uniforms`` uniforms;
    ``(months, 3, members)`` float32 normals and ``(months, uniforms, members)`` uniforms."""
    n = states.shape[0]
    z = np.empty((months, 3, n), dtype=np.float32)
    u = np.empty((months, uniforms, n))
    g = np.empty((4, n), dtype=np.uint32)
    zb = np.empty((3, n), dtype=np.float32)
    rej = np.empty((3, n), dtype=np.uint32)
    for k in range(4):
        for j in range(n):
            g[k, j] = states[j, k]
    for t in range(months):
        _normals(g, zb, rej, n)
        z[t] = zb
        for s in range(uniforms):
            for j in range(n):
                u[t, s, j] = _uniform(g, j)
    for k in range(4):
        for j in range(n):
            states[j, k] = g[k, j]
    return z, u


def kernel_key(seed: np.random.SeedSequence) -> int:
    """The kernel generator's key for a chunk seeded with ``seed``: a child of it made from
    its identity (what ``seed.spawn`` would make, without changing ``seed``'s spawn counter,
    so the same seed object gives the same numbers on every call)."""
    child = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, KERNEL_STREAM))
    return int(child.generate_state(1, np.uint64)[0])


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
    x, mem_us, mem_ru, gs, on, off, codes, ps, pm, pi, series,
    h_base, h_value, h_ptr, h_member, own, need, z, u, t0, rec, out,
):  # fmt: skip
    """Months ``t0 .. t0 + len(out)`` for every member of ``x``, in place; paths into ``out``.

    ``on``/``off``: per mechanism key number - 1, whether it runs and where its parameters
    start; ``off[21:25]``: the U.S. and Russian strategy parameters, the observation's, base
    noise and volatility. ``ps``/``pm``/``pi``: parameter values, common (``ps[k]``) or per
    member (``pm[pi[k], i]`` where ``pi[k] >= 0``). ``series``: month-wide inputs by absolute
    month; ``h_*``: the shocks (:class:`resetlab.model.forcing.ShockHits`). Random numbers:
    with ``own`` false, ``z`` (the three normals) and ``u`` (the uniforms of m18 and m10) by
    block month; with ``own`` true, drawn here from the members' generators ``gs`` (members x
    4, advanced in place), the uniforms of slot ``s`` in the months where ``need[t, s]``.

    Each block of :data:`MEMBER_BLOCK` members runs in local, member-last copies of its state,
    strategy memories, parameters and shocks, whose shapes are compile-time constants: every
    step is then one loop over the block's members on contiguous columns at fixed distances,
    which the compiler can turn into SIMD code. A kernel's parameter and shock vectors are the
    member's rows of those copies (``pb[j]``, ``hb[j]``), so every member reads its own values
    whether they are common or per member, sampled or fixed.
    """
    n = out.shape[2]  # x may carry a padding row (see run_chunk_fused)
    nt = out.shape[0]
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
        gb = np.zeros((4, MEMBER_BLOCK), dtype=np.uint32)
        zb = np.zeros((3, MEMBER_BLOCK), dtype=np.float32)
        ub = np.zeros((2, MEMBER_BLOCK))
        rej = np.zeros((3, MEMBER_BLOCK), dtype=np.uint32)
        if own:
            for k in range(4):
                for j in range(nb):
                    gb[k, j] = gs[b0 + j, k]
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
                v = h_base[t, k]
                for j in range(nb):
                    hb[j, k] = v
                lo, hi = h_ptr[k, t], h_ptr[k, t + 1]
                if hi > lo:  # the members of this block hit: a range of the sorted list
                    hit = h_member[lo:hi]
                    v = h_value[t, k]
                    for i in range(np.searchsorted(hit, b0), np.searchsorted(hit, b0 + nb)):
                        hb[hit[i] - b0, k] = v
            if own:
                _normals(gb, zb, rej, nb)
                for s in range(2):
                    if need[t, s]:
                        for j in range(nb):
                            ub[s, j] = _uniform(gb, j)
            else:
                for k in range(3):
                    for j in range(nb):
                        zb[k, j] = z[tt, k, b0 + j]
                for s in range(2):
                    for j in range(nb):
                        ub[s, j] = u[s, tt, b0 + j]
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
                seen_us = noise * zb[0, j] + xb[j, COOP_RU]
                seen_ru = noise * zb[1, j] + xb[j, COOP_US]
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
                    K18(xb, j, pb[j], off[17], c, hb[j], ub[0, j])
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
                    K10(xb, j, pb[j], off[9], c, hb[j], ub[1, j])
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
                rel += xb[j, VOLATILITY] * zb[2, j]
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
        if own:
            for k in range(4):
                for j in range(nb):
                    gs[b0 + j, k] = gb[k, j]


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
    jitted = (_drive, _moves, _normals, _normal_slow, _next, _uniform, _splitmix, _seed_states,
              kernel_draws)  # fmt: skip
    caches = [getattr(f, "_cache", None) for f in jitted]
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
    source: str = "numpy",
    key: int | None = None,
) -> Array:
    """Run the state ``x`` (members x variables, set to the start) over the spec's months.

    Same contract as :func:`resetlab.model.engine.run_chunk`, which prepares ``x``, ``rng``,
    ``cols`` and ``out``; ``tick`` is called once per block of months with the member-months
    done. ``source``: ``"numpy"`` draws every random number from ``rng`` in the NumPy
    engine's order; ``"kernel"`` draws only the sampled shocks from ``rng`` (O(hits), before
    the first month, as both engines do) and the normals and uniforms inside the compiled
    loop from generators keyed by ``key`` (:func:`kernel_key`).
    """
    if source not in SOURCES:
        raise ModelError(f"rng must be one of {', '.join(SOURCES)}, got {source!r}")
    own = source == "kernel"
    if own and key is None:
        raise ModelError("the kernel random source needs a key (kernel_key of the chunk's seed)")
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
    for k in DRIVER_ORDER:
        if k in by_key:
            n = int(k[1:]) - 1
            on[n] = True
            off[n] = params.add_all(k, by_key[k].params)
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
    sampled = f.sample_shocks(members, rng)  # first, as in the NumPy engine
    hits = f.shock_hits(sampled)
    staged = {s: spec.ordered(s) for s in (STAGE_PRE, STAGE_MOVES, STAGE_DYNAMICS)}
    before = [m for m in staged[STAGE_PRE] if m.meta.stochastic]
    after = [m for s in (STAGE_MOVES, STAGE_DYNAMICS) for m in staged[s] if m.meta.stochastic]
    slot = {k: j for j, k in enumerate(DRIVER_DRAWS)}
    for m in (*before, *after):
        if m.meta.key not in slot:
            raise ModelError(f"the fused driver gives no random numbers to {m.meta.key}")
    need = np.zeros((T, len(DRIVER_DRAWS)), dtype=np.bool_)
    for m in (*before, *after):
        need[:, slot[m.meta.key]] = [_draws_at(m, series, t) for t in range(T)]
    mem_us, mem_ru = _memory(spec.strategy_us, members), _memory(spec.strategy_ru, members)
    rec = np.asarray(cols, dtype=np.int64)
    # The kernel source buffers no random numbers, so all months run in one call.
    per_month = 0 if own else members * (3 * 4 + 8 * len(DRIVER_DRAWS))
    block = T if own else int(max(1, min(T, BLOCK_BYTES // max(per_month, 1))))
    gs = np.zeros((max(members, 2), 4), dtype=np.uint32)
    if key is not None and own:
        _seed_states(np.uint64(key), 0, gs)
    # One compiled driver for every call: numba compiles once per array layout, so the state
    # is always handed over as a Fortran-ordered array (one member is padded to two rows) and
    # the paths as a C-ordered one (a slice of a bigger array goes through a buffer).
    state = x
    if members == 1:
        state = np.zeros((2, x.shape[1]), dtype=x.dtype, order="F")
        state[0] = x[0]
    direct = bool(out.flags.c_contiguous)
    buffer = out if direct else np.empty((block, len(cols), members), dtype=np.float32)
    no_z = np.zeros((1, 3, 1), dtype=np.float32)
    no_u = np.zeros((len(DRIVER_DRAWS), 1, 1))
    for t0 in range(0, T, block):
        t1 = min(T, t0 + block)
        nt = t1 - t0
        if own:
            z, u = no_z, no_u
        else:
            z = np.empty((nt, 3, members), dtype=np.float32)
            u = np.empty((len(DRIVER_DRAWS), nt, members), dtype=np.float64)
            if not before and not after:
                rng.standard_normal(out=z, dtype=np.float32)  # the same stream as month by month
            else:
                for tt in range(nt):
                    t = t0 + tt
                    for m in before:
                        if need[t, slot[m.meta.key]]:
                            rng.random(out=u[slot[m.meta.key], tt])
                    rng.standard_normal(out=z[tt], dtype=np.float32)
                    for m in after:
                        if need[t, slot[m.meta.key]]:
                            rng.random(out=u[slot[m.meta.key], tt])
        target = out[t0:t1] if direct else buffer[:nt]
        _drive(
            state, mem_us, mem_ru, gs, on, off, codes, ps, pm, pi, series,
            hits.base, hits.value, hits.ptr, hits.member, own, need, z, u, t0, rec, target,
        )  # fmt: skip
        if not direct:
            out[t0:t1] = target
        if tick is not None:
            tick(members * nt)
    if state is not x:
        x[0] = state[0]
    return out
