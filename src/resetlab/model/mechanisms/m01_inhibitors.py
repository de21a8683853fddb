"""M1: four inhibitors; national security "trumps" baggage, values and trust (file 000).

Grievance memory (historical baggage) decays slowly and is fed by hostile acts; the values gap
is a constant drag on trust; each side's cooperation is capped at ``1 - security_weight * threat``
(security dominates the other three).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import (
    H_HOSTILE_RU,
    H_HOSTILE_US,
    STAGE_MOVES,
    Context,
    Mechanism,
    MechanismMeta,
    clipped_sum,
)
from resetlab.model.state import COOP_RU, COOP_US, GRIEVANCE, THREAT_RU, THREAT_US, TRUST, Array


@dataclass(frozen=True)
class Params:
    """Decay and gain of grievance memory, drag on trust, values gap, security weight."""

    decay: float = 0.01
    gain: float = 0.3
    drag: float = 0.02
    values_gap: float = 0.3
    security_weight: float = 0.5


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Four inhibitors, for member ``i`` (the fused engine; :meth:`Inhibitors.step` is the reference)."""
    decay, gain, drag, values_gap, w = p[q], p[q + 1], p[q + 2], p[q + 3], p[q + 4]
    hostile = min(max(h[H_HOSTILE_US] + h[H_HOSTILE_RU], 0.0), 1.0)
    g = x[i, GRIEVANCE]
    g_new = min(max(g * (1.0 - decay) + gain * hostile * (1.0 - g), 0.0), 1.0)
    trust = x[i, TRUST] * (1.0 - drag * (g_new + values_gap))
    x[i, GRIEVANCE] = g_new
    x[i, TRUST] = min(max(trust, 0.0), 1.0)
    x[i, COOP_US] = min(x[i, COOP_US], 1.0 - w * x[i, THREAT_US])
    x[i, COOP_RU] = min(x[i, COOP_RU], 1.0 - w * x[i, THREAT_RU])


class Inhibitors(Mechanism):
    """Grievance memory, values gap and security weight damping cooperation."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m1",
        name="Four inhibitors",
        reads=("grievance", "trust", "threat_us", "threat_ru", "coop_us", "coop_ru"),
        writes=("grievance", "trust", "coop_us", "coop_ru"),
        stochastic=False,
        sources=("000",),
        quotes=(
            "The U.S.-Russia relationship has been inhibited by four primary factors. First, "
            "many of us bring some historical baggage to the table as we discuss this question.",
            "Two other factors significantly stand in the way: lack of shared values and lack "
            "of trust. All three factors are, in my opinion, trumped by a fourth consideration: "
            "both of our governments’ obligation to provide for the national security of each "
            "citizen.",
        ),
        stage=STAGE_MOVES,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        hostile = clipped_sum(ctx.hostile_us, ctx.hostile_ru)
        g = x[:, GRIEVANCE]
        g_new = np.clip(g * (1.0 - p.decay) + p.gain * hostile * (1.0 - g), 0.0, 1.0)
        trust = x[:, TRUST] * (1.0 - p.drag * (g_new + p.values_gap))
        w = p.security_weight
        return {
            GRIEVANCE: g_new,
            TRUST: np.clip(trust, 0.0, 1.0),
            COOP_US: np.minimum(x[:, COOP_US], 1.0 - w * x[:, THREAT_US]),
            COOP_RU: np.minimum(x[:, COOP_RU], 1.0 - w * x[:, THREAT_RU]),
        }
