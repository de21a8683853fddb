"""Fuzz the scenario and perspective loaders: every input either loads or is refused with a
clean ScenarioError naming the file; never a traceback, never an alias expanded."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from resetlab.exceptions import ResetlabError, ScenarioError
from resetlab.model.spec import load_perspective, load_scenario
from strategies import mutated_yaml

REPO = Path(__file__).resolve().parents[2]
SCENARIO = (REPO / "scenarios" / "reset-2025.yaml").read_bytes()
PERSPECTIVE = (REPO / "perspectives" / "null.yaml").read_bytes()


def _check(loader, name: str, data: bytes) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            loader(path)
        except ScenarioError as exc:
            assert str(path) in str(exc)  # the file is named
            for p in exc.problems:
                assert p.file == str(path)
        except ResetlabError as exc:  # e.g. a perspective the scenario names is missing
            assert str(exc).strip()


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=mutated_yaml(SCENARIO))
def test_scenario_loader_never_crashes(data: bytes) -> None:
    _check(load_scenario, "reset-2025.yaml", data)


@FUZZ
@given(data=mutated_yaml(PERSPECTIVE))
def test_perspective_loader_never_crashes(data: bytes) -> None:
    _check(load_perspective, "null.yaml", data)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_yaml(SCENARIO, max_ops=6))
def test_scenario_loader_never_crashes_long(data: bytes) -> None:
    _check(load_scenario, "reset-2025.yaml", data)
