"""The relationship model: mechanisms M1-M21, strategies, vectorised ensembles, scenarios.

Entry points: :func:`simulate` (run a scenario file), :func:`fan_chart` (plot a result),
:func:`load_scenario` (check a file), and the registries :data:`MECHANISMS` and
:data:`STRATEGIES`. See ``docs/model.md``.
"""

from __future__ import annotations

from resetlab.model.api import simulate
from resetlab.model.engine import ModelSpec, ScoreWeights, run_chunk, run_ensemble
from resetlab.model.forcing import Forcing
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.output import QUANTILES, SimulationResult, fan_chart
from resetlab.model.spec import (
    Scenario,
    build_spec,
    load_perspective,
    load_scenario,
    parse_scenario,
)
from resetlab.model.state import VARIABLES
from resetlab.model.strategies import STRATEGIES

__all__ = [
    "MECHANISMS",
    "QUANTILES",
    "STRATEGIES",
    "VARIABLES",
    "Forcing",
    "ModelSpec",
    "Scenario",
    "ScoreWeights",
    "SimulationResult",
    "build_spec",
    "fan_chart",
    "load_perspective",
    "load_scenario",
    "parse_scenario",
    "run_chunk",
    "run_ensemble",
    "simulate",
]
