"""M19: repeated resets since the Cold War; the 2009 button read "overload" (004, 000).

An announced reset (levers ``reset_us``/``reset_ru``, of size ``s``) lifts expectations by
``boost * s`` and gives both sides' moves a honeymoon boost ``honeymoon * s * exp(-age/tau)``
that fades with time constant ``tau`` months: resets as short-lived regime shifts, to be
scored by the reset scorecard. The boost scales with the reset's size, so a token reset
(``s`` near 0) does next to nothing and no reset does nothing at all. The age in the
exponent is capped at ``40 * tau`` (the lift is then below 1e-17 of its start), which keeps
``exp`` out of float32's subnormal range, where arithmetic is many times slower.

File 004 is a machine-paraphrased ("spun") copy of a real article; its passages are
quoted verbatim as stored ("Chilly Warfare" is "Cold War", "overseas coverage" is
"foreign policy", "politically poisonous" is "politically toxic").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import (
    K_RESET_RU,
    K_RESET_US,
    STAGE_MOVES,
    Context,
    Mechanism,
    MechanismMeta,
)
from resetlab.model.state import COOP_RU, COOP_US, EXPECT, RESET_AGE, RESET_SIZE, Array

#: Ages beyond this many time constants leave no lift worth computing (exp(-40) ~ 4e-18).
_MAX_AGES = 40.0


@dataclass(frozen=True)
class Params:
    """Lift in expectations per unit reset; honeymoon boost to moves; its fading (months)."""

    boost: float = 0.3
    honeymoon: float = 0.3
    tau: float = 12.0


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Repeated resets, for member ``i`` (the fused engine; :meth:`ResetCycles.step` is the reference)."""
    boost, honeymoon, tau = p[q], p[q + 1], p[q + 2]
    size = c[K_RESET_US] + c[K_RESET_RU]
    if size > 0:
        age_new = 0.0
        size_new = size
    else:
        age_new = x[i, RESET_AGE] + 1.0
        size_new = x[i, RESET_SIZE]
    lift = honeymoon * size_new * np.exp(-min(age_new, _MAX_AGES * tau) / tau)
    x[i, RESET_AGE] = age_new
    x[i, RESET_SIZE] = size_new
    x[i, EXPECT] = min(max(x[i, EXPECT] + boost * size, 0.0), 1.0)
    x[i, COOP_US] = min(max(x[i, COOP_US] + lift, 0.0), 1.0)
    x[i, COOP_RU] = min(max(x[i, COOP_RU] + lift, 0.0), 1.0)


class ResetCycles(Mechanism):
    """Resets as regime shifts that fade."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m19",
        name="Repeated resets",
        reads=("reset_age", "reset_size", "expect", "coop_us", "coop_ru"),
        writes=("reset_age", "reset_size", "expect", "coop_us", "coop_ru"),
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
        if size > 0:
            age_new = np.zeros_like(age)
            size_new = np.full_like(x[:, RESET_SIZE], size)
        else:
            age_new = age + 1.0
            size_new = x[:, RESET_SIZE]
        capped = np.minimum(age_new, _MAX_AGES * p.tau)
        lift = p.honeymoon * size_new * np.exp(-capped / p.tau)
        return {
            RESET_AGE: age_new,
            RESET_SIZE: size_new,
            EXPECT: np.clip(x[:, EXPECT] + p.boost * size, 0.0, 1.0),
            COOP_US: np.clip(x[:, COOP_US] + lift, 0.0, 1.0),
            COOP_RU: np.clip(x[:, COOP_RU] + lift, 0.0, 1.0),
        }
