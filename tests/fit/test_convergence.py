"""Several chains from dispersed starts, arviz diagnostics, and a report that refuses an
outlook from a posterior that fails them."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from fitkit import PERSPECTIVES, TINY, base, record

from resetlab.exceptions import ModelError
from resetlab.fit.calibrate import (
    ESS_MIN,
    RHAT_MAX,
    SBC_DRAWS,
    Posterior,
    diagnose,
    fit,
    rank_uniformity,
    sbc_ranks,
)
from resetlab.fit.perspectives import load_perspectives
from resetlab.report.fit_sections import (
    diagnostics_html,
    outlook_section,
    refused_outlook,
)

#: The tiny budget with enough kept steps (4) for split R-hat.
CHAINS = dataclasses.replace(TINY, steps=5, burn=1, chains=4, noise_seeds=3)


def test_diagnose_passes_mixed_chains_and_fails_stuck_ones() -> None:
    rng = np.random.default_rng(1)
    mixed = rng.normal(size=(4, 2000, 2))
    d = diagnose(mixed, 0.5, 4)
    assert d["rhat_max"] < RHAT_MAX
    assert d["ess_bulk_min"] >= ESS_MIN and d["ess_tail_min"] >= ESS_MIN
    assert d["converged"] is True
    stuck = mixed + np.arange(4)[:, None, None]  # each chain in its own mode
    s = diagnose(stuck, 0.5, 4)
    assert s["rhat_max"] > 1.5 and s["converged"] is False
    # a random walk per chain: R-hat may pass by luck, ESS cannot
    walk = np.cumsum(rng.normal(size=(4, 2000, 2)), axis=1)
    assert diagnose(walk, 0.5, 4)["converged"] is False
    # fewer than 4 independent chains never counts as converged
    assert diagnose(mixed, 0.5, 3)["converged"] is False


def test_diagnose_rejects_too_few_draws() -> None:
    with pytest.raises(ModelError, match="shape"):
        diagnose(np.zeros((4, 3, 2)), 0.0, 4)


def test_fit_runs_four_chains_and_reports_diagnostics() -> None:
    persp = load_perspectives(PERSPECTIVES, ("null",))["null"]
    post = fit(persp, record(), base(), budget=CHAINS, seed=3)
    d = post.diagnostics
    assert d is not None
    assert d["chains"] == 4
    assert d["draws_per_walker"] == CHAINS.steps - CHAINS.burn
    assert len(post.samples) <= d["walkers"] * d["draws_per_walker"]
    assert np.isfinite(d["rhat_max"]) and d["ess_bulk_min"] > 0
    # the seeds change the simulated members, so the log-likelihood moves with them
    assert np.isfinite(d["loglik_noise_sd"]) and d["loglik_noise_sd"] > 0
    # four steps cannot converge, and the posterior says so
    assert post.converged is False and "not converged" in post.diagnostics_words()
    again = Posterior.from_dict(post.to_dict())
    assert again.diagnostics == d
    # the chains start from different prior draws
    starts = post.samples[: d["walkers"]]
    assert len(np.unique(starts[:, 0])) > d["walkers"] // 2
    one = fit(persp, record(), base(), budget=CHAINS, seed=3, chains=1)
    assert one.diagnostics is None and not one.converged


def test_fit_names_its_likelihood_and_the_summaries_it_shifts() -> None:
    from resetlab.fit.likelihood import summary_names

    persp = load_perspectives(PERSPECTIVES, ("null",))["null"]
    post = fit(persp, record(), base(), budget=CHAINS, seed=3)
    d = post.diagnostics
    assert d is not None and d["likelihood"].startswith("mean-adjusted SL, Gamma profiled")
    months = pd.period_range("1992-01", periods=post.n_months, freq="M")
    assert list(d["gamma"]) == list(summary_names(months))
    # the null model does not reproduce the index's decline: some summary needs a shift
    assert any(abs(v) > 0 for v in d["gamma"].values())
    plain = fit(persp, record(), base(), budget=dataclasses.replace(CHAINS, mean_adjust=None),
                seed=3)  # fmt: skip
    assert plain.diagnostics is not None and plain.diagnostics["likelihood"] == "Gaussian BSL"
    assert "gamma" not in plain.diagnostics
    # same starts and seeds, another likelihood: the first walkers' log posteriors differ
    walkers = d["walkers"]
    assert not np.allclose(plain.log_prob[:walkers], post.log_prob[:walkers])


def test_report_prints_diagnostics_and_refuses_the_outlook() -> None:
    diag = {"chains": 4, "walkers": 64, "draws_per_walker": 4, "rhat_max": 1.73,
            "ess_bulk_min": 12.0, "ess_tail_min": 9.0, "loglik_noise_sd": 3.2,
            "converged": False}  # fmt: skip
    bad = SimpleNamespace(diagnostics=diag, converged=False,
                          diagnostics_words=lambda: "not converged: R-hat 1.73 is not below 1.01")  # fmt: skip
    good = SimpleNamespace(diagnostics=dict(diag, converged=True), converged=True,
                           diagnostics_words=lambda: "converged")  # fmt: skip
    html = diagnostics_html(bad, "quick")
    assert "1.73" in html and "quick look" in html
    refused = refused_outlook({"a": bad, "b": good})
    assert list(refused) == ["a"]
    o = SimpleNamespace(reset_start="2025-02", budget="quick")
    table = pd.DataFrame({"perspective": ["a"], "verdict": ["no skill"]})
    sec = outlook_section(o, table, pd.DataFrame(), refused)
    assert sec.figure is None
    assert "No outlook is drawn" in sec.html_after and "R-hat 1.73" in sec.html_after


@pytest.mark.parametrize("name", ["null", "deyermond-2024"])
def test_recovery_reports_coverage_and_bias_per_parameter(name: str) -> None:
    from resetlab.fit.calibrate import recovery
    from resetlab.fit.perspectives import ParameterSpace

    persp = load_perspectives(PERSPECTIVES, (name,))[name]
    space = ParameterSpace.of(persp)
    rec = recovery(persp, record().vintage("2000-01"), base(), 2, budget=TINY, seed=4)
    assert rec["replications"] == 2 and set(rec["recovery"]) == set(space.names)
    truth = np.array([r["truth"] for r in rec["runs"]])
    # the true values are prior draws: inside the prior's support, different per replication
    assert np.isfinite(space.log_prior(truth)).all()
    assert not np.allclose(truth[0], truth[1])
    mean = np.array([r["mean"] for r in rec["runs"]])
    inside = np.array([r["inside90"] for r in rec["runs"]])
    for j, n in enumerate(space.names):
        assert rec["recovery"][n]["bias"] == pytest.approx((mean[:, j] - truth[:, j]).mean())
        assert rec["recovery"][n]["coverage90"] == pytest.approx(inside[:, j].mean())
    ranks = np.array([r["rank"] for r in rec["runs"]])
    assert ((ranks >= 0) & (ranks <= SBC_DRAWS)).all()
    for n in space.names:
        sbc = rec["recovery"][n]["sbc"]
        assert sum(sbc["counts"]) == 2 and len(sbc["counts"]) == sbc["bins"]
    with pytest.raises(ModelError, match="at least 1"):
        recovery(persp, record().vintage("2000-01"), base(), 0, budget=TINY)


def _conjugate_sbc(scale: float, k: int, seed: int) -> np.ndarray:
    """SBC ranks of a normal mean under a N(0, 1) prior and one N(theta, 1) observation:
    the exact posterior is N(y / 2, 1/2); ``scale`` multiplies its sd (1: calibrated)."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=k)
    y = theta + rng.normal(size=k)
    ranks = []
    for t, obs in zip(theta, y, strict=True):
        draws = rng.normal(obs / 2, scale * np.sqrt(0.5), size=(200, 1))
        ranks.append(sbc_ranks(np.array([t]), draws, SBC_DRAWS)[0])
    return np.array(ranks)


def test_sbc_ranks_are_uniform_for_an_exact_posterior_and_not_for_a_wrong_one() -> None:
    exact = rank_uniformity(_conjugate_sbc(1.0, 400, 1), SBC_DRAWS)
    narrow = rank_uniformity(_conjugate_sbc(0.4, 400, 1), SBC_DRAWS)
    wide = rank_uniformity(_conjugate_sbc(2.5, 400, 1), SBC_DRAWS)
    assert exact["chi2_p"] > 0.01 and exact["bins"] == 20 and sum(exact["counts"]) == 400
    # too narrow: truths fall outside the draws, ranks pile at 0 and 19 (a U)
    assert narrow["chi2_p"] < 1e-6 and narrow["counts"][0] + narrow["counts"][-1] > 100
    # too wide: ranks pile in the middle
    assert wide["chi2_p"] < 1e-6 and wide["counts"][0] + wide["counts"][-1] < 10


def test_sbc_ranks_count_draws_below_the_truth_and_refuse_bad_shapes() -> None:
    samples = np.arange(40, dtype=float).reshape(20, 2)
    # evenly spaced 19 of 20 rows; column 0 holds 0, 2, ..., 38
    r = sbc_ranks(np.array([10.5, -1.0]), samples, SBC_DRAWS)
    assert r[1] == 0 and 5 <= r[0] <= 6
    with pytest.raises(ModelError, match="shape"):
        sbc_ranks(np.array([1.0]), samples, SBC_DRAWS)
    with pytest.raises(ModelError, match="at least 19"):
        sbc_ranks(np.array([1.0, 2.0]), samples[:5], SBC_DRAWS)
    with pytest.raises(ModelError, match="0..19"):
        rank_uniformity(np.array([0, 25]), SBC_DRAWS)
    small = rank_uniformity(np.array([0, 19, 10, 3]), SBC_DRAWS)
    assert small["bins"] == 2 and small["counts"] == [2, 2]


def test_shipped_forecast_scenarios_say_their_values_are_assumptions() -> None:
    from fitkit import REPO

    from resetlab.model.spec import load_scenario

    paths = sorted((REPO / "scenarios").glob("*.yaml"))
    forecasts = [p for p in paths if load_scenario(p).model.mode == "forecast"]
    assert forecasts
    for p in forecasts:
        d = load_scenario(p).model.description
        assert "stated assumptions" in d or "posterior" in d, p.name
