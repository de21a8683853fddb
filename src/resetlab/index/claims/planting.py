"""Effects planted in the events and measured again: the index's own smoother applied to a
planted change of the latent level.

A real effect in the world is not added to the index: it moves the latent level, the level
shows in the events (and in the other indicators, by their loadings), and the index is what
the measurement model makes of those readings. A test's power from effects planted in the
events therefore asks how often the test finds an effect that was put into the readings and
then smoothed like every other month of the record.

:class:`LevelSmoother` is the measurement model of one index with its parameters held at
their estimates from the real record (``sigma2_level``, the event noise, every indicator's
loading and noise; re-fitting them per rotation would cost a full estimation each time): the
planted index is the record's index plus the smoothed image of the planted shift. That is
exact, not an approximation, because with fixed parameters the Kalman smoother is linear in
the readings: shifting every reading of month t by its loading times ``delta_t`` (the events
by ``delta_t``, an indicator ``i`` by ``b_i * delta_t``; nothing where month t has no reading)
moves the smoothed level by the smoother applied to ``delta`` with the record's pattern of
readings and their precisions. A month without a reading sees nothing of the planted effect,
so a sparse pair keeps less of it than a dense one.

The smoother is written here (a scalar local-level filter and Rauch-Tung-Striebel smoother on
the month's readings combined into one, :meth:`LevelSmoother.smooth`) rather than called from
statsmodels because statsmodels' smoother costs about 85 ms a run on U.S.-Russia's 961 months
and six series, and power needs it once per rotation per test per pair; the scalar recursion
costs about a millisecond. Combining a month's independent readings into one (precision the
sum of ``b_i^2 / sigma_i^2``) gives the same posterior of the level;
``tests/test_claims_planting.py`` checks the result against statsmodels' smoother of the
shifted readings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from resetlab.exceptions import ModelError

if TYPE_CHECKING:
    from resetlab.index.kalman import IndexResult

FloatArray = npt.NDArray[np.float64]

#: Variance of the level before the first reading: the exact diffuse start of statsmodels'
#: smoother is matched to better than 1e-6 of the planted shift by a variance this large.
DIFFUSE_VARIANCE = 1e9


@dataclass(frozen=True)
class LevelSmoother:
    """The measurement model of one index at fixed parameters, as a linear smoother.

    ``level_var``: the level's monthly innovation variance (``sigma2_level``);
    ``precision``: per month, the summed precision of its readings on the level (events
    ``n_t / sigma2_event`` plus ``b_i^2 / sigma2_i`` for every indicator read that month; 0 in
    a month with none).
    """

    level_var: float
    precision: tuple[float, ...]

    def __post_init__(self) -> None:
        if not (np.isfinite(self.level_var) and self.level_var > 0):
            raise ModelError(f"the level variance must be positive, got {self.level_var}")
        prec = np.asarray(self.precision, dtype=float)
        if prec.ndim != 1 or not np.all(np.isfinite(prec)) or (prec < 0).any():
            raise ModelError("reading precisions must be finite and non-negative, one a month")

    @classmethod
    def from_index(cls, result: IndexResult) -> LevelSmoother:
        """The smoother of an estimated index (:func:`resetlab.index.kalman.estimate_index`)."""
        model = result.model
        if model is None:
            raise ModelError("the index result carries no state-space model to smooth with")
        endog = np.asarray(model.endog, dtype=float)
        p = result.params
        prec = np.where(
            np.isfinite(endog[:, 0]),
            np.asarray(model.event_n, dtype=float) / p["sigma2_event"],
            0.0,
        )
        for i, a in enumerate(model.aux_names):
            b, s2 = p[f"{a}_loading"], p[f"sigma2_{a}"]
            prec = prec + np.where(np.isfinite(endog[:, 1 + i]), b * b / s2, 0.0)
        return cls(float(p["sigma2_level"]), tuple(float(x) for x in prec))

    def __len__(self) -> int:
        return len(self.precision)

    def smooth(self, shift: FloatArray) -> FloatArray:
        """The smoothed level of the readings ``shift`` (one combined reading a month, ignored
        where the month has no reading): what the index moves by when every reading of month
        t moves by its loading times ``shift[t]``."""
        z = np.asarray(shift, dtype=float)
        prec = np.asarray(self.precision, dtype=float)
        if z.shape != prec.shape:
            raise ModelError(f"a planted shift of {len(z)} months for an index of {len(prec)}")
        n, q = len(z), self.level_var
        m = np.zeros(n)  # filtered mean
        p = np.zeros(n)  # filtered variance
        mean, var = 0.0, DIFFUSE_VARIANCE
        for t in range(n):
            if t:
                var += q
            if prec[t] > 0:
                gain = var * prec[t] / (1.0 + var * prec[t])
                mean += gain * (z[t] - mean)
                var *= 1.0 - gain
            m[t], p[t] = mean, var
        s = m.copy()
        for t in range(n - 2, -1, -1):
            s[t] = m[t] + p[t] / (p[t] + q) * (s[t + 1] - m[t])
        return s


def box_after(trigger: FloatArray, first: int, last: int) -> FloatArray:
    """Sum over trigger months t (weighted by ``trigger[t]``) of a unit box on months
    t+first..t+last: the latent shape of an effect lasting that window after each trigger."""
    x = np.asarray(trigger, dtype=float)
    kernel = np.r_[np.zeros(first), np.ones(last - first + 1)]
    return np.asarray(np.convolve(x, kernel)[: len(x)], dtype=float)


def calmed(series: FloatArray, weight: FloatArray) -> FloatArray:
    """The latent shape that removes ``weight[t]`` times the change of ``series`` in month t
    (``series + a * calmed`` changes by ``(1 - a * weight[t])`` times as much): a calmer
    level in the weighted months, linear in ``a`` while ``a * weight <= 1``."""
    d = np.diff(np.asarray(series, dtype=float), prepend=float(series[0]))
    return np.asarray(-np.cumsum(np.nan_to_num(d) * weight), dtype=float)
