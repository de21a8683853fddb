"""The vectorised ensemble engine: all members of a chunk advance together, month by month.

Before the first month the forcing samples every month's shocks for the chunk at once
(:meth:`Forcing.sample_shocks`, the first numbers drawn from its generator). Then one month,
for a chunk of members (state ``x``: members x variables):

1. the forcing sets this month's clocks, tenure, treaty share and scheduled concessions, and
   resets misperception ``noise`` and ``volatility`` to their base values;
2. stage-0 mechanisms (before the moves) adjust them;
3. each side reads the other's last move with normal noise of s.d. ``noise``;
4. each side's strategy chooses its move; stage-1 mechanisms modify the moves;
5. stage-2 mechanisms update the slow state;
6. the observation gives the relations score in Goldstein units, with noise ``volatility``.

Chunks are independent (each gets its own child of ``SeedSequence(seed)``), so they can run
in any order or on other machines and give the same numbers: same seed, members and
``chunk_size``, same result.

Two implementations of that month run the same model: ``engine="numpy"`` (the loop above,
the reference) and ``engine="fused"`` (:mod:`resetlab.model.fused`: the loop compiled with
numba, the same random numbers, the same paths to float32 rounding). ``"auto"``, the default,
takes the fused engine for any spec whose mechanisms and strategies all have kernels, else
NumPy (saying so once in the log); the environment variable ``RESETLAB_ENGINE`` sets the
default.

Random source: ``rng="numpy"`` (the default) draws every random number from the chunk's NumPy
generator, in the order above, in both engines. ``rng="kernel"`` (fused engine only) draws
the misreadings, the relations noise and the stochastic mechanisms' uniforms inside the
compiled loop from per-member generators (:mod:`resetlab.model.fused`): the same model and
distributions, other numbers, faster; the sampled shocks still come from NumPy first.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from resetlab.exceptions import ModelError
from resetlab.model.base import (
    STAGE_DYNAMICS,
    STAGE_MOVES,
    STAGE_PRE,
    Mechanism,
    Strategy,
)
from resetlab.model.crn import CommonNumbers
from resetlab.model.forcing import Forcing
from resetlab.model.state import (
    CLOCK_RU,
    CLOCK_US,
    CONC_RU,
    CONC_US,
    COOP_RU,
    COOP_US,
    DISPUTE,
    INDEX,
    NOISE,
    RELATIONS,
    RESET_AGE,
    SEEN_RU,
    SEEN_US,
    TENURE_RU,
    TENURE_US,
    THREAT_RU,
    THREAT_US,
    TREATIES,
    TRUST,
    VARIABLES,
    VOLATILITY,
    Array,
    new_state,
)

DEFAULT_CHUNK_SIZE = 32768

#: The engines :func:`run_chunk` knows.
ENGINES: tuple[str, ...] = ("auto", "numpy", "fused")

#: The random sources :func:`run_chunk` knows (``"kernel"`` only in the fused engine).
RANDOM_SOURCES: tuple[str, ...] = ("numpy", "kernel")

_log = logging.getLogger(__name__)
_warned: set[tuple[str, ...]] = set()


def default_engine() -> str:
    """The engine used when none is named: ``RESETLAB_ENGINE``, else ``"auto"``."""
    name = os.environ.get("RESETLAB_ENGINE", "auto").strip().lower() or "auto"
    if name not in ENGINES:
        raise ModelError(f"RESETLAB_ENGINE={name!r}: expected one of {', '.join(ENGINES)}")
    return name


def resolve_engine(spec: ModelSpec, engine: str | None = None) -> str:
    """``"numpy"`` or ``"fused"``: the engine that will run ``spec`` when ``engine`` is asked.

    ``"fused"`` refuses a spec with a mechanism or strategy that has no kernel; ``"auto"``
    falls back to NumPy for it, and says so once per such set in the log.
    """
    name = default_engine() if engine is None else engine
    if name not in ENGINES:
        raise ModelError(f"engine must be one of {', '.join(ENGINES)}, got {name!r}")
    if name == "numpy":
        return name
    try:
        from resetlab.model import fused
    except ImportError as exc:  # numba is a core dependency; a broken install lands here
        if name == "fused":
            raise ModelError(
                f"the fused engine needs numba ({exc}); pip install 'numba>=0.60'"
            ) from exc
        return "numpy"
    bad = fused.unsupported(spec)
    if not bad:
        return "fused"
    if name == "fused":
        raise ModelError(f"the fused engine has no kernel for {', '.join(bad)}; use engine='numpy'")
    key = tuple(sorted(bad))
    if key not in _warned:
        _warned.add(key)
        _log.warning("no fused kernel for %s: running the NumPy engine", ", ".join(key))
    return "numpy"


@dataclass(frozen=True)
class ScoreWeights:
    """How the state maps to the observable relations score (Goldstein units).

    ``relations = offset + w_coop * mean move + w_trust * trust - w_dispute * dispute
    - w_threat * mean threat - w_shock * (hostile shocks) + volatility * N(0, 1)``, clipped to
    [-10, 10].
    """

    offset: float = -3.0
    w_coop: float = 6.0
    w_trust: float = 3.0
    w_dispute: float = 3.0
    w_threat: float = 2.0
    w_shock: float = 2.0


@dataclass(frozen=True, eq=False)
class ModelSpec:
    """A runnable model: mechanisms, the two sides' strategies, observation, start, forcing."""

    mechanisms: tuple[Mechanism, ...]
    strategy_us: Strategy
    strategy_ru: Strategy
    observation: ScoreWeights
    initial: Mapping[str, float]
    forcing: Forcing
    base_noise: float
    base_volatility: float
    name: str = "model"
    # Any parameter (mechanism, observation, base noise/volatility) may be an array with one
    # value per member instead of a number: calibration runs a population of parameter sets
    # as one ensemble (resetlab.fit). Then run the members as one chunk.

    def __post_init__(self) -> None:
        keys = [m.meta.key for m in self.mechanisms]
        if len(set(keys)) != len(keys):
            raise ModelError(f"a mechanism is listed twice: {keys}")
        # Per-member arrays are allowed (calibration runs one parameter set per member).
        if np.any(np.asarray(self.base_noise) < 0) or np.any(np.asarray(self.base_volatility) < 0):
            raise ModelError("base_noise and base_volatility must be >= 0")

    @property
    def months(self) -> pd.PeriodIndex:
        """The simulated months."""
        return self.forcing.months

    def ordered(self, stage: int) -> tuple[Mechanism, ...]:
        """The mechanisms of ``stage`` in key order (m1, m2, ... m21)."""
        ms = [m for m in self.mechanisms if m.meta.stage == stage]
        return tuple(sorted(ms, key=lambda m: int(m.meta.key[1:])))


def run_chunk(
    spec: ModelSpec,
    members: int,
    seed: np.random.SeedSequence | int,
    record: tuple[int, ...] | None = None,
    out: Array | None = None,
    tick: Callable[[int], None] | None = None,
    engine: str | None = None,
    rng: str = "numpy",
    common: int | None = None,
) -> Array:
    """Run ``members`` members; return ``(months, len(record), members)`` float32 paths.

    ``record`` lists the state columns to keep (all when None); ``out``, if given, is the
    array to fill (a slice of a bigger one); ``tick(n)`` is called with the member-months
    done, after each month (NumPy engine) or block of months (fused engine), for progress
    bars. ``engine``: ``"auto"``, ``"numpy"`` or ``"fused"`` (see the module docstring;
    ``None``: :func:`default_engine`). ``rng``: the random source, ``"numpy"`` or
    ``"kernel"`` (see the module docstring; ``"kernel"`` refuses a spec the fused engine
    cannot run). ``common``: ``None``, every member its own random numbers; an integer
    ``reps``, the members are blocks of ``reps`` and member ``s * reps + r`` gets replicate
    ``r``'s numbers whatever its block (:class:`resetlab.model.crn.CommonNumbers`; NumPy
    random source only). A plain module-level function of picklable arguments, so a cluster
    can run chunks in parallel.
    """
    if rng not in RANDOM_SOURCES:
        raise ModelError(f"rng must be one of {', '.join(RANDOM_SOURCES)}, got {rng!r}")
    if common is not None and (rng != "numpy" or common < 1 or members % common):
        raise ModelError(
            f"common random numbers need rng='numpy' and members ({members}) a whole number "
            f"of blocks of common={common}"
        )
    which = resolve_engine(spec, engine)
    if rng == "kernel" and which != "fused":
        raise ModelError(
            "rng='kernel' draws inside the fused engine's loop; this spec runs on the NumPy "
            "engine, which draws from NumPy (use rng='numpy')"
        )
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    gen = np.random.default_rng(ss)
    if common is not None:
        gen = CommonNumbers(gen, common, members // common, axis=-1)
    cols = tuple(range(len(VARIABLES))) if record is None else tuple(record)
    f = spec.forcing
    T = f.horizon
    x = new_state(members, dict(spec.initial))
    if "reset_age" not in spec.initial:
        x[:, RESET_AGE] = 1000.0  # no reset announced before the start
    if out is None:
        out = np.empty((T, len(cols), members), dtype=np.float32)
    elif out.shape != (T, len(cols), members):
        raise ModelError(f"out has shape {out.shape}, expected {(T, len(cols), members)}")
    if which == "fused":
        from resetlab.model.fused import kernel_key, run_chunk_fused

        key = kernel_key(ss) if rng == "kernel" else None
        return run_chunk_fused(spec, x, gen, cols, out, tick, source=rng, key=key)
    pre, moves, dyn = (spec.ordered(s) for s in (STAGE_PRE, STAGE_MOVES, STAGE_DYNAMICS))
    s_us, s_ru = spec.strategy_us, spec.strategy_ru
    mem_us, mem_ru = s_us.init_memory(members), s_ru.init_memory(members)
    obs = spec.observation
    series = f.series
    all_cols = len(cols) == len(VARIABLES) and cols == tuple(range(len(VARIABLES)))
    tmp = np.empty(members, dtype=x.dtype)

    def apply(mechs: tuple[Mechanism, ...], ctx: object) -> None:
        for m in mechs:
            for col, values in m.step(x, ctx, gen).items():  # type: ignore[arg-type]
                x[:, col] = values

    sampled = f.sample_shocks(members, gen)  # every month's shocks first, as the fused engine
    for t in range(T):
        ctx = f.context(t, sampled, spec.base_noise, spec.base_volatility)
        x[:, TREATIES] = series["treaties"][t]
        x[:, CLOCK_US] = series["clock_us"][t]
        x[:, CLOCK_RU] = series["clock_ru"][t]
        x[:, TENURE_US] = series["tenure_us"][t]
        x[:, TENURE_RU] = series["tenure_ru"][t]
        x[:, CONC_US] = ctx.concession_us
        x[:, CONC_RU] = ctx.concession_ru
        x[:, NOISE] = spec.base_noise
        x[:, VOLATILITY] = spec.base_volatility
        apply(pre, ctx)
        z = gen.standard_normal((3, members), dtype=np.float32)  # misreading x2, relations
        np.multiply(x[:, NOISE], z[0], out=tmp)
        tmp += x[:, COOP_RU]
        np.clip(tmp, 0.0, 1.0, out=x[:, SEEN_US])
        np.multiply(x[:, NOISE], z[1], out=tmp)
        tmp += x[:, COOP_US]
        np.clip(tmp, 0.0, 1.0, out=x[:, SEEN_RU])
        cu, mem_us = s_us.move(t, x[:, COOP_US], x[:, SEEN_US], mem_us, x[:, CONC_US])
        cr, mem_ru = s_ru.move(t, x[:, COOP_RU], x[:, SEEN_RU], mem_ru, x[:, CONC_RU])
        x[:, COOP_US] = cu
        x[:, COOP_RU] = cr
        apply(moves, ctx)
        apply(dyn, ctx)
        # ScoreWeights, in place (one buffer, no temporaries): see :class:`ScoreWeights`.
        rel = x[:, RELATIONS]
        np.add(x[:, COOP_US], x[:, COOP_RU], out=rel)
        rel *= 0.5 * obs.w_coop
        for weight, col in ((obs.w_trust, TRUST), (-obs.w_dispute, DISPUTE)):
            np.multiply(x[:, col], weight, out=tmp)
            rel += tmp
        np.add(x[:, THREAT_US], x[:, THREAT_RU], out=tmp)
        tmp *= -0.5 * obs.w_threat
        rel += tmp
        rel += obs.offset - obs.w_shock * ctx.hostile_us - obs.w_shock * ctx.hostile_ru
        np.multiply(x[:, VOLATILITY], z[2], out=tmp)
        rel += tmp
        np.clip(rel, -10.0, 10.0, out=rel)
        if all_cols:
            out[t] = x.T
        else:
            out[t] = x[:, cols].T
        if tick is not None:
            tick(members)
    return out


def chunk_sizes(members: int, chunk_size: int) -> list[int]:
    """Split ``members`` into chunks of ``chunk_size`` (the last one smaller)."""
    if members < 1:
        raise ModelError(f"members must be at least 1, got {members}")
    if chunk_size < 1:
        raise ModelError(f"chunk_size must be at least 1, got {chunk_size}")
    full, rest = divmod(members, chunk_size)
    return [chunk_size] * full + ([rest] if rest else [])


#: Largest ensemble output kept in memory (bytes): half of this machine class's 24 GiB.
MAX_PATH_BYTES = 12 * 2**30


def check_ensemble_size(members: int, months: int, variables: int) -> None:
    """Raise :class:`ModelError` for a member count that is not positive or whose float32
    paths (months x variables x members) would not fit in :data:`MAX_PATH_BYTES`."""
    if members < 1:
        raise ModelError(f"members must be at least 1, got {members}")
    need = 4 * months * variables * members
    if need > MAX_PATH_BYTES:
        most = MAX_PATH_BYTES // (4 * months * variables)
        raise ModelError(
            f"{members:,} members x {months} months x {variables} variables need "
            f"{need / 2**30:,.1f} GiB of paths, over the {MAX_PATH_BYTES / 2**30:.0f} GiB limit; "
            f"use at most {most:,} members here, or fewer variables"
        )


def run_ensemble(
    spec: ModelSpec,
    members: int,
    seed: int,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    record: tuple[str, ...] | None = None,
    progress: bool = False,
    on_chunk: Callable[[int], None] | None = None,
    engine: str | None = None,
    rng: str = "numpy",
) -> Array:
    """All members, chunk by chunk: ``(months, variables, members)`` float32 paths.

    Refuses, before allocating, an ensemble whose paths would exceed :data:`MAX_PATH_BYTES`.
    ``engine`` and ``rng`` as for :func:`run_chunk`.
    """
    n_vars = len(VARIABLES) if record is None else len(record)
    check_ensemble_size(members, spec.forcing.horizon, n_vars)
    sizes = chunk_sizes(members, chunk_size)
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    cols = None if record is None else tuple(INDEX[v] for v in record)
    n_cols = len(VARIABLES) if cols is None else len(cols)
    out = np.empty((spec.forcing.horizon, n_cols, members), dtype=np.float32)
    starts = np.concatenate([[0], np.cumsum(sizes)])

    def run_all(tick: Callable[[int], None] | None) -> None:
        for i, (n, ss) in enumerate(zip(sizes, seeds, strict=True)):
            run_chunk(spec, n, ss, cols, out[:, :, starts[i] : starts[i + 1]], tick, engine, rng)
            if on_chunk is not None:
                on_chunk(n)

    if progress:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            total = members * spec.forcing.horizon
            task = bar.add_task(f"simulating {spec.name} (member-months)", total=total)
            run_all(lambda n: bar.advance(task, n))
    else:
        run_all(None)
    return out
