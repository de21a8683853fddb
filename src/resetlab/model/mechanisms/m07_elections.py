"""M7: election seasons can halt a reset; failure can be a self-fulfilling prophecy.

Sources 001, 003, 004. Within ``window`` months of either side's election, cooperation is capped
at ``1 - halt`` and relations are more volatile; a shared expectation tracks the relations score
and feeds back on both sides' moves (``prophecy``).

File 004 is a machine-paraphrased ("spun") copy of a real article; its passages are
quoted verbatim as stored ("Chilly Warfare" is "Cold War", "overseas coverage" is
"foreign policy", "politically poisonous" is "politically toxic").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from resetlab.model.base import STAGE_MOVES, Context, Mechanism, MechanismMeta
from resetlab.model.state import (
    CLOCK_RU,
    CLOCK_US,
    COOP_RU,
    COOP_US,
    EXPECT,
    RELATIONS,
    VOLATILITY,
    Array,
)


@dataclass(frozen=True)
class Params:
    """Season length (months), cut in cooperation, expectation rate and feedback, volatility."""

    window: float = 6.0
    halt: float = 0.3
    rate: float = 0.1
    prophecy: float = 0.02
    vol_add: float = 0.5


def kernel(x: Array, i: int, p: Array, q: int, c: Array, h: Array, u: float) -> None:
    """Election seasons and self-fulfilling prophecy, for member ``i`` (the fused engine; :meth:`Elections.step` is the reference)."""
    window, halt, rate, prophecy, vol_add = p[q], p[q + 1], p[q + 2], p[q + 3], p[q + 4]
    season = 1.0 if (x[i, CLOCK_US] < window or x[i, CLOCK_RU] < window) else 0.0
    e = x[i, EXPECT]
    target = min(max((x[i, RELATIONS] + 10.0) / 20.0, 0.0), 1.0)
    e_new = e + rate * (target - e)
    cap = 1.0 - halt * season
    lift = prophecy * (e_new - 0.5)
    x[i, COOP_US] = min(max(min(x[i, COOP_US], cap) + lift, 0.0), 1.0)
    x[i, COOP_RU] = min(max(min(x[i, COOP_RU], cap) + lift, 0.0), 1.0)
    x[i, EXPECT] = e_new
    x[i, VOLATILITY] = x[i, VOLATILITY] * (1.0 + vol_add * season)


class Elections(Mechanism):
    """Election calendars raise hostility and volatility; expectations feed back."""

    Params = Params
    kernel = staticmethod(kernel)
    meta = MechanismMeta(
        key="m7",
        name="Election seasons and self-fulfilling prophecy",
        reads=("clock_us", "clock_ru", "coop_us", "coop_ru", "expect", "relations", "volatility"),
        writes=("coop_us", "coop_ru", "expect", "volatility"),
        stochastic=False,
        sources=("001", "003", "004"),
        quotes=(
            "And yet an unfortunate string of events could bring the “reset” to a halt during "
            "the upcoming Russian and American election seasons. However, if that occurs, it "
            "will not be the result of a lack of agenda, but rather of a self-fulfilling "
            "prophecy.",
            "After 2010, the Reset failed for multiple reasons including the impact of "
            "elections in both countries",
        ),
        stage=STAGE_MOVES,
    )

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        p = self.params
        season = ((x[:, CLOCK_US] < p.window) | (x[:, CLOCK_RU] < p.window)).astype(x.dtype)
        e = x[:, EXPECT]
        target = np.clip((x[:, RELATIONS] + 10.0) / 20.0, 0.0, 1.0)
        e_new = e + p.rate * (target - e)
        cap = 1.0 - p.halt * season
        lift = p.prophecy * (e_new - 0.5)
        return {
            COOP_US: np.clip(np.minimum(x[:, COOP_US], cap) + lift, 0.0, 1.0),
            COOP_RU: np.clip(np.minimum(x[:, COOP_RU], cap) + lift, 0.0, 1.0),
            EXPECT: e_new,
            VOLATILITY: x[:, VOLATILITY] * (1.0 + p.vol_add * season),
        }
