"""The perspective files and the parameter space (priors) calibration samples."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import stats

from resetlab.config import project_folder
from resetlab.exceptions import FitError, ModelError
from resetlab.model.spec import GLOBAL_PARAMS, PerspectiveModel, Prior, load_perspective

#: The shipped perspectives, in the order of the articles (null last).
PERSPECTIVE_NAMES: tuple[str, ...] = (
    "minikes-2010",
    "valdai-2011",
    "carpenter-2019",
    "deyermond-2024",
    "nodvin-2025",
    "null",
)


def repo_dir(name: str) -> Path:
    """``./NAME`` if it exists, else the folder of that name in resetlab's source checkout
    (:func:`resetlab.config.project_folder`)."""
    return project_folder(name)


def perspectives_dir(path: str | Path | None = None) -> Path:
    """The folder of perspective files (``./perspectives`` or the repository's)."""
    d = repo_dir("perspectives") if path is None else Path(path)
    if not d.is_dir():
        raise ModelError(f"no perspectives folder at {d}")
    return d


def load_perspectives(
    path: str | Path | None = None, names: tuple[str, ...] | None = None
) -> dict[str, PerspectiveModel]:
    """Every perspective in the folder (or just ``names``), checked; name -> perspective."""
    d = perspectives_dir(path)
    files = sorted(d.glob("*.yaml"))
    found = {f.stem: f for f in files}
    if names is None:
        order = [n for n in PERSPECTIVE_NAMES if n in found]
        names = tuple(order + sorted(set(found) - set(order)))
    out = {}
    for n in names:
        if n not in found:
            raise ModelError(f"no perspective {n!r} in {d} (known: {', '.join(sorted(found))})")
        out[n] = load_perspective(found[n])
    return out


#: Parameters a perspective may not put a prior on: the calibration anchors the observation's
#: level to the measured index (:func:`resetlab.fit.calibrate.anchor`), so an offset prior
#: would be a parameter the data cannot see.
NOT_FITTED: tuple[str, ...] = ("observation.offset",)


@dataclass(frozen=True)
class ParameterSpace:
    """The fitted parameters of a perspective: names, bounds and prior densities."""

    priors: tuple[Prior, ...]

    @classmethod
    def of(cls, perspective: PerspectiveModel) -> ParameterSpace:
        """The perspective's priors; :class:`FitError` for a prior on a parameter the
        calibration sets itself (:data:`NOT_FITTED`) or for no prior at all."""
        fixed = [p.param for p in perspective.priors if p.param in NOT_FITTED]
        if fixed:
            raise FitError(
                f"perspective {perspective.name}: priors on {fixed}: the calibration anchors "
                "the observation's level to the measured index, so it is not a parameter"
            )
        if not perspective.priors:
            raise FitError(f"perspective {perspective.name} has no priors: nothing to fit")
        return cls(tuple(perspective.priors))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.param for p in self.priors)

    @property
    def low(self) -> np.ndarray:
        return np.array([p.low for p in self.priors])

    @property
    def high(self) -> np.ndarray:
        return np.array([p.high for p in self.priors])

    @property
    def dim(self) -> int:
        return len(self.priors)

    def _dist(self, p: Prior) -> stats.rv_continuous:
        if p.dist == "uniform":
            return stats.uniform(loc=p.low, scale=p.high - p.low)
        assert p.mean is not None and p.sd is not None
        a, b = (p.low - p.mean) / p.sd, (p.high - p.mean) / p.sd
        return stats.truncnorm(a, b, loc=p.mean, scale=p.sd)

    def log_prior(self, theta: np.ndarray) -> np.ndarray:
        """Log prior density of each row of ``theta`` (-inf outside the bounds)."""
        theta = np.atleast_2d(theta)
        out = np.zeros(len(theta))
        for j, p in enumerate(self.priors):
            out += self._dist(p).logpdf(theta[:, j])
        return np.where(np.isfinite(out), out, -np.inf)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws from the prior (rows)."""
        cols = [self._dist(p).rvs(size=n, random_state=rng) for p in self.priors]
        return np.column_stack(cols) if cols else np.empty((n, 0))

    def unit_to_theta(self, u: np.ndarray) -> np.ndarray:
        """Map points of the unit cube to parameters through the prior quantiles."""
        cols = [self._dist(p).ppf(u[:, j]) for j, p in enumerate(self.priors)]
        return np.column_stack(cols)


def is_global(param: str) -> bool:
    """Whether ``param`` is a global (observation, noise) parameter rather than ``mK.x``."""
    return param in GLOBAL_PARAMS
