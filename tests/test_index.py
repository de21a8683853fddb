"""The relations index: recovers a known latent path; regimes find planted shifts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import ruptures as rpt

from resetlab.exceptions import IndexEstimationError
from resetlab.index.kalman import estimate_index, within_month_variance
from resetlab.index.observations import build_observations, event_flow
from resetlab.index.regimes import _costs, _segment, event_sequence, find_regimes, monthly_series
from resetlab.index.scorecard import announced_resets, build_scorecard


def synthetic_events(truth: np.ndarray, months: pd.PeriodIndex, rate: float, noise: float,
                     seed: int) -> pd.DataFrame:  # fmt: skip
    rng = np.random.default_rng(seed)
    rows = []
    for i, m in enumerate(months):
        for k in range(rng.poisson(rate)):
            rows.append({
                "id": f"e{i}-{k}", "date": f"{m}-15", "day": m.to_timestamp() + pd.Timedelta(days=14),
                "precision": "day", "summary": f"event {i} {k}",
                "goldstein": float(np.clip(truth[i] + rng.normal(0, noise), -10, 10)),
            })  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def stepped() -> tuple[pd.PeriodIndex, np.ndarray, pd.DataFrame]:
    months = pd.period_range("1991-01", "2015-12", freq="M")
    truth = np.full(len(months), 2.0)
    truth[96:180] = -3.0  # breakdown at month 96 (1999-01)
    truth[180:] = 3.0  # reset at month 180 (2006-01)
    return months, truth, synthetic_events(truth, months, rate=2.0, noise=2.5, seed=1)


def test_event_flow_spreads_year_precision_over_the_year() -> None:
    months = pd.period_range("2000-01", "2001-12", freq="M")
    ev = pd.DataFrame({
        "day": pd.to_datetime(["2000-03-10", "2000-03-20", "2001-01-01"]),
        "goldstein": [4.0, -2.0, 6.0], "precision": ["day", "day", "year"],
    })  # fmt: skip
    flow = event_flow(ev, months)
    assert flow.loc[pd.Period("2000-03", "M"), "events"] == pytest.approx(1.0)
    assert flow.loc[pd.Period("2000-03", "M"), "events_n"] == 2
    assert flow.loc[pd.Period("2001-07", "M"), "events"] == pytest.approx(6.0)
    assert flow.loc[pd.Period("2001-07", "M"), "events_n"] == pytest.approx(1 / 12)
    assert np.isnan(flow.loc[pd.Period("2000-05", "M"), "events"])


def test_within_month_variance_measures_event_noise(stepped) -> None:  # type: ignore[no-untyped-def]
    months, truth, ev = stepped
    v = within_month_variance(build_observations(ev))
    assert 2.5**2 * 0.8 < v < 2.5**2 * 1.2


def test_index_recovers_the_latent_path_with_honest_bands(stepped) -> None:  # type: ignore[no-untyped-def]
    months, truth, ev = stepped
    res = estimate_index(build_observations(ev, end=months[-1]))
    f = res.frame
    assert list(f.columns[:2]) == ["month", "score"] and len(f) == len(months)
    assert np.corrcoef(f["score"], truth)[0, 1] > 0.9
    inside = ((truth >= f["lo95"]) & (truth <= f["hi95"])).mean()
    assert inside > 0.8
    assert (f["lo95"] <= f["lo80"]).all() and (f["lo80"] <= f["score"]).all()
    assert (f["score"] <= f["hi80"]).all() and (f["hi80"] <= f["hi95"]).all()


def test_auxiliary_indicator_gets_a_positive_loading_when_it_tracks_relations(stepped) -> None:  # type: ignore[no-untyped-def]
    months, truth, ev = stepped
    rng = np.random.default_rng(3)
    years = range(1991, 2016)
    un = pd.DataFrame({
        "year": list(years),
        "agreement": [0.4 + 0.03 * truth[months.get_loc(pd.Period(f"{y}-12", "M"))]
                      + rng.normal(0, 0.01) for y in years],
    })  # fmt: skip
    res = estimate_index(build_observations(ev, un, end=months[-1]))
    assert res.indicators["un_agreement"] == 25
    assert res.params["un_agreement_loading"] > 0


def test_too_few_events_is_a_clear_error() -> None:
    ev = pd.DataFrame({"day": pd.to_datetime(["2000-01-01"]), "goldstein": [1.0],
                       "precision": ["day"]})  # fmt: skip
    with pytest.raises(IndexEstimationError, match="months with events"):
        estimate_index(build_observations(ev))
    with pytest.raises(IndexEstimationError, match="no events"):
        build_observations(ev.iloc[:0])


def test_regimes_find_planted_shifts(stepped) -> None:  # type: ignore[no-untyped-def]
    months, truth, ev = stepped
    res = estimate_index(build_observations(ev, end=months[-1]))
    reg = find_regimes(res.frame, ev)
    shifts = reg.shifts
    assert list(shifts["kind"]) == ["breakdown", "reset"]
    assert abs((pd.Period(shifts["start"].iloc[0], "M") - pd.Period("1999-01", "M")).n) <= 2
    assert abs((pd.Period(shifts["start"].iloc[1], "M") - pd.Period("2006-01", "M")).n) <= 2
    assert shifts["size"].iloc[0] == pytest.approx(-5.0, abs=1.0)
    assert shifts["stability"].between(0, 1).all()
    # The chosen penalty is where the cross-validation error is smallest.
    sw = reg.sweep
    assert sw.cv_error[list(sw.penalties).index(sw.chosen)] == pytest.approx(sw.cv_error.min())
    # The segments tile the index without gaps.
    segs = reg.segments
    assert segs["start"].iloc[0] == str(months[0]) and segs["end"].iloc[-1] == str(months[-1])
    assert segs["n_months"].sum() == len(months)


def test_flat_signal_rarely_has_regime_shifts() -> None:
    # The cross-validated penalty can pick a few spurious breaks when one segmentation of a
    # half happens to predict the other marginally better; on flat series it must be rare.
    months = pd.period_range("1991-01", "2010-12", freq="M")
    index = pd.DataFrame({"month": [str(m) for m in months], "score": 0.0})
    with_shifts = 0
    for seed in range(5, 15):
        ev = synthetic_events(np.zeros(len(months)), months, rate=2.0, noise=2.5, seed=seed)
        with_shifts += len(find_regimes(index, ev).shifts) > 0
    assert with_shifts <= 1


def test_monthly_segmentation_is_pelt_when_each_month_has_one_event() -> None:
    # One event a month: the weighted monthly cost is the plain L2 cost, so the exact
    # partitioning must give ruptures' PELT breaks.
    rng = np.random.default_rng(4)
    y = np.concatenate([rng.normal(0, 1, 40), rng.normal(3, 1, 30), rng.normal(-1, 1, 50)])
    ms = monthly_series(np.arange(len(y)) + 300, y)
    for pen in (2.0, 8.0, 30.0):
        ref = rpt.KernelCPD(kernel="linear", min_size=6, jump=1).fit(y.reshape(-1, 1))
        expected = [int(b) for b in ref.predict(pen=pen)[:-1]]
        assert _segment(_costs(ms, 6, 1, int(ms.ordinal[-1])), pen) == expected


def test_more_events_in_the_same_months_change_only_the_cost_scale() -> None:
    # Each event twice: every regime's cost doubles, so twice the penalty gives the same breaks,
    # from a series of the same length (the program's size is the number of months).
    rng = np.random.default_rng(9)
    ordinal = np.sort(rng.integers(0, 240, 400))
    y = np.where(ordinal < 120, 2.0, -2.0) + rng.normal(0, 2.5, len(ordinal))
    once = monthly_series(ordinal, y)
    twice = monthly_series(np.repeat(ordinal, 2), np.repeat(y, 2))
    assert len(twice.n) == len(once.n) and twice.n_events == 2 * once.n_events
    end = int(once.ordinal[-1])
    for pen in (20.0, 100.0):
        a = _segment(_costs(once, 6, 5, end), pen)
        assert a == _segment(_costs(twice, 6, 10, end), 2 * pen)
    assert [once.months[b] for b in _segment(_costs(once, 6, 5, end), 100.0)] == ["1980-01"]


def test_event_sequence_is_time_ordered_and_drops_year_precision() -> None:
    ev = pd.DataFrame({
        "id": ["b", "a", "c"], "day": pd.to_datetime(["2001-05-01", "2001-05-01", "2000-01-01"]),
        "goldstein": [1.0, 2.0, 3.0], "precision": ["day", "day", "year"],
    })  # fmt: skip
    seq = event_sequence(ev)
    assert list(seq["goldstein"]) == [2.0, 1.0] and list(seq["month"]) == ["2001-05", "2001-05"]


def test_too_few_events_for_regimes() -> None:
    months = pd.period_range("2000-01", "2000-12", freq="M")
    ev = synthetic_events(np.zeros(12), months, rate=0.5, noise=1.0, seed=1).iloc[:6]
    index = pd.DataFrame({"month": [str(m) for m in months], "score": 0.0})
    with pytest.raises(IndexEstimationError, match="need at least"):
        find_regimes(index, ev)


def test_scorecard_names_events_that_began_and_ended_each_shift(stepped) -> None:  # type: ignore[no-untyped-def]
    months, truth, ev = stepped
    res = estimate_index(build_observations(ev, end=months[-1]))
    reg = find_regimes(res.frame, ev)
    card = build_scorecard(reg, ev)
    assert list(card["kind"]) == list(reg.shifts["kind"])
    for row in card.itertuples():
        assert row.began_with  # every shift is explained by at least one nearby event
    assert "breakdown" in card["kind"].iloc[0] and "(still running" in card["ended_with"].iloc[-1]
    ann = ev.iloc[:1].assign(summary="Leaders announce a reset of relations")
    out = announced_resets(reg, pd.concat([ann, ev.iloc[1:]]))
    assert len(out) == 1 and out["event_id"].iloc[0] == ann["id"].iloc[0]


# -- the multi-indicator model ----------------------------------------------------------------


@pytest.fixture(scope="module")
def long_span() -> dict[str, object]:
    """1946-2025 with a known path, events about once a month and four other indicators that
    track it: contacts (more when better), incidents (more when worse), annual UN agreement and
    a treaty count."""
    months = pd.period_range("1946-01", "2025-12", freq="M")
    rng = np.random.default_rng(11)
    truth = np.cumsum(rng.normal(0, 0.3, len(months)))
    truth -= truth.mean()
    ev = synthetic_events(truth, months, rate=1.0, noise=3.0, seed=12)
    label = [str(m) for m in months]
    contacts = pd.Series(rng.poisson(np.exp(-1.0 + 0.4 * truth)), index=label)
    incidents = pd.Series(rng.poisson(np.exp(-1.5 - 0.4 * truth)), index=label)
    years = list(range(1946, 2024))
    un = pd.DataFrame({
        "year": years,
        "agreement": [0.3 + 0.02 * truth[months.get_loc(pd.Period(f"{y}-12", "M"))]
                      + rng.normal(0, 0.02) for y in years],
    })  # fmt: skip
    treaties = pd.Series(np.round(np.clip(3 + 0.5 * truth, 0, None)), index=months)
    obs = build_observations(ev, un, treaties, start=months[0], end=months[-1],
                             contacts=contacts, incidents=incidents)  # fmt: skip
    return {"months": months, "truth": truth, "obs": obs, "events": ev}


def test_index_spans_from_the_first_event_not_from_a_fixed_year() -> None:
    ev = pd.DataFrame({"day": pd.to_datetime(["1946-03-05", "1950-01-01"]), "goldstein": [1.0, 2.0],
                       "precision": ["day", "day"]})  # fmt: skip
    obs = build_observations(ev)
    assert str(obs.months[0]) == "1946-03" and str(obs.months[-1]) == "1950-01"


def test_counts_enter_as_log1p_and_are_missing_outside_their_data() -> None:
    ev = pd.DataFrame({"day": pd.to_datetime(["2014-11-05", "2015-02-01"]), "goldstein": [1.0, 2.0],
                       "precision": ["day", "day"]})  # fmt: skip
    inc = pd.Series([0, 3], index=["2014-11", "2014-12"])
    f = build_observations(ev, incidents=inc).frame
    assert f.loc[pd.Period("2014-11", "M"), "incidents"] == 0.0
    assert f.loc[pd.Period("2014-12", "M"), "incidents"] == pytest.approx(np.log(4.0))
    assert f.loc["2015-01":, "incidents"].isna().all()  # after the data: missing
    assert f["contacts"].isna().all()


def test_every_indicator_loads_positively_when_it_tracks_relations(long_span) -> None:  # type: ignore[no-untyped-def]
    res = estimate_index(long_span["obs"])
    assert np.corrcoef(res.frame["score"], long_span["truth"])[0, 1] > 0.9
    t = res.indicator_table().set_index("indicator")
    assert list(t.index) == ["events", "contacts", "incidents", "un_agreement", "treaties"]
    assert t.loc["events", "loading"] == 1.0
    aux = t.drop(index="events")
    # Incidents rise when relations worsen; reversed, they load positively like the others.
    assert (aux["lo"] > 0).all(), aux
    assert (aux["lo"] < aux["loading"]).all() and (aux["loading"] < aux["hi"]).all()
    assert t["variance_share"].sum() == pytest.approx(1.0)
    assert (t["variance_share"] > 0).all()
    assert t["used"].all() and aux["excludes_zero"].all()
    assert t.loc["un_agreement", "months"] == 78 and t.loc["contacts", "months"] == 960


@pytest.mark.parametrize("seed", [100, 101, 102])
def test_an_unrelated_indicator_loads_near_zero(long_span, seed: int) -> None:  # type: ignore[no-untyped-def]
    obs = long_span["obs"]
    frame = obs.frame.copy()
    rng = np.random.default_rng(seed)
    frame["contacts"] = np.log1p(rng.poisson(0.5, len(frame)))  # noise, unrelated to the path
    res = estimate_index(type(obs)(frame, obs.raw_events))
    row = res.indicator_table().set_index("indicator").loc["contacts"]
    assert row["lo"] < 0 < row["hi"] and abs(row["loading"]) < 0.05
    # An interval that includes zero keeps the indicator out of the index: the index is the
    # one estimated without that indicator's readings, and the table says it is not used.
    assert not row["used"] and not row["excludes_zero"] and row["variance_share"] == 0.0
    frame["contacts"] = np.nan
    without = estimate_index(type(obs)(frame, obs.raw_events))
    np.testing.assert_allclose(res.frame["score"], without.frame["score"], rtol=0, atol=1e-9)
    assert "contacts" not in res.used and {"incidents", "un_agreement"} <= set(res.used)


def test_em_loading_matches_statsmodels_maximum_likelihood(long_span) -> None:  # type: ignore[no-untyped-def]
    from resetlab.index.kalman import RelationsStateSpace

    res = estimate_index(long_span["obs"])
    pair = res.pairs["un_agreement"]
    fit = pair.fit_constrained(res.fixed, disp=False, maxiter=500, method="lbfgs", cov_type="none")
    assert isinstance(pair, RelationsStateSpace)
    for name in ("un_agreement_intercept", "un_agreement_loading", "sigma2_un_agreement"):
        i = pair.param_names.index(name)
        assert res.params[name] == pytest.approx(float(fit.params[i]), rel=1e-3, abs=1e-3)
    ours = pair.loglike(np.array([res.params[p] for p in pair.param_names]))
    assert ours >= float(fit.llf) - 1e-4  # EM's fixed point is at least as likely


def test_full_span_estimation_is_fast(long_span) -> None:  # type: ignore[no-untyped-def]
    import time

    estimate_index(long_span["obs"])  # warm caches
    t0 = time.perf_counter()
    estimate_index(long_span["obs"])
    # Under 2 s on an idle core; the bound leaves room for a loaded test machine.
    assert time.perf_counter() - t0 < 6.0


def test_third_party_rows_never_reach_the_index() -> None:
    from resetlab.record.dyad import dyad_events

    months = pd.period_range("2000-01", "2003-12", freq="M")
    ev = synthetic_events(np.zeros(len(months)), months, rate=1.5, noise=1.0, seed=3)
    ev = ev.assign(actor="USA", target="RUS")
    third = ev.iloc[:20].assign(actor=["RUS", "USA", "NATO", "UN"] * 5,
                                target=["UKR", "SYR", "SRB", "RUS"] * 5,
                                goldstein=-10.0, id=[f"t{i}" for i in range(20)])  # fmt: skip
    nato = ev.iloc[:2].assign(actor="NATO", target="RUS", id=["n0", "n1"])
    mixed = pd.concat([ev, third, nato], ignore_index=True)
    kept = dyad_events(mixed, ("USA", "RUS"))
    assert set(kept["id"]) == set(ev["id"]) | {"n0", "n1"}  # NATO acts for the U.S.
    a = estimate_index(build_observations(dyad_events(mixed), end=months[-1])).frame
    b = estimate_index(build_observations(pd.concat([ev, nato], ignore_index=True),
                                          end=months[-1])).frame  # fmt: skip
    pd.testing.assert_frame_equal(a, b)
    # In another dyad NATO is nobody's side: only RUS-UKR rows are in RUS,UKR.
    assert set(dyad_events(mixed, ("RUS", "UKR"))["target"]) == {"UKR"}


def test_the_report_table_says_which_indicators_the_index_uses(long_span) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from resetlab.report.figures import loadings_table
    from resetlab.report.html import loadings_html

    obs = long_span["obs"]
    frame = obs.frame.copy()
    frame["contacts"] = np.log1p(np.random.default_rng(100).poisson(0.5, len(frame)))
    a = SimpleNamespace(index=estimate_index(type(obs)(frame, obs.raw_events)))
    t = loadings_table(a).set_index("indicator")  # type: ignore[arg-type]
    assert t.loc["contacts", "used in index"] == "no: validity check"
    assert t.loc["contacts", "excludes zero"] == "no"
    assert (t.drop(index="contacts")["used in index"] == "yes").all()
    html = loadings_html(a)  # type: ignore[arg-type]
    assert "Not used" in html and "contacts." in html.split("Not used")[1]
