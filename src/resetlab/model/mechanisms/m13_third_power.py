"""M13: a third power (China) changes the bilateral game (file 002).

Exogenous pressure from a rising third power grows toward 1; it shifts shared interest by
``pull`` per month at full pressure (positive: a common interest in containing China, as file
002 argues; a perspective may set it negative).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_DYNAMICS, Context, Mechanism, MechanismMeta
from resetlab.model.state import CHINA, INTEREST, Array


@dataclass(frozen=True)
class Params:
    """Monthly growth of third-power pressure; its monthly pull on shared interest."""

    growth: float = 0.005
    pull: float = 0.01


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Third power, for member ``i`` (the fused engine; :meth:`ThirdPower.step` is the reference)."""
    growth, pull = p[q], p[q + 1]
    v = x[i, CHINA]
    v_new = v + growth * (1.0 - v)
    x[i, CHINA] = v_new
    x[i, INTEREST] = min(max(x[i, INTEREST] + pull * v_new, 0.0), 1.0)


class ThirdPower(Mechanism):
    """Exogenous third-power pressure."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m13",
        name="Third power",
        reads=("china", "interest"),
        writes=("china", "interest"),
        stochastic=False,
        sources=("002",),
        quotes=(
            "Russia and the United States also have (or at least should have) a common "
            "interest in containing China’s expanding influence",
            "both the United States and Russia should seek to bring another key power, China, "
            "into negotiations for a new, more comprehensive INF Treaty.",
        ),
        stage=STAGE_DYNAMICS,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        c = x[:, CHINA]
        c_new = c + p.growth * (1.0 - c)
        return {CHINA: c_new, INTEREST: np.clip(x[:, INTEREST] + p.pull * c_new, 0.0, 1.0)}
