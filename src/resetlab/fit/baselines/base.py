"""What every baseline shares: the registry, the history a baseline reads, quantile helpers.

A baseline turns a :class:`resetlab.fit.history.Vintage` (the index as known before the
origin, with its filter uncertainty and parameters) into a deterministic ensemble of
``horizon x n`` values: quantiles of its predictive distribution, not random draws, so the
baselines carry no seed noise.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar, TypeVar

import numpy as np
from scipy.stats import norm

from resetlab.exceptions import ModelError
from resetlab.fit.history import Vintage

#: Members of a baseline's ensemble.
ENSEMBLE = 200
#: Months of history a baseline needs beyond its horizon.
MIN_EXTRA_MONTHS = 24


class Baseline(ABC):
    """A named forecast rule; subclasses register with :func:`register`."""

    name: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def forecast(self, vintage: Vintage, horizon: int, n: int = ENSEMBLE) -> np.ndarray:
        """The ensemble (``horizon x n``) for the months from the vintage's origin on."""


REGISTRY: dict[str, type[Baseline]] = {}
B = TypeVar("B", bound=type[Baseline])


def register(cls: B) -> B:
    """Add a baseline class to :data:`REGISTRY` under its ``name`` (each name once)."""
    if cls.name in REGISTRY:
        raise ModelError(f"two baselines are called {cls.name!r}")
    REGISTRY[cls.name] = cls
    return cls


def history(vintage: Vintage, horizon: int) -> tuple[np.ndarray, float]:
    """The vintage's index values (oldest first) and its standard error in the last month.

    The last month's standard error is the vintage filter's own: what the index at the
    origin can still be revised by, known at the origin.
    """
    y = vintage.index["score"].to_numpy(dtype=float)
    sd = vintage.index["sd"].to_numpy(dtype=float)
    ok = np.isfinite(y)
    y, sd = y[ok], sd[ok]
    if len(y) < horizon + MIN_EXTRA_MONTHS:
        raise ModelError(
            f"vintage {vintage.origin}: {len(y)} months of history are too few for a "
            f"{horizon}-month baseline (need {horizon + MIN_EXTRA_MONTHS})"
        )
    last_sd = float(sd[-1]) if np.isfinite(sd[-1]) else 0.0
    return y, last_sd


def quantile_points(n: int) -> np.ndarray:
    """Probability levels of an ``n``-member deterministic ensemble."""
    return (np.arange(n) + 0.5) / n


def add_normal(values: np.ndarray, sd: float, n: int) -> np.ndarray:
    """``n`` quantiles of (an empirical distribution of ``values``) + N(0, ``sd``²)."""
    values = np.asarray(values, dtype=float)
    if sd <= 0:
        return np.quantile(values, quantile_points(n))
    base = np.quantile(values, quantile_points(min(len(values), 100)))
    noise = sd * norm.ppf(quantile_points(41))
    return np.quantile((base[:, None] + noise[None, :]).ravel(), quantile_points(n))


def normal_mixture_quantiles(
    weights: np.ndarray, means: np.ndarray, sds: np.ndarray, n: int
) -> np.ndarray:
    """``n`` quantiles of a mixture of normals (weights need not be normalised)."""
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    mu, sd = np.asarray(means, dtype=float), np.maximum(np.asarray(sds, dtype=float), 1e-9)
    grid = np.linspace(float((mu - 8 * sd).min()), float((mu + 8 * sd).max()), 4001)
    cdf = (w[None, :] * norm.cdf((grid[:, None] - mu[None, :]) / sd[None, :])).sum(axis=1)
    return np.interp(quantile_points(n), cdf, grid)
