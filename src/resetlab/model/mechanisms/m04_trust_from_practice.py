"""M4: trust is the product of practical cooperation, not a precondition (file 001).

Trust grows with realised mutual cooperation (the smaller of the two moves) from any level,
including zero, and falls when one side cooperates and the other does not. There is no
threshold; M16 says the opposite, and a perspective chooses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_DYNAMICS, Context, Mechanism, MechanismMeta
from resetlab.model.state import COOP_RU, COOP_US, TRUST, Array


@dataclass(frozen=True)
class Params:
    """Monthly trust gain from mutual cooperation; loss from one-sided cooperation."""

    gain: float = 0.05
    loss: float = 0.03


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Trust from practice, for member ``i`` (the fused engine; :meth:`TrustFromPractice.step` is the reference)."""
    gain, loss = p[q], p[q + 1]
    cu, cr, trust = x[i, COOP_US], x[i, COOP_RU], x[i, TRUST]
    new = trust + gain * min(cu, cr) * (1.0 - trust) - loss * abs(cu - cr) * trust
    x[i, TRUST] = min(max(new, 0.0), 1.0)


class TrustFromPractice(Mechanism):
    """Trust accumulates from realised mutual cooperation."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m4",
        name="Trust from practice",
        reads=("trust", "coop_us", "coop_ru"),
        writes=("trust",),
        stochastic=False,
        sources=("001",),
        quotes=(
            "Restoring trust is a gradual process. Trust is the product of efforts to resolve "
            "practical differences, not a precondition for cooperation.",
        ),
        stage=STAGE_DYNAMICS,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        cu, cr, trust = x[:, COOP_US], x[:, COOP_RU], x[:, TRUST]
        mutual = np.minimum(cu, cr)
        new = trust + p.gain * mutual * (1.0 - trust) - p.loss * np.abs(cu - cr) * trust
        return {TRUST: np.clip(new, 0.0, 1.0)}
