"""Bayesian synthetic likelihood on the index's summaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize
from scipy.stats import multivariate_normal

from resetlab.exceptions import FitError
from resetlab.fit.likelihood import (
    LAPLACE_SCALE,
    RIDGE,
    mean_adjusted_loglik,
    profile_gamma,
    summaries,
    summary_names,
    synthetic_loglik,
)

MONTHS = pd.period_range("1992-01", "2025-10", freq="M")


def _walks(rng: np.random.Generator, n: int, drift: float = 0.0) -> np.ndarray:
    steps = rng.normal(drift, 0.2, (len(MONTHS), n))
    return np.cumsum(steps, axis=0)


def test_summaries_have_their_names_and_read_the_series() -> None:
    names = summary_names(MONTHS)
    assert len(names) == 12 and names[0] == "mean_1992-99" and names[4] == "mean_2022-"
    x = np.column_stack([np.full(len(MONTHS), 2.0) + np.sin(np.arange(len(MONTHS)) / 9.0)])
    s = summaries(x, MONTHS)[0]
    got = dict(zip(names, s, strict=True))
    assert got["mean_1992-99"] == pytest.approx(x[:96, 0].mean())
    assert got["mean_last12"] == pytest.approx(x[-12:, 0].mean())
    assert got["acf1_level"] > 0.9
    # a shorter window drops the eras it does not reach
    short = MONTHS[:200]
    assert len(summary_names(short)) == 9 == summaries(x[:200], short).shape[1]


def test_loglik_is_the_normal_density_under_the_replicates_moments() -> None:
    rng = np.random.default_rng(1)
    d, reps = 4, 30
    sim = rng.normal(size=(2 * reps, d)) @ np.diag([1.0, 2.0, 0.5, 1.5])
    obs = np.array([0.3, -1.0, 0.2, 0.0])
    ll = synthetic_loglik(sim, obs, reps)
    for k in range(2):
        x = sim[k * reps : (k + 1) * reps]
        cov = np.cov(x, rowvar=False, ddof=1)
        cov = cov + RIDGE * np.diag(np.diag(cov))
        assert ll[k] == pytest.approx(multivariate_normal(x.mean(axis=0), cov).logpdf(obs))


def test_loglik_prefers_the_parameter_set_that_made_the_data() -> None:
    rng = np.random.default_rng(0)
    data = summaries(_walks(rng, 1, drift=-0.02), MONTHS)[0]
    near = summaries(_walks(rng, 40, drift=-0.02), MONTHS)
    far = summaries(_walks(rng, 40, drift=0.02), MONTHS)
    ll = synthetic_loglik(np.vstack([near, far]), data, 40)
    assert ll[0] > ll[1] + 10


def test_bad_inputs_name_the_problem() -> None:
    rng = np.random.default_rng(0)
    s = summaries(_walks(rng, 20), MONTHS)
    with pytest.raises(FitError, match="need > 13"):
        synthetic_loglik(s, s[0], 10)
    with pytest.raises(FitError, match="whole number"):
        synthetic_loglik(s[:19], s[0], 14)
    with pytest.raises(FitError, match="columns"):
        synthetic_loglik(s, s[0, :3], 20)
    x = _walks(rng, 1)
    x[5] = np.nan
    with pytest.raises(FitError, match="missing months"):
        summaries(x, MONTHS)
    with pytest.raises(FitError, match="months"):
        summaries(x[:-1], MONTHS)


# A toy Gaussian model with a known answer: the summaries of parameter ``theta`` are
# N(theta + OFFSET, COV), correlated, so the exact log-likelihood is a normal density.
D = 6
OFFSET = np.linspace(-1.0, 1.0, D)
COV = 0.5 * np.eye(D) + 0.5 * np.full((D, D), 0.4) + np.diag(np.linspace(0.1, 1.0, D))


def _toy(theta: float, reps: int, seed: np.random.SeedSequence) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.multivariate_normal(theta + OFFSET, COV, size=reps)


def _over_seeds(obs: np.ndarray, reps: int, n: int = 12) -> tuple[np.ndarray, ...]:
    plain, robust, gammas = [], [], []
    for ss in np.random.SeedSequence(11).spawn(n):
        sim = _toy(0.3, reps, ss)
        plain.append(synthetic_loglik(sim, obs, reps)[0])
        ll, g = mean_adjusted_loglik(sim, obs, reps)
        robust.append(ll[0])
        gammas.append(g[0])
    return np.array(plain), np.array(robust), np.array(gammas)


def test_mean_adjustment_changes_nothing_when_the_model_is_right() -> None:
    obs = 0.3 + OFFSET + np.array([0.4, -0.3, 0.2, 0.5, -0.6, 0.1]) * np.sqrt(np.diag(COV))
    exact = multivariate_normal(0.3 + OFFSET, COV).logpdf(obs)
    plain, robust, gammas = _over_seeds(obs, reps=60)
    assert np.abs(gammas).max() < 0.5
    assert np.abs(robust - plain).max() < 0.5
    assert np.median(np.abs(robust - exact)) < 1.5
    # with the observed vector at the replicates' mean, Gamma is 0 and the two agree exactly
    sim = _toy(0.3, 60, np.random.SeedSequence(3))
    ll, g = mean_adjusted_loglik(sim, sim.mean(axis=0), 60)
    assert not g.any()
    assert ll[0] == pytest.approx(synthetic_loglik(sim, sim.mean(axis=0), 60)[0], abs=1e-12)


def test_a_summary_the_model_cannot_match_is_shifted_and_its_noise_is_gone() -> None:
    obs = 0.3 + OFFSET
    obs[2] += 10 * np.sqrt(COV[2, 2])
    plain, robust, gammas = _over_seeds(obs, reps=40)
    # the plain estimate swings by tens of nats with the replicates; the adjusted one does not
    assert plain.std(ddof=1) > 5.0
    assert robust.std(ddof=1) < plain.std(ddof=1) / 4
    mean_gamma = gammas.mean(axis=0)
    assert mean_gamma[2] > 6.0
    assert np.abs(np.delete(mean_gamma, 2)).max() < 1.0
    # deterministic given the seed
    again = _over_seeds(obs, reps=40)
    for a, b in zip((plain, robust, gammas), again, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_gamma_profile_is_the_lasso_minimum() -> None:
    rng = np.random.default_rng(5)
    d, k = 12, 3
    z = rng.normal(scale=4.0, size=(k, d))
    corrs = []
    for _ in range(k):
        a = rng.normal(size=(d, d))
        cov = a @ a.T + 0.1 * np.eye(d)  # strongly correlated summaries
        sd = np.sqrt(np.diag(cov))
        corrs.append(cov / np.outer(sd, sd))
    corr = np.array(corrs)
    penalty = 1.0 / LAPLACE_SCALE
    got = profile_gamma(z, corr, penalty)
    assert (got == 0).any() and (got != 0).any()
    for i in range(k):
        prec = np.linalg.inv(corr[i])

        def objective(x: np.ndarray, prec: np.ndarray = prec, i: int = i) -> float:
            r = z[i] - x[:d] + x[d:]
            return float(0.5 * r @ prec @ r + penalty * x.sum())

        ref = minimize(objective, np.zeros(2 * d), method="L-BFGS-B",
                       bounds=[(0.0, None)] * (2 * d),
                       options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 20000})  # fmt: skip
        split = np.concatenate([np.maximum(got[i], 0), np.maximum(-got[i], 0)])
        assert objective(split) <= ref.fun + 1e-9
        np.testing.assert_allclose(got[i], ref.x[:d] - ref.x[d:], atol=1e-4)
    # a row it cannot solve is NaN, not an error
    bad = profile_gamma(np.vstack([z[:1], np.full((1, d), np.nan)]), corr[:2], penalty)
    assert np.isfinite(bad[0]).all() and np.isnan(bad[1]).all()


def test_the_mean_adjusted_loglik_is_the_penalised_gaussian_maximum() -> None:
    sim = _toy(0.0, 40, np.random.SeedSequence(8))
    obs = OFFSET + np.array([0.0, 5.0, 0.0, -4.0, 0.0, 0.0])
    ll, g = mean_adjusted_loglik(sim, obs, 40)
    assert synthetic_loglik(sim, obs, 40, mean_adjust=LAPLACE_SCALE)[0] == ll[0]
    cov = np.cov(sim, rowvar=False, ddof=1)
    cov = cov + RIDGE * np.diag(np.diag(cov))
    sd = np.sqrt(np.diag(cov))
    mu = sim.mean(axis=0)

    def value(gamma: np.ndarray) -> float:
        dens = multivariate_normal(mu + sd * gamma, cov).logpdf(obs)
        return float(dens - np.abs(gamma).sum() / LAPLACE_SCALE)

    assert ll[0] == pytest.approx(value(g[0]), abs=1e-9)
    # no other shift does better, and the plain value is the one at Gamma = 0
    rng = np.random.default_rng(2)
    for _ in range(50):
        assert value(g[0] + rng.normal(scale=0.3, size=D)) <= ll[0] + 1e-9
    assert value(np.zeros(D)) == pytest.approx(synthetic_loglik(sim, obs, 40)[0])
    assert g[0, 1] > 0 > g[0, 3]
    # a larger Laplace scale lets Gamma absorb more of the misfit
    _, wide = mean_adjusted_loglik(sim, obs, 40, scale=5.0)
    assert np.abs(wide).sum() > np.abs(g).sum()
    with pytest.raises(FitError, match="Laplace scale"):
        mean_adjusted_loglik(sim, obs, 40, scale=0.0)
