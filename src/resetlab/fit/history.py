"""The record as calibration and backtests see it: what was known before a month (vintages).

A backtest origin ``o`` is the first month a forecast does not know. Everything a fit or a
forecast at ``o`` uses comes from :meth:`FitData.vintage`: the index re-estimated on the
indicators of the months before ``o`` only (not the full-sample smoothed index), the record's
shocks before ``o``, shock rates estimated before ``o``, and the treaty share normalised by its
peak before ``o``. After ``o`` the forcing knows only what was scheduled: the election
calendar; treaties stay as they were, no leader changes, no levers of the replay scenario,
and shocks are sampled at the pre-``o`` rates. ``tests/fit/test_leakage.py`` changes every
record entry after ``o`` and checks that nothing at ``o`` moves.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from resetlab.exceptions import FitError
from resetlab.index.kalman import estimate_index
from resetlab.index.observations import Observations, build_observations
from resetlab.model import forcing as fz
from resetlab.model.spec import Scenario, scenario_forcing
from resetlab.record.conventions import treaty_share
from resetlab.record.read import TABLES, Record, read_record

if TYPE_CHECKING:
    from resetlab.index.api import Analysis
    from resetlab.record.store import Store

#: First simulated month of every replay (the shipped replay scenario starts here).
REPLAY_START = pd.Period("1992-01", freq="M")


def knowable_before(events: pd.DataFrame, origin: pd.Period | str) -> np.ndarray:
    """Which events were datable before ``origin`` (a month): a boolean mask over the rows.

    A day-precision event counts once its day is before the origin's first day, a
    month-precision event once its month has ended, a year-precision event once its year
    has ended (a 2014 event enters the vintages from 2015-01 on). The precision comes from
    the ``precision`` column, or from the length of ``date`` (``YYYY``, ``YYYY-MM``,
    ``YYYY-MM-DD``) where there is none.
    """
    o = pd.Period(origin, freq="M")
    if events.empty:
        return np.zeros(0, dtype=bool)
    dates = events["date"].astype(str).to_numpy()
    if "precision" in events:
        prec = events["precision"].astype(str).to_numpy()
    else:
        prec = np.array([{4: "year", 7: "month", 10: "day"}.get(len(d), "?") for d in dates])
    out = np.empty(len(events), dtype=bool)
    for i, (d, p) in enumerate(zip(dates, prec, strict=True)):
        try:
            if p == "year":
                out[i] = int(d[:4]) < o.year
            elif p in ("month", "day"):
                out[i] = pd.Period(d[:7], freq="M") < o
            else:
                raise ValueError(f"precision {p!r} is none of day, month, year")
        except ValueError as exc:
            ident = events["id"].iloc[i] if "id" in events else f"row {i + 1}"
            raise FitError(f"event {ident}: date {d!r}: {exc}") from None
    return out


@dataclass(frozen=True)
class Vintage:
    """What was known before ``origin``: the index then, and the record's events before it."""

    origin: pd.Period
    #: month (str), score, sd: months before origin; and events_n, the number of events the
    #: index's event flow had in the month (the observation step draws that many).
    index: pd.DataFrame
    events: pd.DataFrame  # record events (all actors) before origin
    #: The vintage index's state-space parameters (``sigma2_level``: the level's monthly
    #: variance), as :func:`resetlab.index.kalman.estimate_index` fitted them at the origin.
    params: dict[str, float] = field(default_factory=dict)
    #: The record the forcing's calendars and treaties come from (None: the built-in record).
    record: Record | None = None


@dataclass(frozen=True)
class FitData:
    """The record for fitting: indicators, all events (for shocks), the final index."""

    observations: Observations
    events: pd.DataFrame
    index: pd.DataFrame  # the full-sample index: month (str), score, sd, events_n
    level: float  # the latest reset's pre-reset level (:func:`resetlab.fit.hold.pre_reset_level`)
    #: The events between the two actors the index is estimated from (``Analysis.events``);
    #: a vintage rebuilds its event indicator from those of them knowable before its origin.
    dyad_events: pd.DataFrame | None = None
    index_params: dict[str, float] = field(default_factory=dict)  # the full-sample index's
    #: The store's record (calendars, treaties) for the forcing; None: the built-in record.
    record: Record | None = None

    @classmethod
    def from_store(cls, store: Store) -> FitData:
        """From a :class:`resetlab.record.Store` (index and regimes estimated here)."""
        from resetlab.index.api import analyse

        record = read_record(store)
        return replace(cls.from_analysis(analyse(store), record.events), record=record)

    @classmethod
    def from_analysis(cls, analysis: Analysis, events: pd.DataFrame) -> FitData:
        """From an :class:`resetlab.index.Analysis` and the store's events (all actors)."""
        from resetlab.fit.hold import latest_reset, pre_reset_level

        frame = analysis.index.frame[["month", "score", "sd"]].copy()
        counts = analysis.observations.frame["events_n"].fillna(0.0)
        frame["events_n"] = counts.to_numpy(dtype=float)
        level = pre_reset_level(analysis.regimes.segments, latest_reset(analysis.regimes.shifts))
        return cls(
            analysis.observations,
            events,
            frame,
            level,
            analysis.events,
            dict(analysis.index.params),
        )

    @property
    def last_month(self) -> pd.Period:
        return pd.Period(self.index["month"].iloc[-1], freq="M")

    def vintage(self, origin: pd.Period | str | None = None) -> Vintage:
        """The index and events known before ``origin`` (default: after the last month).

        Only events datable before the origin enter (:func:`knowable_before`): the event
        indicator of the months before the origin is rebuilt from them, so a year-precision
        event of the origin's own year, which the index spreads over its twelve months, does
        not reach the months before the origin. The UN and treaty readings are cut at the
        origin (each is placed in a December, when it is known).
        """
        o = self.last_month + 1 if origin is None else pd.Period(origin, freq="M")
        ev = self.events.loc[knowable_before(self.events, o)]
        if o > self.last_month:
            return Vintage(o, self.index.copy(), ev, dict(self.index_params), self.record)
        f = self.observations.frame
        frame = f.loc[f.index < o].copy()
        if self.dyad_events is None:
            raise FitError("FitData has no dyad events: build it with from_store or from_analysis")
        dyad = self.dyad_events.loc[knowable_before(self.dyad_events, o)]
        known = build_observations(dyad, None, None, end=o - 1)
        flow = known.frame.reindex(frame.index)
        frame["events"] = flow["events"]
        frame["events_n"] = flow["events_n"].fillna(0.0)
        obs = Observations(frame, known.raw_events)
        est = estimate_index(obs)
        idx = est.frame[["month", "score", "sd"]].copy()
        idx["events_n"] = frame["events_n"].to_numpy(dtype=float)
        return Vintage(o, idx.reset_index(drop=True), ev, dict(est.params), self.record)

    def truth(self, months: pd.PeriodIndex) -> np.ndarray:
        """The full-sample index at ``months`` (NaN where it has none)."""
        s = pd.Series(self.index["score"].to_numpy(), index=self.index["month"].astype(str))
        return s.reindex([str(m) for m in months]).to_numpy(dtype=float)


#: How many forcings :func:`history_forcing` keeps (a quick backtest asks for a few dozen
#: vintages, each at one or two horizons; the outlook for one).
FORCING_CACHE_SIZE = 64
_forcing_cache: OrderedDict[str, tuple[fz.Forcing, int]] = OrderedDict()
_forcing_lock = threading.Lock()


def _digest_frame(h: hashlib._Hash, frame: pd.DataFrame | None) -> None:
    if frame is None:
        h.update(b"<none>")
        return
    h.update(repr((list(frame.columns), [str(t) for t in frame.dtypes], frame.shape)).encode())
    try:
        h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    except TypeError:  # cells pandas cannot hash (lists, dicts): their JSON text
        h.update(frame.to_json(date_format="iso", default_handler=str).encode())


def _forcing_key(base: Scenario, vintage: Vintage, horizon: int) -> str:
    """A digest of everything :func:`history_forcing` reads: the origin, the horizon, the
    scenario's content, the vintage's events and the record (its frames, or the built-in one)."""
    h = hashlib.sha256()
    h.update(f"{vintage.origin}|{int(horizon)}|".encode())
    h.update(base.model.model_dump_json().encode())
    mech = {k: v.model_dump() for k, v in base.mechanisms.items()}
    h.update(json.dumps(mech, sort_keys=True, default=str).encode())
    _digest_frame(h, vintage.events)
    record = vintage.record
    if record is None:
        h.update(b"<builtin record>")
    else:
        for name in ("events", *TABLES):
            _digest_frame(h, getattr(record, name))
    return h.hexdigest()


def _copy_forcing(f: fz.Forcing) -> fz.Forcing:
    return replace(
        f,
        series={k: np.array(v, copy=True) for k, v in f.series.items()},
        shocks={k: np.array(v, copy=True) for k, v in f.shocks.items()},
        rates=dict(f.rates),
        sizes=dict(f.sizes),
    )


def clear_forcing_cache() -> None:
    """Forget every forcing :func:`history_forcing` has kept."""
    with _forcing_lock:
        _forcing_cache.clear()


def history_forcing(base: Scenario, vintage: Vintage, horizon: int) -> tuple[fz.Forcing, int]:
    """Forcing from :data:`REPLAY_START` to ``origin + horizon - 1``; and the origin's position.

    Before the origin: the record (shocks, leader changes, treaty share) and the base
    scenario's levers. From the origin on: only the election calendar is known; shocks are
    sampled at the rates of the months before the origin.

    Built once per content: the last :data:`FORCING_CACHE_SIZE` forcings are kept, keyed on a
    digest of the scenario, the vintage's events and record, the origin and the horizon (not on
    object identity), and each call gets its own copy of the arrays, safe to change.
    """
    key = _forcing_key(base, vintage, horizon)
    with _forcing_lock:
        hit = _forcing_cache.get(key)
        if hit is not None:
            _forcing_cache.move_to_end(key)
    if hit is None:
        hit = _build_history_forcing(base, vintage, horizon)
        with _forcing_lock:
            _forcing_cache[key] = hit
            while len(_forcing_cache) > FORCING_CACHE_SIZE:
                _forcing_cache.popitem(last=False)
    return _copy_forcing(hit[0]), hit[1]


def _build_history_forcing(
    base: Scenario, vintage: Vintage, horizon: int
) -> tuple[fz.Forcing, int]:
    o = vintage.origin
    if o <= REPLAY_START + 12:
        raise FitError(f"origin {o} leaves less than a year of history after {REPLAY_START}")
    months = pd.period_range(REPLAY_START, o + (horizon - 1), freq="M")
    n_hist = int(o.ordinal - REPLAY_START.ordinal)
    record = vintage.record
    series = fz.record_series(months, record=record)
    # Treaty share normalised by its peak before the origin (record_series uses the record's).
    from resetlab.record.treaties import treaties_in_force

    if record is None:
        raw = treaties_in_force(months).to_numpy(dtype=np.float64)
    else:
        in_force = treaties_in_force(
            months, record.require("treaty_events"), record.require("treaties")
        )
        raw = in_force.to_numpy(dtype=np.float64)
    treaties = treaty_share(raw, float(raw[:n_hist].max()))
    treaties[n_hist:] = treaties[n_hist - 1]
    series["treaties"] = treaties
    for side in ("us", "ru"):
        tenure = series[f"tenure_{side}"].copy()
        tenure[n_hist:] = tenure[n_hist - 1] + np.arange(1, len(months) - n_hist + 1)
        series[f"tenure_{side}"] = tenure
        change = series[f"leader_change_{side}"].copy()
        change[n_hist:] = 0.0
        series[f"leader_change_{side}"] = change
    shocks = fz.shocks_from_events(vintage.events, months)
    sc = replace(
        base,
        model=base.model.model_copy(update={"horizon": len(months), "start": str(REPLAY_START)}),
    )
    f = scenario_forcing(sc, series=series, record_shocks=shocks, record=record)
    lever_names = (
        "concession_us", "concession_ru", "exercises", "track_bureaucratic", "track_arms",
        "track_regional", "reset_us", "reset_ru",
    )  # fmt: skip
    s = {k: np.asarray(v, dtype=np.float64).copy() for k, v in f.series.items()}
    for k in lever_names:
        s[k][n_hist:] = 0.0
    sh = {k: np.asarray(v, dtype=np.float64).copy() for k, v in f.shocks.items()}
    for k in sh:
        sh[k][n_hist:] = 0.0
    rates, sizes = fz.estimate_rates({k: v[:n_hist] for k, v in sh.items()})
    forcing = fz.Forcing(months, s, sh, rates, sizes, rates_from=n_hist)
    return forcing, n_hist
