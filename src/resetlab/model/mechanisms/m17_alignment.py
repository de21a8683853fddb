"""M17: alignment with the other's enemies (U.S.-Ukraine; Russia-Iran, North Korea) (003).

Each side's alignment with parties the other regards as enemies drifts up with regional
disputes and its own threat perception and fades slowly; their mean, times ``weight``, is
the compatibility lost (read by M15).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_PRE, Context, Mechanism, MechanismMeta
from resetlab.model.state import (
    ALIGN_PENALTY,
    ALIGN_RU,
    ALIGN_US,
    DISPUTE,
    THREAT_RU,
    THREAT_US,
    Array,
)


@dataclass(frozen=True)
class Params:
    """Monthly drift of alignment under dispute and threat, fading, weight on compatibility."""

    drift: float = 0.02
    fade: float = 0.01
    weight: float = 0.3


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Alignment with the other's enemies, for member ``i`` (the fused engine; :meth:`Alignment.step` is the reference)."""
    drift, fade, weight = p[q], p[q + 1], p[q + 2]
    d = x[i, DISPUTE]
    au, ar = x[i, ALIGN_US], x[i, ALIGN_RU]
    au_new = min(max(au + drift * (d + x[i, THREAT_US]) * (1.0 - au) - fade * au, 0.0), 1.0)
    ar_new = min(max(ar + drift * (d + x[i, THREAT_RU]) * (1.0 - ar) - fade * ar, 0.0), 1.0)
    x[i, ALIGN_US] = au_new
    x[i, ALIGN_RU] = ar_new
    x[i, ALIGN_PENALTY] = weight * 0.5 * (au_new + ar_new)


class Alignment(Mechanism):
    """Third-party alignment lowering compatibility."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m17",
        name="Alignment with the other's enemies",
        reads=("align_us", "align_ru", "dispute", "threat_us", "threat_ru"),
        writes=("align_us", "align_ru", "align_penalty"),
        stochastic=False,
        sources=("003",),
        quotes=(
            "To make matters worse, each state has greatly strengthened relations with third "
            "parties that the other regards as enemies: the U.S. with Ukraine; Russia with "
            "Iran and North Korea).",
        ),
        stage=STAGE_PRE,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        d = x[:, DISPUTE]
        au, ar = x[:, ALIGN_US], x[:, ALIGN_RU]
        au_new = np.clip(au + p.drift * (d + x[:, THREAT_US]) * (1.0 - au) - p.fade * au, 0, 1)
        ar_new = np.clip(ar + p.drift * (d + x[:, THREAT_RU]) * (1.0 - ar) - p.fade * ar, 0, 1)
        return {
            ALIGN_US: au_new,
            ALIGN_RU: ar_new,
            ALIGN_PENALTY: p.weight * 0.5 * (au_new + ar_new),
        }
