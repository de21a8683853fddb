"""The model's state: one row per ensemble member, one column per variable.

The state of a chunk of members is a single float32 NumPy array of shape
``(members, len(VARIABLES))`` in Fortran order, so that each variable is a contiguous column
and a mechanism's vector operation on one variable touches contiguous memory.

Scales: most variables are levels in [0, 1]; clocks and tenure are months; ``relations`` is
in Goldstein units (-10..+10), the scale of the relations index, so the model can be fitted
to it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from resetlab.exceptions import ModelError

Array = npt.NDArray[Any]

#: Floating type of the state: float32 halves memory traffic (the engine is memory-bound).
DTYPE = np.float32

#: Every state variable, in column order, with a one-line meaning.
DESCRIPTIONS: dict[str, str] = {
    "trust": "mutual trust stock, 0..1",
    "grievance": "slow grievance memory (historical baggage), 0..1",
    "threat_us": "U.S. threat perception of Russia, 0..1",
    "threat_ru": "Russian threat perception of the U.S./NATO, 0..1",
    "deter_us": "U.S. deterrence posture, 0..1",
    "deter_ru": "Russian deterrence posture, 0..1",
    "dispute": "regional-dispute intensity (post-Soviet Eurasia), 0..1",
    "ties": "institutional ties for routine interaction, 0..1",
    "interest": "shared-interest incentives (common challenges), 0..1",
    "align_us": "U.S. alignment with parties Russia regards as enemies, 0..1",
    "align_ru": "Russian alignment with parties the U.S. regards as enemies, 0..1",
    "align_penalty": "compatibility lost to third-party alignment, 0..1",
    "treaties": "treaty regime: share of tracked treaties in force, 0..1",
    "clock_us": "months to the next U.S. presidential election",
    "clock_ru": "months to the next Russian presidential election",
    "tenure_us": "months the U.S. president has been in office",
    "tenure_ru": "months the Russian leader has been in office",
    "coop_us": "U.S. cooperation level this month, 0..1",
    "coop_ru": "Russian cooperation level this month, 0..1",
    "seen_us": "Russia's move as the U.S. read it last month, 0..1",
    "seen_ru": "the U.S. move as Russia read it last month, 0..1",
    "noise": "standard deviation of misreading the other's move",
    "volatility": "standard deviation of month-to-month noise in relations (Goldstein units)",
    "compat": "payoff compatibility of the two sides' interests, 0..1",
    "ratchet": "irreversible moves accumulated (alliance membership, annexation), count",
    "restraint": "reserve of experience of restraint, 0..1",
    "expect": "shared expectation that relations improve, 0..1",
    "multilateral": "agreement in multilateral bodies (UN votes), 0..1",
    "domcost_us": "U.S. domestic political cost of conciliation, 0..1",
    "regime_ru": "1 while the Russian regime reads engagement as weakness, else 0",
    "conc_us": "U.S. concession delivered this month (package levers), 0..1",
    "conc_ru": "Russian concession delivered this month (package levers), 0..1",
    "package": "standing of a concessions package (balance of gains), -1..1",
    "china": "pressure from a third power (China), 0..1",
    "reset_age": "months since the last announced reset",
    "reset_size": "size of the last announced reset (both sides' moves), 0 before any",
    "relations": "observable relations score, Goldstein units (-10..+10)",
}

VARIABLES: tuple[str, ...] = tuple(DESCRIPTIONS)
N_VARIABLES = len(VARIABLES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(VARIABLES)}

#: Variables a scenario must give a starting value for (the rest are set each month by the
#: forcing or recomputed by a mechanism before they are read).
INITIAL_VARIABLES: tuple[str, ...] = (
    "trust",
    "grievance",
    "threat_us",
    "threat_ru",
    "deter_us",
    "deter_ru",
    "dispute",
    "ties",
    "interest",
    "align_us",
    "align_ru",
    "coop_us",
    "coop_ru",
    "restraint",
    "expect",
    "multilateral",
    "regime_ru",
    "china",
    "relations",
)

# Column numbers, for speed and readability inside mechanisms.
TRUST = INDEX["trust"]
GRIEVANCE = INDEX["grievance"]
THREAT_US = INDEX["threat_us"]
THREAT_RU = INDEX["threat_ru"]
DETER_US = INDEX["deter_us"]
DETER_RU = INDEX["deter_ru"]
DISPUTE = INDEX["dispute"]
TIES = INDEX["ties"]
INTEREST = INDEX["interest"]
ALIGN_US = INDEX["align_us"]
ALIGN_RU = INDEX["align_ru"]
ALIGN_PENALTY = INDEX["align_penalty"]
TREATIES = INDEX["treaties"]
CLOCK_US = INDEX["clock_us"]
CLOCK_RU = INDEX["clock_ru"]
TENURE_US = INDEX["tenure_us"]
TENURE_RU = INDEX["tenure_ru"]
COOP_US = INDEX["coop_us"]
COOP_RU = INDEX["coop_ru"]
SEEN_US = INDEX["seen_us"]
SEEN_RU = INDEX["seen_ru"]
NOISE = INDEX["noise"]
VOLATILITY = INDEX["volatility"]
COMPAT = INDEX["compat"]
RATCHET = INDEX["ratchet"]
RESTRAINT = INDEX["restraint"]
EXPECT = INDEX["expect"]
MULTILATERAL = INDEX["multilateral"]
DOMCOST_US = INDEX["domcost_us"]
REGIME_RU = INDEX["regime_ru"]
CONC_US = INDEX["conc_us"]
CONC_RU = INDEX["conc_ru"]
PACKAGE = INDEX["package"]
CHINA = INDEX["china"]
RESET_AGE = INDEX["reset_age"]
RESET_SIZE = INDEX["reset_size"]
RELATIONS = INDEX["relations"]


def new_state(members: int, initial: dict[str, float]) -> Array:
    """A ``(members, N_VARIABLES)`` state with every member at ``initial`` (others zero)."""
    if members < 1:
        raise ModelError(f"members must be at least 1, got {members}")
    unknown = sorted(set(initial) - set(VARIABLES))
    if unknown:
        raise ModelError(f"unknown state variables: {', '.join(unknown)}")
    missing = [v for v in INITIAL_VARIABLES if v not in initial]
    if missing:
        raise ModelError(f"initial state lacks: {', '.join(missing)}")
    x = np.zeros((members, N_VARIABLES), dtype=DTYPE, order="F")
    for name, value in initial.items():
        x[:, INDEX[name]] = float(value)
    return x
