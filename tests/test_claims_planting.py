"""Power from effects planted in the events and measured again (index/claims/planting.py)."""

from __future__ import annotations

import dataclasses
import functools
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from resetlab.exceptions import ModelError
from resetlab.index.claims import CLAIM_TESTS, ClaimData
from resetlab.index.claims import verdicts as cv
from resetlab.index.claims.data import Plant
from resetlab.index.claims.planting import LevelSmoother, box_after, calmed
from resetlab.index.claims.registry import PLANTINGS, event_planted, rotation_runs
from resetlab.index.kalman import RelationsStateSpace
from resetlab.record.calendars import load_elections

START = pd.Period("1989-01", freq="M")
N_MONTHS = 432  # 1989-2024: nine U.S. presidential elections
LEVEL_VAR = 0.04  # the latent level's monthly innovation variance (sd 0.2 Goldstein units)
EVENT_VAR = 16.0  # per-event noise variance (sd 4, about U.S.-Russia's within-month spread)


def pair(events_a_month: float, seed: int) -> ClaimData:
    """A synthetic pair: a random-walk latent level seen through ``events_a_month`` events a
    month (Poisson) of noise ``EVENT_VAR``, its index the Kalman smoother of those readings
    (the same :class:`LevelSmoother` the planting uses), that smoother attached, and 15
    extreme acts at random months (the triggers of :data:`KEY`)."""
    rng = np.random.default_rng(seed)
    level = np.cumsum(rng.normal(0.0, np.sqrt(LEVEL_VAR), N_MONTHS))
    n = rng.poisson(events_a_month, N_MONTHS).astype(float)
    noise = rng.normal(0.0, 1.0, N_MONTHS) * np.sqrt(EVENT_VAR / np.maximum(n, 1.0))
    readings = np.where(n > 0, level + noise, 0.0)
    smoother = LevelSmoother(LEVEL_VAR, tuple(n / EVENT_VAR))
    score = smoother.smooth(readings)
    months = pd.period_range(START, periods=N_MONTHS, freq="M")
    # extreme acts (the triggers of irreversible-moves) at random months
    extreme = [{"id": f"x{k}", "month": months[t], "precision": "day", "actor": "USA",
                "target": "CHN", "goldstein": -10.0, "domain": "military", "summary": "strike"}
               for k, t in enumerate(rng.choice(np.arange(30, N_MONTHS - 30), 15, replace=False))]  # fmt: skip
    return ClaimData(
        events=pd.DataFrame(extreme),
        index=pd.DataFrame({"month": months, "score": score, "sd": np.ones(N_MONTHS)}),
        regimes=pd.DataFrame(columns=["start", "end", "kind"]),
        observations=pd.DataFrame({"events_score": score}, index=months),
        un_agreement=pd.DataFrame(columns=["year", "agreement"]),
        milestones=pd.DataFrame(
            {"treaty": [], "status": [], "month": pd.PeriodIndex([], freq="M")}
        ),
        elections=load_elections()[["country", "kind", "day"]],
        inaugurations=pd.DataFrame({"name": [], "month": pd.PeriodIndex([], freq="M")}),
        pair="CHN-USA",
        smoothers={"index": smoother},
    )


#: Events a month: a dense pair, a middling one (U.S.-Russia has a few) and one with about 50.
DENSE, MIDDLE, SPARSE = 400.0, 40.0, 0.12
KEY = "irreversible-moves"


@functools.lru_cache(maxsize=16)
def power_at(kind: float, size: float, planting: str) -> tuple[float, float]:
    """Power and mean measured effect over 40 rotations, pooled over two synthetic pairs."""
    powers, effects = [], []
    for seed in (11, 12):
        e, p = rotation_runs(KEY, pair(kind, seed), size=size, rotations=40, seed=seed,
                             resamples=99, planting=planting)  # fmt: skip
        powers.append(cv.power(p))
        effects.append(float(np.nanmean(e)))
    return float(np.mean(powers)), float(np.mean(effects))


# -- the measurement model ---------------------------------------------------------------------


def test_smoother_is_statsmodels_smoother_of_the_shifted_readings() -> None:
    rng = np.random.default_rng(3)
    t_n = 300
    level = np.cumsum(rng.normal(0, 0.3, t_n))
    n = rng.poisson(1.5, t_n).astype(float)
    events = np.where(n > 0, level + rng.normal(0, 3, t_n) / np.sqrt(np.maximum(n, 1)), np.nan)
    aux = np.where(rng.random(t_n) < 0.5, 0.4 * level + rng.normal(0, 0.8, t_n), np.nan)
    endog = np.column_stack([events, aux])
    model = RelationsStateSpace(endog, n, ("contacts",))
    params = {"sigma2_event": 9.0, "sigma2_level": 0.09, "contacts_intercept": 0.1,
              "contacts_loading": 0.4, "sigma2_contacts": 0.64}  # fmt: skip
    vector = np.array([params[p] for p in model.param_names])
    smoother = LevelSmoother.from_index(SimpleNamespace(model=model, params=params))  # type: ignore[arg-type]
    base = model.smooth(vector, cov_type="none").smoothed_state[0]
    delta = 2.0 * box_after((rng.random(t_n) < 0.03).astype(float), 1, 12) - 1.0
    shifted = endog + delta[:, None] * np.array([1.0, 0.4])[None, :]  # NaN stays NaN
    moved = RelationsStateSpace(shifted, n, ("contacts",)).smooth(vector, cov_type="none")
    np.testing.assert_allclose(smoother.smooth(delta), moved.smoothed_state[0] - base, atol=1e-6)
    # a month without any reading sees nothing of the shift itself
    lone = np.zeros(t_n)
    silent = int(np.flatnonzero((n == 0) & np.isnan(aux))[5])
    lone[silent] = 5.0
    assert np.abs(smoother.smooth(lone)).max() == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ModelError, match="months"):
        smoother.smooth(np.zeros(t_n + 1))
    with pytest.raises(ModelError, match="level variance"):
        LevelSmoother(0.0, (1.0,))


def test_calmed_shape_shrinks_the_changes_it_weights() -> None:
    x = np.cumsum(np.random.default_rng(0).normal(0, 1, 60))
    w = (np.arange(60) % 10 < 5).astype(float)
    out = x + 0.5 * calmed(x, w)
    d, d0 = np.abs(np.diff(out)), np.abs(np.diff(x))
    np.testing.assert_allclose(d[w[1:] == 1], 0.5 * d0[w[1:] == 1])
    np.testing.assert_allclose(d[w[1:] == 0], d0[w[1:] == 0])


# -- event-planted power -----------------------------------------------------------------------


def test_every_test_names_its_planting() -> None:
    for test in CLAIM_TESTS.values():
        assert test.planting in PLANTINGS
        assert (test.latent is not None) == (test.planting == "latent")
        # count tests plant events, index tests plant the latent level
        assert (test.planting == "latent") == (test.reads != "")
    assert CLAIM_TESTS["resets-fail"].planting == "exact"


def test_at_size_zero_the_event_planted_rate_is_alpha_and_the_same_runs() -> None:
    data = pair(DENSE, 11)
    e_ev, p_ev = rotation_runs(KEY, data, size=0.0, rotations=40, seed=4, resamples=99,
                               planting="events")  # fmt: skip
    e_ix, p_ix = rotation_runs(KEY, data, size=0.0, rotations=40, seed=4, resamples=99)
    np.testing.assert_array_equal(p_ev, p_ix)
    np.testing.assert_array_equal(e_ev, e_ix)
    rate, _ = power_at(DENSE, 0.0, "events")
    assert rate <= 0.15  # 80 rotations: the Monte Carlo error of a 5 % rate is about 0.025


def test_event_planted_power_rises_with_size() -> None:
    p0, _ = power_at(MIDDLE, 0.0, "events")
    p1, e1 = power_at(MIDDLE, 0.5, "events")
    p3, e3 = power_at(MIDDLE, 2.0, "events")
    assert p0 <= 0.15 and p0 < p1 < p3
    assert 0 < e1 < e3


def test_dense_pair_approaches_index_power_sparse_pair_falls_short() -> None:
    dense_ev, dense_eff = power_at(DENSE, 1.0, "events")
    dense_ix, _ = power_at(DENSE, 1.0, "index")
    sparse_ev, sparse_eff = power_at(SPARSE, 1.0, "events")
    sparse_ix, _ = power_at(SPARSE, 1.0, "index")
    # with 400 events a month the smoother follows the readings: most of the effect survives
    assert dense_ev >= dense_ix - 0.15 and dense_eff >= 0.75
    # with an event every eight months or so the smoother sees almost none of it
    assert sparse_ev <= sparse_ix - 0.3 and sparse_eff <= 0.5
    assert sparse_ev < dense_ev


def test_the_latent_effect_is_of_the_stated_size_before_measurement() -> None:
    data = pair(SPARSE, 11)
    test = CLAIM_TESTS[KEY]
    exact = dataclasses.replace(data, smoothers={"index": LevelSmoother(1e6, (1e6,) * N_MONTHS)})
    base = test.run(dataclasses.replace(data, plant=Plant(90, 0.0)), np.random.default_rng(0), 1)
    # a smoother that reproduces its readings plants the latent shape unchanged: the test
    # then measures the rotated record's own effect plus exactly the stated size
    planted = event_planted(test, exact, 90, 1.5)
    got = test.run(planted, np.random.default_rng(0), 1)
    assert got.effect == pytest.approx(base.effect + 1.5, abs=1e-3)
    with pytest.raises(ModelError, match="no measurement model"):
        event_planted(test, dataclasses.replace(data, smoothers={}), 90, 1.0)


def test_count_tests_plant_synthetic_acts() -> None:
    rng = np.random.default_rng(8)
    t_n = 360
    months = pd.period_range(START, periods=t_n, freq="M")
    rows = [{"id": f"t{t}", "month": months[t], "precision": "day", "actor": "USA",
             "target": "CHN", "goldstein": -6.0, "domain": "military", "summary": "s"}
            for t in rng.choice(t_n, 25, replace=False)]  # fmt: skip
    rows += [{"id": f"r{t}{k}", "month": months[t], "precision": "day", "actor": "CHN",
              "target": "USA", "goldstein": -4.0, "domain": "military", "summary": "s"}
             for t in range(t_n) for k in range(int(rng.poisson(0.3)))]  # fmt: skip
    data = dataclasses.replace(pair(DENSE, 3), events=pd.DataFrame(rows))
    data = dataclasses.replace(data, side_a=("USA",), side_b=("CHN",), state_a="USA")
    data = dataclasses.replace(
        data, index=data.index.iloc[:t_n], observations=data.observations.iloc[:t_n]
    )
    e_ev, p_ev = rotation_runs("western-moves-provoke", data, size=0.5, rotations=20, seed=2,
                               resamples=99, planting="events")  # fmt: skip
    e_ix, p_ix = rotation_runs("western-moves-provoke", data, size=0.5, rotations=20, seed=2,
                               resamples=99)  # fmt: skip
    # Poisson acts: the same effect in expectation, not the same runs
    assert np.nanmean(e_ev) == pytest.approx(0.5, abs=0.15)
    assert not np.array_equal(e_ev, e_ix)
    assert cv.power(p_ev) >= 0.8 and cv.power(p_ix) >= 0.8


def test_panel_grid_pools_each_window() -> None:
    from resetlab.index.claims.table import grid_resamples, pooled_grid

    g1 = pd.DataFrame({"window": [6, 12], "effect": [0.2, 0.4], "ci_lo": [0.0, 0.1],
                       "ci_hi": [0.4, 0.7], "p_value": [0.05, 0.01]})  # fmt: skip
    g2 = g1.assign(effect=[0.3, 0.5], ci_lo=[0.1, 0.2], ci_hi=[0.5, 0.8])
    out = pd.DataFrame(pooled_grid({"A-B": g1, "C-D": g2}))
    assert list(out["window"]) == [6, 12] and (out["n_dyads"] == 2).all()
    pooled6 = cv.pool([0.2, 0.3], [0.4 / 3.92, 0.4 / 3.92])
    assert out.loc[0, "effect"] == pytest.approx(pooled6.effect)
    assert out.loc[0, "ci_hi"] - out.loc[0, "ci_lo"] < 0.4  # narrower than either pair's
    assert pooled_grid({"A-B": g1}) == []
    assert grid_resamples(1000) == 100 and grid_resamples(200) == 99
