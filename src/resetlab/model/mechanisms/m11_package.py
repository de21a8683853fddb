"""M11: a feasible modus vivendi needs concessions from both sides, as one package (002).

Each side gains ``value`` from the other's concession and pays ``cost`` for its own. The
package's standing moves with the smaller of the two gains: it holds (relieving disputes and
building trust) only while both sides gain; a one-sided package sours into grievance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_DYNAMICS, Context, Mechanism, MechanismMeta
from resetlab.model.state import CONC_RU, CONC_US, DISPUTE, GRIEVANCE, PACKAGE, TRUST, Array


@dataclass(frozen=True)
class Params:
    """Value of the other's concession, cost of one's own, decay, relief and souring rates."""

    value: float = 1.0
    cost: float = 0.5
    decay: float = 0.1
    relief: float = 0.1
    sour: float = 0.05


class Package(Mechanism):
    """A package holds only if both sides gain."""

    Params = Params
    meta = MechanismMeta(
        key="m11",
        name="Package of concessions",
        reads=("conc_us", "conc_ru", "package", "dispute", "trust", "grievance"),
        writes=("package", "dispute", "trust", "grievance"),
        stochastic=False,
        sources=("002",),
        quotes=(
            "A FEASIBLE modus vivendi regarding Ukraine would require concessions from both "
            "the West and Russia.",
        ),
        stage=STAGE_DYNAMICS,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        cu, cr = x[:, CONC_US], x[:, CONC_RU]
        gain = np.minimum(p.value * cr - p.cost * cu, p.value * cu - p.cost * cr)
        pkg = np.clip(x[:, PACKAGE] * (1.0 - p.decay) + gain, -1.0, 1.0)
        good = np.maximum(pkg, 0.0)
        bad = np.maximum(-pkg, 0.0)
        d, t, g = x[:, DISPUTE], x[:, TRUST], x[:, GRIEVANCE]
        return {
            PACKAGE: pkg,
            DISPUTE: d * (1.0 - p.relief * good),
            TRUST: t + p.relief * good * (1.0 - t),
            GRIEVANCE: g + p.sour * bad * (1.0 - g),
        }
