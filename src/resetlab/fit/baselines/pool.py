"""An equal-weight pool of persistence and climatology."""

from __future__ import annotations

import numpy as np

from resetlab.fit.baselines.base import ENSEMBLE, Baseline, quantile_points, register
from resetlab.fit.baselines.climatology import Climatology
from resetlab.fit.baselines.persistence import Persistence
from resetlab.fit.history import Vintage


@register
class Pool(Baseline):
    """The equal-weight mixture of the persistence and climatology forecasts."""

    name = "pool"
    description = "equal-weight mixture of persistence and climatology"

    def forecast(self, vintage: Vintage, horizon: int, n: int = ENSEMBLE) -> np.ndarray:
        a = Persistence().forecast(vintage, horizon, n)
        b = Climatology().forecast(vintage, horizon, n)
        return np.quantile(np.concatenate([a, b], axis=1), quantile_points(n), axis=1).T
