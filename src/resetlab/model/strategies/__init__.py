"""Strategies, one module each, and the explicit registry of them by key."""

from __future__ import annotations

from resetlab.exceptions import ModelError
from resetlab.model.base import Strategy
from resetlab.model.strategies.generous_tit_for_tat import GenerousTitForTat
from resetlab.model.strategies.grit import Grit
from resetlab.model.strategies.hardline import Hardline
from resetlab.model.strategies.package_deal import PackageDeal
from resetlab.model.strategies.reset_initiative import ResetInitiative
from resetlab.model.strategies.tit_for_tat import TitForTat

#: The strategy classes. Adding a strategy means adding its class here.
_CLASSES: tuple[type[Strategy], ...] = (
    TitForTat,
    GenerousTitForTat,
    Grit,
    Hardline,
    ResetInitiative,
    PackageDeal,
)
#: Key -> strategy class, keyed on each class's ``meta.key``.
STRATEGIES: dict[str, type[Strategy]] = {cls.meta.key: cls for cls in _CLASSES}
if len(STRATEGIES) != len(_CLASSES):  # two classes claiming one key must not pass silently
    raise ModelError("two strategy classes have the same meta.key")


def strategy_class(key: str) -> type[Strategy]:
    """The strategy registered under ``key``; :class:`ModelError` if there is none."""
    try:
        return STRATEGIES[key]
    except KeyError:
        raise ModelError(f"unknown strategy {key!r}; known: {', '.join(STRATEGIES)}") from None


__all__ = ["STRATEGIES", "strategy_class"]
