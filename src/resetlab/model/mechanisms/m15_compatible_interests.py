"""M15: cooperation needs shared or at least compatible interests (file 003).

Compatibility is a base level plus shared interest, minus what third-party alignment (M17)
took away; each side's move is capped at ``min(1, compat / needed)``, so with no compatible
interests there is no cooperative outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_MOVES, Context, Mechanism, MechanismMeta
from resetlab.model.state import ALIGN_PENALTY, COMPAT, COOP_RU, COOP_US, INTEREST, Array


@dataclass(frozen=True)
class Params:
    """Base compatibility, weight of shared interest, compatibility needed for full moves."""

    base: float = 0.5
    w_interest: float = 0.6
    needed: float = 0.5


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Compatible interests, for member ``i`` (the fused engine; :meth:`CompatibleInterests.step` is the reference)."""
    base, w_interest, needed = p[q], p[q + 1], p[q + 2]
    compat = min(max(base + w_interest * x[i, INTEREST] - x[i, ALIGN_PENALTY], 0.0), 1.0)
    cap = min(compat / needed, 1.0)
    x[i, COMPAT] = compat
    x[i, COOP_US] = min(x[i, COOP_US], cap)
    x[i, COOP_RU] = min(x[i, COOP_RU], cap)


class CompatibleInterests(Mechanism):
    """Payoff compatibility gates cooperation."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m15",
        name="Compatible interests",
        reads=("interest", "align_penalty", "coop_us", "coop_ru"),
        writes=("compat", "coop_us", "coop_ru"),
        stochastic=False,
        sources=("003",),
        quotes=(
            "Not only are there no shared interests, there are not even any compatible "
            "interests that could make cooperation possible.",
        ),
        stage=STAGE_MOVES,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        compat = np.clip(p.base + p.w_interest * x[:, INTEREST] - x[:, ALIGN_PENALTY], 0.0, 1.0)
        cap = np.minimum(compat / p.needed, 1.0)
        return {
            COMPAT: compat,
            COOP_US: np.minimum(x[:, COOP_US], cap),
            COOP_RU: np.minimum(x[:, COOP_RU], cap),
        }
