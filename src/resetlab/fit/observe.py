"""The observation step: simulated relations seen the way the record sees the real ones.

The model's ``relations`` variable is the latent level ``x_t`` of the index's state-space
model (:mod:`resetlab.index.kalman`), on the Goldstein scale. The record does not observe
``x_t``: it observes, in the months with events, the mean Goldstein weight of ``n_t`` events,
``events_t ~ N(x_t, sigma_event^2 / n_t)``, and the index is the Kalman smoother's estimate of
``x_t`` from that flow. :func:`simulate_index` does the same to every simulated member:

1. each month with ``n_t > 0`` events in the record gets a simulated event-flow mean drawn
   from ``N(x_t, sigma_event^2 / n_t)``; months with no events stay missing;
2. a Kalman filter and Rauch-Tung-Striebel smoother for the local-level model, with the
   vintage index's own ``sigma_event^2`` and ``sigma_level^2``, turns that flow into a
   simulated index.

The event counts are the record's (conditioning on when events were recorded, not on what
they said): ``docs/fit.md`` says why. The auxiliary indicators (contacts, incidents, UN votes,
treaties) are not simulated; they narrow the measured index's band but, with the dynamics
fixed by the event flow alone, do not change how fast it moves.

Why the filter is written here and not taken from statsmodels: statsmodels fits one series
per model object, and one likelihood call needs the smoothed index of thousands of members.
Because every member shares the record's event timing, the filter's variances and gains are
the same for all of them; only the means differ. So the variance recursion runs once over
the months and the mean recursion is one vectorised NumPy operation per month for all
members at once; and since the smoothed index is linear in the event flow with those shared
gains, :class:`Observer` keeps the smoother's weights and applies them as one matrix product. ``tests/fit/test_observe.py`` checks it against statsmodels' smoother.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import ThreadpoolController

from resetlab.exceptions import FitError

#: BLAS held to one thread for the smoother's product: a multi-threaded BLAS sums in an
#: order that depends on its thread count, so the same members would get a different index
#: (by rounding) in a process with two BLAS threads and in a cluster worker with one.
_BLAS = ThreadpoolController()


@dataclass(frozen=True)
class IndexNoise:
    """The vintage index's state-space parameters the observation step needs."""

    sigma2_event: float  # variance of one event's Goldstein weight about the month's level
    sigma2_level: float  # monthly variance of the level's random walk

    @classmethod
    def of(cls, params: dict[str, float], where: str = "the vintage index") -> IndexNoise:
        """From an index's ``params`` (:attr:`resetlab.index.kalman.IndexResult.params`)."""
        missing = [k for k in ("sigma2_event", "sigma2_level") if k not in params]
        if missing:
            raise FitError(f"{where}: parameters {missing} missing (estimate the index first)")
        out = cls(float(params["sigma2_event"]), float(params["sigma2_level"]))
        if not (out.sigma2_event > 0 and out.sigma2_level > 0):
            raise FitError(f"{where}: sigma2_event and sigma2_level must be > 0, got {out}")
        return out


def local_level_smoother(
    y: np.ndarray, obs_var: np.ndarray, sigma2_level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Smoothed level of ``y`` (months x members, NaN = missing) under a local-level model.

    ``x_t = x_{t-1} + w_t, w_t ~ N(0, sigma2_level)``; ``y_t = x_t + e_t,
    e_t ~ N(0, obs_var_t)``; exact diffuse initialisation (the first observed month sets the
    level). Missing months must be the same in every column (they are: the record's). Returns
    the smoothed means (months x members) and the smoothed variances (months), which are the
    same for every member.
    """
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 1:
        y = y[:, None]
    T = y.shape[0]
    h = np.broadcast_to(np.asarray(obs_var, dtype=np.float64), (T,))
    seen = np.isfinite(y)
    observed = seen.all(axis=1)
    if not np.array_equal(observed, seen.any(axis=1)):
        raise FitError("the missing months differ between members")
    if not observed.any():
        raise FitError("no observed month to estimate the level from")
    if np.any(h[observed] <= 0) or not sigma2_level > 0:
        raise FitError("observation and level variances must be > 0")
    q = float(sigma2_level)
    a_f = np.empty_like(y)  # filtered means
    p_f = np.full(T, np.inf)  # filtered variances (inf: diffuse, no observation yet)
    a = np.zeros(y.shape[1])
    p = np.inf
    for t in range(T):
        if t > 0:
            p = p + q
        if observed[t]:
            if np.isinf(p):
                a, p = y[t].copy(), float(h[t])
            else:
                k = p / (p + h[t])
                a = a + k * (y[t] - a)
                p = p * h[t] / (p + h[t])
        a_f[t], p_f[t] = a, p
    a_s = np.empty_like(y)
    p_s = np.empty(T)
    a_s[-1], p_s[-1] = a_f[-1], p_f[-1]
    for t in range(T - 2, -1, -1):
        if np.isinf(p_f[t]):  # before the first observation: the walk run backwards
            a_s[t], p_s[t] = a_s[t + 1], p_s[t + 1] + q
            continue
        j = p_f[t] / (p_f[t] + q)
        a_s[t] = a_f[t] + j * (a_s[t + 1] - a_f[t])
        p_s[t] = p_f[t] + j * j * (p_s[t + 1] - p_f[t] - q)
    return a_s, p_s


@dataclass(frozen=True)
class Observer:
    """The observation step for one record's event timing: draw an event flow, smooth it.

    The smoother is linear in the flow with weights that depend only on the event counts and
    the two variances, so they are computed once (:meth:`of`: the smoother run on the unit
    vectors of the observed months) and every call is one matrix product over all members.
    """

    n_events: np.ndarray  # the record's event count per month
    noise: IndexNoise
    observed: np.ndarray  # months with events (bool)
    flow_sd: np.ndarray  # sd of the month's event-flow mean, observed months only
    weights: np.ndarray  # months x observed months: smoothed index = weights @ flow
    sd: np.ndarray  # the simulated index's standard error per month

    @classmethod
    def of(cls, n_events: np.ndarray, noise: IndexNoise) -> Observer:
        n = np.asarray(n_events, dtype=np.float64)
        if n.ndim != 1 or np.any(~np.isfinite(n)) or np.any(n < 0):
            raise FitError("event counts must be a finite, non-negative series by month")
        has = n > 0
        if not has.any():
            raise FitError("no observed month to estimate the level from")
        h = noise.sigma2_event / np.where(has, n, 1.0)
        unit = np.full((len(n), int(has.sum())), np.nan)
        unit[has] = np.eye(int(has.sum()))
        weights, var = local_level_smoother(unit, np.where(has, h, 1.0), noise.sigma2_level)
        return cls(n, noise, has, np.sqrt(h[has]), weights, np.sqrt(var))

    def __call__(self, relations: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The simulated index (months x members) of ``relations`` (months x members)."""
        x = np.asarray(relations, dtype=np.float64)
        if x.ndim != 2 or x.shape[0] != len(self.n_events):
            raise FitError(
                f"relations {x.shape} and event counts {self.n_events.shape} do not match by month"
            )
        # drawn member by member (members x months), so a member's draws do not depend on
        # how many members there are: common random numbers hold when a call has fewer
        z = rng.standard_normal((x.shape[1], int(self.observed.sum()))).T
        flow = x[self.observed] + self.flow_sd[:, None] * z
        with _BLAS.limit(limits=1, user_api="blas"):
            return np.asarray(self.weights @ flow)


def simulate_index(
    relations: np.ndarray,
    n_events: np.ndarray,
    noise: IndexNoise,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """The simulated index of each member: smoothed mean (months x members) and sd (months).

    ``relations`` is months x members (the latent level), ``n_events`` the record's event
    count in each of those months (0: no events, the month stays missing).
    """
    x = np.asarray(relations, dtype=np.float64)
    n = np.asarray(n_events, dtype=np.float64)
    if x.ndim != 2 or n.shape != (x.shape[0],):
        raise FitError(f"relations {x.shape} and event counts {n.shape} do not match by month")
    obs = Observer.of(n, noise)
    return obs(x, rng), obs.sd
