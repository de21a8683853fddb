"""M16: détente "requires a minimum level of trust" (file 003).

While trust is below ``threshold`` neither side's move may exceed ``cap``: détente cannot
start. This contradicts M4 (trust from practice); a perspective chooses between them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_MOVES, Context, Mechanism, MechanismMeta
from resetlab.model.state import COOP_RU, COOP_US, TRUST, Array


@dataclass(frozen=True)
class Params:
    """Trust needed for détente; the most cooperation possible below it."""

    threshold: float = 0.2
    cap: float = 0.2


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Minimum trust for détente, for member ``i`` (the fused engine; :meth:`TrustThreshold.step` is the reference)."""
    threshold, cap = p[q], p[q + 1]
    limit = cap if x[i, TRUST] < threshold else 1.0
    x[i, COOP_US] = min(x[i, COOP_US], limit)
    x[i, COOP_RU] = min(x[i, COOP_RU], limit)


class TrustThreshold(Mechanism):
    """A trust threshold below which cooperation cannot start."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m16",
        name="Minimum trust for détente",
        reads=("trust", "coop_us", "coop_ru"),
        writes=("coop_us", "coop_ru"),
        stochastic=False,
        sources=("003",),
        quotes=(
            "Even less significant improvements than a Reset 2.0 seem impossible because "
            "détente requires a minimum level of trust that is obviously absent.",
        ),
        stage=STAGE_MOVES,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        # The most cooperation allowed: ``cap`` below the threshold, else 1.
        limit = 1.0 - (1.0 - p.cap) * (x[:, TRUST] < p.threshold)
        return {
            COOP_US: np.minimum(x[:, COOP_US], limit),
            COOP_RU: np.minimum(x[:, COOP_RU], limit),
        }
