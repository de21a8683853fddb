"""Claim tests on the record: registry, planted effects on synthetic data, verdicts, the record."""

from __future__ import annotations

import dataclasses
import functools
import json
import math

import numpy as np
import pandas as pd
import pytest

from resetlab.exceptions import ModelError
from resetlab.fit.pipeline import CLAIM_COLUMNS, TABLE_COLUMNS
from resetlab.index.claims import (
    CLAIM_TEST_KEYS,
    CLAIM_TESTS,
    INSTITUTIONS,
    ClaimData,
    ClaimResult,
    claim_data_from_store,
    run_claim_test,
    verdict,
    window_sensitivity,
)
from resetlab.index.claims import verdicts as cv
from resetlab.index.claims.counts import base_rate, reset_outcomes
from resetlab.index.claims.planting import LevelSmoother
from resetlab.record.calendars import load_elections
from resetlab.record.store import Store

N = 300  # resamples in these tests
START = pd.Period("1991-01", freq="M")


def make_data(
    score: np.ndarray,
    events: list[tuple[int, str, str, float]] | None = None,
    *,
    regimes: pd.DataFrame | None = None,
    un: pd.DataFrame | None = None,
) -> ClaimData:
    """Synthetic claim data: ``events`` as (month position, actor, target, goldstein)."""
    months = pd.period_range(START, periods=len(score), freq="M")
    rows = [
        {"id": f"e{k}", "month": months[t], "precision": "day", "actor": a, "target": b,
         "goldstein": g, "domain": "diplomatic", "summary": "synthetic"}
        for k, (t, a, b, g) in enumerate(events or [])
    ]  # fmt: skip
    ev = pd.DataFrame(
        rows, columns=["id", "month", "precision", "actor", "target", "goldstein", "domain",
                       "summary"],
    )  # fmt: skip
    ev["month"] = pd.PeriodIndex(ev["month"], freq="M")
    no_regimes = pd.DataFrame(columns=["start", "end", "kind"])
    return ClaimData(
        events=ev,
        index=pd.DataFrame({"month": months, "score": score, "sd": np.ones(len(score))}),
        regimes=no_regimes if regimes is None else regimes,
        observations=pd.DataFrame(
            {"treaty_share": np.ones(len(score)), "events_score": score}, index=months
        ),
        un_agreement=pd.DataFrame(columns=["year", "agreement"]) if un is None else un,
        milestones=pd.DataFrame(
            {"treaty": [], "status": [], "month": pd.PeriodIndex([], freq="M")}
        ),
        elections=load_elections()[["country", "kind", "day"]],
        inaugurations=pd.DataFrame({"name": [], "month": pd.PeriodIndex([], freq="M")}),
    )


def supported(key: str, data: ClaimData, seed: int = 0) -> str:
    return verdict(run_claim_test(key, data, seed=seed, n_resamples=N), "+")


# -- registry --------------------------------------------------------------------------------


def test_registry_has_exactly_the_keys_in_order() -> None:
    assert tuple(CLAIM_TESTS) == CLAIM_TEST_KEYS
    for key, test in CLAIM_TESTS.items():
        assert test.key == key
        assert test.mechanisms and all(m.startswith("m") for m in test.mechanisms)
        assert test.title and test.claimed and test.method


def test_unknown_key_lists_the_valid_keys() -> None:
    data = make_data(np.zeros(48))
    with pytest.raises(ModelError) as err:
        run_claim_test("no-such-claim", data)
    for key in CLAIM_TEST_KEYS:
        assert key in str(err.value)


def test_institutions_carry_sources() -> None:
    for inst in INSTITUTIONS:
        assert pd.Period(inst.first, "M") < pd.Period(inst.last, "M")
        assert inst.sources and all(s.startswith("http") for s in inst.sources)


# -- planted effects -------------------------------------------------------------------------


def provoke_data(planted: bool, seed: int = 1) -> ClaimData:
    rng = np.random.default_rng(seed)
    t_n = 360
    triggers = rng.choice(np.arange(12, t_n - 12), size=20, replace=False)
    rate = np.full(t_n, 0.25)
    if planted:
        rate[:] = 0.1
        for t in triggers:
            rate[t + 1 : t + 13] = 1.0
    events = [(int(t), "NATO", "RUS", -7.2) for t in triggers]
    for t in range(t_n):
        events += [(t, "RUS", "USA", -4.0)] * int(rng.poisson(rate[t]))
    return make_data(np.zeros(t_n), events)


def test_western_moves_planted_and_absent() -> None:
    assert supported("western-moves-provoke", provoke_data(True)) == "supported"
    assert supported("western-moves-provoke", provoke_data(False)) != "supported"


def election_data(planted: bool, seed: int = 2) -> ClaimData:
    rng = np.random.default_rng(seed)
    score = np.cumsum(rng.normal(0, 0.2, 408))
    if planted:
        months = pd.period_range(START, periods=len(score), freq="M")
        for year in range(1992, 2024, 4):
            election = pd.Period(f"{year}-11", "M")
            before = (months < election) & (months >= election - 6)
            score[before] -= 2.0
    return make_data(score)


def test_us_election_hostility_planted_and_absent() -> None:
    result = run_claim_test("us-election-hostility", election_data(True), n_resamples=N)
    assert verdict(result, "+") == "supported"
    assert result.effect > 1.0
    assert supported("us-election-hostility", election_data(False)) != "supported"


def cooperation_data(planted: bool, seed: int = 0) -> ClaimData:
    rng = np.random.default_rng(seed)
    t_n = 400
    acts = rng.poisson(0.1, t_n)
    noise = np.cumsum(rng.normal(0, 0.1, t_n))
    # Each act lifts the index for good from 9 months on.
    lifted = np.concatenate([np.zeros(9), acts[:-9]]) if planted else np.zeros(t_n)
    score = noise + np.cumsum(lifted)
    events = [(t, "USA", "RUS", 5.0) for t in range(t_n) for _ in range(acts[t])]
    return make_data(score, events)


def test_cooperation_builds_planted_and_absent() -> None:
    assert supported("cooperation-builds", cooperation_data(True)) == "supported"
    assert supported("cooperation-builds", cooperation_data(False)) != "supported"


def resets_data(n_fail: int, n_resets: int = 12) -> ClaimData:
    rows = []
    for k in range(n_resets):
        start = START + 12 + 50 * k
        rows.append({"start": str(start), "end": str(start + 19), "kind": "reset"})
        gap = 20 if k < n_fail else 49
        rows.append({"start": str(start + gap), "end": str(start + 49), "kind": "breakdown"})
    return make_data(np.zeros(12 + 50 * n_resets + 60), regimes=pd.DataFrame(rows))


def test_resets_fail_planted_and_absent() -> None:
    result = run_claim_test("resets-fail", resets_data(11), n_resamples=N)
    assert result.n_events == 12
    assert math.isclose(result.effect, 11 / 12 - 0.5)
    assert verdict(result, "+") == "supported"
    assert supported("resets-fail", resets_data(6)) == "inconclusive"


def un_data(planted: bool, seed: int = 4) -> ClaimData:
    rng = np.random.default_rng(seed)
    years = np.arange(1991, 2031)
    annual = np.cumsum(rng.normal(0, 1.0, len(years)))
    score = np.repeat(annual, 12)
    agreement = 0.3 + (0.05 * annual if planted else 0.0) + rng.normal(0, 0.02, len(years))
    un = pd.DataFrame({"year": years, "agreement": agreement})
    return make_data(score, un=un)


def test_un_votes_track_planted_and_absent() -> None:
    assert supported("un-votes-track", un_data(True)) == "supported"
    assert supported("un-votes-track", un_data(False)) != "supported"


def institution_data(planted: bool, seed: int = 5) -> ClaimData:
    rng = np.random.default_rng(seed)
    months = pd.period_range(START, periods=420, freq="M")
    step = rng.normal(0, 0.5, len(months))
    if planted:
        for inst in INSTITUTIONS:
            inside = (months >= pd.Period(inst.first, "M")) & (months <= pd.Period(inst.last, "M"))
            step[inside] *= 0.3
    return make_data(np.cumsum(step))


def test_institutions_calm_planted_and_absent() -> None:
    assert supported("institutions-calm", institution_data(True)) == "supported"
    assert supported("institutions-calm", institution_data(False)) != "supported"


# -- verdicts and reproducibility -----------------------------------------------------------


def _r(effect: float, lo: float, hi: float, p: float) -> ClaimResult:
    return ClaimResult(effect, lo, hi, p, 10, (), "")


@pytest.mark.parametrize(
    ("result", "direction", "expected"),
    [
        (_r(1.0, 0.5, 1.5, 0.01), "+", "supported"),
        (_r(1.0, 0.5, 1.5, 0.01), "-", "contradicted"),
        (_r(-1.0, -1.5, -0.5, 0.01), "+", "contradicted"),
        (_r(-1.0, -1.5, -0.5, 0.01), "-", "supported"),
        (_r(1.0, -0.5, 1.5, 0.01), "+", "inconclusive"),
        (_r(1.0, -0.5, 1.5, 0.01), "-", "inconclusive"),
        (_r(1.0, 0.5, 1.5, 0.20), "+", "inconclusive"),  # interval and p must agree
        (_r(-1.0, -1.5, -0.5, 0.20), "+", "inconclusive"),
        (_r(1.0, 0.5, 1.5, 0.04), "+", "supported"),
        (_r(float("nan"), float("nan"), float("nan"), 0.01), "+", "inconclusive"),
    ],
)
def test_verdict_table(result: ClaimResult, direction: str, expected: str) -> None:
    assert verdict(result, direction) == expected


def test_verdict_alpha_and_bad_direction() -> None:
    result = _r(1.0, 0.5, 1.5, 0.04)
    assert verdict(result, "+", alpha=0.01) == "inconclusive"
    with pytest.raises(ModelError):
        verdict(result, "up")


def test_same_seed_same_result_other_seed_close() -> None:
    data = provoke_data(True)
    a = run_claim_test("western-moves-provoke", data, seed=7, n_resamples=N)
    b = run_claim_test("western-moves-provoke", data, seed=7, n_resamples=N)
    c = run_claim_test("western-moves-provoke", data, seed=8, n_resamples=N)
    assert a == b
    assert c.effect == a.effect
    assert (c.ci_lo, c.ci_hi, c.p_value) != (a.ci_lo, a.ci_hi, a.p_value)
    assert abs(c.ci_lo - a.ci_lo) < 0.1 and abs(c.ci_hi - a.ci_hi) < 0.1


# -- the built-in record ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def record() -> ClaimData:
    store = Store.open(":memory:", build=True)
    try:
        return claim_data_from_store(store)
    finally:
        store.close()


def test_claim_data_from_the_record(record: ClaimData) -> None:
    assert record.index["month"].dtype == "period[M]"
    assert len(record.observations) == len(record.index)
    assert {"NATO", "RUS", "USA"} <= set(record.events["actor"])
    assert (record.regimes["kind"] == "reset").any()
    assert len(record.un_agreement) >= 30


@pytest.mark.parametrize("key", CLAIM_TEST_KEYS)
def test_every_claim_runs_on_the_record(record: ClaimData, key: str) -> None:
    result = run_claim_test(key, record, seed=0, n_resamples=N)
    assert all(math.isfinite(v) for v in (result.effect, result.ci_lo, result.ci_hi))
    assert result.ci_lo <= result.effect <= result.ci_hi
    assert 0.0 <= result.p_value <= 1.0
    assert result.n_events > 0
    assert set(result.events) <= set(record.events["id"])
    assert result.detail and "\n" not in result.detail
    assert verdict(result, "+") in {"supported", "contradicted", "inconclusive"}


# -- pooling across pairs, multiplicity, equivalence, power ------------------------------------


def provoke_pair(seed: int, *, shuffled: bool) -> ClaimData:
    """A synthetic pair with a weak planted pushback after each trigger; ``shuffled`` moves the
    triggers to other random months, which keeps the outcome and breaks the link."""
    rng = np.random.default_rng(seed)
    t_n = 240
    triggers = rng.choice(np.arange(12, t_n - 12), size=10, replace=False)
    rate = np.full(t_n, 0.2)
    for t in triggers:
        rate[t + 1 : t + 13] = 0.45
    if shuffled:
        triggers = rng.choice(np.arange(12, t_n - 12), size=10, replace=False)
    events = [(int(t), "NATO", "RUS", -7.2) for t in triggers]
    for t in range(t_n):
        events += [(t, "RUS", "USA", -4.0)] * int(rng.poisson(rate[t]))
    return make_data(np.zeros(t_n), events)


def pooled_provoke(shuffled: bool) -> tuple[cv.Pooled, list[ClaimResult]]:
    seeds = np.random.SeedSequence(13).spawn(8)
    results = [
        run_claim_test(
            "western-moves-provoke",
            provoke_pair(int(s.generate_state(1)[0]), shuffled=shuffled),
            seed=s,
            n_resamples=200,
        )
        for s in seeds
    ]
    pooled = cv.pool([r.effect for r in results], [cv.standard_error(r) for r in results])
    return pooled, results


def test_pooled_test_finds_a_planted_effect_and_not_a_shuffled_one() -> None:
    planted, per_pair = pooled_provoke(False)
    assert planted.n_dyads == 8
    assert planted.p_value < 0.01 and planted.ci_lo > 0
    # the planted effect is 0.25 acts a month; pooling recovers it within its interval
    assert planted.ci_lo < 0.25 < planted.ci_hi
    # the pooled interval is narrower than any one pair's
    assert planted.ci_hi - planted.ci_lo < min(r.ci_hi - r.ci_lo for r in per_pair)
    shuffled, _ = pooled_provoke(True)
    assert shuffled.p_value > 0.05 and shuffled.ci_lo < 0 < shuffled.ci_hi
    assert 0.0 <= shuffled.i2 <= 1.0 and shuffled.tau2 >= 0.0


def test_pool_reports_heterogeneity_and_needs_two_pairs() -> None:
    same = cv.pool([1.0, 1.0, 1.0], [0.1, 0.2, 0.1])
    assert same.tau2 == pytest.approx(0.0, abs=1e-12) and same.effect == pytest.approx(1.0)
    assert same.i2 == 0.0
    spread = cv.pool([-2.0, 0.0, 2.0, 4.0], [0.1, 0.1, 0.1, 0.1])
    assert spread.tau2 > 1.0 and spread.i2 > 0.9
    # random effects widen the interval beyond the fixed-effect one (0.1 / 2 per side * 1.96)
    assert spread.ci_hi - spread.ci_lo > 2 * 1.96 * 0.05
    with pytest.raises(ModelError, match="at least 2"):
        cv.pool([1.0, float("nan")], [0.1, 0.1])


def test_holm_adjusts_every_claim_and_flips_a_lone_significant_one() -> None:
    adj = cv.holm([0.01, 0.04, 0.03, float("nan")])
    assert adj[:3] == pytest.approx([0.03, 0.06, 0.06])
    assert math.isnan(adj[3])
    rows = pd.DataFrame(
        {
            "p_value": [0.03, 0.5, 0.6],
            "ci_lo": [0.1, -1.0, -1.0],
            "ci_hi": [0.5, 1.0, 1.0],
            "power": [0.9, 0.9, 0.9],
            "direction": ["+", "+", "+"],
            "margin": [None, None, None],
        }
    )
    out = cv.decide_table(rows)
    assert out["p_adj"].iloc[0] == pytest.approx(0.09)
    # supported on its own p (0.03), inconclusive after Holm over three claims
    assert cv.decide(0.1, 0.5, 0.03, 0.9, "+") == "supported"
    assert out["verdict"].iloc[0] == "inconclusive"
    with pytest.raises(ModelError, match="power"):
        cv.decide_table(rows.drop(columns=["power"]))


def test_equivalence_tost() -> None:
    assert cv.equivalence(0.0, 0.02, 0.1) < 1e-5
    assert cv.equivalence(0.2, 0.02, 0.1) > 0.99
    # at the margin edge the TOST p is one half
    assert cv.equivalence(0.1, 0.05, 0.1) == pytest.approx(0.5)
    with pytest.raises(ModelError, match="margin"):
        cv.equivalence(0.0, 0.1, 0.0)
    assert cv.decide(-0.01, 0.02, 0.001, 0.9, "0", margin=0.1) == "supported"
    assert cv.decide(0.3, 0.5, 0.9, 0.9, "0", margin=0.1) == "contradicted"
    assert cv.decide(-0.2, 0.3, 0.4, 0.9, "0", margin=0.1) == "inconclusive"
    with pytest.raises(ModelError, match="margin"):
        cv.decide(-0.2, 0.3, 0.4, 0.9, "0")


def test_power_and_not_decidable() -> None:
    assert cv.normal_power(0.0, 0.1) == pytest.approx(0.05)
    assert cv.normal_power(1.0, 0.1) > 0.999
    assert 0.4 < cv.normal_power(0.196, 0.1) < 0.6
    assert cv.equivalence_power(0.1, 1.0) == 0.0 and cv.equivalence_power(1.0, 0.1) > 0.99
    assert cv.decide(0.1, 0.5, 0.001, 0.3, "+") == "not decidable"
    assert cv.decide(0.1, 0.5, 0.001, float("nan"), "+") == "not decidable"
    # power from planted effects: the share of p-values below alpha
    planted = [
        run_claim_test("western-moves-provoke", provoke_data(True, s), seed=s, n_resamples=100)
        for s in range(3)
    ]
    absent = [
        run_claim_test("western-moves-provoke", provoke_data(False, s), seed=s, n_resamples=100)
        for s in range(3)
    ]
    assert cv.power([r.p_value for r in planted]) == 1.0
    assert cv.power([r.p_value for r in absent]) < 1.0


def test_every_test_states_its_power_size_and_needs() -> None:
    for test in CLAIM_TESTS.values():
        assert test.size > 0 and test.size_why
    assert CLAIM_TESTS["us-election-hostility"].needs == ("us-elections",)
    assert CLAIM_TESTS["western-moves-provoke"].needs == ()


def test_claims_csv_columns() -> None:
    required = (
        "perspective,claim,mechanism,test,scope,n_dyads,n_episodes,effect,ci_lo,ci_hi,"
        "p_value,p_adj,power,power_index,margin,verdict"
    ).split(",")
    assert list(CLAIM_COLUMNS) == required
    assert TABLE_COLUMNS["claims"] == CLAIM_COLUMNS
    assert set(cv.VERDICTS) == {"supported", "contradicted", "inconclusive", "not decidable"}


def test_resets_fail_against_the_panel_base_rate() -> None:
    data = resets_data(9)
    at_half = run_claim_test("resets-fail", data, n_resamples=N)
    assert at_half.effect == pytest.approx(9 / 12 - 0.5) and "0.5 (no panel" in at_half.detail
    assert verdict(at_half, "+") == "inconclusive"
    outcomes = [reset_outcomes(data.regimes, data.months[-1])]
    assert [f for _, f in outcomes[0]].count(1) == 9
    other = pd.DataFrame(
        {"start": ["2000-01", "2002-01", "2010-01", "2015-01"],
         "kind": ["reset", "breakdown", "reset", "reset"]}
    )  # fmt: skip
    # two held (2010 and 2015 lasted 48 months), one failed (2000, broken 2002)
    rate, n = base_rate([reset_outcomes(other, pd.Period("2024-12", "M"))] * 3)
    assert (rate, n) == (pytest.approx(1 / 3), 9)
    against = run_claim_test(
        "resets-fail", dataclasses.replace(data, reset_base_rate=rate), n_resamples=N
    )
    assert against.effect == pytest.approx(9 / 12 - 1 / 3) and "base rate 0.333" in against.detail
    assert verdict(against, "+") == "supported"
    with pytest.raises(ModelError, match="base rate"):
        run_claim_test("resets-fail", dataclasses.replace(data, reset_base_rate=1.0))
    with pytest.raises(ModelError, match="no reset in the panel"):
        base_rate([[]])


def test_window_sensitivity_over_the_grid() -> None:
    data = provoke_data(True)
    grid = window_sensitivity("western-moves-provoke", data, seed=3, n_resamples=100)
    assert list(grid["window"]) == list(CLAIM_TESTS["western-moves-provoke"].windows)
    # the planted pushback lasts 12 months: a 24-month window dilutes it
    by = grid.set_index("window")["effect"]
    assert by[12] == pytest.approx(run_claim_test("western-moves-provoke", data).effect)
    assert by[12] > by[24] > 0 and (grid["p_value"] <= 1).all()
    again = window_sensitivity("western-moves-provoke", data, seed=3, n_resamples=100)
    pd.testing.assert_frame_equal(grid, again)
    assert window_sensitivity("resets-fail", data).empty
    with pytest.raises(ModelError, match="unknown claim test"):
        window_sensitivity("nope", data)


# -- every pair, both scopes, power by rotation ------------------------------------------------

#: Pair keys of a synthetic panel: U.S.-Russia, four U.S. pairs and four others.
SYNTHETIC_PAIRS = (
    "RUS-USA", "CHN-USA", "CUB-USA", "IRN-USA", "PRK-USA", "IND-PAK", "GRC-TUR", "CHN-JPN",
    "KOR-PRK",
)  # fmt: skip


BOTH = ("western-moves-provoke", "us-election-hostility")


def _claim(cid: str, test: str, direction: str = "+", margin: float | None = None) -> object:
    from types import SimpleNamespace

    source = SimpleNamespace(file="synthetic.md", quote="synthetic")
    return SimpleNamespace(
        id=cid, claim=cid, mechanism="m9", test=test, direction=direction, source=source,
        margin=margin,
    )  # fmt: skip


@functools.lru_cache(maxsize=2)
def synthetic_table(shuffled: bool, tests: tuple[str, ...]) -> pd.DataFrame:
    from types import SimpleNamespace

    from resetlab.index.claims.table import claims_table

    seeds = np.random.SeedSequence(21).spawn(len(SYNTHETIC_PAIRS))
    datas = {}
    for key, s in zip(SYNTHETIC_PAIRS, seeds, strict=True):
        data = provoke_pair(int(s.generate_state(1)[0]), shuffled=shuffled)
        walk = np.cumsum(np.random.default_rng(s).normal(0, 0.2, len(data.index)))
        # the walk's measurement model: the pair's events, per-event variance 16, level 0.04
        n = np.zeros(len(walk))
        for m in data.events["month"]:
            n[data.months.get_loc(m)] += 1
        smoother = LevelSmoother(0.04, tuple(n / 16.0))
        datas[key] = dataclasses.replace(
            data, pair=key, index=data.index.assign(score=walk), smoothers={"index": smoother}
        )
    claims = [_claim(f"c-{t}", t) for t in tests]
    perspectives = {"synthetic": SimpleNamespace(claims=claims)}
    return claims_table(perspectives, datas, resamples=200, rotations=12, seed=5).copy()


def test_every_pair_and_a_pooled_panel_row_find_a_planted_effect_not_a_shuffled_one() -> None:
    planted = synthetic_table(False, BOTH)
    planted = planted[planted["test"] == "western-moves-provoke"].set_index("scope")
    assert list(planted.index) == ["USA-RUS", "panel"]
    panel = planted.loc["panel"]
    # pooled over the eight pairs other than U.S.-Russia, each tested on its own data
    assert panel["n_dyads"] == 8
    per_pair = pd.DataFrame(json.loads(panel["per_pair"]))
    assert set(per_pair["pair"]) == set(SYNTHETIC_PAIRS) - {"RUS-USA"}
    assert panel["ci_lo"] > 0 and panel["p_value"] < 0.01 and panel["ci_lo"] < 0.25
    assert panel["effect"] > per_pair["effect"].min()
    assert 0 <= panel["i2"] <= 1 and panel["tau2"] >= 0
    shuffled = synthetic_table(True, ("western-moves-provoke",)).set_index("scope")
    assert shuffled.loc["panel", "p_value"] > 0.05
    assert shuffled.loc["panel", "ci_lo"] < 0 < shuffled.loc["panel", "ci_hi"]
    assert shuffled.loc["panel", "verdict"] != "supported"


def test_a_us_only_claim_has_no_rows_for_other_pairs_and_holm_spans_both_scopes() -> None:
    table = synthetic_table(False, BOTH)
    us = table[table["test"] == "us-election-hostility"].set_index("scope")
    assert CLAIM_TESTS["us-election-hostility"].applies == "U.S. pairs"
    assert not CLAIM_TESTS["us-election-hostility"].applies_to(("IND", "PAK"))
    pairs_us = {p["pair"] for p in json.loads(us.loc["panel", "per_pair"])}
    assert pairs_us == {"CHN-USA", "CUB-USA", "IRN-USA", "PRK-USA"}
    assert us.loc["panel", "n_dyads"] == 4
    every = {p["pair"] for p in json.loads(table.iloc[1]["per_pair"])}
    assert {"IND-PAK", "GRC-TUR"} <= every
    # Holm over all four rows, both scopes
    assert list(table["scope"]) == ["USA-RUS", "panel", "USA-RUS", "panel"]
    np.testing.assert_allclose(table["p_adj"], cv.holm(table["p_value"]))
    assert table["p_value"].notna().all()
    assert (table["p_adj"] >= table["p_value"] - 1e-12).all()
    assert table["power"].between(0, 1).all() and (table["power_mc_se"] >= 0).all()
    assert table["power_index"].between(0, 1).all()
    # the election test reads the index: its effect, planted in the events and smoothed
    # again, is found less often than the same effect added to the index
    assert (us["power"] <= us["power_index"]).all()


def test_power_by_rotation_is_alpha_at_zero_and_rises_with_the_effect() -> None:
    from resetlab.index.claims.registry import rotation_runs

    data = provoke_data(False, seed=7)

    def power_at(size: float) -> float:
        _, p = rotation_runs("western-moves-provoke", data, size=size, rotations=60, seed=3,
                             resamples=99)  # fmt: skip
        return cv.power(p)

    at_zero, small, large = power_at(0.0), power_at(0.15), power_at(0.5)
    # 60 rotations: the Monte Carlo error of a 5% rate is about 0.03
    assert at_zero <= 0.15
    assert at_zero < small < large and large >= 0.9
    effects, _ = rotation_runs("western-moves-provoke", data, size=0.5, rotations=5, seed=3,
                               resamples=99)  # fmt: skip
    # the planted size is recovered on top of whatever the rotated record gives
    assert np.nanmean(effects) == pytest.approx(0.5, abs=0.15)
    with pytest.raises(ModelError, match="rotations"):
        rotation_runs("western-moves-provoke", data, size=0.5, rotations=0)


def test_year_precision_events_have_no_month_in_the_claims() -> None:
    from resetlab.index.claims.data import _prepare_events
    from resetlab.record.conventions import event_month, test_month

    events = pd.DataFrame(
        {"id": ["a", "b", "c"], "date": ["1999-03-24", "1999-03", "1999"],
         "precision": ["day", "month", "year"], "actor": ["USA", "RUS", "USA"],
         "target": ["RUS", "USA", "RUS"], "goldstein": [-5.0, 3.0, 2.0],
         "domain": ["military"] * 3, "summary": ["x"] * 3}
    )  # fmt: skip
    months = _prepare_events(events)["month"].tolist()
    assert months[:2] == [pd.Period("1999-03", "M")] * 2 and months[2] is None
    assert test_month("1999", "year") is None and event_month("1999") == pd.Period("1999-07", "M")


def test_matched_controls_compare_within_regimes() -> None:
    from resetlab.index.claims.resample import _mean_diff

    # two eras: the mask sits in the high era only; against all months it looks like +5,
    # within the era it is 0
    y = np.r_[np.zeros(50), np.full(50, 5.0)]
    mask = np.zeros(100, dtype=bool)
    mask[60:70] = True
    valid = np.ones(100, dtype=bool)
    strata = np.r_[np.zeros(50, dtype=np.int64), np.ones(50, dtype=np.int64)]
    assert _mean_diff(y, mask[None, :], valid)[0] > 2
    assert _mean_diff(y, mask[None, :], valid, strata)[0] == pytest.approx(0.0)


def test_claims_section_opens_with_both_scopes_and_draws_the_window_grid() -> None:
    from resetlab.report.fit_sections import claims_section, window_figure

    table = synthetic_table(False, BOTH)
    section = claims_section(table, {"synthetic": "Synthetic"}, "quick", 200)
    html = section.html_after
    # the verdict table comes first, with a row per scope
    assert html.index("<table") < html.index("plotly")
    assert "USA-RUS" in html and "panel" in html
    fig = window_figure(table)
    assert fig is not None
    windows = CLAIM_TESTS["western-moves-provoke"].windows
    # one claim (western-moves-provoke) has a grid: U.S.-Russia's and the panel's side by side
    us, panel = fig.data
    assert (us.name, panel.name) == ("USA-RUS", "panel")
    np.testing.assert_allclose(np.asarray(us.x) + 0.25, windows)
    np.testing.assert_allclose(np.asarray(panel.x) - 0.25, windows)
    grid = pd.DataFrame(json.loads(table["window_grid"].iloc[0]))
    np.testing.assert_allclose(us.y, grid["effect"])
    pooled = pd.DataFrame(json.loads(table["window_grid"].iloc[1]))
    assert (pooled["n_dyads"] == 8).all()
    np.testing.assert_allclose(panel.y, pooled["effect"])
    # the planted pushback lasts 12 months: the pool finds it at 12, diluted at 24
    by = pooled.set_index("window")
    assert by.loc[12, "ci_lo"] > 0 and by.loc[12, "effect"] > by.loc[24, "effect"]
    assert window_figure(table[table["scope"] == "panel"]) is not None
    assert window_figure(table[table["test"] == "us-election-hostility"]) is None


def test_a_flat_index_is_refused_not_pooled_as_perfect_evidence() -> None:
    flat = make_data(np.full(240, 1.5))
    with pytest.raises(ModelError, match="flat index"):
        run_claim_test("us-election-hostility", flat, n_resamples=50)
    # a count outcome on the same pair still runs
    data = dataclasses.replace(provoke_pair(3, shuffled=False), index=flat.index)
    assert math.isfinite(run_claim_test("western-moves-provoke", data, n_resamples=50).p_value)


def test_a_pair_with_a_flat_index_is_left_out_of_the_index_tests() -> None:
    from types import SimpleNamespace

    from resetlab.index.claims.registry import MIN_INDEX_SD
    from resetlab.index.claims.table import claims_table

    rng = np.random.default_rng(4)
    datas = {}
    for key in ("RUS-USA", "CHN-USA", "CUB-USA", "IRN-USA"):
        data = provoke_pair(int(rng.integers(1000)), shuffled=False)
        walk = np.cumsum(rng.normal(0, 0.2, len(data.index)))
        if key == "IRN-USA":  # moves, but by less than MIN_INDEX_SD
            walk = 1.0 + 0.1 * MIN_INDEX_SD * np.sin(np.arange(len(walk)))
        datas[key] = dataclasses.replace(data, pair=key, index=data.index.assign(score=walk))
    perspectives = {"s": SimpleNamespace(claims=[_claim("c", "us-election-hostility")])}
    table = claims_table(perspectives, datas, resamples=100, rotations=5, seed=1)
    panel = table.set_index("scope").loc["panel"]
    assert {p["pair"] for p in json.loads(panel["per_pair"])} == {"CHN-USA", "CUB-USA"}
    assert panel["n_dyads"] == 2 and "1 could not run" in panel["detail"]


@pytest.mark.slow
def test_the_claims_table_is_bit_identical_in_process_and_on_a_local_cluster() -> None:
    from types import SimpleNamespace

    from resetlab.index.claims.table import claims_table
    from resetlab.tasks import Runner

    rng = np.random.default_rng(7)
    datas = {}
    for key in ("RUS-USA", "CHN-USA", "CUB-USA"):
        data = provoke_pair(int(rng.integers(1000)), shuffled=False)
        walk = np.cumsum(rng.normal(0, 0.2, len(data.index)))
        datas[key] = dataclasses.replace(data, pair=key, index=data.index.assign(score=walk))
    claims = [_claim("a", "us-election-hostility"), _claim("b", "western-moves-provoke", "0", 0.5)]
    perspectives = {"s": SimpleNamespace(claims=claims)}
    serial = claims_table(perspectives, datas, resamples=60, rotations=4, seed=3, jobs=1)
    with Runner(workers=2) as runner:
        clustered = claims_table(
            perspectives, datas, resamples=60, rotations=4, seed=3, runner=runner
        )
    pd.testing.assert_frame_equal(serial, clustered, check_exact=True)
    assert len(serial) == 4 and serial["p_value"].notna().any()
