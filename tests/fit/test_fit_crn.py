"""The opt-in common-random-numbers sampler: a point's synthetic log-likelihood is the same
whatever the other walkers of the call (it is not under the default sampler), the same in
every chain, deterministic per seed; the default sampler draws every member's own numbers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from fitkit import PERSPECTIVES, TINY, base, record

from resetlab.fit.calibrate import Target, _Chain, _log_prob_fn, _truncate, fit
from resetlab.fit.history import history_forcing
from resetlab.fit.perspectives import ParameterSpace, load_perspectives
from resetlab.tasks import task_seed

#: Enough kept steps (4) for the fit to compute its diagnostics.
SHORT = dataclasses.replace(TINY, steps=5, burn=1)
CRN = dataclasses.replace(SHORT, sampler="emcee-crn")
#: null (no mechanism), carpenter-2019 (m10's spontaneous ratchets draw uniforms every
#: month), deyermond-2024 (m18 draws at leader changes).
NAMES = ("null", "carpenter-2019", "deyermond-2024")


def _log_prob(name: str, sampler: str, seed: int = 0):  # type: ignore[no-untyped-def]
    """The fit's log posterior of a block of walkers, and the perspective's parameter space."""
    persp = load_perspectives(PERSPECTIVES, (name,))[name]
    vintage = record().vintage()
    forcing, n_hist = history_forcing(base(), vintage, 1)
    forcing = _truncate(forcing, n_hist)
    budget = dataclasses.replace(TINY, sampler=sampler)
    c = _Chain(persp, base(), forcing, Target.of(vintage, n_hist), budget, seed,
               task_seed(seed, ("chain", 0)))  # fmt: skip
    space = ParameterSpace.of(persp)
    return _log_prob_fn(c, space, None), space


@pytest.mark.parametrize("name", NAMES)
def test_a_points_loglik_does_not_depend_on_the_other_walkers(name: str) -> None:
    crn, space = _log_prob(name, "emcee-crn")
    plain, _ = _log_prob(name, "emcee")
    theta = space.sample(np.random.default_rng(2), 4)
    for lp in (crn, plain):
        np.testing.assert_array_equal(lp(theta), lp(theta))  # every call repeats exactly
    # the point theta[0] alone, first of four, last of three in another order
    orders = ([0], [0, 1, 2, 3], [3, 1, 0])
    c = [crn(theta[o])[o.index(0)] for o in orders]
    p = [plain(theta[o])[o.index(0)] for o in orders]
    assert np.all(np.isfinite(c)) and np.all(np.isfinite(p))
    # common random numbers: the same value in every batch (to the rounding of a matrix
    # product whose blocking depends on its width: far below a nat)
    np.testing.assert_allclose(c, c[0], rtol=0, atol=1e-8)
    # the default sampler: another value beside other walkers (the property it lacks)
    assert max(abs(x - p[0]) for x in p[1:]) > 0.01
    # alone, a point gets the same numbers under both (one set: the plain generator's)
    assert abs(c[0] - p[0]) < 1e-8


def test_the_loglik_is_a_function_of_the_seed() -> None:
    a, space = _log_prob("null", "emcee-crn", seed=0)
    b, _ = _log_prob("null", "emcee-crn", seed=1)
    theta = space.sample(np.random.default_rng(3), 3)
    assert np.abs(a(theta) - b(theta)).min() > 1e-3


def test_a_crn_fit_is_deterministic_and_its_chains_share_one_likelihood() -> None:
    persp = load_perspectives(PERSPECTIVES, ("deyermond-2024",))["deyermond-2024"]
    one = fit(persp, record(), base(), budget=CRN, seed=5)
    two = fit(persp, record(), base(), budget=CRN, seed=5)
    np.testing.assert_array_equal(one.samples, two.samples)
    np.testing.assert_array_equal(one.log_prob, two.log_prob)
    assert one.diagnostics is not None and one.diagnostics["sampler"] == "emcee-crn"
    # every stored log posterior, from whichever chain and batch, is the point's value alone
    lp, _ = _log_prob("deyermond-2024", "emcee-crn", seed=5)
    pick = np.random.default_rng(0).choice(len(one.samples), 6, replace=False)
    alone = np.array([lp(one.samples[i : i + 1])[0] for i in pick])
    np.testing.assert_allclose(one.log_prob[pick], alone, rtol=0, atol=1e-8)
    plain = fit(persp, record(), base(), budget=SHORT, seed=5)
    lp0, _ = _log_prob("deyermond-2024", "emcee", seed=5)
    pick = np.random.default_rng(0).choice(len(plain.samples), 6, replace=False)
    alone = np.array([lp0(plain.samples[i : i + 1])[0] for i in pick])
    assert np.abs(plain.log_prob[pick] - alone).max() > 0.01


@pytest.mark.parametrize("name", ("null", "deyermond-2024"))
def test_the_default_sampler_draws_every_members_own_numbers(name: str) -> None:
    """The default sampler's log posterior of a batch is the plain engine's (no common
    numbers): each member its own engine and observation draws, as before CRN existed."""
    from resetlab.fit.calibrate import index_loglik, simulate_relations, streams
    from resetlab.model.engine import run_chunk

    lp, space = _log_prob(name, "emcee", seed=3)
    persp = load_perspectives(PERSPECTIVES, (name,))[name]
    vintage = record().vintage()
    forcing, n_hist = history_forcing(base(), vintage, 1)
    forcing = _truncate(forcing, n_hist)
    theta = space.sample(np.random.default_rng(4), 3)
    members = np.repeat(theta, TINY.reps, axis=0)
    engine, observe = streams(3)
    sim = simulate_relations(persp, base(), forcing, members, space.names, engine)
    # simulate_relations without common numbers is run_chunk with a plain generator
    from resetlab.fit.calibrate import _RELATIONS, spec_for

    spec = spec_for(persp, base(), forcing, members, space.names)
    ref = run_chunk(spec, len(members), streams(3)[0], record=_RELATIONS)[:, 0, :]
    np.testing.assert_array_equal(sim, ref)
    ll = index_loglik(sim, Target.of(vintage, n_hist), TINY.reps, observe, TINY.mean_adjust)
    np.testing.assert_allclose(lp(theta), space.log_prior(theta) + ll, rtol=0, atol=1e-9)
