"""Reset initiative: a large conciliatory move in month ``month``, then reciprocity.

Before that month the side plays tit-for-tat from ``initial``; in it, it moves to ``size``;
after it, it copies the other's last move as read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import Strategy, StrategyMeta
from resetlab.model.state import Array


@dataclass(frozen=True)
class Params:
    """Opening move; month of the initiative (from the scenario start); its size."""

    initial: float = 0.3
    month: float = 0.0
    size: float = 0.8


def kernel(
    t: int, own: float, seen: float, lever: float, mem: Array, i: int, p: Array, q: int
) -> float:
    """This month's move for member ``i`` (the fused engine; :meth:`ResetInitiative.move` is the
    reference)."""
    initial, month, size = p[q], p[q + 1], p[q + 2]
    if t == int(month):
        return size
    if t == 0:
        return initial
    return min(max(seen, 0.0), 1.0)


class ResetInitiative(Strategy):
    """A large conciliatory move, then reciprocity."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = StrategyMeta(
        key="reset-initiative",
        name="Reset initiative",
        description="A large conciliatory move in month `month`, then tit-for-tat.",
        memory=0,
    )

    def move(
        self, t: int, own_last: Array, seen_last: Array, memory: Array, lever: float | Array
    ) -> tuple[Array, Array]:
        p = self.params
        if t == int(p.month):
            return np.full(own_last.shape, p.size, dtype=own_last.dtype), memory.copy()
        if t == 0:
            return np.full(own_last.shape, p.initial, dtype=own_last.dtype), memory.copy()
        return np.clip(seen_last, 0.0, 1.0), memory.copy()
