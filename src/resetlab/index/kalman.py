"""The monthly relations index: one latent level seen through several independent indicators.

A mixed-frequency, multi-indicator state-space model (one row per month t; ``docs/index.md``)::

    x_t        = x_{t-1} + w_t,               w_t ~ N(0, sigma_level^2)      (random walk)
    events_t   = x_t + e_t,                   e_t ~ N(0, sigma_event^2 / n_t)
    y_{i,t}    = a_i + b_i * s_i * x_t + u_it, u_it ~ N(0, sigma_i^2)        (standardised)

for every other indicator ``i`` of :data:`AUXILIARY`: high-level contacts and militarized
incidents (monthly, log(1 + count)), UN General Assembly agreement (once a year) and
arms-control treaties in force (once a year). ``s_i`` orients an indicator so that a positive
loading is the expected one: militarized incidents enter reversed (``s = -1``), so ``b > 0``
means fewer incidents when relations are better. Months without a reading are missing values,
which the Kalman filter skips: that is how annual and monthly indicators, and indicators whose
data end (incidents in 2014) or begin late, share one monthly state.

``x`` is on the Goldstein scale because the event loading is fixed at one: the index reads
as "the mean cooperation-hostility weight of a typical month's interaction", and the sign of
the index is fixed by the events (positive = cooperative).

Estimation, in two steps (statsmodels' state-space machinery; the model class is written here
only because it needs a time-varying observation variance, which the ready-made classes lack):

1. ``sigma_event^2`` is the pooled variance of event weights within months (see
   :func:`within_month_variance`); ``sigma_level^2`` is the penalised maximum likelihood
   estimate from the event flow alone (the posterior mode under the boundary-avoiding prior of
   :class:`PenalisedLevelModel`, which keeps a pair with a few dozen events from a flat index).
   The primary indicator thus sets the scale and the dynamics.
2. Each other indicator's intercept, loading and noise are maximum likelihood estimates given
   step 1, in a model of the events and that indicator alone.
3. An indicator is *used* (enters the smoothed index) only if its loading is positive with a
   95% interval excluding zero (:func:`loading_interval`); one that fails stays in
   :meth:`IndexResult.indicator_table` as a validity check, ``used`` false. Loadings come from
   separate events-plus-indicator models, so leaving one indicator out changes no other's.

Fitting everything at once lets a smooth, nearly noiseless auxiliary (treaties in force change
a few times a decade) capture the latent level: the likelihood is highest when the level *is*
that series and barely moves, and the events are left as noise. Two steps keep the index about
relations as the events record them, with the other indicators adding information where
events are sparse. :meth:`IndexResult.indicator_table` gives each loading with its interval
(observed information at the estimate) and the share of the index's variation it carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.tsa.statespace.kalman_smoother import SMOOTHER_STATE, SMOOTHER_STATE_COV
from statsmodels.tsa.statespace.mlemodel import MLEModel

from resetlab.exceptions import IndexEstimationError
from resetlab.index.observations import Observations

#: Indicators other than events that enter with an estimated intercept and loading, in order.
AUXILIARY = ("contacts", "incidents", "un_agreement", "treaties", "un_debate")

#: Orientation ``s_i``: +1 where more means better relations is expected, -1 where worse.
ORIENTATION: dict[str, float] = {"contacts": 1.0, "incidents": -1.0, "un_agreement": 1.0,
                                 "treaties": 1.0, "un_debate": 1.0}  # fmt: skip

#: Fewest readings an indicator needs to enter (and some spread among them).
MIN_READINGS = 5

#: Shape of the gamma prior on ``sigma_level`` (the level's monthly innovation sd) whose
#: posterior mode step 1 takes, with the rate going to zero: Chung, Rabe-Hesketh, Dorie, Gelman
#: and Liu (2013, Psychometrika 78(4), "A nondegenerate penalized likelihood estimator for
#: variance parameters in multilevel models"). See :class:`PenalisedLevelModel`.
LEVEL_PRIOR_SHAPE = 2.0

#: Loading intervals: 95% (normal approximation at the maximum likelihood estimate).
LOADING_Z = float(norm.ppf(0.975))


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
            params += [0.0, 0.1, 0.8]
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


class PenalisedLevelModel(RelationsStateSpace):
    """The events-only model of step 1, its log likelihood plus a log prior on the level's sd.

    With ``sigma2_event`` fixed, the only free parameter is ``sigma2_level``, i.e. the
    signal-to-noise ratio ``q = sigma2_level / sigma2_event``. For a pair with a few dozen
    events over decades the likelihood of ``q`` is flat near zero and highest *at* zero, so
    maximum likelihood returns an exactly constant level (an index with sd 0 whatever the
    events say). The prior is Gamma(:data:`LEVEL_PRIOR_SHAPE` = 2, rate -> 0) on
    ``sigma_level``: its log density, ``log sigma_level = log(q) / 2 + const``, is the weakest
    penalty that rules out the boundary (Chung et al. 2013). Its mode is then where the
    likelihood falls by half a unit per e-fold of ``q``, about one standard error off zero: for
    a data-poor pair the level moves as much as its events cannot rule out, and for a
    data-rich pair, whose likelihood is sharply curved in ``q``, it moves the estimate little
    (U.S.-Russia: ``q`` 0.0194 to 0.0209, the score by at most 0.038 of its sd; tested in
    ``tests/test_index_prior.py``). It has no location
    or scale to choose, is the same for every pair, and is invariant to the Goldstein units.
    """

    def loglike(self, params: np.ndarray, *args: Any, **kwargs: Any) -> float:
        ll = super().loglike(params, *args, **kwargs)
        # ``loglike`` has just set the state covariance (sigma2_level) from ``params``.
        level_var = self["state_cov"][0, 0]
        return ll + (LEVEL_PRIOR_SHAPE - 1.0) * 0.5 * np.log(level_var)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class IndexResult:
    """The estimated index: ``frame`` has month, score, sd, lo80, hi80, lo95, hi95."""

    frame: pd.DataFrame
    params: dict[str, float]  # sigma2_event is fixed from within-month spread, not fitted
    loglike: float
    aic: float
    indicators: dict[str, int]  # months with a reading, per indicator
    scaling: dict[str, tuple[float, float]]  # mean and sd used to standardise each auxiliary
    #: The fitted state-space model and the fixed step-1 parameters (for the indicator table).
    model: Any = field(default=None, repr=False, compare=False)
    fixed: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    #: Per indicator, the model of the events and that indicator its loading was fitted in.
    pairs: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: Per indicator (events first): loading and its 95% interval (events: fixed at one).
    loadings: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    #: The indicators the smoothed index is built from (events and those passing the rule).
    used: tuple[str, ...] = ("events",)

    def to_csv_frame(self) -> pd.DataFrame:
        """The columns of ``resetlab index --format csv``."""
        cols = ["month", "score", "lo80", "hi80", "lo95", "hi95"]
        return self.frame[cols].copy()

    def indicator_table(self) -> pd.DataFrame:
        """Each indicator's loading, 95% interval, share of the index's variation, months, and
        whether it is used.

        Columns ``indicator,loading,lo,hi,variance_share,months,used,excludes_zero``
        (``resetlab indicators``). The events loading is fixed at one (it sets the scale and
        sign): its interval is the point. Other loadings are on the standardised, oriented
        indicator (:data:`ORIENTATION`) per Goldstein unit of the index, with a 95% interval
        from :func:`loading_interval`. ``excludes_zero``: the interval lies wholly on one side
        of zero; ``used``: the indicator enters the smoothed index (events, and the others
        whose interval lies above zero). ``variance_share``: each used indicator's
        contribution to the smoothed index (statsmodels' smoothed-state decomposition: the
        index is a weighted sum of every reading), its variance over months as a share of the
        sum of those variances; 0 for an indicator the index does not use.
        """
        names = ["events", *self.scaling]
        share = {n: (float("nan") if n in self.used else 0.0) for n in names}
        if self.model is not None:
            with self.model.fix_params(self.fixed):
                free = [p for p in self.model.param_names if p not in self.fixed]
                res = self.model.smooth(np.array([self.params[p] for p in free]), cov_type="none")
            data = res.get_smoothed_decomposition()[0]  # (state, month to) x (var, month from)
            per = data.fillna(0.0).T.groupby(level="variable_from").sum().T
            var = per.iloc[1:].var(axis=0)  # the first month is the diffuse prior's
            total = float(var.sum())
            for i, name in enumerate(self.used):
                col = self.model.endog_names[i] if i < len(self.model.endog_names) else None
                if col in var.index and total > 0:
                    share[name] = float(var[col]) / total
        nan3 = (float("nan"),) * 3
        rows = []
        for n in names:
            b, lo, hi = self.loadings.get(n, nan3)
            rows.append(
                {
                    "indicator": n,
                    "loading": b,
                    "lo": lo,
                    "hi": hi,
                    "variance_share": share[n],
                    "months": int(self.indicators.get(n, 0)),
                    "used": n in self.used,
                    "excludes_zero": n != "events" and bool(lo > 0 or hi < 0),
                }
            )
        return pd.DataFrame(rows)


def loading_interval(
    pair: RelationsStateSpace, fixed: dict[str, float], params: dict[str, float], name: str
) -> tuple[float, float, float]:
    """Loading of indicator ``name`` and its 95% interval from the observed information: the
    numerical Hessian of the log likelihood of ``pair`` (the events and that indicator,
    step-1 parameters ``fixed``) at the estimate ``params``."""
    names = [p for p in pair.param_names if p not in fixed]
    with pair.fix_params(fixed):
        fit = pair.smooth(np.array([params[p] for p in names]), cov_type="approx")
    cov = np.asarray(fit.cov_params(), dtype=float)
    if cov.shape[0] != len(names):
        cov = cov[np.ix_(*[[pair.param_names.index(p) for p in names]] * 2)]
    j = names.index(f"{name}_loading")
    b = params[f"{name}_loading"]
    half = LOADING_Z * float(np.sqrt(max(cov[j, j], 0.0)))
    return (b, b - half, b + half)


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
    dev = raw["goldstein"] - per.transform("mean")
    counts = per.transform("count")
    multi = counts >= 2
    n_months = int(raw.loc[multi, "month"].nunique())
    if n_months >= min_months:
        dof = float(multi.sum() - n_months)
        return float((dev[multi] ** 2).sum() / dof)
    return float(raw["goldstein"].var(ddof=1))


def _auxiliary(obs: Observations) -> tuple[tuple[str, ...], dict[str, tuple[float, float]],
                                          list[np.ndarray]]:  # fmt: skip
    """The auxiliaries with enough readings, their scaling, and their oriented standard scores."""
    f = obs.frame
    names: list[str] = []
    scaling: dict[str, tuple[float, float]] = {}
    cols: list[np.ndarray] = []
    for a in AUXILIARY:
        if a not in f:
            continue
        s = f[a].astype(float)
        if int(s.notna().sum()) < MIN_READINGS or not float(s.std()) > 0:
            continue
        mu, sd = float(s.mean()), float(s.std())
        names.append(a)
        scaling[a] = (mu, sd)
        cols.append((ORIENTATION.get(a, 1.0) * (s - mu) / sd).to_numpy())
    return tuple(names), scaling, cols


def estimate_index(
    obs: Observations, *, maxiter: int = 1000, level_prior: bool = True
) -> IndexResult:
    """Fit the state-space model by (penalised) maximum likelihood and smooth the latent level.

    ``level_prior=False`` takes the plain maximum likelihood ``sigma2_level`` in step 1 (no
    :class:`PenalisedLevelModel` prior), for comparison.
    """
    f = obs.frame
    if int(f["events"].notna().sum()) < 12:
        raise IndexEstimationError(
            f"only {int(f['events'].notna().sum())} months with events; need at least 12"
        )
    aux, scaling, aux_cols = _auxiliary(obs)
    endog = np.column_stack([f["events"].to_numpy(dtype=float), *aux_cols])
    n = f["events_n"].fillna(0.0).to_numpy(dtype=float)
    event_var = within_month_variance(obs)
    # Step 1: the event flow alone fixes the dynamics (how fast the level moves).
    step1 = PenalisedLevelModel if level_prior else RelationsStateSpace
    events_only = step1(endog[:, :1], n, ())
    first = events_only.fit_constrained(
        {"sigma2_event": event_var}, disp=False, maxiter=maxiter, method="lbfgs", cov_type="none"
    )
    level_var = float(first.params[1])
    fixed = {"sigma2_event": event_var, "sigma2_level": level_var}
    # Step 2: each other indicator's intercept, loading and noise, against the event-defined
    # level (a model of the events and that indicator alone, dynamics fixed), by EM from the
    # regression of the indicator on the step-1 smoothed level.
    base = np.asarray(first.smoothed_state[0])
    params = {**fixed}
    pairs: dict[str, RelationsStateSpace] = {}
    loadings = {"events": (1.0, 1.0, 1.0)}
    for i, a in enumerate(aux):
        pair = RelationsStateSpace(endog[:, [0, 1 + i]], n, (a,))
        est = _em_pair(pair, endog[:, 1 + i], fixed, _regression_start(endog[:, 1 + i], base))
        params.update(zip(pair.param_names[2:], map(float, est), strict=True))
        pairs[a] = pair
        loadings[a] = loading_interval(pair, fixed, params, a)
    # The index: the events and every indicator whose loading is positive with an interval
    # excluding zero, at once, smoothed at those estimates (the rule in docs/index.md).
    used = tuple(a for a in aux if loadings[a][1] > 0)
    model = RelationsStateSpace(endog[:, [0, *(1 + aux.index(a) for a in used)]], n, used)
    with model.fix_params(fixed):
        free = [p for p in model.param_names if p not in fixed]
        res = model.smooth(np.array([params[p] for p in free]))
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
        params=params,
        loglike=float(res.llf),
        aic=float(res.aic),
        indicators=counts,
        scaling=scaling,
        model=model,
        fixed=fixed,
        pairs=pairs,
        loadings=loadings,
        used=("events", *used),
    )


def _em_pair(
    pair: RelationsStateSpace,
    y: np.ndarray,
    fixed: dict[str, float],
    start: np.ndarray,
    *,
    maxiter: int = 200,
    tol: float = 1e-7,
) -> np.ndarray:
    """Maximum likelihood intercept, loading and noise variance of one indicator by EM.

    With the dynamics and the event noise fixed, the only free parameters are those of the
    indicator's observation equation ``y = a + b x + u``, whose M-step is closed form: the
    least-squares fit of ``y`` on the smoothed level using its first two smoothed moments
    (``E[x]``, ``E[x^2] = E[x]^2 + Var[x]``). The E-step is statsmodels' Kalman smoother.
    EM's fixed point is the likelihood maximum (tested against statsmodels' own optimiser in
    ``tests/test_index.py``); it needs far fewer likelihood passes than a gradient search.
    """
    ok = np.isfinite(y)
    yy, n_obs = y[ok], int(ok.sum())
    head = np.array([fixed["sigma2_event"], fixed["sigma2_level"]])

    def em(theta: np.ndarray) -> np.ndarray:
        pair.update(np.concatenate([head, theta]))
        sm = pair.ssm.smooth(smoother_output=SMOOTHER_STATE | SMOOTHER_STATE_COV,
                             update_filter=False)  # fmt: skip
        ex = np.asarray(sm.smoothed_state[0])[ok]
        vx = np.asarray(sm.smoothed_state_cov[0, 0])[ok]
        sx, sxx = ex.sum(), (ex**2 + vx).sum()
        sy, sxy = yy.sum(), (yy * ex).sum()
        det = n_obs * sxx - sx**2
        b = (n_obs * sxy - sx * sy) / det if det > 0 else 0.0
        a = (sy - b * sx) / n_obs
        s2 = max(float(np.mean((yy - a - b * ex) ** 2 + b**2 * vx)), 1e-8)
        return np.array([a, b, s2])

    # SQUAREM (Varadhan & Roland 2008): two EM steps give a direction and a step length; a
    # third EM step from the extrapolated point keeps the iteration stable.
    theta = np.asarray(start, dtype=float)
    for _ in range(maxiter):
        t1 = em(theta)
        t2 = em(t1)
        r, v = t1 - theta, t2 - 2 * t1 + theta
        nv = float(np.linalg.norm(v))
        alpha = -float(np.linalg.norm(r)) / nv if nv > 0 else -1.0
        alpha = min(alpha, -1.0)
        jump = theta - 2 * alpha * r + alpha**2 * v
        if not (np.all(np.isfinite(jump)) and jump[2] > 0):
            jump = t2
        new = em(jump)
        done = bool(np.all(np.abs(new - theta) <= tol * (1.0 + np.abs(theta))))
        theta = new
        if done:
            break
    return theta


def _regression_start(y: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Start values (intercept, loading, noise) for one indicator: least squares of its
    readings on the smoothed level."""
    ok = np.isfinite(y) & np.isfinite(level)
    x, v = level[ok], y[ok]
    b = float(np.cov(x, v, ddof=0)[0, 1] / np.var(x)) if np.var(x) > 0 else 0.0
    a = float(v.mean() - b * x.mean())
    s2 = max(float(np.var(v - a - b * x)), 1e-3)
    return np.array([a, b, s2])
