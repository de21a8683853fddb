"""The dashboard's fit results are the report's: the same cache, the same words."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from resetlab.fit.backtest import Backtest
from resetlab.fit.outlook import NO_SKILL, Outlook, outlook_table
from resetlab.fit.pipeline import Pipeline
from resetlab.fit.published import skill_headline
from resetlab.record.store import Store
from resetlab.web.app import create_app
from resetlab.web.jobs import HOLD_DEFINITION, hold_probabilities
from resetlab.web.settings import WebSettings

BASE = ("persistence", "climatology", "damped", "kalman-rw", "pool", "markov")
PERSP = ("valdai-2011", "null")


def _backtest() -> Backtest:
    rng = np.random.default_rng(0)
    rows = []
    for i in range(30):
        o = str(pd.Period("2005-01", freq="M") + i)
        for h in (1, 4, 16):
            held = bool(rng.random() < 0.7)
            for m in (*PERSP, *BASE):
                rows.append(dict(model=m, seed=0, origin=o, horizon=h, crps=1 + rng.random(),
                                 truth=0.0, lo90=-1.0, hi90=1.0, pit=rng.random(),
                                 p_hold=0.5, held=held, brier=0.25))  # fmt: skip
    return Backtest(pd.DataFrame(rows), -3.0, "full", (0,), PERSP, 1, BASE)


def _outlook() -> Outlook:
    t = pd.DataFrame({"perspective": list(PERSP), "p_hold_12": [0.6, 0.5], "p_hold_24": [0.3, 0.2],
                      "mc_se_12": [0.02, 0.02], "mc_se_24": [0.03, 0.03], "members": [64, 64],
                      "converged": [True, True]})  # fmt: skip
    return Outlook(t, pd.DataFrame(), "2025-02", -3.0, "full", "2025-11", (1.0,) * 9)


@pytest.mark.slow
def test_the_dashboard_reads_the_cached_results_and_says_what_the_report_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESETLAB_HOME", str(tmp_path / "home"))
    store = tmp_path / "record.duckdb"
    bt, o = _backtest(), _outlook()
    with Store.open(store) as s:  # what `resetlab run --budget full` would have cached
        p = Pipeline.create(s, "full", log=lambda m: None)
        p._cached("backtest", lambda: bt)
        p._cached("outlook", lambda: o)
    with TestClient(create_app(WebSettings(store_path=store))) as client:
        none = client.get("/api/fit?budget=quick").json()
        assert none["available"] is False and "resetlab run --budget quick" in none["how"]
        body = client.get("/api/fit?budget=full").json()
        assert client.get("/api/fit?budget=huge").status_code == 422
    assert body["available"] is True
    expected = outlook_table(o, bt)
    assert [r["verdict"] for r in body["outlook"]] == list(expected["verdict"])
    assert [r["words"] for r in body["outlook"]] == list(expected["words"])
    assert set(expected["verdict"]) == {NO_SKILL}  # Brier 0.25 everywhere: no skill
    assert body["skill_headline"] == skill_headline(bt.skill(n_boot=2000), bt.describe_origins())
    assert {r["perspective"] for r in body["compare"]} == set(PERSP)
    assert all(isinstance(r["in_mcs"], bool) for r in body["compare"])


def test_scenario_runs_use_the_outlooks_definition_of_holds() -> None:
    months = 30
    up = np.ones((months, 1))  # always above: holds
    down = -np.ones((months, 1))  # always below: never holds
    dip = np.ones((months, 1))  # above, dips in months 4-6, above again by month 12
    dip[4:7] = -5.0
    short = np.ones((months, 1))  # above through month 12, below from month 13 on
    short[13:] = -1.0
    hold = hold_probabilities(np.hstack([up, down, dip, short]), 0.0)
    assert hold == {"12": 0.5, "24": 0.25}  # a dip that recovers has not held
    assert hold_probabilities(np.ones((12, 2)), 0.0) == {"12": None, "24": None}
    assert "every month" in HOLD_DEFINITION
