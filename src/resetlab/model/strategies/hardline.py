"""Hardline: cooperate at a fixed low ``level`` whatever the other side does."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import Strategy, StrategyMeta
from resetlab.model.state import Array


@dataclass(frozen=True)
class Params:
    """The fixed move."""

    level: float = 0.1


def kernel(
    t: int, own: float, seen: float, lever: float, mem: Array, i: int, p: Array, q: int
) -> float:
    """This month's move for member ``i`` (the fused engine; :meth:`Hardline.move` is the
    reference)."""
    return p[q]


class Hardline(Strategy):
    """A constant, low move: no reciprocity."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = StrategyMeta(
        key="hardline",
        name="Hardline",
        description="A fixed low move, whatever the other side does.",
        memory=0,
    )

    def move(
        self, t: int, own_last: Array, seen_last: Array, memory: Array, lever: float | Array
    ) -> tuple[Array, Array]:
        return np.full(own_last.shape, self.params.level, dtype=own_last.dtype), memory.copy()
