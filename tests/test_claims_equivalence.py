"""Null claims pooled over pairs: equivalence only with power at the margin, and a pool of
effects standardised by each pair's index sd that barely moving indices cannot dominate."""

from __future__ import annotations

import dataclasses
import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from resetlab.index.claims import ClaimData
from resetlab.index.claims import verdicts as cv
from resetlab.index.claims.planting import LevelSmoother
from resetlab.index.claims.registry import MIN_INDEX_SD
from resetlab.index.claims.table import claims_table
from resetlab.record.calendars import load_elections

US_PAIRS = ("RUS-USA", "CHN-USA", "CUB-USA", "IRN-USA", "PRK-USA")
TEST = "us-election-hostility"  # reads the index; runs on U.S. pairs


def index_only(score: np.ndarray) -> ClaimData:
    """Claim data with an index and no events (enough for a test on the index)."""
    months = pd.period_range("1991-01", periods=len(score), freq="M")
    events = pd.DataFrame(
        columns=["id", "month", "precision", "actor", "target", "goldstein", "domain", "summary"]
    )
    events["month"] = pd.PeriodIndex(events["month"], freq="M")
    return ClaimData(
        events=events,
        index=pd.DataFrame({"month": months, "score": score, "sd": np.ones(len(score))}),
        regimes=pd.DataFrame(columns=["start", "end", "kind"]),
        observations=pd.DataFrame(
            {"treaty_share": np.ones(len(score)), "events_score": score}, index=months
        ),
        un_agreement=pd.DataFrame(columns=["year", "agreement"]),
        milestones=pd.DataFrame(
            {"treaty": [], "status": [], "month": pd.PeriodIndex([], freq="M")}
        ),
        elections=load_elections()[["country", "kind", "day"]],
        inaugurations=pd.DataFrame({"name": [], "month": pd.PeriodIndex([], freq="M")}),
        # a densely measured index: an effect planted in its readings survives the smoother
        smoothers={"index": LevelSmoother(1.0, (1e6,) * len(score))},
    )


def null_table(margin: float, barely_moving: tuple[str, ...]) -> pd.DataFrame:
    """The null claim "no election effect" on five U.S. pairs whose indices are random walks;
    the pairs in ``barely_moving`` have the same kind of walk shrunk to an sd of 0.07 (just
    above ``MIN_INDEX_SD``), as the index of a pair with a few dozen events can be."""
    rng = np.random.default_rng(11)
    datas = {}
    for key in US_PAIRS:
        walk = np.cumsum(rng.normal(0.0, 0.2, 300))
        if key in barely_moving:
            walk = walk * 0.07 / walk.std()
        datas[key] = dataclasses.replace(index_only(walk), pair=key)
    claim = SimpleNamespace(
        id="c", claim="no election effect", mechanism="m9", test=TEST, direction="0",
        source=SimpleNamespace(file="synthetic.md", quote="synthetic"), margin=margin,
    )  # fmt: skip
    table = claims_table({"s": SimpleNamespace(claims=[claim])}, datas, resamples=100,
                         rotations=8, seed=3)  # fmt: skip
    return table.set_index("scope")


def test_barely_moving_pairs_do_not_make_a_null_claim_supported() -> None:
    assert 0.07 > MIN_INDEX_SD  # the shrunk pairs are tested, not left out as flat
    panel = null_table(0.1, ("CUB-USA", "PRK-USA")).loc["panel"]
    per_pair = pd.DataFrame(json.loads(panel["per_pair"])).set_index("pair")
    assert per_pair.loc[["CUB-USA", "PRK-USA"], "index_sd"].tolist() == pytest.approx([0.07] * 2)
    # in index units the two shrunk pairs have the narrowest intervals and carry the pool:
    # the TOST passes, with power to spare against an effect the margin's size
    width = per_pair["ci_hi"] - per_pair["ci_lo"]
    assert set(width.nsmallest(2).index) == {"CUB-USA", "PRK-USA"}
    assert panel["p_adj"] < 0.05 and panel["power_margin"] >= cv.MIN_MARGIN_POWER
    old_rule = cv.decide(panel["ci_lo"], panel["ci_hi"], panel["p_adj"], panel["power"], "0",
                         margin=0.1)  # fmt: skip
    assert old_rule == "supported"
    # standardised by each pair's index sd, the effect is not within the margin
    assert panel["std_p_value"] >= 0.05
    assert panel["verdict"] == "inconclusive"
    assert "standardised by its index sd" in panel["detail"]


def test_the_standardised_pool_ignores_each_pair_s_scale_and_can_support() -> None:
    shrunk = null_table(0.5, ("CUB-USA", "PRK-USA")).loc["panel"]
    moving = null_table(0.5, ()).loc["panel"]
    # the same walks, two of them shrunk: the raw pool changes, the standardised one does not
    assert shrunk["ci_hi"] - shrunk["ci_lo"] < 0.6 * (moving["ci_hi"] - moving["ci_lo"])
    for col in ("std_effect", "std_ci_lo", "std_ci_hi"):
        assert shrunk[col] == pytest.approx(moving[col], rel=1e-6, abs=1e-9)
    # the margin is put on that scale by the U.S.-Russia index sd
    assert moving["std_margin"] > 0
    # where the equivalence holds on both scales and the test has power, it is supported
    assert moving["power_margin"] >= cv.MIN_MARGIN_POWER and moving["std_p_value"] < 0.05
    assert moving["verdict"] == "supported"


def _row(se: float, margin: float, **extra: float) -> pd.DataFrame:
    half = 1.959964 * se
    return pd.DataFrame([{
        "p_value": cv.equivalence(0.0, se, margin), "ci_lo": -half, "ci_hi": half,
        "power": 0.9, "direction": "0", "margin": margin, "detail": "pooled", **extra,
    }])  # fmt: skip


def test_an_equivalence_without_power_at_the_margin_is_inconclusive() -> None:
    # effect 0 +- 0.022 against a margin of 0.05: the TOST passes (p 0.012), yet an effect of
    # 0.05 would be detected only 62% of the time
    weak = _row(0.022, 0.05, power_margin=cv.normal_power(0.05, 0.022))
    assert weak["p_value"].iloc[0] < 0.05
    assert weak["power_margin"].iloc[0] == pytest.approx(0.62, abs=0.01)
    out = cv.decide_table(weak).iloc[0]
    assert out["verdict"] == "inconclusive"
    assert out["detail"].startswith("pooled; equivalence not claimed: power 0.62")
    # the same row without the power column: the plain TOST rule
    assert cv.decide_table(weak.drop(columns="power_margin")).iloc[0]["verdict"] == "supported"
    # with a standard error small enough for 80% power at the margin it stands
    strong = _row(0.015, 0.05, power_margin=cv.normal_power(0.05, 0.015))
    assert strong["power_margin"].iloc[0] > cv.MIN_MARGIN_POWER
    assert cv.decide_table(strong).iloc[0]["verdict"] == "supported"
    # and a failed sensitivity pool overrides it
    doubtful = strong.assign(std_p_value=0.3)
    out = cv.decide_table(doubtful).iloc[0]
    assert out["verdict"] == "inconclusive" and "TOST p 0.3" in out["detail"]


def test_directional_rows_keep_their_verdicts() -> None:
    row = pd.DataFrame([{"p_value": 0.001, "ci_lo": 0.2, "ci_hi": 0.9, "power": 0.9,
                         "direction": "+", "margin": np.nan, "detail": "x",
                         "power_margin": np.nan, "std_p_value": 0.8}])  # fmt: skip
    assert cv.decide_table(row).iloc[0]["verdict"] == "supported"


def test_a_flat_leave_out_index_is_caught_though_the_pair_s_index_moves() -> None:
    from resetlab.index.claims import CLAIM_TESTS
    from resetlab.index.claims.registry import flat_index, index_sd

    walk = np.cumsum(np.random.default_rng(2).normal(0.0, 0.2, 300))
    data = index_only(walk)
    for key in ("cooperation-builds", "trust-threshold", "irreversible-moves"):
        test = CLAIM_TESTS[key]
        column = test.reads
        assert column.startswith("without_")
        # without a leave-out index in the data the test reads the pair's index, which moves
        assert flat_index(test, data) is None
        assert index_sd(test, data) == pytest.approx(float(np.std(walk)))
        unestimated = dataclasses.replace(
            data, observations=data.observations.assign(**{column: np.nan})
        )
        assert flat_index(test, unestimated) is None
        # a leave-out index the fit held (almost) constant: not tested, whatever the index does
        still = 1.0 + 1e-4 * np.sin(np.arange(len(walk)))
        held = dataclasses.replace(data, observations=data.observations.assign(**{column: still}))
        why = flat_index(test, held)
        assert why is not None and "without the" in why and "is flat" in why
        assert index_sd(test, held) == pytest.approx(float(np.std(still)))
