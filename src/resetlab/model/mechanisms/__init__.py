"""The mechanisms M1-M21, one module each, and the explicit registry of them by key."""

from __future__ import annotations

from resetlab.exceptions import ModelError
from resetlab.model.base import Mechanism
from resetlab.model.mechanisms.m01_inhibitors import Inhibitors
from resetlab.model.mechanisms.m02_multilateral import Multilateral
from resetlab.model.mechanisms.m03_vicious_circle import ViciousCircle
from resetlab.model.mechanisms.m04_trust_from_practice import TrustFromPractice
from resetlab.model.mechanisms.m05_three_tracks import ThreeTracks
from resetlab.model.mechanisms.m06_acute_challenges import AcuteChallenges
from resetlab.model.mechanisms.m07_elections import Elections
from resetlab.model.mechanisms.m08_restraint import Restraint
from resetlab.model.mechanisms.m09_action_reaction import ActionReaction
from resetlab.model.mechanisms.m10_ratchets import Ratchets
from resetlab.model.mechanisms.m11_package import Package
from resetlab.model.mechanisms.m12_treaties import Treaties
from resetlab.model.mechanisms.m13_third_power import ThirdPower
from resetlab.model.mechanisms.m14_institutions import Institutions
from resetlab.model.mechanisms.m15_compatible_interests import CompatibleInterests
from resetlab.model.mechanisms.m16_trust_threshold import TrustThreshold
from resetlab.model.mechanisms.m17_alignment import Alignment
from resetlab.model.mechanisms.m18_exploitation import Exploitation
from resetlab.model.mechanisms.m19_reset_cycles import ResetCycles
from resetlab.model.mechanisms.m20_time_horizons import TimeHorizons
from resetlab.model.mechanisms.m21_domestic_toxicity import DomesticToxicity

#: The mechanism classes in key order. Adding a mechanism means adding its class here.
_CLASSES: tuple[type[Mechanism], ...] = (
    Inhibitors,
    Multilateral,
    ViciousCircle,
    TrustFromPractice,
    ThreeTracks,
    AcuteChallenges,
    Elections,
    Restraint,
    ActionReaction,
    Ratchets,
    Package,
    Treaties,
    ThirdPower,
    Institutions,
    CompatibleInterests,
    TrustThreshold,
    Alignment,
    Exploitation,
    ResetCycles,
    TimeHorizons,
    DomesticToxicity,
)
#: Key -> mechanism class, keyed on each class's ``meta.key``.
MECHANISMS: dict[str, type[Mechanism]] = {cls.meta.key: cls for cls in _CLASSES}
if len(MECHANISMS) != len(_CLASSES):  # two classes claiming one key must not pass silently
    raise ModelError("two mechanism classes have the same meta.key")


def mechanism_class(key: str) -> type[Mechanism]:
    """The mechanism registered under ``key``; :class:`ModelError` if there is none."""
    try:
        return MECHANISMS[key]
    except KeyError:
        raise ModelError(f"unknown mechanism {key!r}; known: {', '.join(MECHANISMS)}") from None


__all__ = ["MECHANISMS", "mechanism_class"]
