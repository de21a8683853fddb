"""The monthly relations index: a latent level seen through several noisy indicators.

Observation model (one row per month t; see ``docs/index.md``)::

    x_t        = x_{t-1} + w_t,               w_t ~ N(0, sigma_level^2)      (random walk)
    events_t   = x_t + e_t,                   e_t ~ N(0, sigma_event^2 / n_t)
    un_t       = a_un + b_un * x_t + u_t,     u_t ~ N(0, sigma_un^2)         (standardised)
    treaties_t = a_tr + b_tr * x_t + v_t,     v_t ~ N(0, sigma_tr^2)         (standardised)

``x`` is on the Goldstein scale because the event loading is fixed at one: the index reads
as "the mean cooperation-hostility weight of a typical month's interaction". Months with no
reading of an indicator are missing values, which the Kalman filter skips; the smoother then
gives the level and its standard deviation for every month.

Estimation, in two steps (statsmodels' state-space machinery; the model class is written here
only because it needs a time-varying observation variance, which the ready-made classes lack):

1. ``sigma_event^2`` is the pooled variance of event weights within months (see
   :func:`within_month_variance`); ``sigma_level^2`` is the maximum likelihood estimate from the
   event flow alone. The primary indicator thus sets the scale and the dynamics.
2. The auxiliary intercepts, loadings and noise are maximum likelihood estimates given step 1.

Fitting everything at once lets a smooth, nearly noiseless auxiliary (treaties in force change
a few times a decade) capture the latent level: the likelihood is highest when the level *is*
that series and barely moves, and the events are left as noise. Two steps keep the index about
relations as the events record them, with the auxiliaries adding information where events are
sparse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.tsa.statespace.mlemodel import MLEModel

from resetlab.exceptions import IndexEstimationError
from resetlab.index.observations import Observations

#: Indicators other than events that enter with an estimated intercept and loading.
AUXILIARY = ("un_agreement", "treaties")


class RelationsStateSpace(MLEModel):
    """Local-level model with one event series (loading 1, variance sigma^2/n_t) and
    standardised auxiliary indicators with estimated intercept and loading."""

    def __init__(self, endog: np.ndarray, event_n: np.ndarray, aux_names: tuple[str, ...]):
        super().__init__(endog, k_states=1, initialization="diffuse")
        self.event_n = np.asarray(event_n, dtype=float)
        self.aux_names = aux_names
        self["transition"] = np.eye(1)
        self["selection"] = np.eye(1)

    @property
    def param_names(self) -> list[str]:
        names = ["sigma2_event", "sigma2_level"]
        for a in self.aux_names:
            names += [f"{a}_intercept", f"{a}_loading", f"sigma2_{a}"]
        return names

    @property
    def start_params(self) -> np.ndarray:
        ev = self.endog[:, 0]
        var = float(np.nanvar(ev)) if np.isfinite(ev).any() else 1.0
        params = [var, var / 50.0]
        for _ in self.aux_names:
            params += [0.0, 0.3, 0.3]
        return np.array(params)

    def _variance_positions(self) -> list[int]:
        return [0, 1] + [2 + 3 * i + 2 for i in range(len(self.aux_names))]

    def transform_params(self, unconstrained: np.ndarray) -> np.ndarray:
        out = np.array(unconstrained, dtype=float)
        idx = self._variance_positions()
        out[idx] = out[idx] ** 2
        return out

    def untransform_params(self, constrained: np.ndarray) -> np.ndarray:
        out = np.array(constrained, dtype=float)
        idx = self._variance_positions()
        out[idx] = np.sqrt(out[idx])
        return out

    def update(self, params: np.ndarray, **kwargs: object) -> np.ndarray:  # type: ignore[override]
        params = super().update(params, **kwargs)
        k = 1 + len(self.aux_names)
        nobs = self.endog.shape[0]
        dtype = np.result_type(params, float)  # complex during complex-step gradients
        design = np.ones((k, 1), dtype=dtype)
        intercept = np.zeros(k, dtype=dtype)
        cov = np.zeros((k, k, nobs), dtype=dtype)
        cov[0, 0, :] = params[0] / np.maximum(self.event_n, 1e-6)
        for i in range(len(self.aux_names)):
            a, b, s2 = params[2 + 3 * i : 5 + 3 * i]
            intercept[1 + i] = a
            design[1 + i, 0] = b
            cov[1 + i, 1 + i, :] = s2
        self["design"] = design
        self["obs_intercept"] = intercept
        self["obs_cov"] = cov
        self["state_cov"] = np.array([[params[1]]])
        return params


@dataclass(frozen=True)
class IndexResult:
    """The estimated index: ``frame`` has month, score, sd, lo80, hi80, lo95, hi95."""

    frame: pd.DataFrame
    params: dict[str, float]  # sigma2_event is fixed from within-month spread, not fitted
    loglike: float
    aic: float
    indicators: dict[str, int]  # months with a reading, per indicator
    scaling: dict[str, tuple[float, float]]  # mean and sd used to standardise each auxiliary

    def to_csv_frame(self) -> pd.DataFrame:
        """The columns of ``resetlab index --format csv``."""
        cols = ["month", "score", "lo80", "hi80", "lo95", "hi95"]
        return self.frame[cols].copy()


def within_month_variance(obs: Observations, min_months: int = 10) -> float:
    """Pooled variance of event weights within months (the per-event observation noise).

    With mostly one event a month, maximum likelihood cannot tell per-event noise from
    movement of the level and drifts to zero noise (an index that jumps to every event).
    The spread of weights among events of the same month measures that noise directly,
    so it is fixed at that value; only the rest is estimated by likelihood.
    """
    raw = obs.raw_events
    if raw is None or raw.empty:
        raise IndexEstimationError("no event weights to estimate the observation noise from")
    per = raw.groupby("month")["goldstein"]
    dev = per.transform(lambda g: g - g.mean())
    counts = per.transform("count")
    multi = counts >= 2
    n_months = int(raw.loc[multi, "month"].nunique())
    if n_months >= min_months:
        dof = float(multi.sum() - n_months)
        return float((dev[multi] ** 2).sum() / dof)
    return float(raw["goldstein"].var(ddof=1))


def estimate_index(obs: Observations, *, maxiter: int = 1000) -> IndexResult:
    """Fit the state-space model by maximum likelihood and smooth the latent level."""
    f = obs.frame
    if int(f["events"].notna().sum()) < 12:
        raise IndexEstimationError(
            f"only {int(f['events'].notna().sum())} months with events; need at least 12"
        )
    aux = tuple(a for a in AUXILIARY if a in f and int(f[a].notna().sum()) >= 5)
    scaling: dict[str, tuple[float, float]] = {}
    cols = [f["events"].to_numpy(dtype=float)]
    for a in aux:
        s = f[a].astype(float)
        mu, sd = float(s.mean()), float(s.std()) or 1.0
        scaling[a] = (mu, sd)
        cols.append(((s - mu) / sd).to_numpy())
    endog = np.column_stack(cols)
    n = f["events_n"].fillna(0.0).to_numpy(dtype=float)
    event_var = within_month_variance(obs)
    # Step 1: the event flow alone fixes the dynamics (how fast the level moves).
    events_only = RelationsStateSpace(endog[:, :1], n, ())
    first = events_only.fit_constrained(
        {"sigma2_event": event_var}, disp=False, maxiter=maxiter, method="lbfgs"
    )
    level_var = float(first.params[1])
    # Step 2: the auxiliary indicators' intercepts, loadings and noise, given those dynamics.
    model = RelationsStateSpace(endog, n, aux)
    res = model.fit_constrained(
        {"sigma2_event": event_var, "sigma2_level": level_var},
        disp=False, maxiter=maxiter, method="lbfgs",
    )
    level = np.asarray(res.smoothed_state[0])
    sd = np.sqrt(np.maximum(np.asarray(res.smoothed_state_cov[0, 0]), 0.0))
    z80, z95 = norm.ppf(0.9), norm.ppf(0.975)
    frame = pd.DataFrame(
        {
            "month": [str(p) for p in obs.months],
            "score": level,
            "sd": sd,
            "lo80": level - z80 * sd,
            "hi80": level + z80 * sd,
            "lo95": level - z95 * sd,
            "hi95": level + z95 * sd,
        }
    )
    counts = {"events": int(f["events"].notna().sum())}
    counts.update({a: int(f[a].notna().sum()) for a in aux})
    return IndexResult(
        frame=frame,
        params=dict(zip(model.param_names, map(float, res.params), strict=True)),
        loglike=float(res.llf),
        aic=float(res.aic),
        indicators=counts,
        scaling=scaling,
    )
