"""Scenario files: the shipped ones load and run; broken ones name file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from resetlab.exceptions import ScenarioError
from resetlab.model import load_scenario, simulate
from resetlab.model.spec import build_spec, load_perspective

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED = ("replay-1992-2025", "reset-2025", "carpenter-package")


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_load_and_run(name: str) -> None:
    sc = load_scenario(SCENARIOS / f"{name}.yaml")
    assert sc.name == name
    r = simulate(sc, members=20, seed=1, variables=("relations", "coop_us"))
    assert r.paths.shape == (len(sc.months), 2, 20)
    assert np.all(np.isfinite(r.paths))


def test_carpenter_package_items_are_levers_with_dates() -> None:
    sc = load_scenario(SCENARIOS / "carpenter-package.yaml")
    items = sc.model.levers.concessions
    assert {c.side for c in items} == {"us", "ru"} and all(
        c.item.startswith("file 002") for c in items
    )
    spec = build_spec(sc)
    s = spec.forcing.series
    assert s["concession_us"].sum() == pytest.approx(sum(c.size for c in items if c.side == "us"))


def test_replay_takes_shocks_from_the_record() -> None:
    spec = build_spec(load_scenario(SCENARIOS / "replay-1992-2025.yaml"))
    assert not spec.forcing.rates
    assert spec.forcing.shocks["hostile_ru"].sum() > 0
    assert spec.forcing.series["leader_change_ru"].sum() >= 1  # Putin 2000, Medvedev 2008, ...


def _base() -> str:
    return (SCENARIOS / "reset-2025.yaml").read_text(encoding="utf-8")


def _line_of(text: str, pattern: str) -> int:
    for i, line in enumerate(text.splitlines(), start=1):
        if re.search(pattern, line):
            return i
    raise AssertionError(pattern)


def _problems(tmp_path: Path, text: str) -> list:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    for p in info.value.problems:
        assert p.file == str(path)
    assert str(path) in str(info.value)
    return info.value.problems


def _one(problems: list, field: str):
    found = [p for p in problems if p.field == field]
    assert found, [str(p) for p in problems]
    return found[0]


def test_wrong_type_names_line_and_field(tmp_path: Path) -> None:
    text = _base().replace("horizon: 60", "horizon: sixty")
    p = _one(_problems(tmp_path, text), "horizon")
    assert p.line == _line_of(text, r"^horizon:")


def test_missing_field_is_an_error_not_a_default(tmp_path: Path) -> None:
    text = _base().replace("noise: 0.1\n", "")
    p = _one(_problems(tmp_path, text), "noise")
    assert "missing" in p.message


def test_misspelt_field(tmp_path: Path) -> None:
    text = _base().replace("volatility: 0.8", "volatilty: 0.8")
    problems = _problems(tmp_path, text)
    assert _one(problems, "volatilty").line == _line_of(text, r"^volatilty:")
    assert "missing" in _one(problems, "volatility").message


def test_bad_month(tmp_path: Path) -> None:
    text = _base().replace('start: "2025-03"', 'start: "2025-13"')
    p = _one(_problems(tmp_path, text), "start")
    assert p.line == _line_of(text, r"^start:") and "YYYY-MM" in p.message


def test_unknown_mechanism_and_missing_parameter(tmp_path: Path) -> None:
    text = _base().replace("  m21: {", "  m22: {enabled: true, params: {}}\n  m21: {")
    text = text.replace("honeymoon: 0.3, tau: 12.0", "honeymoon: 0.3")
    problems = _problems(tmp_path, text)
    assert _one(problems, "mechanisms.m22").line == _line_of(text, r"^  m22:")
    assert _one(problems, "mechanisms.m19.params.tau").line == _line_of(text, r"^  m19:")


def test_unknown_strategy_and_parameter(tmp_path: Path) -> None:
    text = _base().replace("key: tit-for-tat, params: {initial: 0.15}", "key: tft, params: {}")
    text = text.replace("month: 0, size: 0.8", "month: 0, sise: 0.8")
    problems = _problems(tmp_path, text)
    assert _one(problems, "strategies.ru.key").line == _line_of(text, r"^  ru:")
    assert _one(problems, "strategies.us.params.sise").line == _line_of(text, r"^  us:")
    assert "missing" in _one(problems, "strategies.us.params.size").message


def test_lever_outside_the_horizon_and_bad_value(tmp_path: Path) -> None:
    text = _base().replace('resets:\n    - {month: "2025-03"', 'resets:\n    - {month: "2031-03"')
    text = text.replace("arms: 0.1, regional: 0.2", "arms: 1.5, regional: 0.2")
    problems = _problems(tmp_path, text)
    assert _one(problems, "levers.tracks.0.arms").line == _line_of(text, r"arms: 1.5")
    # The first problems stop validation; fix the range and the month error shows.
    text = text.replace("arms: 1.5", "arms: 0.1")
    p = _one(_problems(tmp_path, text), "levers.resets.0.month")
    assert p.line == _line_of(text, r'month: "2031-03"') and "outside" in p.message


def test_perspective_and_mechanisms_both_given(tmp_path: Path) -> None:
    text = _base().replace("perspective: null", "perspective: trust-first")
    p = _one(_problems(tmp_path, text), "perspective")
    assert "exactly one" in p.message


def test_invalid_yaml_syntax(tmp_path: Path) -> None:
    text = _base().replace("mode: forecast", "mode: [forecast")
    problems = _problems(tmp_path, text)
    assert problems[0].field == "yaml" and problems[0].line is not None


def test_perspective_supplies_the_mechanisms(tmp_path: Path) -> None:
    start = _base().index("mechanisms:\n")
    end = _base().index("observation:")
    text = _base()[:start] + "mechanisms: null\n" + _base()[end:]
    text = text.replace("perspective: null", "perspective: trust-first")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    sc = load_scenario(path, perspectives_dir=FIXTURES / "perspectives")
    assert sc.mechanisms["m16"].enabled and not sc.mechanisms["m4"].enabled
    keys = {m.meta.key for m in build_spec(sc).mechanisms}
    assert "m16" in keys and "m4" not in keys
    with pytest.raises(ScenarioError, match="no perspective file"):
        load_scenario(path, perspectives_dir=tmp_path)


def test_broken_perspective_names_its_file_and_line(tmp_path: Path) -> None:
    text = (FIXTURES / "perspectives" / "trust-first.yaml").read_text(encoding="utf-8")
    text = text.replace("threshold: 0.2, cap: 0.2", "threshold: high, cap: 0.2")
    path = tmp_path / "trust-first.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_perspective(path)
    p = info.value.problems[0]
    assert p.file == str(path) and p.line == _line_of(text, r"^  m16:")
    assert p.field.startswith("mechanisms.m16.params.threshold")


def _required_paths() -> list[tuple[str, ...]]:
    import yaml

    data = yaml.safe_load(_base())
    paths: list[tuple[str, ...]] = [(k,) for k in data]
    paths += [("levers", k) for k in data["levers"]]
    paths += [("shocks", k) for k in data["shocks"]]
    paths += [("strategies", "us", "params"), ("observation", "w_trust"), ("initial", "trust")]
    paths += [("mechanisms", "m7"), ("mechanisms", "m3", "params", "feed")]
    return paths


@pytest.mark.parametrize("path", _required_paths(), ids=".".join)
def test_every_field_is_required(tmp_path: Path, path: tuple[str, ...]) -> None:
    import yaml

    data = yaml.safe_load(_base())
    node = data
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    problems = _problems(tmp_path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    p = _one(problems, ".".join(path))
    assert "missing" in p.message and p.line is not None


def test_parse_scenario_checks_a_mapping_as_load_scenario_checks_the_file() -> None:
    import yaml

    from resetlab.exceptions import ScenarioError
    from resetlab.model.spec import load_scenario, parse_scenario

    root = Path(__file__).resolve().parents[2]
    path = root / "scenarios" / "reset-2025.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    parsed = parse_scenario(data, "mine", base_dir=path.parent)
    loaded = load_scenario(path)
    assert parsed.model == loaded.model and parsed.mechanisms == loaded.mechanisms
    assert parsed.path is None and loaded.path == path
    data["strategies"]["us"]["key"] = "nope"
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data, "mine", base_dir=path.parent)
    assert [(p.file, p.field) for p in info.value.problems] == [("mine", "strategies.us.key")]
