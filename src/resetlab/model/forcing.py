"""Exogenous inputs month by month: levers, the domestic clocks, treaties and shocks.

Two modes. *Replay* takes shocks, elections, leader changes and treaty status from the record
(:mod:`resetlab.record`). *Forecast* takes the clocks and treaties the same way (extended past
the last election on file by repeating the last interval) and samples shocks at monthly rates
estimated on the record (:func:`estimate_rates`). Scenario levers and scheduled shocks are
added on top in both modes.

Shock rule (documented, applied to the record's events, Goldstein ``g``). Only events in the
dyad enter, by the one dyad rule of :mod:`resetlab.record.dyad` (actor and target on opposite
sides; NATO on the U.S. side): Russia's acts against Ukraine, U.S. strikes in Syria or NATO's
against Serbia never reach the U.S.-Russia shocks. Of those:
``hostile_us`` / ``hostile_ru``: sum of ``-g / 10`` over hostile (``g < 0``) events by the U.S.
side / the Russian side outside the ``regional`` domain, capped at 1; ``regional``: the same
over hostile ``regional``-domain events by either side (disputes over third regions, carried
out between the two); ``common``: sum of ``g / 10`` over cooperative (``g >= 3``)
``multilateral``-domain events; ``ratchet_us`` / ``ratchet_ru``: 1 in a month with an act of
that side at ``g <= -9`` (the most extreme acts, e.g. use of force).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from resetlab.exceptions import ModelError
from resetlab.model.base import SERIES, Context, Value
from resetlab.model.crn import CommonNumbers
from resetlab.model.state import DTYPE, Array
from resetlab.record.conventions import (
    COOPERATIVE_FROM,
    HOSTILE_BELOW,
    MODEL_DYAD,
    RATCHET_AT,
    RU_SIDE,
    US_SIDE,
    event_months,
    treaty_share,
)
from resetlab.record.dyad import in_dyad
from resetlab.record.read import Record, builtin_record

#: Shock types; each is in [0, 1] per member and month.
SHOCKS: tuple[str, ...] = (
    "hostile_us",
    "hostile_ru",
    "regional",
    "common",
    "ratchet_us",
    "ratchet_ru",
)


@dataclass(frozen=True, eq=False)
class Forcing:
    """Everything exogenous over ``months``: series (T,), fixed shocks (T,), shock rates.

    ``rates[k]`` is the monthly probability that a member gets a ``k`` shock of size
    ``sizes[k]`` on top of the fixed ``shocks[k]`` (forecast mode); empty in replay mode.
    """

    months: pd.PeriodIndex
    series: Mapping[str, Array]
    shocks: Mapping[str, Array]
    rates: Mapping[str, float] = field(default_factory=dict)
    sizes: Mapping[str, float] = field(default_factory=dict)
    #: First month (position) at which ``rates`` apply: a replayed history followed by a
    #: forecast samples shocks only after the history (resetlab.fit backtests).
    rates_from: int = 0

    def __post_init__(self) -> None:
        n = len(self.months)
        if n < 1:
            raise ModelError("forcing covers no months")
        for name, group in (("series", self.series), ("shocks", self.shocks)):
            expected = SERIES if name == "series" else SHOCKS
            missing = [k for k in expected if k not in group]
            unknown = [k for k in group if k not in expected]
            if missing or unknown:
                raise ModelError(f"forcing {name}: missing {missing}, unknown {unknown}")
            for k, v in group.items():
                if np.shape(v) != (n,):
                    raise ModelError(f"forcing {name}[{k}] has shape {np.shape(v)}, not ({n},)")
                if not np.all(np.isfinite(v)):
                    raise ModelError(f"forcing {name}[{k}] has missing values")
        for k in self.rates:
            if k not in SHOCKS or k not in self.sizes:
                raise ModelError(f"forcing rates: {k!r} is not a shock type with a size")
            if not 0.0 <= self.rates[k] <= 1.0:
                raise ModelError(f"forcing rates[{k}] must be a probability")

    @property
    def horizon(self) -> int:
        """Number of months."""
        return len(self.months)

    @classmethod
    def flat(cls, months: pd.PeriodIndex, values: Mapping[str, float]) -> Forcing:
        """Constant series/shocks: ``values`` for the names given, 0 for the others (tests)."""
        unknown = [k for k in values if k not in SERIES and k not in SHOCKS]
        if unknown:
            raise ModelError(f"unknown forcing names: {unknown}")
        n = len(months)
        series = {k: np.full(n, float(values.get(k, 0.0))) for k in SERIES}
        shocks = {k: np.full(n, float(values.get(k, 0.0))) for k in SHOCKS}
        return cls(months=months, series=series, shocks=shocks)

    def with_series(self, name: str, values: Array) -> Forcing:
        """A copy with series (or shock) ``name`` replaced."""
        series = dict(self.series)
        shocks = dict(self.shocks)
        target = series if name in SERIES else shocks
        if name not in target:
            raise ModelError(f"unknown forcing name {name!r}")
        target[name] = np.asarray(values, dtype=np.float64)
        return Forcing(
            self.months, series, shocks, dict(self.rates), dict(self.sizes), self.rates_from
        )

    def sample_shocks(self, members: int, rng: np.random.Generator) -> SampledShocks:
        """Every month's sampled shocks for ``members`` at once, from ``rng``.

        One Bernoulli draw per shock type with a rate, in :data:`SHOCKS` order, over all
        (month, member) pairs from ``rates_from`` on, month-major: each pair is hit
        independently with probability ``rates[k]``. Both engines call this first, so they
        consume the same numbers.
        """
        if members < 1:
            raise ModelError(f"members must be at least 1, got {members}")
        T = self.horizon
        first = min(max(self.rates_from, 0), T)
        hits: dict[str, npt.NDArray[np.int64]] = {}
        bounds: dict[str, npt.NDArray[np.int64]] = {}
        month_starts = np.arange(T + 1, dtype=np.int64) * members
        for k in SHOCKS:
            rate = self.rates.get(k, 0.0)
            if rate <= 0.0 or first >= T:
                continue
            if isinstance(rng, CommonNumbers):  # one block's hits, repeated in every block
                if rng.members != members:
                    raise ModelError(f"{members} members, common numbers for {rng.members}")
                cells = bernoulli_hits(rng.base, (T - first) * rng.reps, rate)
                flat = rng.tile_month_major(cells) + first * members
            else:
                flat = bernoulli_hits(rng, (T - first) * members, rate) + first * members
            hits[k] = flat
            bounds[k] = np.searchsorted(flat, month_starts)
        return SampledShocks(members, hits, bounds)

    def shocks_at(self, t: int, sampled: SampledShocks) -> dict[str, Value]:
        """Month ``t``'s shocks: the fixed value where no member is hit (a float), else a
        float32 array with ``sizes[k]`` added for the members hit, capped at 1."""
        members = sampled.members
        out: dict[str, Value] = {}
        for k in SHOCKS:
            fixed = float(self.shocks[k][t])
            lo, hi = sampled.month_slice(k, t, t + 1)
            if hi > lo:
                arr = np.full(members, fixed, dtype=DTYPE)
                arr[sampled.hits[k][lo:hi] - t * members] += self.sizes[k]
                out[k] = np.minimum(arr, 1.0)
            else:
                out[k] = fixed
        return out

    def shock_block(self, t0: int, t1: int, sampled: SampledShocks) -> Array:
        """Months ``t0 .. t1 - 1`` of shocks as a ``(months, len(SHOCKS), members)`` float64
        array, every number that of :meth:`shocks_at` (float32 in the months with hits)."""
        members = sampled.members
        nt = t1 - t0
        block = np.empty((nt, len(SHOCKS), members), dtype=np.float64)
        flat = block.reshape(-1)
        for j, k in enumerate(SHOCKS):
            fixed = np.asarray(self.shocks[k][t0:t1], dtype=np.float64)
            lo, hi = sampled.month_slice(k, t0, t1)
            if hi <= lo:
                block[:, j, :] = fixed[:, None]
                continue
            counts = np.diff(sampled.bounds[k][t0 : t1 + 1])
            fixed32 = fixed.astype(DTYPE)
            # A month with a hit is a float32 array in shocks_at, also where no member is hit.
            block[:, j, :] = np.where(counts > 0, np.minimum(fixed32, 1.0), fixed)[:, None]
            month = np.repeat(np.arange(nt), counts)
            member = sampled.hits[k][lo:hi] - (t0 + month) * members
            hit = np.minimum(fixed32[month] + DTYPE(self.sizes[k]), 1.0)
            flat[(month * len(SHOCKS) + j) * members + member] = hit
        return block

    def shock_hits(self, sampled: SampledShocks) -> ShockHits:
        """Every month's shocks in compact form: :meth:`shock_block`'s numbers as a value for
        the members not hit and one for those hit, per month and type, and the members hit
        (O(hits) memory instead of 48 bytes per member-month)."""
        members = sampled.members
        T = self.horizon
        fixed = np.stack([np.asarray(self.shocks[k], dtype=np.float64) for k in SHOCKS], axis=1)
        base = fixed.copy()
        value = fixed.copy()
        ptr = np.zeros((len(SHOCKS), T + 1), dtype=np.int64)
        parts: list[npt.NDArray[np.int64]] = []
        start = 0
        for j, k in enumerate(SHOCKS):
            ptr[j] = start
            lo, hi = sampled.month_slice(k, 0, T)
            if hi <= lo:
                continue
            counts = np.diff(sampled.bounds[k])
            fixed32 = fixed[:, j].astype(DTYPE)
            # As in shock_block: a month with a hit is float32, also for the members not hit.
            base[:, j] = np.where(counts > 0, np.minimum(fixed32, 1.0), fixed[:, j])
            value[:, j] = np.minimum(fixed32 + DTYPE(self.sizes[k]), 1.0)
            month = np.repeat(np.arange(T), counts)
            parts.append(sampled.hits[k] - month * members)
            ptr[j] = start + sampled.bounds[k]
            start += hi - lo
        member = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return ShockHits(base, value, ptr, np.ascontiguousarray(member, dtype=np.int64))

    def context(
        self, t: int, sampled: SampledShocks, base_noise: float, base_vol: float
    ) -> Context:
        """Month ``t``'s context with the shocks of ``sampled`` (:meth:`sample_shocks`)."""
        s = self.series
        shocks = self.shocks_at(t, sampled)
        return Context(
            t=t,
            concession_us=float(s["concession_us"][t]),
            concession_ru=float(s["concession_ru"][t]),
            exercises=float(s["exercises"][t]),
            track_bureaucratic=float(s["track_bureaucratic"][t]),
            track_arms=float(s["track_arms"][t]),
            track_regional=float(s["track_regional"][t]),
            reset_us=float(s["reset_us"][t]),
            reset_ru=float(s["reset_ru"][t]),
            treaties=float(s["treaties"][t]),
            treaties_prev=float(s["treaties"][t - 1] if t > 0 else s["treaties"][0]),
            leader_change_us=float(s["leader_change_us"][t]),
            leader_change_ru=float(s["leader_change_ru"][t]),
            hostile_us=shocks["hostile_us"],
            hostile_ru=shocks["hostile_ru"],
            regional=shocks["regional"],
            common=shocks["common"],
            ratchet_us=shocks["ratchet_us"],
            ratchet_ru=shocks["ratchet_ru"],
            base_noise=base_noise,
            base_volatility=base_vol,
        )


@dataclass(frozen=True, eq=False)
class SampledShocks:
    """The shocks sampled for one run (:meth:`Forcing.sample_shocks`).

    ``hits[k]``: the positions ``month * members + member`` hit by a ``k`` shock, ascending;
    ``bounds[k][t]``: where month ``t``'s positions start in it (``T + 1`` entries). Shock
    types without a rate have no entry.
    """

    members: int
    hits: Mapping[str, npt.NDArray[np.int64]]
    bounds: Mapping[str, npt.NDArray[np.int64]]

    def month_slice(self, k: str, t0: int, t1: int) -> tuple[int, int]:
        """The range of ``hits[k]`` that falls in months ``t0 .. t1 - 1`` (empty if none)."""
        b = self.bounds.get(k)
        if b is None:
            return 0, 0
        return int(b[t0]), int(b[t1])

    def any_in(self, t0: int, t1: int) -> bool:
        """Whether any member is hit by any shock in months ``t0 .. t1 - 1``."""
        spans = (self.month_slice(k, t0, t1) for k in self.hits)
        return any(hi > lo for lo, hi in spans)


@dataclass(frozen=True, eq=False)
class ShockHits:
    """A run's shocks, compact (:meth:`Forcing.shock_hits`).

    ``base[t, k]``: month ``t``'s type-``k`` shock of a member not hit; ``value[t, k]``: that
    of a member hit; ``member[ptr[k, t]:ptr[k, t + 1]]``: the members hit, ascending.
    """

    base: Array
    value: Array
    ptr: npt.NDArray[np.int64]
    member: npt.NDArray[np.int64]


def bernoulli_hits(rng: np.random.Generator, n: int, p: float) -> npt.NDArray[np.int64]:
    """Indices of the members hit when each of ``n`` is hit independently with probability ``p``.

    Exact (a Bernoulli process sampled through its geometric gaps) and O(hits), not O(n).
    """
    if p <= 0.0 or n <= 0:
        return np.empty(0, dtype=np.int64)
    if p >= 1.0:
        return np.arange(n, dtype=np.int64)
    expected = n * p
    size = int(expected + 6.0 * np.sqrt(expected) + 16)
    pos = np.cumsum(rng.geometric(p, size=size)) - 1
    while pos[-1] < n:
        more = np.cumsum(rng.geometric(p, size=size)) + pos[-1]
        pos = np.concatenate([pos, more])
    return pos[pos < n]


def month_range(start: str, horizon: int) -> pd.PeriodIndex:
    """``horizon`` months from ``start`` (``YYYY-MM``)."""
    return pd.period_range(pd.Period(start, freq="M"), periods=horizon, freq="M")


def shocks_from_events(events: pd.DataFrame, months: pd.PeriodIndex) -> dict[str, Array]:
    """Monthly shocks from record events by the rule in the module docstring (events outside
    the U.S.-Russia dyad are left out here, whatever the caller passes)."""
    need = {"date", "actor", "target", "goldstein", "domain"}
    if not need <= set(events.columns):
        raise ModelError(f"events lack columns {sorted(need - set(events.columns))}")
    df = events.loc[in_dyad(events, MODEL_DYAD), ["date", "actor", "goldstein", "domain"]].copy()
    df["g"] = pd.to_numeric(df["goldstein"], errors="coerce")
    df["month"] = event_months(df["date"])
    df = df.dropna(subset=["g"])
    pos = {m: i for i, m in enumerate(months)}
    out = {k: np.zeros(len(months)) for k in SHOCKS}
    for month, actor, g, domain in zip(
        df["month"], df["actor"], df["g"], df["domain"], strict=True
    ):
        i = pos.get(month)
        if i is None:
            continue
        hostile = g < HOSTILE_BELOW
        if hostile and domain == "regional":
            out["regional"][i] += -g / 10.0
        elif hostile and actor in US_SIDE:
            out["hostile_us"][i] += -g / 10.0
        elif hostile and actor in RU_SIDE:
            out["hostile_ru"][i] += -g / 10.0
        elif g >= COOPERATIVE_FROM and domain == "multilateral":
            out["common"][i] += g / 10.0
        if g <= RATCHET_AT and actor in US_SIDE:
            out["ratchet_us"][i] = 1.0
        if g <= RATCHET_AT and actor in RU_SIDE:
            out["ratchet_ru"][i] = 1.0
    return {k: np.minimum(v, 1.0) for k, v in out.items()}


def estimate_rates(shocks: Mapping[str, Array]) -> tuple[dict[str, float], dict[str, float]]:
    """Monthly rate of each shock type (share of months with one) and its mean size."""
    rates: dict[str, float] = {}
    sizes: dict[str, float] = {}
    for k in SHOCKS:
        v = np.asarray(shocks[k])
        hit = v > 0
        rates[k] = float(hit.mean()) if len(v) else 0.0
        sizes[k] = float(v[hit].mean()) if hit.any() else 0.0
    return rates, sizes


def _extend_clock(values: Array) -> Array:
    """Fill NaN after the last election on file by repeating the last election interval."""
    out = values.copy()
    zeros = np.flatnonzero(out == 0)
    missing = np.flatnonzero(np.isnan(out))
    if len(missing) == 0:
        return out
    if len(zeros) < 2:
        raise ModelError("the record has fewer than two elections in range; cannot extend clock")
    interval = int(zeros[-1] - zeros[-2])
    for i in missing:
        since = i - zeros[-1]
        out[i] = (interval - since % interval) % interval
    return out


def _extend_tenure(values: Array) -> tuple[Array, Array]:
    """Tenure with NaN after the record filled by counting on; and 1 where a leader starts."""
    out = values.copy()
    for i in range(len(out)):
        if np.isnan(out[i]):
            out[i] = out[i - 1] + 1.0 if i > 0 and not np.isnan(out[i - 1]) else 0.0
    change = np.zeros(len(out))
    change[1:] = (np.diff(out) < 0) | (out[1:] == 0)
    return out, change


def record_series(
    months: pd.PeriodIndex, record_start: str = "1991-12", record: Record | None = None
) -> dict[str, Array]:
    """Clocks, tenure, leader changes and treaty share for ``months`` from ``record``
    (a store's, :func:`resetlab.record.read.read_record`; default the built-in record)."""
    from resetlab.record import calendars, treaties

    rec = builtin_record() if record is None else record
    # Compute over the whole record span so that clocks past the last election can be extended.
    span = pd.period_range(
        min(pd.Period(record_start, freq="M"), months[0]), max(months[-1], months[0]), freq="M"
    )
    out: dict[str, Array] = {}
    for side, country in (("us", "USA"), ("ru", "RUS")):
        clock = calendars.months_to_next_election(span, country, rec.require("elections"))
        tenure = calendars.leader_tenure_months(span, country, leaders=rec.require("leaders"))
        ten, change = _extend_tenure(tenure.to_numpy(dtype=np.float64))
        out[f"clock_{side}"] = _extend_clock(clock.to_numpy(dtype=np.float64))
        out[f"tenure_{side}"] = ten
        out[f"leader_change_{side}"] = change
    record_months = pd.period_range(record_start, pd.Period("2025-12", freq="M"), freq="M")
    t_events, t_table = rec.require("treaty_events"), rec.require("treaties")
    full = treaties.treaties_in_force(span, t_events, t_table)
    peak = treaties.treaties_in_force(record_months, t_events, t_table)
    out["treaties"] = treaty_share(full.to_numpy(dtype=np.float64), float(peak.max()))
    sel = np.searchsorted(np.array([m.ordinal for m in span]), [m.ordinal for m in months])
    return {k: v[sel] for k, v in out.items()}


def record_shocks(months: pd.PeriodIndex, record: Record | None = None) -> dict[str, Array]:
    """Monthly shocks over ``months`` from ``record``'s events (default the built-in record)."""
    rec = builtin_record() if record is None else record
    return shocks_from_events(rec.events, months)
