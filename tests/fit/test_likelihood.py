"""Bayesian synthetic likelihood on the index's summaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import multivariate_normal

from resetlab.exceptions import FitError
from resetlab.fit.likelihood import RIDGE, summaries, summary_names, synthetic_loglik

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
