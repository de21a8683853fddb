"""M8: a reserve of experience of restraint makes the rationale for deterrence wither (001).

Months without provocations (exercises, hostile shocks) build a reserve of restraint; each
provocation erodes it; the reserve makes both deterrence postures decay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import (
    H_HOSTILE_RU,
    H_HOSTILE_US,
    K_EXERCISES,
    STAGE_DYNAMICS,
    Context,
    Mechanism,
    MechanismMeta,
    clipped_sum,
)
from resetlab.model.state import DETER_RU, DETER_US, RESTRAINT, Array


@dataclass(frozen=True)
class Params:
    """Monthly build-up of restraint, erosion by a provocation, withering of deterrence."""

    build: float = 0.02
    erode: float = 0.5
    wither: float = 0.02


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Reserve of restraint, for member ``i`` (the fused engine; :meth:`Restraint.step` is the reference)."""
    build, erode, wither = p[q], p[q + 1], p[q + 2]
    provocation = min(max(c[K_EXERCISES] + h[H_HOSTILE_US] + h[H_HOSTILE_RU], 0.0), 1.0)
    r = x[i, RESTRAINT]
    r_new = r + build * (1.0 - provocation) * (1.0 - r) - erode * provocation * r
    r_new = min(max(r_new, 0.0), 1.0)
    keep = 1.0 - wither * r_new
    x[i, RESTRAINT] = r_new
    x[i, DETER_US] = x[i, DETER_US] * keep
    x[i, DETER_RU] = x[i, DETER_RU] * keep


class Restraint(Mechanism):
    """Deterrence decays as restraint accumulates."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m8",
        name="Reserve of restraint",
        reads=("restraint", "deter_us", "deter_ru"),
        writes=("restraint", "deter_us", "deter_ru"),
        stochastic=False,
        sources=("001",),
        quotes=(
            "if they can build up a reserve of experience of refraining from provocative moves "
            "and statements, the rationale for nuclear deterrence will wither away with a "
            "positive ripple effect for the whole relationship.",
        ),
        stage=STAGE_DYNAMICS,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        provocation = clipped_sum(ctx.exercises, ctx.hostile_us, ctx.hostile_ru)
        r = x[:, RESTRAINT]
        r_new = r + p.build * (1.0 - provocation) * (1.0 - r) - p.erode * provocation * r
        r_new = np.clip(r_new, 0.0, 1.0)
        keep = 1.0 - p.wither * r_new
        return {RESTRAINT: r_new, DETER_US: x[:, DETER_US] * keep, DETER_RU: x[:, DETER_RU] * keep}
