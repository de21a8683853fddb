"""M3: the vicious circle of regional disputes, nuclear deterrence and distrust (file 001).

Disputes (and regional shocks) raise each side's deterrence posture the more, the less the
sides trust each other; deterrence in turn feeds disputes and erodes trust.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import H_REGIONAL, STAGE_DYNAMICS, Context, Mechanism, MechanismMeta
from resetlab.model.state import DETER_RU, DETER_US, DISPUTE, TRUST, Array


@dataclass(frozen=True)
class Params:
    """Coupling dispute->deterrence, deterrence->dispute, deterrence->distrust; decays."""

    arm: float = 0.05
    feed: float = 0.04
    erode: float = 0.02
    deter_decay: float = 0.02
    dispute_decay: float = 0.03
    regional_gain: float = 0.3


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Vicious circle, for member ``i`` (the fused engine; :meth:`ViciousCircle.step` is the reference)."""
    arm, feed, erode = p[q], p[q + 1], p[q + 2]
    deter_decay, dispute_decay, regional_gain = p[q + 3], p[q + 4], p[q + 5]
    trust = x[i, TRUST]
    distrust = 1.0 - trust
    dispute = x[i, DISPUTE]
    regional = h[H_REGIONAL]
    du, dr = x[i, DETER_US], x[i, DETER_RU]
    pressure = (dispute + regional) * distrust
    deter_mean = 0.5 * (du + dr)
    new_dispute = (
        dispute
        + feed * deter_mean * distrust * (1.0 - dispute)
        + regional_gain * regional * (1.0 - dispute)
        - dispute_decay * dispute
    )
    x[i, DETER_US] = min(max(du + arm * pressure * (1.0 - du) - deter_decay * du, 0.0), 1.0)
    x[i, DETER_RU] = min(max(dr + arm * pressure * (1.0 - dr) - deter_decay * dr, 0.0), 1.0)
    x[i, DISPUTE] = min(max(new_dispute, 0.0), 1.0)
    x[i, TRUST] = trust * (1.0 - erode * deter_mean)


class ViciousCircle(Mechanism):
    """Coupled feedback of regional dispute, deterrence posture and trust."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m3",
        name="Vicious circle",
        reads=("dispute", "deter_us", "deter_ru", "trust"),
        writes=("dispute", "deter_us", "deter_ru", "trust"),
        stochastic=False,
        sources=("001",),
        quotes=(
            "Relations between the United States and Russia have long been haunted by a "
            "vicious circle of disagreements on regional issues, nuclear deterrence and "
            "deeply-rooted distrust.",
            "Here the negative feedback loop closes up: these disagreements, as we have seen "
            "earlier, compel you to plan for using nukes.",
        ),
        stage=STAGE_DYNAMICS,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        trust = x[:, TRUST]
        distrust = 1.0 - trust
        dispute = x[:, DISPUTE]
        regional = ctx.regional
        du, dr = x[:, DETER_US], x[:, DETER_RU]
        pressure = (dispute + regional) * distrust
        deter_mean = 0.5 * (du + dr)
        new_dispute = (
            dispute
            + p.feed * deter_mean * distrust * (1.0 - dispute)
            + p.regional_gain * regional * (1.0 - dispute)
            - p.dispute_decay * dispute
        )
        return {
            DETER_US: np.clip(du + p.arm * pressure * (1.0 - du) - p.deter_decay * du, 0.0, 1.0),
            DETER_RU: np.clip(dr + p.arm * pressure * (1.0 - dr) - p.deter_decay * dr, 0.0, 1.0),
            DISPUTE: np.clip(new_dispute, 0.0, 1.0),
            TRUST: trust * (1.0 - p.erode * deter_mean),
        }
