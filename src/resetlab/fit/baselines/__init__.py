"""Baselines of the backtest: one module each, registered once under each class's ``name``.

``persistence``, ``climatology``, ``damped`` (damped persistence), ``kalman-rw`` (the vintage
Kalman filter's random-walk forecast), ``pool`` (persistence and climatology, equal weights)
and ``markov`` (two-regime Markov switching). :func:`baseline_forecast` runs one by name.
"""

from __future__ import annotations

import numpy as np

from resetlab.exceptions import ModelError
from resetlab.fit.baselines import climatology, damped, kalman_rw, markov, persistence, pool
from resetlab.fit.baselines.base import ENSEMBLE, REGISTRY, Baseline, register
from resetlab.fit.history import Vintage

#: Every baseline's name: persistence (the skill reference) first, then registry order.
BASELINES: tuple[str, ...] = ("persistence", *(n for n in REGISTRY if n != "persistence"))

_MODULES = (persistence, climatology, damped, kalman_rw, pool, markov)  # registered on import


def baseline_forecast(name: str, vintage: Vintage, horizon: int, n: int = ENSEMBLE) -> np.ndarray:
    """The ensemble (``horizon x n``) of the baseline called ``name`` at the vintage's origin."""
    if name not in REGISTRY:
        raise ModelError(f"unknown baseline {name!r} (known: {', '.join(REGISTRY)})")
    return REGISTRY[name]().forecast(vintage, horizon, n)


__all__ = ["BASELINES", "ENSEMBLE", "REGISTRY", "Baseline", "baseline_forecast", "register"]
