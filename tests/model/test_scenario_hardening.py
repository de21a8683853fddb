"""Scenario and perspective files that must be refused cleanly, before any work is done."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from resetlab.exceptions import ModelError, ScenarioError
from resetlab.model.spec import MAX_YAML_DEPTH, load_perspective, load_scenario

REPO = Path(__file__).resolve().parents[2]
REPLAY = REPO / "scenarios" / "replay-1992-2025.yaml"

BOMB = """\
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize("loader", [load_scenario, load_perspective])
def test_alias_bomb_is_refused_with_its_line(tmp_path: Path, loader) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "bomb.yaml"
    f.write_text(BOMB)
    with pytest.raises(ScenarioError, match=r"bomb\.yaml:1: yaml: YAML anchors and aliases"):
        loader(f)


def test_non_utf8_names_line_and_encoding(tmp_path: Path) -> None:
    f = tmp_path / "latin.yaml"
    f.write_bytes(b"name: x\ndescription: caf\xe9\n")
    with pytest.raises(ScenarioError, match=r"latin\.yaml:2: encoding: not UTF-8"):
        load_scenario(f)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "deep.yaml"
    f.write_text("a: " + "[" * (MAX_YAML_DEPTH + 5) + "]" * (MAX_YAML_DEPTH + 5) + "\n")
    with pytest.raises(ScenarioError, match="nested deeper than"):
        load_scenario(f)
    f.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")  # once a RecursionError
    with pytest.raises(ScenarioError, match="nested deeper than"):
        load_scenario(f)


def _replay_with(tmp_path: Path, pattern: str, repl: str) -> Path:
    text = REPLAY.read_text()
    new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
    assert n == 1, pattern
    f = tmp_path / "s.yaml"
    f.write_text(new)
    return f


@pytest.mark.parametrize(
    ("pattern", "repl", "field"),
    [
        (r"^noise: .*$", "noise: .nan", "noise"),
        (r"^volatility: .*$", "volatility: .inf", "volatility"),
        (r"^noise: .*$", "noise: 1e9", "noise"),
        (r"^volatility: .*$", "volatility: 500", "volatility"),
    ],
)
def test_non_finite_and_huge_numbers_are_refused(
    tmp_path: Path, pattern: str, repl: str, field: str
) -> None:
    load_scenario(REPLAY)  # the untouched file is fine
    with pytest.raises(ScenarioError, match=rf"s\.yaml:\d+: {field}:"):
        load_scenario(_replay_with(tmp_path, pattern, repl))


def test_nan_initial_value_is_refused(tmp_path: Path) -> None:
    text = REPLAY.read_text()
    m = re.search(r"^initial:\n(\s+)(\w+): ", text, flags=re.M)
    assert m is not None
    f = _replay_with(
        tmp_path, rf"^{m.group(1)}{m.group(2)}: .*$", f"{m.group(1)}{m.group(2)}: .nan"
    )
    with pytest.raises(ScenarioError, match=rf"initial\.{m.group(2)}"):
        load_scenario(f)


def test_prior_bound_inf_is_refused(tmp_path: Path) -> None:
    src = REPO / "perspectives" / "null.yaml"
    text = src.read_text()
    new, n = re.subn(r"(param: noise\n(?:.*\n)*?\s+high: )[0-9.]+", r"\g<1>.inf", text, count=1)
    assert n == 1
    f = tmp_path / "null.yaml"
    f.write_text(new)
    with pytest.raises(ScenarioError, match=r"high"):
        load_perspective(f)


def test_ensemble_too_large_is_refused_before_allocating() -> None:
    from resetlab.model.api import simulate

    with pytest.raises(ModelError, match=r"GiB of paths, over the .* use at most"):
        simulate(REPLAY, members=1_000_000_000, seed=0)
    with pytest.raises(ModelError, match="at least 1"):
        simulate(REPLAY, members=0, seed=0)
