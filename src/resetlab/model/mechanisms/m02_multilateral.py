"""M2: better bilateral relations enable cooperation in multilateral bodies (file 000).

Agreement in multilateral bodies (observable as U.N. voting agreement) relaxes toward a
logistic function of the bilateral relations score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_DYNAMICS, Context, Mechanism, MechanismMeta
from resetlab.model.state import MULTILATERAL, RELATIONS, Array


@dataclass(frozen=True)
class Params:
    """Relaxation rate; relations score (Goldstein) at half agreement; logistic scale."""

    rate: float = 0.1
    midpoint: float = -2.0
    scale: float = 2.0


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Bilateral relations enable multilateral cooperation, for member ``i`` (the fused engine; :meth:`Multilateral.step` is the reference)."""
    rate, midpoint, scale = p[q], p[q + 1], p[q + 2]
    # The logistic saturates long before |a| = 50; capping keeps exp out of subnormals.
    a = min(max(-(x[i, RELATIONS] - midpoint) / scale, -50.0), 50.0)
    target = 1.0 / (1.0 + np.exp(a))
    m = x[i, MULTILATERAL]
    x[i, MULTILATERAL] = m + rate * (target - m)


class Multilateral(Mechanism):
    """Multilateral agreement follows the bilateral relations score."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m2",
        name="Bilateral relations enable multilateral cooperation",
        reads=("relations", "multilateral"),
        writes=("multilateral",),
        stochastic=False,
        sources=("000",),
        quotes=(
            "An improved U.S.-Russian relationship offers the prospect not only of improved "
            "cooperation on areas of mutual bilateral interest, but also enhanced cooperation "
            "within multilateral institutions such as the Organization for Security and "
            "Cooperation in Europe (OSCE)",
        ),
        stage=STAGE_DYNAMICS,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        target = 1.0 / (1.0 + np.exp(-(x[:, RELATIONS] - p.midpoint) / p.scale))
        m = x[:, MULTILATERAL]
        return {MULTILATERAL: m + p.rate * (target - m)}
