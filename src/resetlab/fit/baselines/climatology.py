"""Climatology: the distribution of every index value known at the origin, at every horizon."""

from __future__ import annotations

import numpy as np

from resetlab.fit.baselines.base import ENSEMBLE, Baseline, history, quantile_points, register
from resetlab.fit.history import Vintage


@register
class Climatology(Baseline):
    """Quantiles of the vintage's index values; the same forecast at every horizon."""

    name = "climatology"
    description = "the vintage's index values (quantiles), the same at every horizon"

    def forecast(self, vintage: Vintage, horizon: int, n: int = ENSEMBLE) -> np.ndarray:
        y, _ = history(vintage, horizon)
        return np.tile(np.quantile(y, quantile_points(n)), (horizon, 1))
