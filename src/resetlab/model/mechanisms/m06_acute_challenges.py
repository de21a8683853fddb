"""M6: acute common challenges (Afghanistan, Iran) are short-lived (file 001).

A common challenge (a ``common`` shock) lifts shared-interest incentives, which then decay
quickly back toward a floor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_PRE, Context, Mechanism, MechanismMeta
from resetlab.model.state import INTEREST, Array


@dataclass(frozen=True)
class Params:
    """Long-run floor of shared interest, monthly decay toward it, boost from a challenge."""

    floor: float = 0.1
    decay: float = 0.15
    boost: float = 0.6


class AcuteChallenges(Mechanism):
    """Shared-interest incentives that decay."""

    Params = Params
    meta = MechanismMeta(
        key="m6",
        name="Acute common challenges are short-lived",
        reads=("interest",),
        writes=("interest",),
        stochastic=False,
        sources=("001",),
        quotes=(
            "However, acute common challenges are usually short-lived and unlikely to "
            "generate long-standing cooperation agendas.",
        ),
        stage=STAGE_PRE,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        i = x[:, INTEREST]
        decayed = p.floor + (i - p.floor) * (1.0 - p.decay)
        return {INTEREST: np.clip(decayed + p.boost * ctx.common * (1.0 - i), 0, 1)}
