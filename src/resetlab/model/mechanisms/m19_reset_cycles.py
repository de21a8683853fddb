"""M19: repeated resets since the Cold War; the 2009 button read "overload" (004, 000).

An announced reset (levers ``reset_us``/``reset_ru``) lifts expectations and gives both sides'
moves a honeymoon boost that fades with time constant ``tau`` months: resets as short-lived
regime shifts, to be scored by the reset scorecard.

File 004 is a machine-paraphrased ("spun") copy of a real article; its passages are
quoted verbatim as stored ("Chilly Warfare" is "Cold War", "overseas coverage" is
"foreign policy", "politically poisonous" is "politically toxic").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_MOVES, Context, Mechanism, MechanismMeta
from resetlab.model.state import COOP_RU, COOP_US, EXPECT, RESET_AGE, Array


@dataclass(frozen=True)
class Params:
    """Lift in expectations per unit reset; honeymoon boost to moves; its fading (months)."""

    boost: float = 0.3
    honeymoon: float = 0.3
    tau: float = 12.0


class ResetCycles(Mechanism):
    """Resets as regime shifts that fade."""

    Params = Params
    meta = MechanismMeta(
        key="m19",
        name="Repeated resets",
        reads=("reset_age", "expect", "coop_us", "coop_ru"),
        writes=("reset_age", "expect", "coop_us", "coop_ru"),
        stochastic=False,
        sources=("004", "000"),
        quotes=(
            "For the reason that finish of the Chilly Warfare, successive United States "
            "governments have sought Russia resets.",
            "Nonetheless, the label had been mistranslated and truly learn “overload.”",
            "Reset Button Peregruzka",
        ),
        stage=STAGE_MOVES,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        size = ctx.reset_us + ctx.reset_ru
        age = x[:, RESET_AGE]
        age_new = np.zeros_like(age) if size > 0 else age + 1.0
        lift = p.honeymoon * np.exp(-age_new / p.tau)
        return {
            RESET_AGE: age_new,
            EXPECT: np.clip(x[:, EXPECT] + p.boost * size, 0.0, 1.0),
            COOP_US: np.clip(x[:, COOP_US] + lift, 0.0, 1.0),
            COOP_RU: np.clip(x[:, COOP_RU] + lift, 0.0, 1.0),
        }
