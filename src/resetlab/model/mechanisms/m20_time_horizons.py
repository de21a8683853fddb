"""M20: asymmetric time horizons; patience is bargaining power (file 004).

A side's horizon is its months to the next election plus ``w_tenure`` times its leader's
tenure; impatience is ``1 / (1 + horizon / scale)``. In a package each side's scheduled
concession is scaled by ``1 + pressure * (own impatience - other's)``: the side with the
shorter clock concedes more.

File 004 is a machine-paraphrased ("spun") copy of a real article; its passages are
quoted verbatim as stored ("Chilly Warfare" is "Cold War", "overseas coverage" is
"foreign policy", "politically poisonous" is "politically toxic").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_PRE, Context, Mechanism, MechanismMeta
from resetlab.model.state import CLOCK_RU, CLOCK_US, CONC_RU, CONC_US, TENURE_RU, TENURE_US, Array


@dataclass(frozen=True)
class Params:
    """Horizon scale (months), weight of leader tenure in the horizon, bargaining pressure."""

    scale: float = 24.0
    w_tenure: float = 0.25
    pressure: float = 1.0


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Asymmetric time horizons, for member ``i`` (the fused engine; :meth:`TimeHorizons.step` is the reference)."""
    scale, w_tenure, pressure = p[q], p[q + 1], p[q + 2]
    iu = 1.0 / (1.0 + (x[i, CLOCK_US] + w_tenure * x[i, TENURE_US]) / scale)
    ir = 1.0 / (1.0 + (x[i, CLOCK_RU] + w_tenure * x[i, TENURE_RU]) / scale)
    cu, cr = x[i, CONC_US], x[i, CONC_RU]
    x[i, CONC_US] = min(max(cu * (1.0 + pressure * (iu - ir)), 0.0), 1.0)
    x[i, CONC_RU] = min(max(cr * (1.0 + pressure * (ir - iu)), 0.0), 1.0)


class TimeHorizons(Mechanism):
    """Discount factors from political calendars."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m20",
        name="Asymmetric time horizons",
        reads=("clock_us", "clock_ru", "tenure_us", "tenure_ru", "conc_us", "conc_ru"),
        writes=("conc_us", "conc_ru"),
        stochastic=False,
        sources=("004",),
        quotes=(
            "When US presidents are elected to workplace and their occasion controls Congress, "
            "they solely have two surefire years to forge new coverage",
            "Simply as most Soviet leaders dominated till demise, at the moment’s Russian "
            "leaders like Vladimir Putin and Sergei Lavrov have remained of their roles for "
            "many years.",
        ),
        stage=STAGE_PRE,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        hu = x[:, CLOCK_US] + p.w_tenure * x[:, TENURE_US]
        hr = x[:, CLOCK_RU] + p.w_tenure * x[:, TENURE_RU]
        iu = 1.0 / (1.0 + hu / p.scale)
        ir = 1.0 / (1.0 + hr / p.scale)
        return {
            CONC_US: np.clip(x[:, CONC_US] * (1.0 + p.pressure * (iu - ir)), 0.0, 1.0),
            CONC_RU: np.clip(x[:, CONC_RU] * (1.0 + p.pressure * (ir - iu)), 0.0, 1.0),
        }
