"""Move sequences of each strategy against fixed opponents (as Axelrod tests strategies)."""

from __future__ import annotations

import numpy as np
from modelbase import play

from resetlab.model.strategies import STRATEGIES

TFT = STRATEGIES["tit-for-tat"]
GTFT = STRATEGIES["generous-tit-for-tat"]
GRIT = STRATEGIES["grit"]
HARD = STRATEGIES["hardline"]
RESET = STRATEGIES["reset-initiative"]
PACKAGE = STRATEGIES["package-deal"]

COOPERATOR = [1.0] * 6
DEFECTOR = [0.0] * 6
ALTERNATOR = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0]


def test_tit_for_tat() -> None:
    assert play(TFT(), COOPERATOR) == [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    assert play(TFT(), DEFECTOR) == [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert play(TFT(), ALTERNATOR) == [1.0, 1.0, 0.0, 1.0, 0.0, 1.0]
    assert play(TFT(TFT.Params(initial=0.4)), [0.7] * 3) == [0.4, 0.7, 0.7]


def test_generous_tit_for_tat_forgives_part_of_a_shortfall() -> None:
    assert play(GTFT(), DEFECTOR) == [1.0, 0.3, 0.3, 0.3, 0.3, 0.3]
    assert play(GTFT(GTFT.Params(initial=1.0, generosity=0.5)), [0.5] * 3) == [1.0, 0.75, 0.75]


def test_grit_steps_while_reciprocated() -> None:
    p = GRIT.Params(initial=0.2, step=0.1, tolerance=0.0, ceiling=0.5)
    # A reciprocator that matches our previous move: steps continue up to the ceiling.
    assert play(GRIT(p), [0.2, 0.2, 0.3, 0.4, 0.5, 0.5]) == [0.2, 0.3, 0.4, 0.5, 0.5, 0.5]


def test_grit_stops_for_good_when_not_reciprocated() -> None:
    p = GRIT.Params(initial=0.2, step=0.1, tolerance=0.0, ceiling=1.0)
    moves = play(GRIT(p), [0.2, 0.0, 0.9, 0.9, 0.9, 0.9])
    assert moves[:2] == [0.2, 0.3]
    assert moves[2] == 0.0  # the hardline month: falls back to tit-for-tat
    assert moves[3:] == [0.9, 0.9, 0.9]  # tit-for-tat from then on, no more steps


def test_hardline_ignores_the_other_side() -> None:
    assert play(HARD(), COOPERATOR) == [0.1] * 6
    assert play(HARD(HARD.Params(level=0.0)), ALTERNATOR) == [0.0] * 6


def test_reset_initiative_jumps_then_reciprocates() -> None:
    p = RESET.Params(initial=0.2, month=2, size=0.9)
    assert play(RESET(p), [0.3, 0.3, 0.3, 0.6, 0.6, 0.1]) == [0.2, 0.3, 0.9, 0.3, 0.6, 0.6]


def test_package_deal_accumulates_scheduled_concessions() -> None:
    s = PACKAGE(PACKAGE.Params(base=0.2, reciprocity=0.0))
    mem = s.init_memory(1)
    moves = []
    own = np.array([0.0])
    for t, lever in enumerate([0.0, 0.1, 0.0, 0.2, 0.0]):
        own, mem = s.move(t, own, np.array([0.0]), mem, np.array([lever]))
        moves.append(round(float(own[0]), 6))
    assert moves == [0.2, 0.3, 0.3, 0.5, 0.5]
    r = PACKAGE(PACKAGE.Params(base=0.2, reciprocity=0.5))
    out, _ = r.move(1, np.array([0.2]), np.array([1.0]), r.init_memory(1), np.array([0.0]))
    assert float(out[0]) == 0.6
