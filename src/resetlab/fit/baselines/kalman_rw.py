"""The vintage Kalman filter's own forecast: a random walk from the filtered last value."""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

from resetlab.exceptions import FitError
from resetlab.fit.baselines.base import ENSEMBLE, Baseline, history, quantile_points, register
from resetlab.fit.history import Vintage


@register
class KalmanRandomWalk(Baseline):
    """N(last value, P_T + h * sigma2_level): the index model's random-walk level run on,
    with P_T the vintage filter's variance in the last month and ``sigma2_level`` the level
    variance the vintage's own fit estimated."""

    name = "kalman-rw"
    description = "N(last value, P_T + h sigma2_level) from the vintage's state-space fit"

    def forecast(self, vintage: Vintage, horizon: int, n: int = ENSEMBLE) -> np.ndarray:
        y, last_sd = history(vintage, horizon)
        if "sigma2_level" not in vintage.params:
            raise FitError(
                f"vintage {vintage.origin} carries no sigma2_level: the Kalman random-walk "
                "baseline needs the vintage index's fitted parameters"
            )
        s2 = float(vintage.params["sigma2_level"])
        h = np.arange(1, horizon + 1)[:, None]
        sd = np.sqrt(last_sd**2 + h * s2)
        return y[-1] + sd * norm.ppf(quantile_points(n))[None, :]
