"""Skill claims: DM with HAC variance vs the best baseline, Holm, MCS, coverage, Brier skill."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resetlab.fit.backtest import (
    Backtest,
    block_size,
    brier_skill,
    diebold_mariano,
    skill_verdict,
    task_seeds,
)
from resetlab.fit.outlook import NO_SKILL, NOT_CONVERGED, SKILL, Outlook, outlook_table

BASE = ("persistence", "climatology", "pool")


def _backtest(effects: dict[str, float], *, n: int = 40, horizons=(1, 6, 12), seed: int = 0,
              noise: float = 0.05) -> Backtest:  # fmt: skip
    """Per origin a common difficulty; each model's CRPS is it times (1 + effect) + noise."""
    rng = np.random.default_rng(seed)
    rows = []
    origins = [str(pd.Period("2005-01", freq="M") + i) for i in range(n)]
    for o in origins:
        for h in horizons:
            hard = 1.0 + 0.3 * rng.standard_normal() ** 2
            truth = rng.uniform(-1.5, 1.5)  # always inside the 90 % band below
            for m, e in effects.items():
                c = hard * (1 + e) + noise * rng.standard_normal()
                for s in (0, 1):
                    rows.append(dict(model=m, seed=s, origin=o, horizon=h, crps=c, truth=truth,
                                     lo90=-1.645, hi90=1.645, pit=0.5, brier=0.2, held=True,
                                     p_hold=0.5))  # fmt: skip
    persp = tuple(m for m in effects if m not in BASE)
    return Backtest(pd.DataFrame(rows), 0.0, "tiny", (0, 1), persp, 1, BASE)


def _check_invariant(t: pd.DataFrame) -> None:
    claim = t[t["verdict"] == "skill"]
    assert (claim["dm_p_holm"] < 0.05).all() and (claim["skill_vs_best"] > 0).all()
    assert (t["dm_p_holm"].dropna() >= t["dm_p"][t["dm_p_holm"].notna()] - 1e-12).all()


def test_a_clearly_better_model_has_skill_and_a_worse_one_not() -> None:
    t = _backtest({"good": -0.3, "bad": 0.3, "same": 0.0, "persistence": 0.1,
                   "climatology": 0.2, "pool": 0.0}).skill(n_boot=100)  # fmt: skip
    _check_invariant(t)
    v = t.groupby("model")["verdict"].agg(set)
    assert v["good"] == {"skill"}
    assert v["bad"] == {"worse than the best baseline"}
    assert v["same"] == {"no skill claim"}
    assert set(t.loc[t.model == "pool", "verdict"]) == {"best baseline"}
    assert set(t["best_baseline"]) == {"pool"}
    assert (t["n_origins"] == 40).all() and t["n_eff"].between(1, 40).all()
    assert (t["coverage90"] == 1.0).all()
    good = t[t.model == "good"]
    assert (good["skill_vs_best"] > 0.2).all() and (good["dm_stat"] > 0).all()
    assert (good["skill_lo"] <= good["skill"]).all() and (good["skill"] <= good["skill_hi"]).all()


@pytest.mark.parametrize("seed", range(6))
def test_skill_implies_a_holm_p_below_005_and_a_gain_over_the_best_baseline(seed: int) -> None:
    rng = np.random.default_rng(seed)
    effects = {f"m{i}": float(rng.normal(0, 0.1)) for i in range(3)}
    effects.update({b: float(rng.normal(0, 0.1)) for b in BASE})
    t = _backtest(effects, seed=seed, noise=0.2).skill(n_boot=50)
    _check_invariant(t)
    assert skill_verdict("x", False, False, 0.01, 0.1) == "skill"
    assert skill_verdict("x", False, False, 0.06, 0.1) == "no skill claim"
    assert skill_verdict("x", False, False, 0.01, -0.1) == "worse than the best baseline"
    assert skill_verdict("pool", True, True, float("nan"), 0.0) == "best baseline"


def test_dm_effective_origins_shrink_with_autocorrelation() -> None:
    rng = np.random.default_rng(1)
    iid = rng.normal(0, 1, 200)
    stat, p, n_eff = diebold_mariano(iid, 4)
    assert p > 0.01 and n_eff > 100
    ar = np.zeros(200)
    for t in range(1, 200):
        ar[t] = 0.8 * ar[t - 1] + rng.normal()
    _, _, n_eff_ar = diebold_mariano(ar, 12)
    assert n_eff_ar < 0.5 * n_eff
    _, p_shift, _ = diebold_mariano(iid + 0.5, 4)
    assert p_shift < 1e-4
    assert block_size(ar) > block_size(iid)


def test_the_model_confidence_set_keeps_the_true_best() -> None:
    bt = _backtest({"best": -0.4, "mid": 0.0, "worst": 0.5, "persistence": 0.2,
                    "climatology": 0.3, "pool": 0.1}, n=60, noise=0.1)  # fmt: skip
    m = bt.mcs(n_boot=300, seed=0).set_index("model")
    assert m.loc["best", "in_mcs"] and m.loc["best", "mcs_p"] == 1.0
    assert not m.loc["worst", "in_mcs"]
    c = bt.compare(n_boot=100)
    assert c.set_index("perspective").loc["best", "in_mcs"]
    assert not c.set_index("perspective").loc["worst", "in_mcs"]


def test_brier_skill_against_half_and_base_rate() -> None:
    held = np.array([True] * 3 + [False])
    half, rate, base = brier_skill(0.1, held)
    assert base == 0.75
    assert half == pytest.approx(1 - 0.1 / 0.25)
    assert rate == pytest.approx(1 - 0.1 / 0.1875)


def test_task_seeds_are_spawned_per_task_and_origin() -> None:
    a = task_seeds(0, "valdai-2011", 5)
    assert len(set(a)) == 5 and a == task_seeds(0, "valdai-2011", 5)
    assert not set(a) & set(task_seeds(0, "null", 5))
    assert not set(a) & set(task_seeds(1, "valdai-2011", 5))


def test_an_outlook_without_brier_skill_reads_as_a_scenario() -> None:
    bt = _backtest({"p": 0.0, "persistence": 0.0, "climatology": 0.0, "pool": 0.0},
                   horizons=(4, 16))  # fmt: skip
    s = bt.scores
    # the event happened at 3 origins in 4; p forecasts 0.5 (Brier 0.25): no skill
    s["held"] = [pd.Period(o, freq="M").ordinal % 4 != 0 for o in s["origin"]]
    s["brier"] = (0.5 - s["held"].astype(float)) ** 2
    o = Outlook(
        pd.DataFrame({"perspective": ["p"], "p_hold_12": [0.6], "p_hold_24": [0.3],
                      "mc_se_12": [0.02], "mc_se_24": [0.03], "members": [200],
                      "converged": [True]}),
        pd.DataFrame(), "2025-02", -3.0, "tiny", "2025-11", (1.0,) * 9,
    )  # fmt: skip
    t = outlook_table(o, bt).iloc[0]
    assert t["horizon_12"] == 4 and t["horizon_24"] == 16 and t["mc_se"] == 0.03
    assert t["brier_skill_12"] <= 0 and t["verdict"] == NO_SKILL
    assert NO_SKILL in t["words"] and "0.60" in t["words"]
    s["brier"] = (0.9 * s["held"] + 0.05 - s["held"].astype(float)) ** 2  # sharp and right
    t = outlook_table(o, bt).iloc[0]
    assert t["brier_skill_12"] > 0 and t["brier_skill_half_24"] > 0 and t["verdict"] == SKILL
    assert t["verdict_12"] == t["verdict_24"] == SKILL
    # skill at one horizon only: that horizon says so, the whole outlook does not
    s.loc[s["horizon"] == 16, "brier"] = 0.9
    t = outlook_table(o, bt).iloc[0]
    assert t["verdict_12"] == SKILL and t["verdict_24"] == NO_SKILL and t["verdict"] == NO_SKILL
    assert f"24 months: {NO_SKILL}" in t["words"]
    # skill or not, nothing is read from a posterior that fails its diagnostics
    s["brier"] = (0.9 * s["held"] + 0.05 - s["held"].astype(float)) ** 2
    o.table["converged"] = False
    t = outlook_table(o, bt).iloc[0]
    assert t["verdict_12"] == SKILL and t["verdict"] == NOT_CONVERGED
