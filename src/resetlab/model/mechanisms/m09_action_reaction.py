"""M9: action and reaction (Richardson-style) between NATO/U.S. moves and Russian pushback.

File 002. U.S./NATO provocations (enlargement, exercises, interference: ``hostile_us``,
``exercises``), U.S. alignment and deterrence raise Russian threat perception; Russian
harassment and meddling (``hostile_ru``) and deterrence raise U.S. threat perception. Each
side arms (deterrence) in proportion to its threat perception; both relax with fatigue.
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
)
from resetlab.model.state import ALIGN_US, DETER_RU, DETER_US, THREAT_RU, THREAT_US, Array


@dataclass(frozen=True)
class Params:
    """Reaction coefficients of each side, fatigue, arming rate, relaxation of deterrence."""

    react_us: float = 0.2
    react_ru: float = 0.25
    fatigue: float = 0.05
    arm: float = 0.05
    relax: float = 0.01


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Action and reaction, for member ``i`` (the fused engine; :meth:`ActionReaction.step` is the reference)."""
    react_us, react_ru, fatigue, arm, relax = p[q], p[q + 1], p[q + 2], p[q + 3], p[q + 4]
    tu, tr = x[i, THREAT_US], x[i, THREAT_RU]
    du, dr = x[i, DETER_US], x[i, DETER_RU]
    us_moves = h[H_HOSTILE_US] + c[K_EXERCISES] + 0.5 * du + 0.2 * x[i, ALIGN_US]
    ru_moves = h[H_HOSTILE_RU] + 0.5 * dr
    tu_new = min(max(tu + react_us * ru_moves * (1.0 - tu) - fatigue * tu, 0.0), 1.0)
    tr_new = min(max(tr + react_ru * us_moves * (1.0 - tr) - fatigue * tr, 0.0), 1.0)
    x[i, THREAT_US] = tu_new
    x[i, THREAT_RU] = tr_new
    x[i, DETER_US] = min(max(du + arm * tu_new * (1.0 - du) - relax * du, 0.0), 1.0)
    x[i, DETER_RU] = min(max(dr + arm * tr_new * (1.0 - dr) - relax * dr, 0.0), 1.0)


class ActionReaction(Mechanism):
    """Reaction coefficients on each side."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m9",
        name="Action and reaction",
        reads=("threat_us", "threat_ru", "deter_us", "deter_ru", "align_us"),
        writes=("threat_us", "threat_ru", "deter_us", "deter_ru"),
        stochastic=False,
        sources=("002",),
        quotes=(
            "Such ill-advised moves were at least partly to blame for the Kremlin’s angry "
            "disenchantment with the West and helped trigger Vladimir Putin’s ugly pushback.",
            "For its part, Russia harasses NATO planes and ships—often in extremely reckless "
            "ways—operating near its borders.",
        ),
        stage=STAGE_DYNAMICS,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        tu, tr = x[:, THREAT_US], x[:, THREAT_RU]
        du, dr = x[:, DETER_US], x[:, DETER_RU]
        us_moves = ctx.hostile_us + ctx.exercises + 0.5 * du + 0.2 * x[:, ALIGN_US]
        ru_moves = ctx.hostile_ru + 0.5 * dr
        tu_new = np.clip(tu + p.react_us * ru_moves * (1.0 - tu) - p.fatigue * tu, 0.0, 1.0)
        tr_new = np.clip(tr + p.react_ru * us_moves * (1.0 - tr) - p.fatigue * tr, 0.0, 1.0)
        return {
            THREAT_US: tu_new,
            THREAT_RU: tr_new,
            DETER_US: np.clip(du + p.arm * tu_new * (1.0 - du) - p.relax * du, 0.0, 1.0),
            DETER_RU: np.clip(dr + p.arm * tr_new * (1.0 - dr) - p.relax * dr, 0.0, 1.0),
        }
