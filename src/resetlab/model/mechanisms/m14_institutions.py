"""M14: institutions for routine interaction "take the drama out" (file 003).

Institutional ties damp the volatility of relations and the misreading of moves; ties are
built by realised mutual cooperation and decay slowly without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_PRE, Context, Mechanism, MechanismMeta
from resetlab.model.state import COOP_RU, COOP_US, NOISE, TIES, VOLATILITY, Array


@dataclass(frozen=True)
class Params:
    """Volatility and noise removed by full ties; monthly decay and build-up of ties."""

    damp: float = 0.5
    damp_noise: float = 0.3
    decay: float = 0.01
    build: float = 0.01


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Institutions take the drama out, for member ``i`` (the fused engine; :meth:`Institutions.step` is the reference)."""
    damp, damp_noise, decay, build = p[q], p[q + 1], p[q + 2], p[q + 3]
    ties = x[i, TIES]
    mutual = min(x[i, COOP_US], x[i, COOP_RU])
    x[i, TIES] = ties * (1.0 - decay) + build * mutual * (1.0 - ties)
    x[i, VOLATILITY] = x[i, VOLATILITY] * (1.0 - damp * ties)
    x[i, NOISE] = x[i, NOISE] * (1.0 - damp_noise * ties)


class Institutions(Mechanism):
    """Institutional ties damp volatility."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m14",
        name="Institutions take the drama out",
        reads=("ties", "volatility", "noise", "coop_us", "coop_ru"),
        writes=("ties", "volatility", "noise"),
        stochastic=False,
        sources=("003",),
        quotes=(
            "The second aim was to stabilize the relationship by creating structures that "
            "allowed for routine interaction between the two countries, helping to take the "
            "drama out of their relations.",
        ),
        stage=STAGE_PRE,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        ties = x[:, TIES]
        mutual = np.minimum(x[:, COOP_US], x[:, COOP_RU])
        return {
            TIES: ties * (1.0 - p.decay) + p.build * mutual * (1.0 - ties),
            VOLATILITY: x[:, VOLATILITY] * (1.0 - p.damp * ties),
            NOISE: x[:, NOISE] * (1.0 - p.damp_noise * ties),
        }
