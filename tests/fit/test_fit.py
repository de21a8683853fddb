"""Calibration, baselines, scores, skill verdicts, outlook and levers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fitkit import PERSPECTIVES, TINY, base, record

from resetlab.exceptions import ModelError
from resetlab.fit.backtest import crps
from resetlab.fit.budget import BUDGETS, get_budget
from resetlab.fit.calibrate import Posterior, fit, spec_for
from resetlab.fit.outlook import LEVERS, lever_forcing, levers, outlook
from resetlab.fit.perspectives import ParameterSpace, load_perspectives
from resetlab.model.base import Context
from resetlab.model.engine import run_chunk
from resetlab.model.forcing import Forcing, month_range
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.state import INITIAL_VARIABLES, VARIABLES, new_state


def _persp(name: str):  # type: ignore[no-untyped-def]
    return load_perspectives(PERSPECTIVES, (name,))[name]


# --------------------------------------------------------------------------- per-member params


@pytest.mark.parametrize("key", list(MECHANISMS))
def test_every_mechanism_takes_one_parameter_value_per_member(key: str) -> None:
    """Calibration runs a parameter set per member: an array of equal values must act
    exactly like the number."""
    cls = MECHANISMS[key]
    members = 7
    rng = np.random.default_rng(0)
    x = new_state(members, {v: 0.5 for v in INITIAL_VARIABLES})
    x[:] = rng.uniform(0.05, 0.95, size=x.shape).astype(x.dtype)
    scalar = cls(cls.Params())
    arrays = cls(
        cls.Params(
            **{
                f.name: np.full(members, getattr(scalar.params, f.name), dtype=np.float32)
                for f in dataclasses.fields(cls.Params)
            }
        )
    )
    ctx = Context(t=5, hostile_us=0.3, hostile_ru=0.2, regional=0.1, common=0.2, treaties=0.5,
                  treaties_prev=0.7, reset_us=0.5, exercises=0.4)  # fmt: skip
    a = scalar.step(x.copy(), ctx, np.random.default_rng(1))
    b = arrays.step(x.copy(), ctx, np.random.default_rng(1))
    assert a.keys() == b.keys()
    for col in a:
        np.testing.assert_allclose(np.broadcast_to(a[col], (members,)), b[col], rtol=1e-5,
                                   atol=1e-6, err_msg=f"{key} column {VARIABLES[col]}")  # fmt: skip


def test_a_population_of_parameter_sets_runs_as_one_ensemble() -> None:
    p = _persp("carpenter-2019")
    space = ParameterSpace.of(p)
    f = Forcing.flat(month_range("2000-01", 24), {"hostile_ru": 0.3, "treaties": 0.5})
    low = np.tile(space.low, (4, 1))
    high = np.tile(space.high, (4, 1))
    both = np.vstack([low, high])
    out = run_chunk(
        spec_for(p, base(), f, both, space.names), 8, 0, record=(VARIABLES.index("relations"),)
    )
    alone = run_chunk(
        spec_for(p, base(), f, low, space.names), 4, 0, record=(VARIABLES.index("relations"),)
    )
    assert out.shape == (24, 1, 8)
    # low and high parameter sets give different paths within one run
    assert not np.allclose(out[:, 0, :4].mean(axis=1), out[:, 0, 4:].mean(axis=1))
    assert np.isfinite(alone).all()
    with pytest.raises(ModelError, match="columns"):
        spec_for(p, base(), f, low[:, :2], space.names)


# --------------------------------------------------------------------------- priors, likelihood


def test_prior_bounds_and_draws() -> None:
    space = ParameterSpace.of(_persp("deyermond-2024"))
    rng = np.random.default_rng(0)
    draws = space.sample(rng, 500)
    assert draws.shape == (500, space.dim)
    assert np.all(draws >= space.low) and np.all(draws <= space.high)
    assert np.all(np.isfinite(space.log_prior(draws)))
    outside = draws[:3].copy()
    outside[0, 0] = space.high[0] + 1.0
    assert space.log_prior(outside)[0] == -np.inf
    normal = [i for i, p in enumerate(space.priors) if p.dist == "normal"]
    assert normal, "deyermond-2024 has a normal prior (m19.tau)"


def test_fit_is_reproducible_and_saves(tmp_path: Path) -> None:
    p = _persp("nodvin-2025")
    a = fit(p, record().vintage("2012-01"), base(), budget=TINY, seed=5)
    b = fit(p, record().vintage("2012-01"), base(), budget=TINY, seed=5)
    np.testing.assert_array_equal(a.samples, b.samples)
    assert a.names == ParameterSpace.of(p).names and a.origin == "2012-01"
    assert len(a.samples) == 16 * TINY.chains * (TINY.steps - TINY.burn)
    a.save(tmp_path / "p.json")
    c = Posterior.load(tmp_path / "p.json")
    np.testing.assert_allclose(c.samples, a.samples)
    a.save(tmp_path / "p.csv")
    assert list(pd.read_csv(tmp_path / "p.csv").columns) == ["log_prob", *a.names]
    assert set(a.summary()["param"]) == set(a.names)


def test_budgets_are_named_and_unknown_ones_listed() -> None:
    assert set(BUDGETS) == {"quick", "full"}
    assert get_budget("full").steps > get_budget("quick").steps
    assert len(get_budget("full").seeds) >= 3
    with pytest.raises(ModelError, match="quick, full"):
        get_budget("medium")


# --------------------------------------------------------------------------- baselines, scores


def test_crps_scores_an_ensemble() -> None:
    ens = np.array([[0.0, 0.0, 0.0, 0.0], [-1.0, 1.0, -1.0, 1.0]])
    c = crps(ens, np.array([0.0, 0.0]))
    assert c[0] == pytest.approx(0.0) and c[1] > 0


# --------------------------------------------------------------------------- outlook and levers


def test_lever_forcing_sets_only_the_future() -> None:
    f = Forcing.flat(month_range("2025-01", 20), {"treaties": 0.4})
    vals = np.array([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.6, 3.0])
    g = lever_forcing(f, 10, vals)
    assert g.series["track_arms"][:10].sum() == 0 and np.all(g.series["track_arms"][10:] == 0.3)
    assert g.series["concession_us"][12] == 0.5 and g.series["concession_ru"][12] == 0.6
    assert np.all(g.series["treaties"][13:] == 0.7) and np.all(g.series["treaties"][:13] == 0.4)
    # the switch is on (0.9 >= 0.5): a move of size 0.6 three months after the origin
    assert g.series["reset_us"][13] == 0.6 and g.series["reset_us"].sum() == 0.6
    none = lever_forcing(f, 10, np.r_[vals[:7], 0.4, 0.6, 3.0])  # the switch is off
    assert not none.series["reset_us"].any()
    assert [lv.name for lv in LEVERS][:3] == ["track_bureaucratic", "track_arms", "track_regional"]
    # a move timed after the forcing's last month cannot act inside the window: left out
    late = lever_forcing(f, 10, np.r_[vals[:9], 12.0])
    assert not late.series["reset_us"].any() and np.all(late.series["track_arms"][10:] == 0.3)


def test_outlook_and_levers_small() -> None:
    names = ("valdai-2011", "null")
    ps = {n: _persp(n) for n in names}
    data = record()
    posts = {n: fit(p, data, base(), budget=TINY, seed=0) for n, p in ps.items()}
    o = outlook(ps, posts, data, base(), "2025-02", budget=TINY, seed=0)
    assert list(o.table["perspective"]) == list(names)
    assert o.table[["p_hold_12", "p_hold_24"]].stack().between(0, 1).all()
    assert (o.table["p_hold_24"] <= o.table["p_hold_12"]).all()
    assert o.table[["mc_se_12", "mc_se_24"]].stack().between(0, 0.5).all()
    # the forecast starts after the last month; the months since the reset are conditioned on
    assert o.origin == str(data.last_month + 1)
    assert len(o.observed) == data.last_month.ordinal - pd.Period("2025-02", freq="M").ordinal + 1
    assert set(o.fans["month"]) >= {str(data.last_month + 1), "2027-02"}
    again = outlook(ps, posts, data, base(), "2025-02", budget=TINY, seed=0)
    pd.testing.assert_frame_equal(o.table, again.table)
    la = levers(ps["valdai-2011"], posts["valdai-2011"], data, base(), "2025-02", budget=TINY)
    cols = [
        "perspective",
        "lever",
        "s1",
        "s1_conf",
        "st",
        "st_conf",
        "st_lo",
        "st_hi",
        "var_y",
        "n",
    ]
    assert list(la.table.columns[: len(cols)]) == cols
    assert (la.table["n"] == TINY.sobol_n).all() and la.table["var_y"].nunique() == 1
    assert float(la.table["var_y"].iloc[0]) >= 0
    assert set(la.table["lever"]) == {lv.name for lv in LEVERS}
    kept = la.table[~la.table["screened_out"]]
    assert len(kept) >= 3 and kept[["s1", "st"]].notna().all().all()
    assert (kept["st_lo"] <= kept["st"]).all() and (kept["st"] <= kept["st_hi"]).all()
    assert la.table.loc[la.table["screened_out"], "st"].isna().all()
    with pytest.raises(ModelError, match="over 24 months old"):
        outlook(ps, posts, data, base(), "2020-01", budget=TINY)


def test_results_are_cached_by_what_they_depend_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resetlab.fit.pipeline import Pipeline
    from resetlab.record.store import Store

    monkeypatch.setenv("RESETLAB_HOME", str(tmp_path))
    calls = []

    def make() -> pd.DataFrame:
        calls.append(1)
        return pd.DataFrame({"x": [len(calls)]})

    with Store.open(":memory:", build=True) as s:
        first = Pipeline.create(s, "quick", log=lambda m: None)._cached("claims", make)
        again = Pipeline.create(s, "quick", log=lambda m: None)._cached("claims", make)
        assert len(calls) == 1 and again.equals(first)
        files = sorted((tmp_path / "cache" / "fit").glob("claims-quick-*.bin"))
        assert len(files) == 1
        # another seed is another result; the stale entry is pruned
        Pipeline.create(s, "quick", seed=7, log=lambda m: None)._cached("claims", make)
        assert len(calls) == 2
        files2 = sorted((tmp_path / "cache" / "fit").glob("claims-quick-*.bin"))
        assert len(files2) == 1 and files2 != files
        Pipeline.create(s, "quick", cache=False, log=lambda m: None)._cached("claims", make)
        assert len(calls) == 3
