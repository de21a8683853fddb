"""GRIT (graduated reciprocation in tension-reduction): announced unilateral steps.

Start at ``initial`` and raise the move by ``step`` each month while the other side
reciprocates (its move as read is no more than ``step + tolerance`` below our last move);
after the first month it does not, fall back to tit-for-tat for good.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import Strategy, StrategyMeta
from resetlab.model.state import Array


@dataclass(frozen=True)
class Params:
    """Opening move, size of each conciliatory step, slack in judging reciprocity, ceiling."""

    initial: float = 0.3
    step: float = 0.1
    tolerance: float = 0.05
    ceiling: float = 1.0


def kernel(
    t: int, own: float, seen: float, lever: float, mem: Array, i: int, p: Array, q: int
) -> float:
    """This month's move for member ``i`` (the fused engine; :meth:`Grit.move` is the
    reference)."""
    initial, step, tolerance, ceiling = p[q], p[q + 1], p[q + 2], p[q + 3]
    if t == 0:
        return initial
    reciprocated = seen >= own - step - tolerance - 1e-6  # rounding slack
    active = mem[i, 0] > 0 and reciprocated
    mem[i, 0] = 1.0 if active else 0.0
    if active:
        return min(own + step, ceiling)
    return min(max(seen, 0.0), 1.0)


class Grit(Strategy):
    """Unilateral conciliatory steps continued only if reciprocated."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = StrategyMeta(
        key="grit",
        name="GRIT",
        description="Announced conciliatory steps, continued only while reciprocated.",
        memory=1,
    )

    def init_memory(self, members: int) -> Array:
        """Column 0: 1 while the other side has reciprocated every step, else 0."""
        return np.ones((members, 1))

    def move(
        self, t: int, own_last: Array, seen_last: Array, memory: Array, lever: float | Array
    ) -> tuple[Array, Array]:
        p = self.params
        if t == 0:
            return np.full(own_last.shape, p.initial, dtype=own_last.dtype), memory.copy()
        reciprocated = seen_last >= own_last - p.step - p.tolerance - 1e-6  # rounding slack
        active = (memory[:, 0] > 0) & reciprocated
        stepped = np.minimum(own_last + p.step, p.ceiling)
        move = np.where(active, stepped, np.clip(seen_last, 0.0, 1.0))
        return move, active.astype(memory.dtype)[:, None]
