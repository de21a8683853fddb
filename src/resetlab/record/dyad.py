"""The dyad rule: which of the record's events belong to the relationship between two states.

The record keeps third-party rows (Russia's acts against Ukraine or Georgia, U.S. strikes in
Syria, NATO's bombing of Serbia) because they are context the reader wants to see. What enters
a dyad's index, the model's shocks and the claims tested on the record is decided here, and
only here:

    An event is in the A-B dyad when one of its actor and target is on A's side and the other
    on B's side, in either direction. A state's side is the state itself and the alliances in
    :data:`ALLIANCES` it belongs to (never the other member of the dyad).

So for U.S.-Russia, NATO -> RUS and RUS -> NATO rows are in (NATO decides by consensus, the
U.S. included: a NATO act toward Russia is one the U.S. joined, and Russia's acts toward the
alliance are aimed at the U.S. with its allies); RUS -> UKR, USA -> SYR, NATO -> SRB and
UN -> RUS are not. ``docs/data.md`` states the rule for readers.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from resetlab.exceptions import RecordError

Dyad = tuple[str, str]

#: The default dyad of every command: the United States and the Soviet Union/Russia (RUS, COW
#: code 365 throughout, as the Correlates of War codes it).
DEFAULT_DYAD: Dyad = ("USA", "RUS")

#: Alliances that act for a member state in its dyads: an alliance's acts toward the other
#: state, and the other state's acts toward the alliance, count in the member's dyad.
ALLIANCES: Mapping[str, tuple[str, ...]] = {"USA": ("NATO",)}


def side(state: str, other: str) -> frozenset[str]:
    """The actor codes that act for ``state`` in its dyad with ``other``."""
    return frozenset({state, *(a for a in ALLIANCES.get(state, ()) if a != other)})


def sides(dyad: Dyad) -> tuple[frozenset[str], frozenset[str]]:
    """The two sides of ``dyad``: ``(side(A, B), side(B, A))``."""
    a, b = dyad
    return side(a, b), side(b, a)


def in_dyad(events: pd.DataFrame, dyad: Dyad = DEFAULT_DYAD) -> npt.NDArray[np.bool_]:
    """Which rows of ``events`` (columns ``actor`` and ``target``) are in ``dyad``."""
    missing = [c for c in ("actor", "target") if c not in events.columns]
    if missing:
        raise RecordError(f"events lack column(s) {missing}: the dyad rule needs actor and target")
    sa, sb = sides(dyad)
    actor = events["actor"].astype(str)
    target = events["target"].astype(str)
    forward = actor.isin(sa) & target.isin(sb)
    backward = actor.isin(sb) & target.isin(sa)
    return np.asarray(forward | backward, dtype=bool)


def dyad_events(events: pd.DataFrame, dyad: Dyad = DEFAULT_DYAD) -> pd.DataFrame:
    """The rows of ``events`` in ``dyad`` (index reset)."""
    return events.loc[in_dyad(events, dyad)].reset_index(drop=True)


def acts_for(actor: str, state: str, dyad: Dyad) -> bool:
    """Whether ``actor`` acts on the side of ``state`` (one member of ``dyad``)."""
    a, b = dyad
    if state not in (a, b):
        raise RecordError(f"{state!r} is not a member of the dyad {a},{b}")
    return actor in side(state, b if state == a else a)
