"""Estimate the relations index, its regimes and the scorecard from the store."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from resetlab.index.kalman import IndexResult, estimate_index
from resetlab.index.observations import Observations, build_observations
from resetlab.index.regimes import Regimes, find_regimes
from resetlab.index.scorecard import announced_resets, build_scorecard
from resetlab.record.dyad import DEFAULT_DYAD, Dyad, dyad_events
from resetlab.record.read import Record, builtin_record, read_record
from resetlab.record.store import Store

#: Derived monthly count tables of the built-in U.S.-Russia dyad: indicator -> column of the
#: record's table of that name (:class:`resetlab.record.read.Record`).
COUNT_TABLES = {"contacts": "contacts", "incidents": "incidents"}

__all__ = ["DEFAULT_DYAD", "Analysis", "analyse", "observations_from_store", "treaty_series"]


@dataclass(frozen=True)
class Analysis:
    """Everything the report shows about the measured relationship."""

    events: pd.DataFrame
    observations: Observations
    index: IndexResult
    regimes: Regimes
    scorecard: pd.DataFrame
    announced: pd.DataFrame


def treaty_series(months: pd.PeriodIndex, record: Record | None = None) -> pd.Series | None:
    """Arms-control treaties in force per month, if ``record`` (default the built-in record)
    has the treaty tables."""
    from resetlab.record.treaties import treaties_in_force

    rec = builtin_record() if record is None else record
    if rec.treaties is None or rec.treaty_events is None:
        return None
    return treaties_in_force(months, rec.treaty_events, rec.treaties)


def count_table(name: str, record: Record | None = None) -> pd.Series | None:
    """A derived monthly count of the built-in dyad (:data:`COUNT_TABLES`) from ``record``
    (default the built-in record), if it has that table."""
    rec = builtin_record() if record is None else record
    df = getattr(rec, name)
    if df is None:
        return None
    column = COUNT_TABLES[name]
    return pd.Series(df[column].astype(int).to_numpy(), index=df["month"].to_numpy())


def _builtin_dyad(dyad: Dyad) -> bool:
    return set(dyad) == set(DEFAULT_DYAD)


def dyad_events_from_store(store: Store, dyad: Dyad = DEFAULT_DYAD) -> pd.DataFrame:
    """The store's events in ``dyad`` by the dyad rule (:mod:`resetlab.record.dyad`)."""
    return dyad_events(store.events(), dyad)


def observations_from_store(store: Store, dyad: Dyad = DEFAULT_DYAD) -> Observations:
    """The monthly indicators for ``dyad`` from the store's events, UN and treaty tables and
    (for the built-in U.S.-Russia dyad) the derived contact and incident counts."""
    record = read_record(store)
    events = dyad_events(record.events, dyad)
    monthly = store.event_months(dyad)
    if not _builtin_dyad(dyad):
        return build_observations(events, None, None, monthly=monthly)
    counts = {k: count_table(k, record) for k in COUNT_TABLES}
    first = build_observations(events, record.unga, None, monthly=monthly)
    treaties = treaty_series(first.months, record)
    return build_observations(
        events, record.unga, treaties, **counts, monthly=monthly, un_debate=record.un_debate
    )


def analyse(
    store: Store,
    dyad: Dyad = DEFAULT_DYAD,
    *,
    observations: Observations | None = None,
    events: pd.DataFrame | None = None,
) -> Analysis:
    """Index, regimes, scorecard and announced resets for ``dyad`` (its events by the dyad
    rule), from ``observations`` and ``events`` if given (the panel's indicators and events
    for a rival pair, see :mod:`resetlab.index.panel`), else from the store's."""
    events = dyad_events_from_store(store, dyad) if events is None else events
    obs = observations_from_store(store, dyad) if observations is None else observations
    index = estimate_index(obs)
    regimes = find_regimes(index.frame, events)
    return Analysis(
        events=events,
        observations=obs,
        index=index,
        regimes=regimes,
        scorecard=build_scorecard(regimes, events),
        announced=announced_resets(regimes, events),
    )
