"""Damped persistence: the deviation from the mean shrinks by a factor fitted per horizon.

The factor ``phi_h`` is the direct h-step regression of the vintage index's deviation from
its mean on the deviation h months earlier (clipped to [0, 1]), fitted on the vintage index
itself, so the smoothing of the index is in the data the factor is fitted to rather than
assumed away by iterating a one-month AR(1). The spread: the regression's own residuals,
plus a normal with the variance of ``phi_h`` (Newey-West, the residuals of overlapping
h-step regressions are autocorrelated) times the last deviation squared, and the last
value's filter variance damped by ``phi_h``.
"""

from __future__ import annotations

import numpy as np
import statsmodels.api as sm

from resetlab.fit.baselines.base import ENSEMBLE, Baseline, add_normal, history, register
from resetlab.fit.history import Vintage


@register
class DampedPersistence(Baseline):
    name = "damped"
    description = "mean + phi_h (last - mean), phi_h fitted per horizon on the vintage index"

    def forecast(self, vintage: Vintage, horizon: int, n: int = ENSEMBLE) -> np.ndarray:
        y, last_sd = history(vintage, horizon)
        m = float(y.mean())
        dev = y - m
        out = np.empty((horizon, n))
        for h in range(1, horizon + 1):
            x, z = dev[:-h], dev[h:]
            if np.ptp(x) < 1e-12:  # a flat history: nothing to regress on
                phi, se = 0.0, 0.0
                resid = z
            else:
                res = sm.OLS(z, x).fit(cov_type="HAC", cov_kwds={"maxlags": h})
                phi = float(np.clip(res.params[0], 0.0, 1.0))
                se = float(res.bse[0])
                resid = z - phi * x
            extra = np.sqrt((phi * last_sd) ** 2 + (se * dev[-1]) ** 2)
            out[h - 1] = m + phi * dev[-1] + add_normal(resid, extra, n)
        return out
