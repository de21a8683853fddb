"""M6: acute common challenges (Afghanistan, Iran) are short-lived (file 001).

A common challenge (a ``common`` shock) lifts shared-interest incentives, which then decay
quickly back toward a floor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import H_COMMON, STAGE_PRE, Context, Mechanism, MechanismMeta
from resetlab.model.state import INTEREST, Array


@dataclass(frozen=True)
class Params:
    """Long-run floor of shared interest, monthly decay toward it, boost from a challenge."""

    floor: float = 0.1
    decay: float = 0.15
    boost: float = 0.6


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Acute common challenges are short-lived, for member ``i`` (the fused engine; :meth:`AcuteChallenges.step` is the reference)."""
    floor, decay, boost = p[q], p[q + 1], p[q + 2]
    v = x[i, INTEREST]
    decayed = floor + (v - floor) * (1.0 - decay)
    x[i, INTEREST] = min(max(decayed + boost * h[H_COMMON] * (1.0 - v), 0.0), 1.0)


class AcuteChallenges(Mechanism):
    """Shared-interest incentives that decay."""

    Params = Params
    kernel = staticmethod(kernel)
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
