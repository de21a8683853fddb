"""Tit-for-tat: open at ``initial``, then copy the other side's last move as read."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import Strategy, StrategyMeta
from resetlab.model.state import Array


@dataclass(frozen=True)
class Params:
    """The opening move."""

    initial: float = 1.0


def kernel(
    t: int, own: float, seen: float, lever: float, mem: Array, i: int, p: Array, q: int
) -> float:
    """This month's move for member ``i`` (the fused engine; :meth:`TitForTat.move` is the
    reference)."""
    if t == 0:
        return p[q]
    return min(max(seen, 0.0), 1.0)


class TitForTat(Strategy):
    """Reciprocity: this month's move is the other's last move (as read, with noise)."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = StrategyMeta(
        key="tit-for-tat",
        name="Tit-for-tat",
        description="Open at `initial`, then copy the other side's last move as read.",
        memory=0,
    )

    def move(
        self, t: int, own_last: Array, seen_last: Array, memory: Array, lever: float | Array
    ) -> tuple[Array, Array]:
        if t == 0:
            return np.full(own_last.shape, self.params.initial, dtype=own_last.dtype), memory.copy()
        return np.clip(seen_last, 0.0, 1.0), memory.copy()
