"""Estimate the relations index, its regimes and the scorecard from the store."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from resetlab.config import data_dir
from resetlab.index.kalman import IndexResult, estimate_index
from resetlab.index.observations import Observations, build_observations
from resetlab.index.regimes import Regimes, find_regimes
from resetlab.index.scorecard import announced_resets, build_scorecard
from resetlab.record.store import Store

DEFAULT_DYAD = ("USA", "RUS")


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


def observations_from_store(store: Store, dyad: tuple[str, str] = DEFAULT_DYAD) -> Observations:
    """The monthly indicators for ``dyad`` from the store's events, UN and treaty tables."""
    events = store.events(dyad)
    unga = store.table("unga_agreement") if dyad == DEFAULT_DYAD and _has(store, "unga_agreement") else None
    first = build_observations(events, unga, None)
    treaties = treaty_series(first.months) if dyad == DEFAULT_DYAD else None
    return build_observations(events, unga, treaties)


def _has(store: Store, table: str) -> bool:
    return table in {r[0] for r in store.con.execute("SHOW TABLES").fetchall()}


def analyse(store: Store, dyad: tuple[str, str] = DEFAULT_DYAD) -> Analysis:
    """Index, regimes, scorecard and announced resets for ``dyad``."""
    events = store.events(dyad)
    obs = observations_from_store(store, dyad)
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
