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

#: Key -> strategy class.
STRATEGIES: dict[str, type[Strategy]] = {
    "tit-for-tat": TitForTat,
    "generous-tit-for-tat": GenerousTitForTat,
    "grit": Grit,
    "hardline": Hardline,
    "reset-initiative": ResetInitiative,
    "package-deal": PackageDeal,
}


def strategy_class(key: str) -> type[Strategy]:
    """The strategy registered under ``key``; :class:`ModelError` if there is none."""
    try:
        return STRATEGIES[key]
    except KeyError:
        raise ModelError(f"unknown strategy {key!r}; known: {', '.join(STRATEGIES)}") from None


__all__ = ["STRATEGIES", "strategy_class"]
