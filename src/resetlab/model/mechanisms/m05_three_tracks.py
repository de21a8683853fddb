"""M5: three tracks: bureaucratic cooperation, arms control, dialogue on the regions (001).

Three scenario levers, each in [0, 1]: ``track_bureaucratic`` builds institutional ties,
``track_arms`` lowers both deterrence postures, ``track_regional`` lowers regional disputes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import (
    K_TRACK_ARMS,
    K_TRACK_BUREAUCRATIC,
    K_TRACK_REGIONAL,
    STAGE_DYNAMICS,
    Context,
    Mechanism,
    MechanismMeta,
)
from resetlab.model.state import DETER_RU, DETER_US, DISPUTE, TIES, Array


@dataclass(frozen=True)
class Params:
    """Monthly effect of each track at full effort."""

    rate_bureaucratic: float = 0.05
    rate_arms: float = 0.05
    rate_regional: float = 0.05


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Three tracks, for member ``i`` (the fused engine; :meth:`ThreeTracks.step` is the reference)."""
    rate_bureaucratic, rate_arms, rate_regional = p[q], p[q + 1], p[q + 2]
    ties = x[i, TIES]
    arms = 1.0 - rate_arms * c[K_TRACK_ARMS]
    x[i, TIES] = ties + rate_bureaucratic * c[K_TRACK_BUREAUCRATIC] * (1.0 - ties)
    x[i, DETER_US] = x[i, DETER_US] * arms
    x[i, DETER_RU] = x[i, DETER_RU] * arms
    x[i, DISPUTE] = x[i, DISPUTE] * (1.0 - rate_regional * c[K_TRACK_REGIONAL])


class ThreeTracks(Mechanism):
    """Policy levers for the three tracks of file 001."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m5",
        name="Three tracks",
        reads=("ties", "deter_us", "deter_ru", "dispute"),
        writes=("ties", "deter_us", "deter_ru", "dispute"),
        stochastic=False,
        sources=("001",),
        quotes=(
            "To maintain the momentum, both sides will have to pursue three tracks, "
            "addressing each source of contention.",
            "First, they must work to build trust among state bureaucracies through "
            "day-to-day cooperation on issues of key importance to both of them.",
            "The New START Treaty, which entered into force on February 5, 2011, represented "
            "a great step forward in this direction",
            "Russia and the U.S. must also intensify dialogue on the issues of mutual concern "
            "in the regions around Russia.",
        ),
        stage=STAGE_DYNAMICS,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        ties = x[:, TIES]
        arms = 1.0 - p.rate_arms * ctx.track_arms
        return {
            TIES: ties + p.rate_bureaucratic * ctx.track_bureaucratic * (1.0 - ties),
            DETER_US: x[:, DETER_US] * arms,
            DETER_RU: x[:, DETER_RU] * arms,
            DISPUTE: x[:, DISPUTE] * (1.0 - p.rate_regional * ctx.track_regional),
        }
