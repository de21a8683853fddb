"""Shared pieces of the fit tests: the record as FitData, a tiny budget, the base scenario."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from resetlab.fit.budget import Budget
from resetlab.fit.history import FitData
from resetlab.model.spec import Scenario, load_scenario

REPO = Path(__file__).resolve().parents[2]
PERSPECTIVES = REPO / "perspectives"

#: Small enough for unit tests; the numbers are not meant to be good, only honest.
TINY = Budget(
    name="tiny", walkers=16, steps=3, burn=1, reps=16, draws=4, draw_reps=2, refit_every=19,
    seeds=(0,), n_boot=50, claim_resamples=60, morris_trajectories=2, sobol_n=4,
    lever_members=8, origin_step=12, chains=2, noise_seeds=2, mh_round=8, mh_max=16,
)  # fmt: skip


@cache
def record() -> FitData:
    from resetlab.record.store import Store

    with Store.open(":memory:", build=True) as s:
        return FitData.from_store(s)


@cache
def base() -> Scenario:
    return load_scenario(REPO / "scenarios" / "replay-1992-2025.yaml")
