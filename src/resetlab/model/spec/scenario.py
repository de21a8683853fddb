"""The scenario schema: a scenario file (or mapping) checked into a :class:`Scenario`.

A scenario file gives every field; nothing has a silent default (a missing field is an
error). Its mechanisms come either from the file itself (``mechanisms:``, all 21 keys) or
from a perspective (``perspective: NAME`` reads ``perspectives/NAME.yaml``); exactly one of
the two is non-null. See ``docs/model.md`` for the schema with an example.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import Field, field_validator

from resetlab.config import project_folder
from resetlab.exceptions import Problem, ScenarioError
from resetlab.model.forcing import SHOCKS, month_range
from resetlab.model.spec.checks import (
    MechanismEntry,
    Strict,
    check_mechanisms,
    check_params,
    month_value,
    parse_model,
)
from resetlab.model.spec.perspective import load_perspective
from resetlab.model.spec.yaml_lines import Loc, field_path, line_of, read_yaml
from resetlab.model.state import INITIAL_VARIABLES
from resetlab.model.strategies import STRATEGIES

Side = Literal["us", "ru"]
#: Upper bound of the scenario's noise and volatility (index points per month); the index
#: itself spans about -10..+10, so larger values only turn the model into noise.
MAX_NOISE = 20.0


class StrategyEntry(Strict):
    """A side's strategy key and all its parameters."""

    key: str
    params: dict[str, float]


class Strategies(Strict):
    us: StrategyEntry
    ru: StrategyEntry


class ScoreWeightsEntry(Strict):
    """A scenario's ``observation:`` block: the weights of the observation equation
    (:class:`resetlab.model.engine.ScoreWeights`) it builds."""

    offset: float
    w_coop: float
    w_trust: float
    w_dispute: float
    w_threat: float
    w_shock: float


class Span(Strict):
    start: str
    end: str

    _m = field_validator("start", "end")(month_value)


class TrackSpan(Span):
    """The three tracks of M5 from ``start`` to ``end`` (inclusive), each in [0, 1]."""

    bureaucratic: float = Field(ge=0, le=1)
    arms: float = Field(ge=0, le=1)
    regional: float = Field(ge=0, le=1)
    note: str


class ExerciseSpan(Span):
    """Level of NATO exercises near Russia from ``start`` to ``end``, in [0, 1]."""

    level: float = Field(ge=0, le=1)
    note: str


class Concession(Strict):
    """One item of a package: a side concedes ``size`` in ``month``."""

    month: str
    side: Side
    size: float = Field(ge=0, le=1)
    item: str

    _m = field_validator("month")(month_value)


class TreatyMove(Strict):
    """From ``month`` on, the share of treaties in force is ``value``."""

    month: str
    value: float = Field(ge=0, le=1)
    note: str

    _m = field_validator("month")(month_value)


class ResetMove(Strict):
    """An announced reset by ``side`` in ``month`` (M19)."""

    month: str
    side: Side
    size: float = Field(ge=0, le=1)
    note: str

    _m = field_validator("month")(month_value)


class ScheduledShock(Strict):
    """A shock of ``type`` and ``size`` to every member in ``month``."""

    month: str
    type: str
    size: float = Field(ge=0, le=1)
    note: str

    _m = field_validator("month")(month_value)

    @field_validator("type")
    @classmethod
    def _type(cls, v: str) -> str:
        if v not in SHOCKS:
            raise ValueError(f"{v!r} is not one of {', '.join(SHOCKS)}")
        return v


class Rate(Strict):
    rate: float = Field(ge=0, le=1)
    size: float = Field(ge=0, le=1)


class Shocks(Strict):
    """``from_record``: replay the record's monthly shocks (replay mode only). ``rates``:
    ``record`` (estimated on the record), ``none``, or a rate and size per shock type."""

    from_record: bool
    rates: Literal["record", "none"] | dict[str, Rate]
    scheduled: list[ScheduledShock]


class Levers(Strict):
    tracks: list[TrackSpan]
    exercises: list[ExerciseSpan]
    concessions: list[Concession]
    treaty_moves: list[TreatyMove]
    resets: list[ResetMove]


class ScenarioModel(Strict):
    """The whole scenario file."""

    name: str
    description: str
    start: str
    horizon: int = Field(ge=1, le=1200)
    mode: Literal["replay", "forecast"]
    noise: float = Field(ge=0, le=MAX_NOISE)
    volatility: float = Field(ge=0, le=MAX_NOISE)
    strategies: Strategies
    perspective: str | None
    mechanisms: dict[str, MechanismEntry] | None
    observation: ScoreWeightsEntry
    initial: dict[str, float]
    levers: Levers
    shocks: Shocks

    _m = field_validator("start")(month_value)


@dataclasses.dataclass(frozen=True)
class Scenario:
    """A checked scenario: the validated file, its mechanisms resolved, where it came from."""

    model: ScenarioModel
    mechanisms: dict[str, MechanismEntry]
    path: Path | None

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.model.name

    @property
    def months(self) -> pd.PeriodIndex:
        """The simulated months."""
        return month_range(self.model.start, self.model.horizon)


def _perspective_path(name: str, base_dir: Path | None, perspectives_dir: Path | None) -> Path:
    """Where perspective ``name`` is read from: ``perspectives_dir``, else the perspectives
    folder :func:`resetlab.config.project_folder` finds near ``base_dir``."""
    folder = (
        project_folder("perspectives", base_dir) if perspectives_dir is None else perspectives_dir
    )
    return folder / f"{name}.yaml"


def scenario_path(path: str | Path) -> Path:
    """The file a scenario argument names: ``path`` itself if it exists or is written as a
    path (a folder or a suffix in it), else ``NAME.yaml`` in the scenarios folder."""
    p = Path(path)
    text = str(path)
    if p.exists() or "/" in text or os.sep in text or p.suffix:
        return p
    return project_folder("scenarios") / f"{p.name}.yaml"


def load_scenario(path: str | Path, perspectives_dir: Path | None = None) -> Scenario:
    """Read and check a scenario file (and its perspective); raise :class:`ScenarioError`.

    ``path`` is a file, or the bare name of a scenario in the scenarios folder
    :func:`resetlab.config.project_folder` finds (``reset-2025``: ``./scenarios`` or the ones
    shipped with the package). Every problem found is listed as ``file:line: field:
    message``; the checks are those of :func:`parse_scenario`.
    """
    path = scenario_path(path)
    data, lines = read_yaml(path)
    scenario = _check_scenario(data, str(path), lines, path.parent, perspectives_dir)
    return dataclasses.replace(scenario, path=path)


def parse_scenario(
    mapping: Any,
    name: str = "(scenario)",
    *,
    perspectives_dir: Path | None = None,
    base_dir: Path | None = None,
) -> Scenario:
    """Check a scenario given as the mapping of its file's fields (parsed YAML or JSON).

    Problems name ``name`` as the file (no line numbers: a mapping has none). A
    ``perspective:`` is read from ``perspectives_dir``, else from ``perspectives/`` beside
    ``base_dir`` (the folder a file would be in) or one level up; without ``base_dir``, from
    ``./perspectives`` or the source checkout's (:func:`resetlab.config.project_folder`).
    Raises :class:`ScenarioError`.
    """
    return _check_scenario(mapping, name, {}, base_dir, perspectives_dir)


def _check_scenario(
    data: Any,
    name: str,
    lines: dict[Loc, int],
    base_dir: Path | None,
    perspectives_dir: Path | None,
) -> Scenario:
    sc: ScenarioModel = parse_model(ScenarioModel, data, name, lines)
    problems: list[Problem] = []

    def bad(loc: Loc, msg: str) -> None:
        problems.append(Problem(name, line_of(lines, loc), field_path(loc), msg))

    for side in ("us", "ru"):
        entry: StrategyEntry = getattr(sc.strategies, side)
        loc: Loc = ("strategies", side)
        if entry.key not in STRATEGIES:
            bad((*loc, "key"), f"unknown strategy {entry.key!r} (known: {', '.join(STRATEGIES)})")
        else:
            problems += check_params(
                STRATEGIES[entry.key].Params, entry.params, name, lines, (*loc, "params")
            )
    mechanisms: dict[str, MechanismEntry] = {}
    if (sc.perspective is None) == (sc.mechanisms is None):
        bad(("perspective",), "give exactly one of perspective and mechanisms (the other null)")
    elif sc.mechanisms is not None:
        problems += check_mechanisms(sc.mechanisms, name, lines, ("mechanisms",))
        mechanisms = dict(sc.mechanisms)
    else:
        assert sc.perspective is not None
        ppath = _perspective_path(sc.perspective, base_dir, perspectives_dir)
        if not ppath.is_file():
            bad(("perspective",), f"no perspective file {ppath}")
        else:
            mechanisms = load_perspective(ppath).mechanism_entries()
    for var in INITIAL_VARIABLES:
        if var not in sc.initial:
            bad(("initial", var), "missing (required)")
    for var in sc.initial:
        if var not in INITIAL_VARIABLES:
            bad(
                ("initial", var),
                f"not a starting variable (those are: {', '.join(INITIAL_VARIABLES)})",
            )
    start = pd.Period(sc.start, freq="M")
    end = start + (sc.horizon - 1)

    def in_range(loc: Loc, month: str) -> None:
        m = pd.Period(month, freq="M")
        if not start <= m <= end:
            bad(loc, f"{month} is outside the scenario ({start} to {end})")

    lv = sc.levers
    for kind in ("tracks", "exercises"):
        for i, span in enumerate(getattr(lv, kind)):
            if span.end < span.start:
                bad(("levers", kind, i, "end"), "ends before it starts")
    for kind in ("concessions", "treaty_moves", "resets"):
        for i, item in enumerate(getattr(lv, kind)):
            in_range(("levers", kind, i, "month"), item.month)
    for i, shock in enumerate(sc.shocks.scheduled):
        in_range(("shocks", "scheduled", i, "month"), shock.month)
    if sc.shocks.from_record and sc.mode != "replay":
        bad(("shocks", "from_record"), "only a replay takes its shocks from the record")
    if sc.mode == "replay" and sc.shocks.rates != "none":
        bad(("shocks", "rates"), "a replay samples no shocks: set rates: none")
    if isinstance(sc.shocks.rates, dict):
        for k in sc.shocks.rates:
            if k not in SHOCKS:
                bad(("shocks", "rates", k), f"not a shock type ({', '.join(SHOCKS)})")
    if problems:
        raise ScenarioError(f"{name} does not validate", problems)
    return Scenario(model=sc, mechanisms=mechanisms, path=None)


# --------------------------------------------------------------------------- to a model
