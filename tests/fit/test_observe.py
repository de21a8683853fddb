"""The observation step: the vectorised smoother against statsmodels', and what it makes."""

from __future__ import annotations

import numpy as np
import pytest

from resetlab.exceptions import FitError
from resetlab.fit.observe import IndexNoise, local_level_smoother, simulate_index
from resetlab.index.kalman import RelationsStateSpace


def _statsmodels_smooth(y: np.ndarray, n: np.ndarray, s2e: float, s2l: float):  # type: ignore[no-untyped-def]
    model = RelationsStateSpace(y[:, None], n, ())
    res = model.smooth(np.array([s2e, s2l]))
    return np.asarray(res.smoothed_state[0]), np.asarray(res.smoothed_state_cov[0, 0])


@pytest.mark.parametrize("leading_gap", [0, 5])
def test_smoother_matches_statsmodels_with_missing_months(leading_gap: int) -> None:
    """Gaussian local level, time-varying observation variance, missing months (leading
    ones too): every member's smoothed mean and the shared variance agree with statsmodels'
    exact-diffuse smoother."""
    rng = np.random.default_rng(3)
    T, M, s2e, s2l = 120, 6, 4.0, 0.06
    n = rng.poisson(1.5, T).astype(float)
    n[:leading_gap] = 0.0
    n[40:47] = 0.0  # a half-year without events
    x = np.cumsum(rng.normal(0, np.sqrt(s2l), (T, M)), axis=0)
    h = np.where(n > 0, s2e / np.maximum(n, 1.0), 1.0)
    y = np.where((n > 0)[:, None], x + np.sqrt(h)[:, None] * rng.standard_normal((T, M)), np.nan)
    mean, var = local_level_smoother(y, h, s2l)
    for j in range(M):
        m_sm, v_sm = _statsmodels_smooth(y[:, j], n, s2e, s2l)
        np.testing.assert_allclose(mean[:, j], m_sm, rtol=0, atol=1e-8)
        np.testing.assert_allclose(var, v_sm, rtol=0, atol=1e-8)


def test_simulate_index_keeps_the_record_gaps_and_reads_the_level() -> None:
    rng = np.random.default_rng(0)
    T, M = 200, 400
    n = np.where(np.arange(T) % 7 == 3, 0.0, 2.0)
    level = np.linspace(-3.0, 3.0, T)[:, None] + np.zeros((T, M))
    noise = IndexNoise(sigma2_event=9.0, sigma2_level=0.05)
    mean, sd = simulate_index(level, n, noise, rng)
    assert mean.shape == (T, M) and sd.shape == (T,) and np.isfinite(mean).all()
    # the index tracks the level: its error across members matches its own sd
    err = mean - level
    assert abs(float(err.mean())) < 0.1
    ratio = err.std(axis=1) / sd
    assert 0.7 < float(np.median(ratio)) < 1.3
    # gap months carry more uncertainty than their neighbours
    assert sd[3] > sd[4]


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(FitError, match="sigma2_level"):
        IndexNoise.of({"sigma2_event": 1.0}, "vintage 2010-01")
    with pytest.raises(FitError, match="> 0"):
        IndexNoise.of({"sigma2_event": 1.0, "sigma2_level": 0.0})
    noise = IndexNoise(1.0, 0.1)
    with pytest.raises(FitError, match="by month"):
        simulate_index(np.zeros((10, 2)), np.ones(9), noise, np.random.default_rng(0))
    with pytest.raises(FitError, match="no observed month"):
        simulate_index(np.zeros((10, 2)), np.zeros(10), noise, np.random.default_rng(0))
    y = np.ones((4, 2))
    y[1, 0] = np.nan
    with pytest.raises(FitError, match="differ between members"):
        local_level_smoother(y, np.ones(4), 0.1)
