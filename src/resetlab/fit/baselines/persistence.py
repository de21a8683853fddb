"""Persistence: the last known value carries on, with the spread of the history's changes."""

from __future__ import annotations

import numpy as np

from resetlab.fit.baselines.base import ENSEMBLE, Baseline, add_normal, history, register
from resetlab.fit.history import Vintage


@register
class Persistence(Baseline):
    """The vintage's last value plus the vintage's own h-month changes, plus the revision
    the last value can still undergo (normal, the vintage filter's variance there)."""

    name = "persistence"
    description = "last value + past h-month changes + the vintage's filter error at the origin"

    def forecast(self, vintage: Vintage, horizon: int, n: int = ENSEMBLE) -> np.ndarray:
        y, last_sd = history(vintage, horizon)
        out = np.empty((horizon, n))
        for h in range(1, horizon + 1):
            out[h - 1] = y[-1] + add_normal(y[h:] - y[:-h], last_sd, n)
        return out
