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

**Mean-adjusted SL, Gamma profiled at its posterior mode** (:func:`mean_adjusted_loglik`).
When no parameter set can reproduce some summaries (misspecification), the measured vector
lies far out in the replicates' distribution and the Gaussian log density is dominated by a
large Mahalanobis term whose value swings with the replicates. Frazier & Drovandi (2021,
"Robust approximate Bayesian inference with synthetic likelihood", *J. Comput. Graph.
Stat.* 30) let each summary's mean be shifted by ``sigma_i * Gamma_i`` (``sigma_i`` its
replicate sd) with a Laplace prior of scale ``lambda`` on each ``Gamma_i`` (0.5 here), and
sample Gamma beside the parameters. The emcee fits here cannot carry twelve more
dimensions (an ensemble needs more than twice as many walkers as dimensions), so Gamma is
*profiled*: for each parameter set it is set to the mode of its conditional posterior,

    Gamma_hat = argmax_G  log N(s_obs; mu_hat + sigma * G, Sigma_hat) - sum_i |G_i| / lambda,

a lasso problem in the standardised residual ``z = (s_obs - mu_hat) / sigma``:
``min_G 0.5 (z - G)' R^-1 (z - G) + |G|_1 / lambda`` with ``R`` the replicates' correlation
matrix. The log-likelihood is the penalised maximum (the Laplace prior's constant
``-d log(2 lambda)``, zero at lambda 0.5, is left out, so that ``Gamma_hat = 0`` gives the plain
value exactly). A summary the model matches gets ``Gamma_hat = 0``; one it cannot gets a
shift, and its contribution to the log-likelihood grows linearly rather than quadratically
with its misfit (for uncorrelated summaries the profile is Huber's loss with threshold
``1 / lambda`` sd), which is what takes the seed noise out. ``Gamma_hat`` is returned so that
a fit can say which summaries the model cannot match.
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
#: Laplace scale ``lambda`` of the mean adjustment's prior on each Gamma_i (Frazier & Drovandi).
LAPLACE_SCALE = 0.5


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


def _moments(sim: np.ndarray, observed: np.ndarray, reps: int) -> tuple[np.ndarray, np.ndarray]:
    """Per parameter set: the residual ``s_obs - mu_hat`` (sets x d) and the ridged covariance."""
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
    return obs[None, :] - mu, cov


def _gaussian(resid: np.ndarray, cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log density of ``resid`` under N(0, cov) per set, and whether cov was usable."""
    d = resid.shape[1]
    sign, logdet = np.linalg.slogdet(cov)
    quad = np.einsum("ki,ki->k", resid, np.linalg.solve(cov, resid[..., None])[..., 0])
    out = -0.5 * (quad + logdet + d * np.log(2 * np.pi))
    return out, (sign > 0) & np.isfinite(out)


def synthetic_loglik(
    sim: np.ndarray, observed: np.ndarray, reps: int, *, mean_adjust: float | None = None
) -> np.ndarray:
    """Gaussian synthetic log-likelihood of ``observed`` (d) per parameter set.

    ``sim`` is (sets * reps) x d summary vectors, the members of a set adjacent. Needs
    ``reps > d + 1`` replicates for a usable covariance. ``mean_adjust``: the Laplace scale
    ``lambda`` of the mean-adjusted SL with Gamma profiled at its posterior mode
    (:func:`mean_adjusted_loglik`); ``None`` gives the plain BSL.
    """
    if mean_adjust is not None:
        return mean_adjusted_loglik(sim, observed, reps, mean_adjust)[0]
    resid, cov = _moments(sim, observed, reps)
    out, ok = _gaussian(resid, cov)
    return np.where(ok, out, -np.inf)


def mean_adjusted_loglik(
    sim: np.ndarray, observed: np.ndarray, reps: int, scale: float = LAPLACE_SCALE
) -> tuple[np.ndarray, np.ndarray]:
    """Mean-adjusted SL, Gamma profiled at its posterior mode: log-likelihood and Gamma_hat.

    Returns the penalised maximum over Gamma (one value per parameter set) and Gamma_hat
    (sets x d, in units of each summary's replicate sd); see the module's docstring. A set
    whose covariance is unusable gets ``-inf`` and a Gamma of NaN.
    """
    if not (np.isfinite(scale) and scale > 0):
        raise FitError(f"the Laplace scale of the mean adjustment must be > 0, got {scale}")
    resid, cov = _moments(sim, observed, reps)
    sd = np.sqrt(np.einsum("kii->ki", cov))
    corr = cov / (sd[:, :, None] * sd[:, None, :])
    gamma = profile_gamma(resid / sd, corr, 1.0 / scale)
    usable = np.isfinite(gamma).all(axis=1)
    shift = np.where(usable[:, None], gamma, 0.0)
    out, ok = _gaussian(resid - sd * shift, cov)
    out = out - np.abs(shift).sum(axis=1) / scale
    ok &= usable
    return np.where(ok, out, -np.inf), np.where(ok[:, None], gamma, np.nan)


def profile_gamma(z: np.ndarray, corr: np.ndarray, penalty: float) -> np.ndarray:
    """``argmin_G 0.5 (z - G)' R^-1 (z - G) + penalty * |G|_1`` for each row of ``z``.

    ``z`` is sets x d, ``corr`` (``R``) sets x d x d, positive definite. The problem is a small,
    strictly convex lasso with one solution, solved through its dual, a box-constrained
    least-squares problem: with ``R = L L'``, ``u = argmin ||L' u - L^-1 z||^2`` over
    ``|u_i| <= penalty`` (``scipy.optimize.lsq_linear``, bounded-variable least squares, which
    ends at the exact solution), then ``G = z - R u``, exactly zero for every summary whose
    ``u_i`` lies strictly inside its bounds. A row with a non-finite ``z`` or a ``corr`` that is
    not positive definite gets NaN.
    """
    from scipy.optimize import lsq_linear

    z = np.asarray(z, dtype=np.float64)
    r = np.asarray(corr, dtype=np.float64)
    gamma = np.full_like(z, np.nan)
    for i in range(len(z)):
        if not (np.isfinite(z[i]).all() and np.isfinite(r[i]).all()):
            continue
        try:
            low = np.linalg.cholesky(r[i])
        except np.linalg.LinAlgError:
            continue
        rhs = np.linalg.solve(low, z[i])
        res = lsq_linear(low.T, rhs, bounds=(-penalty, penalty), method="bvls")
        gamma[i] = np.where(res.active_mask != 0, z[i] - r[i] @ res.x, 0.0)
    return gamma
