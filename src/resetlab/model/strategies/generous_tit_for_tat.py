"""Generous tit-for-tat: reciprocate, but forgive a share ``generosity`` of any shortfall."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import Strategy, StrategyMeta
from resetlab.model.state import Array


@dataclass(frozen=True)
class Params:
    """The opening move; the share of a shortfall forgiven each month."""

    initial: float = 1.0
    generosity: float = 0.3


def kernel(
    t: int, own: float, seen: float, lever: float, mem: Array, i: int, p: Array, q: int
) -> float:
    """This month's move for member ``i`` (the fused engine; :meth:`GenerousTitForTat.move` is the
    reference)."""
    if t == 0:
        return p[q]
    g = p[q + 1]
    return min(max(g + (1.0 - g) * seen, 0.0), 1.0)


class GenerousTitForTat(Strategy):
    """Move ``g + (1 - g) * seen``: a continuous version of forgiving defections with prob g."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = StrategyMeta(
        key="generous-tit-for-tat",
        name="Generous tit-for-tat",
        description="Copy the other's last move, forgiving a share `generosity` of a shortfall.",
        memory=0,
    )

    def move(
        self, t: int, own_last: Array, seen_last: Array, memory: Array, lever: float | Array
    ) -> tuple[Array, Array]:
        p = self.params
        if t == 0:
            return np.full(own_last.shape, p.initial, dtype=own_last.dtype), memory.copy()
        g = p.generosity
        return np.clip(g + (1.0 - g) * seen_last, 0.0, 1.0), memory.copy()
