"""Package deal: deliver the scenario's schedule of concessions, partly reciprocating.

The side's scheduled concessions (the ``concessions`` lever of the scenario, after M20 has
scaled them) accumulate in memory; the move is ``(1 - reciprocity) * min(base + delivered, 1)
+ reciprocity * seen``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import Strategy, StrategyMeta
from resetlab.model.state import Array


@dataclass(frozen=True)
class Params:
    """Move before any concession; weight on the other's last move."""

    base: float = 0.3
    reciprocity: float = 0.3


def kernel(
    t: int, own: float, seen: float, lever: float, mem: Array, i: int, p: Array, q: int
) -> float:
    """This month's move for member ``i`` (the fused engine; :meth:`PackageDeal.move` is the
    reference)."""
    base, reciprocity = p[q], p[q + 1]
    delivered = mem[i, 0] + lever
    mem[i, 0] = delivered
    own_deal = min(base + delivered, 1.0)
    seen_deal = own_deal if t == 0 else min(max(seen, 0.0), 1.0)
    move = (1.0 - reciprocity) * own_deal + reciprocity * seen_deal
    return min(max(move, 0.0), 1.0)


class PackageDeal(Strategy):
    """A schedule of concessions read from the scenario."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = StrategyMeta(
        key="package-deal",
        name="Package deal",
        description="Deliver scheduled concessions (cumulative), partly reciprocating.",
        memory=1,
    )

    def move(
        self, t: int, own_last: Array, seen_last: Array, memory: Array, lever: float | Array
    ) -> tuple[Array, Array]:
        p = self.params
        delivered = memory[:, 0] + lever
        own = np.minimum(p.base + delivered, 1.0)
        seen = own if t == 0 else np.clip(seen_last, 0.0, 1.0)
        move = (1.0 - p.reciprocity) * own + p.reciprocity * seen
        return np.clip(move, 0.0, 1.0), delivered[:, None].copy()
