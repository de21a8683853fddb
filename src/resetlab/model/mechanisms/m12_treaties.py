"""M12: treaties give information and stability; abandoning them breeds suspicion (002).

The share of treaties in force lowers the standard deviation with which each side misreads
the other's move; a fall in that share raises both sides' threat perception.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import (
    K_TREATIES,
    K_TREATIES_PREV,
    STAGE_PRE,
    Context,
    Mechanism,
    MechanismMeta,
)
from resetlab.model.state import NOISE, THREAT_RU, THREAT_US, TREATIES, Array


@dataclass(frozen=True)
class Params:
    """Share of misreading removed by a full treaty regime; suspicion per unit dropped."""

    info: float = 0.6
    suspicion: float = 0.5


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Treaties give information, for member ``i`` (the fused engine; :meth:`Treaties.step` is the reference)."""
    info, suspicion = p[q], p[q + 1]
    drop = max(0.0, c[K_TREATIES_PREV] - c[K_TREATIES])
    tu, tr = x[i, THREAT_US], x[i, THREAT_RU]
    x[i, NOISE] = x[i, NOISE] * (1.0 - info * x[i, TREATIES])
    x[i, THREAT_US] = tu + suspicion * drop * (1.0 - tu)
    x[i, THREAT_RU] = tr + suspicion * drop * (1.0 - tr)


class Treaties(Mechanism):
    """Treaties in force lower misperception noise; abandoning them raises threat."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m12",
        name="Treaties give information",
        reads=("noise", "treaties", "threat_us", "threat_ru"),
        writes=("noise", "threat_us", "threat_ru"),
        stochastic=False,
        sources=("002",),
        quotes=(
            "Abandoning Open Skies will reduce our own access to information about Russian "
            "military activities and breed further suspicions on each side about the other’s "
            "intentions and maneuvers. Such a development hardly fosters stability.",
        ),
        stage=STAGE_PRE,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        drop = max(0.0, ctx.treaties_prev - ctx.treaties)
        tu, tr = x[:, THREAT_US], x[:, THREAT_RU]
        return {
            NOISE: x[:, NOISE] * (1.0 - p.info * x[:, TREATIES]),
            THREAT_US: tu + p.suspicion * drop * (1.0 - tu),
            THREAT_RU: tr + p.suspicion * drop * (1.0 - tr),
        }
