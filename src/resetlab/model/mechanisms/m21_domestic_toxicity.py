"""M21: Russia policy is politically toxic at home in the U.S. (file 004).

Conciliation has a domestic cost in Washington (``toxicity``), higher by ``boost`` in the
``window`` months before a U.S. election; the U.S. move is capped at
``1 - cost``.

File 004 is a machine-paraphrased ("spun") copy of a real article; its passages are
quoted verbatim as stored ("Chilly Warfare" is "Cold War", "overseas coverage" is
"foreign policy", "politically poisonous" is "politically toxic").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_MOVES, Context, Mechanism, MechanismMeta
from resetlab.model.state import CLOCK_US, COOP_US, DOMCOST_US, Array


@dataclass(frozen=True)
class Params:
    """Share of the U.S. move lost to domestic cost; extra before elections; window (months)."""

    toxicity: float = 0.1
    boost: float = 1.0
    window: float = 12.0


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Politically toxic at home, for member ``i`` (the fused engine; :meth:`DomesticToxicity.step` is the reference)."""
    toxicity, boost, window = p[q], p[q + 1], p[q + 2]
    near = 1.0 if x[i, CLOCK_US] < window else 0.0
    cost = min(max(toxicity * (1.0 + boost * near), 0.0), 1.0)
    x[i, DOMCOST_US] = cost
    x[i, COOP_US] = min(x[i, COOP_US], 1.0 - cost)


class DomesticToxicity(Mechanism):
    """Domestic cost of conciliation."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m21",
        name="Politically toxic at home",
        reads=("clock_us", "coop_us"),
        writes=("coop_us", "domcost_us"),
        stochastic=False,
        sources=("004",),
        quotes=(
            "a strategic plan to counter Russian actions globally by means of conventional "
            "gentle and exhausting energy instruments has change into politically poisonous "
            "for successive US administrations.",
        ),
        stage=STAGE_MOVES,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        near = (x[:, CLOCK_US] < p.window).astype(x.dtype)
        cost = np.clip(p.toxicity * (1.0 + p.boost * near), 0.0, 1.0)
        return {DOMCOST_US: cost, COOP_US: np.minimum(x[:, COOP_US], 1.0 - cost)}
