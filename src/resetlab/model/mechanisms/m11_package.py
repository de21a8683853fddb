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


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Package of concessions, for member ``i`` (the fused engine; :meth:`Package.step` is the reference)."""
    value, cost, decay, relief, sour = p[q], p[q + 1], p[q + 2], p[q + 3], p[q + 4]
    cu, cr = x[i, CONC_US], x[i, CONC_RU]
    gain = min(value * cr - cost * cu, value * cu - cost * cr)
    pkg = min(max(x[i, PACKAGE] * (1.0 - decay) + gain, -1.0), 1.0)
    good = max(pkg, 0.0)
    bad = max(-pkg, 0.0)
    d, t, g = x[i, DISPUTE], x[i, TRUST], x[i, GRIEVANCE]
    x[i, PACKAGE] = pkg
    x[i, DISPUTE] = d * (1.0 - relief * good)
    x[i, TRUST] = t + relief * good * (1.0 - t)
    x[i, GRIEVANCE] = g + sour * bad * (1.0 - g)


class Package(Mechanism):
    """A package holds only if both sides gain."""

    Params = Params
    kernel = staticmethod(kernel)
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
