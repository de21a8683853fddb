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


def _lag1(d: np.ndarray) -> float:
    d = d - d.mean(axis=0)
    return float(np.mean((d[1:] * d[:-1]).sum(axis=0) / (d * d).sum(axis=0)))


@pytest.mark.parametrize("name", ["null", "deyermond-2024"])
def test_simulated_index_moves_like_the_measured_one(name: str) -> None:
    """At the prior median, the simulated index (relations observed as the record is) has
    month-to-month changes of the measured index's order: their sd within a factor of 2
    of the measured one's, and positively autocorrelated at lag 1 as the measured ones are.

    Why that tolerance: how much a smoothed index moves from month to month is set by the
    smoother (the level's variance against the event noise, and how many events each month
    has), which the two share; what may differ is the simulated path's own movement, which
    the perspectives' mechanisms shape. The relations score itself moves more than ten
    times as much per month; a factor of 2 tells the two kinds of object apart. The lag-1
    autocorrelation of changes is positive for any smoothed random walk (the smoother
    spreads a month's news over its neighbours); a negative one would mean the simulated
    index is dominated by month-level noise the smoother does not remove.
    """
    from fitkit import PERSPECTIVES, base, record

    from resetlab.fit.calibrate import (
        Target,
        _truncate,
        observe_anchored,
        simulate_relations,
        streams,
    )
    from resetlab.fit.history import history_forcing
    from resetlab.fit.perspectives import ParameterSpace, load_perspectives

    p = load_perspectives(PERSPECTIVES, (name,))[name]
    space = ParameterSpace.of(p)
    median = np.median(space.sample(np.random.default_rng(0), 4000), axis=0)
    v = record().vintage()
    forcing, n_hist = history_forcing(base(), v, 1)
    forcing = _truncate(forcing, n_hist)
    target = Target.of(v, n_hist)
    members = 64
    engine, observe = streams(1)
    rel = simulate_relations(p, base(), forcing, np.tile(median, (members, 1)), space.names,
                             engine)  # fmt: skip
    idx = observe_anchored(rel, target, np.random.default_rng(observe))
    measured = np.diff(target.y)
    simulated = np.diff(idx, axis=0)
    ratio = float(simulated.std(axis=0, ddof=1).mean() / measured.std(ddof=1))
    assert 0.5 < ratio < 2.0, f"sd of monthly changes: simulated / measured = {ratio:.3f}"
    assert _lag1(measured[:, None]) > 0 and _lag1(simulated) > 0


def test_the_observer_applies_the_smoother_as_weights() -> None:
    """The observer's matrix of smoother weights gives what the smoother gives on the same
    simulated flow, and its sd is the smoother's."""
    from resetlab.fit.observe import Observer

    rng = np.random.default_rng(5)
    n = rng.poisson(1.0, 90).astype(float)
    noise = IndexNoise(sigma2_event=16.0, sigma2_level=0.3)
    x = np.cumsum(rng.normal(0, 0.5, (90, 7)), axis=0)
    obs = Observer.of(n, noise)
    got = obs(x, np.random.default_rng(9))
    z = np.random.default_rng(9).standard_normal((7, int((n > 0).sum()))).T
    flow = np.full_like(x, np.nan)
    flow[n > 0] = x[n > 0] + np.sqrt(16.0 / n[n > 0])[:, None] * z
    want, var = local_level_smoother(flow, np.where(n > 0, 16.0 / np.maximum(n, 1.0), 1.0), 0.3)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    np.testing.assert_allclose(obs.sd, np.sqrt(var), rtol=0, atol=1e-12)
    # a member's simulated index does not depend on how many members share the call
    np.testing.assert_allclose(obs(x[:, :3], np.random.default_rng(9)), got[:, :3], atol=1e-12)


@pytest.mark.parametrize(("name", "origin"), [("deyermond-2024", "2025-03"), ("null", "2012-01")])
def test_forecast_fans_start_from_the_last_observed_month(name: str, origin: str) -> None:
    """Members are placed by their simulated index at the last month the vintage knows: the
    fan's median in the origin month lies inside the vintage index's own 80% band at that
    last month (one month of movement later), and the fan's spread there is of the order of
    the index's standard error, not the prior's. (The band is the vintage's, not the final
    index's: a forecast made at the origin cannot know the origin month's own events.)"""
    from fitkit import PERSPECTIVES, base, record
    from scipy.stats import norm

    from resetlab.fit.calibrate import Posterior, forecast
    from resetlab.fit.perspectives import ParameterSpace, load_perspectives

    p = load_perspectives(PERSPECTIVES, (name,))[name]
    space = ParameterSpace.of(p)
    draws = space.sample(np.random.default_rng(4), 64)
    post = Posterior(name, space.names, draws, np.zeros(len(draws)), origin, "prior", 0, 1.0, 0)
    v = record().vintage(origin)
    ens = forecast(p, post, v, base(), 6, draws=32, draw_reps=4, seed=2)
    last = v.index.set_index(v.index["month"].astype(str)).loc[str(v.origin - 1)]
    score, sd = float(last["score"]), float(last["sd"])
    z = float(norm.ppf(0.9))
    median = float(np.median(ens[0]))
    assert score - z * sd <= median <= score + z * sd, (median, score, sd)
    spread = float(np.subtract(*np.quantile(ens[0], [0.9, 0.1])))
    assert spread < 6 * z * sd, (spread, sd)


def test_the_observer_does_not_depend_on_the_blas_thread_count() -> None:
    """A cluster worker runs BLAS on one thread, this process on several: the simulated index
    of the same members must be the same to the bit in both (the backtest's serial and
    cluster runs are compared bit for bit)."""
    from threadpoolctl import threadpool_limits

    from resetlab.fit.observe import Observer

    rng = np.random.default_rng(11)
    n = rng.poisson(1.5, 400).astype(float)
    x = np.cumsum(rng.normal(0, 0.5, (400, 1024)), axis=0)
    obs = Observer.of(n, IndexNoise(sigma2_event=16.0, sigma2_level=0.3))
    with threadpool_limits(limits=1, user_api="blas"):
        one = obs(x, np.random.default_rng(3))
    with threadpool_limits(limits=2, user_api="blas"):
        two = obs(x, np.random.default_rng(3))
    assert np.array_equal(one, two)
