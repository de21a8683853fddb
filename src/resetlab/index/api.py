"""Estimate the relations index, its regimes and the scorecard from the store."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from resetlab.config import data_dir
from resetlab.index.kalman import IndexResult, estimate_index
from resetlab.index.observations import Observations, build_observations
from resetlab.index.regimes import Regimes, find_regimes
from resetlab.index.scorecard import announced_resets, build_scorecard
from resetlab.record.dyad import DEFAULT_DYAD, Dyad, dyad_events
from resetlab.record.store import Store

#: Derived monthly count tables of the built-in U.S.-Russia dyad: indicator -> (file, column).
COUNT_TABLES = {
    "contacts": ("indicators/contacts.csv", "contacts"),
    "incidents": ("indicators/mie_incidents.csv", "incidents"),
}

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


def treaty_series(months: pd.PeriodIndex) -> pd.Series | None:
    """Arms-control treaties in force per month, if the treaty record is present."""
    if not (data_dir() / "treaty_events.csv").exists():
        return None
    from resetlab.record.treaties import treaties_in_force

    return treaties_in_force(months)


def count_table(name: str) -> pd.Series | None:
    """A derived monthly count of the built-in dyad (:data:`COUNT_TABLES`), if present."""
    from resetlab.record.builtin import read_table

    file, column = COUNT_TABLES[name]
    path = data_dir() / file
    if not path.exists():
        return None
    df = read_table(path)
    return pd.Series(df[column].astype(int).to_numpy(), index=df["month"].to_numpy())


def _builtin_dyad(dyad: Dyad) -> bool:
    return set(dyad) == set(DEFAULT_DYAD)


def dyad_events_from_store(store: Store, dyad: Dyad = DEFAULT_DYAD) -> pd.DataFrame:
    """The store's events in ``dyad`` by the dyad rule (:mod:`resetlab.record.dyad`)."""
    return dyad_events(store.events(), dyad)


def observations_from_store(store: Store, dyad: Dyad = DEFAULT_DYAD) -> Observations:
    """The monthly indicators for ``dyad`` from the store's events, UN and treaty tables and
    (for the built-in U.S.-Russia dyad) the derived contact and incident counts."""
    events = dyad_events_from_store(store, dyad)
    builtin = _builtin_dyad(dyad)
    unga = store.table("unga_agreement") if builtin and _has(store, "unga_agreement") else None
    counts = {k: count_table(k) if builtin else None for k in COUNT_TABLES}
    monthly = store.event_months(dyad)
    first = build_observations(events, unga, None, monthly=monthly)
    treaties = treaty_series(first.months) if builtin else None
    return build_observations(events, unga, treaties, **counts, monthly=monthly)


def _has(store: Store, table: str) -> bool:
    return table in {r[0] for r in store.con.execute("SHOW TABLES").fetchall()}


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
