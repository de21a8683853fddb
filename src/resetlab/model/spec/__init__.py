"""Scenario and perspective files: YAML validated with pydantic, errors with file:line: field.

- :mod:`~resetlab.model.spec.yaml_lines`: the YAML reader that keeps every key's line;
- :mod:`~resetlab.model.spec.checks`: what both schemas share (strict models, mechanism
  entries checked against the registry, pydantic errors as problems with their lines);
- :mod:`~resetlab.model.spec.scenario`: the scenario schema, :func:`load_scenario` (a file)
  and :func:`parse_scenario` (a mapping, such as the web app's JSON);
- :mod:`~resetlab.model.spec.perspective`: the perspective schema and :func:`load_perspective`;
- :mod:`~resetlab.model.spec.build`: a checked scenario's forcing, mechanisms, strategies and
  runnable :class:`~resetlab.model.engine.ModelSpec`.
"""

from __future__ import annotations

from resetlab.model.spec.build import (
    build_mechanisms,
    build_spec,
    build_strategy,
    scenario_forcing,
)
from resetlab.model.spec.checks import MechanismEntry
from resetlab.model.spec.perspective import (
    GLOBAL_PARAMS,
    REQUIRED_PRIORS,
    Article,
    PerspectiveClaim,
    PerspectiveMechanism,
    PerspectiveModel,
    Prior,
    Source,
    load_perspective,
    perspective_quotes,
)
from resetlab.model.spec.scenario import (
    MAX_NOISE,
    Concession,
    ExerciseSpan,
    Levers,
    Rate,
    ResetMove,
    Scenario,
    ScenarioModel,
    ScheduledShock,
    ScoreWeightsEntry,
    Shocks,
    Side,
    Span,
    Strategies,
    StrategyEntry,
    TrackSpan,
    TreatyMove,
    load_scenario,
    parse_scenario,
    scenario_path,
)
from resetlab.model.spec.yaml_lines import MAX_YAML_BYTES, MAX_YAML_DEPTH, Loc

__all__ = [
    "GLOBAL_PARAMS",
    "MAX_NOISE",
    "MAX_YAML_BYTES",
    "MAX_YAML_DEPTH",
    "REQUIRED_PRIORS",
    "Article",
    "Concession",
    "ExerciseSpan",
    "Levers",
    "Loc",
    "MechanismEntry",
    "PerspectiveClaim",
    "PerspectiveMechanism",
    "PerspectiveModel",
    "Prior",
    "Rate",
    "ResetMove",
    "Scenario",
    "ScenarioModel",
    "ScheduledShock",
    "ScoreWeightsEntry",
    "Shocks",
    "Side",
    "Source",
    "Span",
    "Strategies",
    "StrategyEntry",
    "TrackSpan",
    "TreatyMove",
    "build_mechanisms",
    "build_spec",
    "build_strategy",
    "load_perspective",
    "load_scenario",
    "parse_scenario",
    "perspective_quotes",
    "scenario_forcing",
    "scenario_path",
]
