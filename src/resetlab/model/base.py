"""What every mechanism and strategy is: parameters, metadata, a pure step function.

A mechanism reads the state ``x`` (members x variables) and this month's :class:`Context`
and returns ``{column: new values}`` for the columns it writes; the engine writes them back.
It never modifies ``x`` or the context, and draws random numbers only from the ``rng`` it is
given, so the same seed gives the same numbers. A strategy maps what a side saw of the other's
last move to how much it cooperates this month.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from resetlab.exceptions import ModelError
from resetlab.model.state import INDEX, Array

Value = float | Array
"""A number for every member, or one number for all of them (it broadcasts)."""

#: Stages of a month, in order: before the sides move, after they move, state dynamics.
STAGE_PRE, STAGE_MOVES, STAGE_DYNAMICS = 0, 1, 2

#: Per-month deterministic inputs (levers and forcing from the record), as
#: :class:`resetlab.model.forcing.Forcing` holds them.
SERIES: tuple[str, ...] = (
    "concession_us",
    "concession_ru",
    "exercises",
    "track_bureaucratic",
    "track_arms",
    "track_regional",
    "reset_us",
    "reset_ru",
    "treaties",
    "clock_us",
    "clock_ru",
    "tenure_us",
    "tenure_ru",
    "leader_change_us",
    "leader_change_ru",
)
#: The month-wide inputs a fused-engine kernel reads from its vector ``c``, in that order:
#: the series, then last month's treaty share.
KERNEL_SERIES: tuple[str, ...] = (*SERIES, "treaties_prev")
(
    K_CONCESSION_US,
    K_CONCESSION_RU,
    K_EXERCISES,
    K_TRACK_BUREAUCRATIC,
    K_TRACK_ARMS,
    K_TRACK_REGIONAL,
    K_RESET_US,
    K_RESET_RU,
    K_TREATIES,
    K_CLOCK_US,
    K_CLOCK_RU,
    K_TENURE_US,
    K_TENURE_RU,
    K_LEADER_CHANGE_US,
    K_LEADER_CHANGE_RU,
    K_TREATIES_PREV,
) = range(len(KERNEL_SERIES))

#: The member's shocks this month in a kernel's vector ``h`` (the order of ``forcing.SHOCKS``).
H_HOSTILE_US, H_HOSTILE_RU, H_REGIONAL, H_COMMON, H_RATCHET_US, H_RATCHET_RU = range(6)


@dataclass(frozen=True)
class Context:
    """This month's exogenous inputs: levers from the scenario, forcing from the record.

    Shocks are in [0, 1] per member (an array) or for all members (a float).
    """

    t: int
    concession_us: float = 0.0
    concession_ru: float = 0.0
    exercises: float = 0.0
    track_bureaucratic: float = 0.0
    track_arms: float = 0.0
    track_regional: float = 0.0
    reset_us: float = 0.0
    reset_ru: float = 0.0
    treaties: float = 0.0
    treaties_prev: float = 0.0
    leader_change_us: float = 0.0
    leader_change_ru: float = 0.0
    hostile_us: Value = 0.0
    hostile_ru: Value = 0.0
    regional: Value = 0.0
    common: Value = 0.0
    ratchet_us: Value = 0.0
    ratchet_ru: Value = 0.0
    base_noise: float = 0.1
    base_volatility: float = 0.5


@dataclass(frozen=True)
class MechanismMeta:
    """What a mechanism is, what it touches and where it comes from."""

    key: str
    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    stochastic: bool
    sources: tuple[str, ...]
    quotes: tuple[str, ...]
    stage: int

    def __post_init__(self) -> None:
        for name in (*self.reads, *self.writes):
            if name not in INDEX:
                raise ModelError(f"{self.key}: unknown state variable {name!r} in metadata")
        if self.stage not in (STAGE_PRE, STAGE_MOVES, STAGE_DYNAMICS):
            raise ModelError(f"{self.key}: stage must be 0, 1 or 2")


@dataclass(frozen=True)
class NoParams:
    """A mechanism or strategy without parameters."""


class _Parametrised:
    """What mechanisms and strategies share: checked frozen params, equality by params."""

    meta: ClassVar[MechanismMeta | StrategyMeta]
    Params: ClassVar[type] = NoParams

    def __init__(self, params: Any = None) -> None:
        self.params = self.Params() if params is None else params
        if not isinstance(self.params, self.Params):
            raise ModelError(f"{self.meta.key}: params must be {self.Params.__name__}")

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.params == other.params  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.params))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.params!r})"


class Mechanism(_Parametrised):
    """Base class: subclasses set ``meta`` and ``Params`` and implement :meth:`step`.

    ``kernel``, if set, is the same month for one member as a plain function that numba can
    compile (the fused engine): ``kernel(x, i, p, q, c, h, u)`` updates row ``i`` of the state
    ``x`` in place, reading its parameters from ``p[q:]`` in the order of ``Params``' fields,
    the month-wide inputs from ``c`` (:data:`KERNEL_SERIES`), the member's shocks from ``h``
    and, for a stochastic mechanism, one uniform number ``u`` that the engine draws where
    :meth:`step` would, as ``kernel_draws`` says: ``"always"``, or the name of a month-wide
    input that must be positive. :meth:`step` stays the reference; tests hold the two together.
    """

    meta: ClassVar[MechanismMeta]
    kernel: ClassVar[Callable[..., None] | None] = None
    kernel_draws: ClassVar[str | None] = None

    def step(self, x: Array, ctx: Context, rng: np.random.Generator) -> dict[int, Array]:
        """Return new values of the written columns; never modify ``x``."""
        raise NotImplementedError


@dataclass(frozen=True)
class StrategyMeta:
    """What a strategy is and where it comes from."""

    key: str
    name: str
    description: str
    memory: int


class Strategy(_Parametrised):
    """One side's rule for how much to cooperate this month (a continuous move in [0, 1]).

    ``move(t, own_last, seen_last, memory, lever)`` gets this month's number ``t`` (from the
    scenario start), the side's own last move, the other side's last move as this side read it
    (with misperception noise), the strategy's memory (members x ``meta.memory``) and the
    side's scheduled concession this month; it returns the move and the new memory, never
    modifying its inputs.
    """

    meta: ClassVar[StrategyMeta]
    #: The move for one member as a numba-compilable function (the fused engine):
    #: ``kernel(t, own, seen, lever, mem, i, p, q) -> move``, parameters from ``p[q:]`` in the
    #: order of ``Params``' fields, memory row ``mem[i]`` updated in place.
    kernel: ClassVar[Callable[..., float] | None] = None

    def init_memory(self, members: int) -> Array:
        """The memory at the start: ``members x meta.memory`` zeros unless overridden."""
        return np.zeros((members, self.meta.memory))

    def move(
        self, t: int, own_last: Array, seen_last: Array, memory: Array, lever: Value
    ) -> tuple[Array, Array]:
        """This month's move in [0, 1] and the new memory."""
        raise NotImplementedError


def clipped_sum(*values: Value) -> Value:
    """Sum of per-member arrays and/or common numbers, clipped to [0, 1].

    Python floats stay Python floats, so they do not promote the float32 state to float64
    (NumPy 2 promotion rules), which would double the memory traffic of the engine.
    """
    total: Value = 0.0
    for v in values:
        total = total + v
    if isinstance(total, float | int):
        return min(max(float(total), 0.0), 1.0)
    return np.clip(total, 0.0, 1.0)
