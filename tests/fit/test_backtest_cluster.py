"""The backtest gives the same scores, bit for bit, in process and on a local Dask cluster."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from fitkit import PERSPECTIVES, TINY, base, record

from resetlab.fit.backtest import run_backtest
from resetlab.fit.perspectives import load_perspectives
from resetlab.tasks import Runner


@pytest.mark.slow
def test_backtest_is_bit_identical_serially_and_on_a_local_cluster() -> None:
    ps = load_perspectives(PERSPECTIVES, names=("null", "valdai-2011"))
    budget = dataclasses.replace(TINY, seeds=(0, 1), origin_step=48)
    serial = run_backtest(ps, record(), base(), budget=budget, jobs=1)
    with Runner(workers=2) as runner:
        clustered = run_backtest(ps, record(), base(), budget=budget, runner=runner)
    key = ["model", "seed", "origin", "horizon"]
    a = serial.scores.sort_values(key).reset_index(drop=True)
    b = clustered.scores.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert set(a["model"]) >= {"null", "valdai-2011", "persistence"}
