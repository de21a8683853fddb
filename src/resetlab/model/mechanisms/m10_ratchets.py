"""M10: some moves cannot be walked back (alliance membership, annexation) (file 002).

Irreversible events (``ratchet_us``/``ratchet_ru`` shocks, or, at a small monthly hazard,
a dispute above ``threshold``) add to a count that never falls, and put a floor under the
grievance memory proportional to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import (
    H_RATCHET_RU,
    H_RATCHET_US,
    STAGE_DYNAMICS,
    Context,
    Mechanism,
    MechanismMeta,
)
from resetlab.model.state import DISPUTE, GRIEVANCE, RATCHET, Array


@dataclass(frozen=True)
class Params:
    """Monthly hazard of a ratchet while dispute > threshold; grievance floor per ratchet."""

    hazard: float = 0.01
    threshold: float = 0.7
    floor: float = 0.1


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Ratchets, for member ``i`` (the fused engine; :meth:`Ratchets.step` is the reference)."""
    hazard, threshold, floor = p[q], p[q + 1], p[q + 2]
    spontaneous = 1.0 if (u < hazard and x[i, DISPUTE] > threshold) else 0.0
    ratchet = x[i, RATCHET] + h[H_RATCHET_US] + h[H_RATCHET_RU] + spontaneous
    x[i, RATCHET] = ratchet
    x[i, GRIEVANCE] = max(x[i, GRIEVANCE], min(floor * ratchet, 1.0))


class Ratchets(Mechanism):
    """Irreversible state changes."""

    Params = Params
    kernel = staticmethod(kernel)
    kernel_draws = "always"
    meta = MechanismMeta(
        key="m10",
        name="Ratchets",
        reads=("ratchet", "grievance", "dispute"),
        writes=("ratchet", "grievance"),
        stochastic=True,
        sources=("002",),
        quotes=(
            "Although in theory it would be optimal for both countries to walk-back their "
            "provocations, such an option is not feasible in most cases.",
        ),
        stage=STAGE_DYNAMICS,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        hot = x[:, DISPUTE] > p.threshold
        spontaneous = (rng.random(x.shape[0]) < p.hazard) & hot
        forced = ctx.ratchet_us + ctx.ratchet_ru
        ratchet = x[:, RATCHET] + forced + spontaneous
        grievance = np.maximum(x[:, GRIEVANCE], np.minimum(p.floor * ratchet, 1.0))
        return {RATCHET: ratchet, GRIEVANCE: grievance}
