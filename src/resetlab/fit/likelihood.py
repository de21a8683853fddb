"""Bayesian synthetic likelihood (Price, Drovandi, Lee & Nott 2018) on summaries of the index.

The measured index and each member's simulated index (:mod:`resetlab.fit.observe`) are
reduced to the same summaries (:func:`summary_names`): the mean level in each era, the spread of the
level and of its monthly and yearly changes, three autocorrelations and the mean of the last
twelve months. For one parameter set, its ``reps`` members give
replicate summary vectors; the synthetic likelihood is the normal density of the measured
summaries under those replicates' mean and covariance::

    log L(theta) = log N(s_obs; mu_hat(theta), Sigma_hat(theta))

Summaries rather than months: the monthly residuals of a smooth index are strongly
autocorrelated (a month-by-month likelihood counts one stretch of data a dozen times over),
while each summary compresses many months into one roughly normal number, whose correlation
with the others the covariance carries. ``Sigma_hat`` is the sample covariance (``ddof=1``)
plus a small ridge on its diagonal (:data:`RIDGE` times each summary's own variance) so that
it is positive definite at any ``reps > d``. Price et al.'s unbiased estimator of the normal
density was not used: it is zero (log-likelihood minus infinity) wherever the measured
summaries lie outside the replicates' spread, which stalls MCMC walkers started in the
prior's tails. ``docs/fit.md`` gives the summaries' choice, the replicate count and the
noise of the estimate at fixed parameters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resetlab.exceptions import FitError

#: Era boundaries (first month of each era) for the mean level per era.
ERAS: tuple[tuple[str, str], ...] = (
    ("1992-99", "1992-01"),
    ("2000-07", "2000-01"),
    ("2008-13", "2008-01"),
    ("2014-21", "2014-01"),
    ("2022-", "2022-01"),
)
#: An era enters the summaries once the fitted window holds this many of its months.
MIN_ERA_MONTHS = 12
#: Ridge added to the covariance's diagonal, as a share of each summary's variance.
RIDGE = 1e-3
#: Smallest variance a summary's ridge is scaled by (a summary constant across replicates).
VAR_FLOOR = 1e-6


def summary_names(months: pd.PeriodIndex) -> tuple[str, ...]:
    """The summaries used for an index over ``months`` (eras with too few months drop)."""
    return tuple(f"mean_{name}" for name, _ in _eras(months)) + (
        "sd_level",
        "log_sd_change",
        "acf1_level",
        "acf12_level",
        "acf1_change",
        "log_sd_change12",
        "mean_last12",
    )


def _eras(months: pd.PeriodIndex) -> list[tuple[str, np.ndarray]]:
    out = []
    starts = [pd.Period(s, freq="M") for _, s in ERAS]
    for i, (name, _) in enumerate(ERAS):
        lo = starts[i]
        hi = starts[i + 1] if i + 1 < len(starts) else None
        mask = (months >= lo) if hi is None else ((months >= lo) & (months < hi))
        mask = np.asarray(mask, dtype=bool)
        if mask.sum() >= MIN_ERA_MONTHS:
            out.append((name, mask))
    return out


def _acf(x: np.ndarray, lag: int) -> np.ndarray:
    """Lag-``lag`` autocorrelation of each column of ``x`` (months x series)."""
    d = x - x.mean(axis=0)
    num = (d[lag:] * d[:-lag]).sum(axis=0)
    den = (d * d).sum(axis=0)
    return np.asarray(num / np.where(den > 0, den, np.inf))


def summaries(index: np.ndarray, months: pd.PeriodIndex) -> np.ndarray:
    """Summary vectors (series x :func:`summary_names`) of ``index`` (months x series)."""
    x = np.asarray(index, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.shape[0] != len(months):
        raise FitError(f"the index has {x.shape[0]} months, the window {len(months)}")
    if x.shape[0] < 24:
        raise FitError(f"summaries need at least 24 months, got {x.shape[0]}")
    if not np.isfinite(x).all():
        raise FitError("the index has missing months inside the fitted window")
    dx = np.diff(x, axis=0)
    cols = [x[mask].mean(axis=0) for _, mask in _eras(months)]
    cols += [
        x.std(axis=0, ddof=1),
        np.log(np.maximum(dx.std(axis=0, ddof=1), 1e-12)),
        _acf(x, 1),
        _acf(x, 12),
        _acf(dx, 1),
        np.log(np.maximum((x[12:] - x[:-12]).std(axis=0, ddof=1), 1e-12)),
        x[-12:].mean(axis=0),
    ]
    return np.column_stack(cols)


def synthetic_loglik(sim: np.ndarray, observed: np.ndarray, reps: int) -> np.ndarray:
    """Gaussian synthetic log-likelihood of ``observed`` (d) per parameter set.

    ``sim`` is (sets * reps) x d summary vectors, the members of a set adjacent. Needs
    ``reps > d + 1`` replicates for a usable covariance.
    """
    s = np.asarray(sim, dtype=np.float64)
    obs = np.asarray(observed, dtype=np.float64)
    n_rows, d = s.shape
    if obs.shape != (d,):
        raise FitError(f"observed summaries have shape {obs.shape}, simulated {d} columns")
    if reps <= d + 1:
        raise FitError(f"{reps} replicates per parameter set for {d} summaries: need > {d + 1}")
    if n_rows % reps:
        raise FitError(f"{n_rows} members are not a whole number of sets of {reps}")
    x = s.reshape(n_rows // reps, reps, d)
    mu = x.mean(axis=1)
    dev = x - mu[:, None, :]
    cov = np.einsum("kri,krj->kij", dev, dev) / (reps - 1)
    diag = np.einsum("kii->ki", cov)
    scale = np.maximum(diag, VAR_FLOOR)
    cov = cov + RIDGE * np.einsum("ki,ij->kij", scale, np.eye(d))
    resid = obs[None, :] - mu
    sign, logdet = np.linalg.slogdet(cov)
    quad = np.einsum("ki,ki->k", resid, np.linalg.solve(cov, resid[..., None])[..., 0])
    out = -0.5 * (quad + logdet + d * np.log(2 * np.pi))
    return np.where((sign > 0) & np.isfinite(out), out, -np.inf)
