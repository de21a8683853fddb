"""The crn-metropolis sampler: a stretch warm-up, then independent random-walk Metropolis
walkers on the common-random-numbers surface, in rounds until the diagnostics hold or a cap.

On a toy target its walkers sample the right law and their R-hat falls below 1.01; on the
real fit it is deterministic per seed, stores every point's own log posterior, stops at the
first round whose diagnostics hold and otherwise at the cap, and says which; the backtest's
one-chain refits keep their own sampler, so their scores do not move."""

from __future__ import annotations

import dataclasses
import importlib

import numpy as np
import pandas as pd
import pytest
from fitkit import PERSPECTIVES, TINY, base, record

from resetlab.exceptions import FitError, ModelError
from resetlab.fit.backtest import run_backtest
from resetlab.fit.budget import BUDGETS, Budget
from resetlab.fit.calibrate import Target, _Chain, _log_prob_fn, _truncate, diagnose, fit
from resetlab.fit.history import history_forcing
from resetlab.fit.perspectives import ParameterSpace, load_perspectives
from resetlab.fit.samplers import RWM_SCALE, metropolis, move_state, proposal_cov
from resetlab.tasks import task_seed

#: The module (``resetlab.fit.calibrate`` the name is the package's function of that name).
calibrate = importlib.import_module("resetlab.fit.calibrate")

#: Two rounds of 8 Metropolis steps at most after a 4-step warm-up.
MH = dataclasses.replace(
    TINY, steps=4, burn=2, sampler="crn-metropolis", mh_walkers=2, mh_round=8, mh_max=16
)


def _gauss(theta: np.ndarray) -> np.ndarray:
    """Log density of a normal with means (1, -2) and sds (0.5, 2), vectorised."""
    z = (theta - np.array([1.0, -2.0])) / np.array([0.5, 2.0])
    return -0.5 * np.sum(z * z, axis=1)


def test_metropolis_walkers_sample_the_target_and_their_rhat_falls() -> None:
    rng = np.random.default_rng(0)
    warm = rng.normal([1.0, -2.0], [0.5, 2.0], size=(200, 2))
    cov = proposal_cov(warm)
    np.testing.assert_allclose(np.diag(cov), np.var(warm, axis=0, ddof=1) * RWM_SCALE / 2)
    chains = []
    for k in range(4):  # four independent chains of two walkers, each with its own seed
        s = metropolis(2, 2, _gauss, cov, move_state(np.random.SeedSequence([3, k])))
        s.run_mcmc(warm[2 * k : 2 * k + 2], 4000, skip_initial_state_check=True)
        chains.append(s.get_chain()[2000:])
    kept = np.concatenate(chains, axis=1)  # steps x walkers x dim
    flat = kept.reshape(-1, 2)
    np.testing.assert_allclose(flat.mean(axis=0), [1.0, -2.0], atol=0.1)
    np.testing.assert_allclose(flat.std(axis=0), [0.5, 2.0], rtol=0.1)
    d = diagnose(np.swapaxes(kept, 0, 1), 0.0, 4)
    assert d["rhat_max"] < 1.01 and d["ess_bulk_min"] >= 400 and d["converged"]
    # the same walkers after only 60 steps have not forgotten their starts as well
    short = diagnose(np.swapaxes(np.concatenate([c[:60] for c in chains], axis=1), 0, 1), 0, 4)
    assert not short["converged"]


def test_the_proposal_refuses_a_warm_up_that_did_not_move() -> None:
    stuck = np.column_stack([np.linspace(0, 1, 20), np.full(20, 0.3)])
    with pytest.raises(ModelError, match="no spread"):
        proposal_cov(stuck)


def test_a_budget_checks_its_metropolis_sizes() -> None:
    with pytest.raises(ModelError, match="mh_max"):
        dataclasses.replace(MH, mh_max=7)
    with pytest.raises(ModelError, match="mh_round >= 8"):
        dataclasses.replace(MH, mh_round=6, mh_max=12)
    with pytest.raises(ModelError, match="one"):
        dataclasses.replace(MH, refit_sampler="crn-metropolis")
    assert BUDGETS["full"].sampler == "crn-metropolis"
    assert BUDGETS["full"].refit_sampler == "emcee"
    assert isinstance(BUDGETS["quick"], Budget) and BUDGETS["quick"].planned_steps == 40


def test_a_crn_metropolis_fit_is_deterministic_and_says_what_it_ran() -> None:
    name = "deyermond-2024"
    persp = load_perspectives(PERSPECTIVES, (name,))[name]
    one = fit(persp, record(), base(), budget=MH, seed=5)
    two = fit(persp, record(), base(), budget=MH, seed=5)
    np.testing.assert_array_equal(one.samples, two.samples)
    d = one.diagnostics
    assert d is not None and d["sampler"] == "crn-metropolis"
    assert d["warmup_steps"] == 4 and d["metropolis_walkers"] == 2
    assert d["metropolis_steps"] in (8, 16) and d["steps"] == 4 + d["metropolis_steps"]
    assert d["burn"] == 4 + d["metropolis_steps"] // 2
    # kept: the last half of the Metropolis steps of 2 walkers in each of the 2 chains
    assert len(one.samples) == d["metropolis_steps"] // 2 * 2 * 2
    assert d["walkers"] == 4 and d["draws_per_walker"] == d["metropolis_steps"] // 2
    assert d["stopped"] == ("converged" if d["converged"] else "cap")
    assert 0 <= one.acceptance <= 1
    from resetlab.report.fit_sections import diagnostics_html

    html = diagnostics_html(one, "tiny")
    assert f"for {d['metropolis_steps']} steps" in html and "the same random numbers" in html
    # every stored log posterior is the point's own value under the fit seed's numbers
    vintage = record().vintage()
    forcing, n_hist = history_forcing(base(), vintage, 1)
    forcing = _truncate(forcing, n_hist)
    c = _Chain(persp, base(), forcing, Target.of(vintage, n_hist), MH, 5,
               task_seed(5, ("chain", 0)))  # fmt: skip
    lp = _log_prob_fn(c, ParameterSpace.of(persp), None)
    pick = np.random.default_rng(0).choice(len(one.samples), 5, replace=False)
    alone = np.array([lp(one.samples[i : i + 1])[0] for i in pick])
    np.testing.assert_allclose(one.log_prob[pick], alone, rtol=0, atol=1e-8)


def test_the_rounds_stop_when_the_diagnostics_hold_and_at_the_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    persp = load_perspectives(PERSPECTIVES, ("null",))["null"]
    real = calibrate.diagnose
    calls: list[int] = []

    def holds_after_first(chains: np.ndarray, noise: float, n: int) -> dict:  # type: ignore[type-arg]
        calls.append(chains.shape[1])
        return {**real(chains, noise, n), "converged": True}

    monkeypatch.setattr(calibrate, "diagnose", holds_after_first)
    post = fit(persp, record(), base(), budget=MH, seed=1)
    assert post.diagnostics is not None
    assert post.diagnostics["metropolis_steps"] == 8 and post.diagnostics["stopped"] == "converged"
    assert calls[0] == 4  # the rule read the last half of the first round's 8 steps

    def never(chains: np.ndarray, noise: float, n: int) -> dict:  # type: ignore[type-arg]
        return {**real(chains, noise, n), "converged": False}

    monkeypatch.setattr(calibrate, "diagnose", never)
    capped = fit(persp, record(), base(), budget=MH, seed=1)
    assert capped.diagnostics is not None
    assert capped.diagnostics["metropolis_steps"] == 16 and capped.diagnostics["stopped"] == "cap"


def test_crn_metropolis_needs_two_chains() -> None:
    persp = load_perspectives(PERSPECTIVES, ("null",))["null"]
    with pytest.raises(FitError, match="2\\+"):
        fit(persp, record(), base(), budget=MH, seed=0, chains=1)


def test_the_backtest_refits_keep_their_own_sampler() -> None:
    ps = load_perspectives(PERSPECTIVES, names=("null",))
    plain = dataclasses.replace(TINY, origin_step=96)
    a = run_backtest(ps, record(), base(), budget=plain, jobs=1).scores
    b = run_backtest(ps, record(), base(), budget=dataclasses.replace(plain, sampler=MH.sampler),
                     jobs=1).scores  # fmt: skip
    key = ["model", "seed", "origin", "horizon"]
    pd.testing.assert_frame_equal(
        a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True),
        check_exact=True,
    )  # fmt: skip
