"""The resetlab model as a Mesa model: the two sides as agents, one model per member.

Each :class:`Side` agent reads the other's last move (with misperception noise) and chooses its
own with its strategy; the model applies the forcing and the mechanisms to the shared state
with the same scalar equations as the plain-Python loop (:mod:`scalar_model`), and draws all
random numbers from Mesa's seeded ``model.random``.
"""

from __future__ import annotations

import mesa
from scalar_model import (
    ScalarSpec,
    clip,
    force,
    initial_memory,
    month_context,
    new_member,
    observe,
    strategy_move,
)

from resetlab.model.engine import ModelSpec


class Side(mesa.Agent):
    """One side (``us`` or ``ru``): perceives the other's move, then moves."""

    def __init__(self, model: RelationsModel, side: str) -> None:
        super().__init__(model)
        self.side = side
        self.other = "ru" if side == "us" else "us"
        self.key, self.params = model.ss.us if side == "us" else model.ss.ru
        self.memory = initial_memory(self.key)

    def perceive(self) -> None:
        s = self.model.s  # type: ignore[attr-defined]
        noise = s["noise"] * self.model.random.gauss(0.0, 1.0)
        s[f"seen_{self.side}"] = clip(s[f"coop_{self.other}"] + noise)

    def act(self) -> None:
        m = self.model
        s = m.s  # type: ignore[attr-defined]
        own, seen = s[f"coop_{self.side}"], s[f"seen_{self.side}"]
        move = strategy_move(
            self.key,
            self.params,
            m.t,
            own,
            seen,
            self.memory,
            s[f"conc_{self.side}"],  # type: ignore[attr-defined]
        )
        m.moves[self.side] = move  # type: ignore[attr-defined]


class RelationsModel(mesa.Model):
    """One ensemble member."""

    def __init__(self, ss: ScalarSpec, seed: int) -> None:
        super().__init__(seed=seed)
        self.ss = ss
        self.s = new_member(ss)
        self.t = 0
        self.moves: dict[str, float] = {}
        self.path: list[float] = []
        Side(self, "us")
        Side(self, "ru")

    def step(self) -> None:
        ss, s, rnd = self.ss, self.s, self.random
        c = month_context(ss, self.t, rnd)
        force(ss, s, c)
        for fn, p in ss.stages[0]:
            fn(s, c, p, rnd)
        self.agents.do("perceive")
        self.agents.do("act")
        s["coop_us"], s["coop_ru"] = self.moves["us"], self.moves["ru"]
        for fn, p in ss.stages[1]:
            fn(s, c, p, rnd)
        for fn, p in ss.stages[2]:
            fn(s, c, p, rnd)
        observe(ss, s, c, rnd)
        self.path.append(s["relations"])
        self.t += 1


def run_mesa(spec: ModelSpec, members: int, seed: int) -> list[list[float]]:
    """All members, one Mesa model each: ``[member][month]`` relations."""
    ss = ScalarSpec(spec)
    out = []
    for i in range(members):
        model = RelationsModel(ss, seed=seed * 1_000_003 + i)
        for _ in range(ss.T):
            model.step()
        out.append(model.path)
    return out
