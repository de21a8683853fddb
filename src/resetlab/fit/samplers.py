"""The emcee samplers a fit can run: plain emcee, or Monte Carlo within Metropolis (MCWM).

A synthetic log-likelihood is an estimate: at a fixed parameter set it varies across
simulation seeds (``loglik_noise_sd`` in a fit's diagnostics). Plain emcee keeps the estimate
each walker had when it last moved, so a walker that drew a lucky over-estimate is hardly
ever accepted away from it (pseudo-marginal "sticking"; Andrieu & Roberts 2009, *Ann.
Statist.* 37(2); Doucet, Pitt, Deligiannidis & Kohn 2015, *Biometrika* 102(2)).

``"emcee-mcwm"`` re-estimates the log-likelihood of every walker's *current* point with fresh
simulations at every step, before the accept test, so an over-estimate lasts one step. That
removes the sticking but no longer targets the posterior exactly: the noise of the
log-ratio enters every accept test, and with Gaussian noise of sd ``s`` nats per estimate
the chain's stationary law is wider than the posterior (on a unit Gaussian target, sd 1.25
at ``s = 1`` and 1.75 at ``s = 3``, ``tests/fit/test_samplers.py``; Medina-Aguayo, Lee &
Roberts 2016, *Statistics and Computing* 26, on the noisy chain). :class:`MCWMStretchMove`
takes a ``penalty``: Ceperley & Dewing's (1999, *J. Chem. Phys.* 110, 9812) correction, which
for Gaussian log-likelihood noise of known variance ``s^2`` per estimate subtracts half the
log-ratio's variance (``s^2``) in the accept test and samples the posterior exactly, at a
much lower acceptance. The fit uses ``penalty=0`` (its noise variance is not known in
advance at each point); ``docs/fit.md`` says what that costs.

``"emcee-crn"`` is emcee's own stretch move on a log-likelihood made with common random
numbers: replicate ``r`` of every walker simulates with the same numbers, so the estimate is
a deterministic function of the parameters for one seed (a walker cannot keep a lucky
estimate that the same point would not get again) and the chain targets the posterior
conditional on that one set of numbers. Price, Drovandi, Lee & Nott's BSL (2018, *J. Comput.
Graph. Statist.* 27(1)) instead simulates afresh at every proposal, a noisy likelihood;
common random numbers are the simulation literature's device for comparing parameter
settings on the same numbers (Glasserman & Yao 1992, *Management Science* 38(6)).
``docs/fit.md`` says what that costs.

``"crn-metropolis"`` samples the same common-random-numbers surface in two phases: a warm-up
of emcee's stretch move from dispersed prior draws (all of it discarded), then a few
independent random-walk Metropolis walkers per chain (emcee's :class:`~emcee.moves.GaussianMove`,
a fixed normal proposal, scaled ``2.38^2 / dim`` times the warm-up's covariance: Roberts,
Gelman & Gilks 1997, *Ann. Appl. Probab.* 7(1)), run in rounds until the diagnostics hold or
a cap is reached (:func:`resetlab.fit.calibrate.fit`). Why: split R-hat reads every walker
as a sequence, and it falls like ``1 + tau / (2 n)`` in a sequence's length ``n``, so the
24 short walkers of a stretch ensemble need many times the evaluations that two long
Metropolis walkers need for the same R-hat; a Metropolis walker moves alone (its proposal
does not depend on the other walkers), so the walkers of every chain are independent
Markov chains with a fixed kernel, and the proposal stays fixed through the kept draws.

The MCWM move is an :mod:`emcee.moves` subclass, not a hand-written sampler: it wraps emcee's
own stretch move, only refreshing the state's log-probabilities before emcee's accept loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import emcee
import numpy as np
from emcee.moves import StretchMove
from emcee.state import State

from resetlab.exceptions import ModelError

#: The samplers a :class:`resetlab.fit.budget.Budget` may name.
SAMPLERS = ("emcee", "emcee-mcwm", "emcee-crn", "crn-metropolis")
#: The samplers whose log-likelihood is simulated with common random numbers.
COMMON_NUMBERS = ("emcee-crn", "crn-metropolis")
#: Roberts, Gelman & Gilks' (1997) scale of a random-walk proposal: 2.38^2 / dim.
RWM_SCALE = 2.38**2


def check_sampler(name: str) -> str:
    """``name`` if it is a known sampler; :class:`ModelError` listing the known ones otherwise."""
    if name not in SAMPLERS:
        raise ModelError(f"unknown sampler {name!r} (known: {', '.join(SAMPLERS)})")
    return name


class MCWMStretchMove(StretchMove):  # type: ignore[misc]
    """emcee's stretch move with the current points' log-probabilities re-estimated first.

    Each step calls the log-probability once on all walkers' current positions (one
    vectorised call) and then runs emcee's stretch move from those fresh values: a step
    costs two evaluations per walker instead of one. ``penalty`` (nats, >= 0) is subtracted
    from every accept test's log-ratio (Ceperley & Dewing's correction when it equals the
    variance of one log-likelihood estimate; 0: plain MCWM).
    """

    def __init__(self, *, penalty: float, a: float = 2.0) -> None:
        if not np.isfinite(penalty) or penalty < 0:
            raise ModelError(f"the MCWM penalty must be a finite number >= 0, got {penalty}")
        self.penalty = float(penalty)
        super().__init__(a=a)

    def get_proposal(
        self, s: np.ndarray, c: list[np.ndarray], random: Any
    ) -> tuple[np.ndarray, np.ndarray]:
        q, factors = super().get_proposal(s, c, random)
        return q, factors - self.penalty

    def propose(self, model: Any, state: State) -> tuple[State, np.ndarray]:
        log_prob, blobs = model.compute_log_prob_fn(state.coords)
        fresh = State(state.coords, log_prob=log_prob, blobs=blobs, random_state=state.random_state)
        return super().propose(model, fresh)  # type: ignore[no-any-return]


def ensemble(
    walkers: int,
    dim: int,
    log_prob: Callable[[np.ndarray], np.ndarray],
    sampler: str,
    seed: np.random.SeedSequence,
) -> emcee.EnsembleSampler:
    """An emcee ensemble (``vectorize=True``) for ``sampler``, its moves seeded by ``seed``.

    ``"emcee"`` and ``"emcee-crn"``: emcee's default stretch move (the two differ only in
    the random numbers ``log_prob`` simulates with: :mod:`resetlab.fit.calibrate`);
    ``"emcee-mcwm"``: :class:`MCWMStretchMove` without a penalty (``log_prob`` must then
    draw fresh simulations at every call).
    """
    check_sampler(sampler)
    moves = MCWMStretchMove(penalty=0.0) if sampler == "emcee-mcwm" else None
    out = emcee.EnsembleSampler(walkers, dim, log_prob, vectorize=True, moves=moves)
    out.random_state = move_state(seed)
    return out


def move_state(seed: np.random.SeedSequence) -> Any:
    """A ``numpy.random.RandomState`` state seeded by ``seed`` (emcee draws its moves from one)."""
    return np.random.RandomState(np.random.MT19937(seed.generate_state(1)[0])).get_state()


def proposal_cov(draws: np.ndarray) -> np.ndarray:
    """The random-walk proposal's covariance from warm-up ``draws`` (n x dim): their
    covariance times :data:`RWM_SCALE` / dim; :class:`ModelError` if it is not positive
    definite (the warm-up did not move in some direction)."""
    x = np.asarray(draws, dtype=float)
    dim = x.shape[1]
    cov = np.atleast_2d(np.cov(x, rowvar=False)) * RWM_SCALE / dim
    sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    flat = not np.all(np.isfinite(cov)) or np.any(sd <= 1e-12 * np.maximum(1.0, np.abs(x).max(0)))
    if flat or np.linalg.eigvalsh(cov / np.outer(sd, sd)).min() <= 1e-10:
        raise ModelError(
            "the warm-up's draws have no spread in some direction (covariance not positive "
            "definite): run more warm-up steps or more walkers"
        )
    return cov


def metropolis(
    walkers: int,
    dim: int,
    log_prob: Callable[[np.ndarray], np.ndarray],
    cov: np.ndarray,
    random_state: Any,
) -> emcee.EnsembleSampler:
    """``walkers`` independent random-walk Metropolis chains (emcee's ``GaussianMove`` with
    covariance ``cov``; one vectorised ``log_prob`` call per step for all of them), their
    proposals drawn from ``random_state`` (a ``RandomState`` state: a round continues where
    the previous one stopped)."""
    move = emcee.moves.GaussianMove(np.asarray(cov, dtype=float))
    out = emcee.EnsembleSampler(walkers, dim, log_prob, vectorize=True, moves=move)
    out.random_state = random_state
    return out
