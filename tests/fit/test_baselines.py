"""Each baseline of the registry gives a sensible forecast on a synthetic vintage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resetlab.exceptions import ModelError
from resetlab.fit.baselines import BASELINES, REGISTRY, Baseline, baseline_forecast, register
from resetlab.fit.history import Vintage

H = 24


def _vintage(y: np.ndarray, last_sd: float = 0.5, sigma2_level: float = 0.3) -> Vintage:
    months = pd.period_range("1995-01", periods=len(y), freq="M")
    sd = np.full(len(y), 0.3)
    sd[-1] = last_sd
    index = pd.DataFrame({"month": [str(m) for m in months], "score": y, "sd": sd})
    return Vintage(months[-1] + 1, index, pd.DataFrame(), {"sigma2_level": sigma2_level})


def _random_walk(n: int = 240, seed: int = 0) -> np.ndarray:
    return np.cumsum(np.random.default_rng(seed).normal(0, 0.5, n))


def test_the_registry_names_each_baseline_once() -> None:
    assert BASELINES[0] == "persistence"
    assert set(BASELINES) == set(REGISTRY) == {
        "persistence", "climatology", "damped", "kalman-rw", "pool", "markov",
    }  # fmt: skip
    assert all(REGISTRY[n].name == n for n in BASELINES)

    class Again(Baseline):
        name = "persistence"
        description = "a second persistence"

        def forecast(self, vintage: Vintage, horizon: int, n: int = 200) -> np.ndarray:
            return np.zeros((horizon, n))

    with pytest.raises(ModelError, match="two baselines"):
        register(Again)


@pytest.mark.parametrize("name", BASELINES)
def test_every_baseline_gives_ordered_finite_quantiles(name: str) -> None:
    v = _vintage(_random_walk())
    ens = baseline_forecast(name, v, H)
    assert ens.shape == (H, 200) and np.isfinite(ens).all()
    assert (np.diff(ens, axis=1) >= -1e-9).all(), "members are quantiles, in order"
    np.testing.assert_array_equal(ens, baseline_forecast(name, v, H))  # deterministic


def test_kalman_rw_spread_grows_with_the_horizon_and_climatology_does_not() -> None:
    v = _vintage(_random_walk(), last_sd=0.5, sigma2_level=0.3)
    y = v.index["score"].to_numpy()
    rw = baseline_forecast("kalman-rw", v, H)
    assert np.median(rw, axis=1) == pytest.approx(np.full(H, y[-1]), abs=1e-6)
    sd = rw.std(axis=1)
    assert (np.diff(sd) > 0).all()
    assert sd[0] == pytest.approx(np.sqrt(0.5**2 + 0.3), rel=0.05)
    assert sd[-1] == pytest.approx(np.sqrt(0.5**2 + 24 * 0.3), rel=0.05)
    clim = baseline_forecast("climatology", v, H)
    assert np.ptp(clim.std(axis=1)) == 0.0
    assert np.median(clim[0]) == pytest.approx(np.median(y), abs=0.05)
    with pytest.raises(ModelError, match="sigma2_level"):
        baseline_forecast("kalman-rw", Vintage(v.origin, v.index, v.events, {}), H)


def test_persistence_spread_includes_the_revision_of_the_last_value() -> None:
    flat = np.full(200, 2.0)  # no change ever: all the spread is the last value's filter error
    ens = baseline_forecast("persistence", _vintage(flat, last_sd=1.0), 3)
    assert np.median(ens[0]) == pytest.approx(2.0, abs=1e-6)
    assert ens[0].std() == pytest.approx(1.0, rel=0.1)
    sure = baseline_forecast("persistence", _vintage(flat, last_sd=0.0), 3)
    assert np.ptp(sure) == 0.0


def test_damped_and_pool_lie_between_persistence_and_climatology() -> None:
    rng = np.random.default_rng(3)
    y = np.zeros(400)
    for t in range(1, len(y)):
        y[t] = 0.9 * y[t - 1] + rng.normal(0, 0.5)
    y[-1] = 4.0  # far above the mean: damped persistence pulls back towards it
    v = _vintage(y, last_sd=0.1)
    d = np.median(baseline_forecast("damped", v, 12), axis=1)
    assert 0.5 < d[0] / 4.0 < 1.0 and abs(d[-1] - y.mean()) < abs(d[0] - y.mean())
    p = baseline_forecast("persistence", v, 12)
    c = baseline_forecast("climatology", v, 12)
    pool = baseline_forecast("pool", v, 12)
    assert np.median(c[5]) < np.median(pool[5]) < np.median(p[5])
    assert pool[5].std() > max(p[5].std(), c[5].std()) * 0.9


def test_markov_switching_finds_the_regime_it_is_in() -> None:
    rng = np.random.default_rng(5)
    y = np.r_[rng.normal(-3, 0.3, 150), rng.normal(3, 0.6, 90)]
    ens = baseline_forecast("markov", _vintage(y), 6)
    assert np.median(ens[0]) == pytest.approx(3.0, abs=0.3)
    assert ens[0].std() == pytest.approx(0.6, rel=0.3)
    # further out the chance of a switch back grows: the spread widens
    assert ens[5].std() >= ens[0].std()


def test_baseline_errors_name_the_problem() -> None:
    v = _vintage(_random_walk(30))
    with pytest.raises(ModelError, match="too few"):
        baseline_forecast("persistence", v, 24)
    with pytest.raises(ModelError, match="unknown baseline 'oracle'.*persistence"):
        baseline_forecast("oracle", v, 3)
