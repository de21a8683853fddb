"""Perspective files: the shipped ones load, quote their articles exactly, and give enough
claims; broken ones name the file, the line and the field of every problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from resetlab.exceptions import Problem, ScenarioError
from resetlab.index.claims import CLAIM_TESTS
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.spec import (
    GLOBAL_PARAMS,
    REQUIRED_PRIORS,
    PerspectiveModel,
    load_perspective,
    perspective_quotes,
)

REPO = Path(__file__).resolve().parents[2]
PERSPECTIVES = REPO / "perspectives"
SEEDS = REPO.parent / "shared" / "seeds"
ARTICLES = {
    "minikes-2010": "000",
    "valdai-2011": "001",
    "carpenter-2019": "002",
    "deyermond-2024": "003",
    "nodvin-2025": "004",
}
NAMES = (*ARTICLES, "null")
FILES = sorted(PERSPECTIVES.glob("*.yaml"))

# Typographic characters folded to their plain forms before comparing a quote with its text.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)


def normalise(text: str) -> str:
    """Fold typographic quotes, apostrophes and dashes; collapse all whitespace to one space."""
    return re.sub(r"\s+", " ", text.translate(_FOLD)).strip()


def _load(name: str) -> PerspectiveModel:
    return load_perspective(PERSPECTIVES / f"{name}.yaml")


def _seed_text(file_id: str) -> str:
    matches = sorted(SEEDS.glob(f"{file_id}_*.txt"))
    assert len(matches) == 1, f"expected one seed file {file_id}_*.txt in {SEEDS}, found {matches}"
    return normalise(matches[0].read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- shipped files


def test_normalise_folds_typography_and_whitespace() -> None:
    assert (
        normalise("the Kremlin\u2019s  \u201creset\u201d\n\u2014 now")
        == 'the Kremlin\'s "reset" - now'
    )


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_perspective_file_loads(path: Path) -> None:
    p = load_perspective(path)
    assert p.name == path.stem
    assert set(p.mechanisms) == set(MECHANISMS)
    params = {pr.param for pr in p.priors}
    assert set(REQUIRED_PRIORS) <= params
    assert 1 <= len(p.priors) <= 5


def test_the_six_perspectives_are_present() -> None:
    assert set(NAMES) <= {p.stem for p in FILES}


def test_null_switches_everything_off_and_claims_nothing() -> None:
    p = _load("null")
    assert p.article is None
    assert p.claims == []
    for key, m in p.mechanisms.items():
        assert not m.enabled, key
        assert m.why, key
    assert {pr.param for pr in p.priors} <= set(GLOBAL_PARAMS)


@pytest.mark.parametrize("name", list(ARTICLES))
def test_article_perspective_rests_on_its_own_article(name: str) -> None:
    p = _load(name)
    assert p.article is not None and p.article.file == ARTICLES[name]
    assert p.article.year == int(name.rsplit("-", 1)[1])
    for key, m in p.mechanisms.items():
        if m.enabled:
            assert m.source is not None and m.source.file == ARTICLES[name], key
    # M4 (trust from practice) and M16 (minimum trust) contradict each other: pick one at most.
    assert not (p.mechanisms["m4"].enabled and p.mechanisms["m16"].enabled)
    mech_priors = [pr for pr in p.priors if pr.param not in GLOBAL_PARAMS]
    assert 2 <= len(mech_priors) <= 5
    for pr in mech_priors:
        assert pr.why, pr.param


@pytest.mark.parametrize("name", NAMES)
def test_every_quote_appears_in_its_seed_file(name: str) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"source articles folder {SEEDS} is absent (only in the team's workspace)")
    p = _load(name)
    for field, src in perspective_quotes(p):
        assert normalise(src.quote) in _seed_text(src.file), f"{name}: {field}: {src.quote!r}"


def test_enough_claims_across_the_articles() -> None:
    counts = {name: len(_load(name).claims) for name in ARTICLES}
    assert sum(counts.values()) >= 14, counts
    assert all(n >= 2 for n in counts.values()), counts
    ids = [c.id for name in ARTICLES for c in _load(name).claims]
    assert len(ids) == len(set(ids))


def test_claims_use_registered_tests() -> None:
    for name in ARTICLES:
        for c in _load(name).claims:
            assert c.test in CLAIM_TESTS, (name, c.id)
            assert c.mechanism in MECHANISMS, (name, c.id)


# --------------------------------------------------------------------------- broken variants

BASE = "carpenter-2019"


def _base_text() -> str:
    return (PERSPECTIVES / f"{BASE}.yaml").read_text(encoding="utf-8")


def _line_of(text: str, needle: str, after: str | None = None) -> int:
    """1-based line of the first line containing ``needle`` (after the line with ``after``)."""
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    return next(i + 1 for i in range(start, len(lines)) if needle in lines[i])


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def _problems(path: Path) -> tuple[list[Problem], str]:
    with pytest.raises(ScenarioError) as info:
        load_perspective(path)
    return info.value.problems, str(info.value)


def _assert_problem(path: Path, line: int, field: str, message: str) -> None:
    problems, shown = _problems(path)
    hits = [p for p in problems if p.field == field]
    assert hits, f"no problem for {field}: {problems}"
    prob = hits[0]
    assert prob.file == str(path)
    assert prob.line == line, (prob, line)
    assert message in prob.message, prob
    assert f"{path}:{line}: {field}: " in shown


def test_the_base_of_the_broken_variants_is_valid(tmp_path: Path) -> None:
    path = tmp_path / f"{BASE}.yaml"
    path.write_text(_base_text(), encoding="utf-8")
    assert load_perspective(path).name == BASE


def test_missing_field_of_a_mechanism(tmp_path: Path) -> None:
    text = _base_text()
    why = text.splitlines()[_line_of(text, "    why:", after="  m2:") - 1] + "\n"
    broken = _replace_once(text, why, "")
    path = tmp_path / f"{BASE}.yaml"
    path.write_text(broken, encoding="utf-8")
    line = _line_of(broken, "  m2:")
    _assert_problem(path, line, "mechanisms.m2.why", "missing (required; no default)")


def test_missing_top_level_field(tmp_path: Path) -> None:
    text = _base_text()
    claims_at = text.index("\nclaims:")
    broken = text[: claims_at + 1]  # drop the whole claims block
    path = tmp_path / f"{BASE}.yaml"
    path.write_text(broken, encoding="utf-8")
    # A missing top-level key is reported at the start of the file's mapping (its first key).
    line = _line_of(broken, "name:")
    _assert_problem(path, line, "claims", "missing (required; no default)")


def test_enabled_mechanism_without_source(tmp_path: Path) -> None:
    text = _base_text()
    src_line = text.splitlines()[_line_of(text, "    source:", after="  m9:") - 1]
    broken = _replace_once(text, src_line + "\n", "    source: null\n")
    path = tmp_path / f"{BASE}.yaml"
    path.write_text(broken, encoding="utf-8")
    line = _line_of(broken, "    source: null", after="  m9:")
    _assert_problem(path, line, "mechanisms.m9.source", "needs the sentence it rests on")


def test_prior_on_a_switched_off_mechanism(tmp_path: Path) -> None:
    text = _base_text()
    broken = _replace_once(text, "  - param: m10.floor", "  - param: m16.threshold")
    path = tmp_path / f"{BASE}.yaml"
    path.write_text(broken, encoding="utf-8")
    index = _load(BASE).priors.index(
        next(pr for pr in _load(BASE).priors if pr.param == "m10.floor")
    )
    line = _line_of(broken, "  - param: m16.threshold")
    _assert_problem(path, line, f"priors.{index}.param", "m16 is switched off")


def test_prior_range_excludes_the_stated_value(tmp_path: Path) -> None:
    text = _base_text()
    head = "  - param: m9.react_ru\n    dist: uniform\n    low: 0.05\n"
    broken = _replace_once(text, head, head.replace("low: 0.05", "low: 0.5"))
    path = tmp_path / f"{BASE}.yaml"
    path.write_text(broken, encoding="utf-8")
    line = _line_of(broken, "    low: 0.5", after="  - param: m9.react_ru")
    _assert_problem(path, line, "priors.0.low", "outside [low, high]")


def test_unknown_claim_test_lists_the_known_ones(tmp_path: Path) -> None:
    text = _base_text()
    broken = _replace_once(text, "    test: treaties-calm\n", "    test: treaties-calmer\n")
    path = tmp_path / f"{BASE}.yaml"
    path.write_text(broken, encoding="utf-8")
    index = [c.test for c in _load(BASE).claims].index("treaties-calm")
    line = _line_of(broken, "    test: treaties-calmer")
    _assert_problem(path, line, f"claims.{index}.test", "unknown test 'treaties-calmer'")
    problems, _ = _problems(path)
    message = next(p.message for p in problems if p.field == f"claims.{index}.test")
    for key in CLAIM_TESTS:
        assert key in message


def test_name_must_equal_the_file_name(tmp_path: Path) -> None:
    text = _base_text()
    path = tmp_path / "another-name.yaml"
    path.write_text(text, encoding="utf-8")
    _assert_problem(path, _line_of(text, "name:"), "name", "must equal the file name")


def test_a_prior_on_the_anchored_offset_is_refused(tmp_path: Path) -> None:
    """The calibration anchors the observation's level to the index: a perspective that
    tries to fit the offset is told so, and one with no priors has nothing to fit."""
    from resetlab.exceptions import FitError
    from resetlab.fit.perspectives import ParameterSpace

    text = _base_text()
    offset = (
        "priors:\n  - param: observation.offset\n    dist: uniform\n    low: -8.0\n"
        '    high: 2.0\n    mean: null\n    sd: null\n    source: null\n    why: "level"\n'
    )
    path = tmp_path / f"{BASE}.yaml"
    path.write_text(_replace_once(text, "priors:\n", offset), encoding="utf-8")
    with pytest.raises(FitError, match=r"observation\.offset.*anchors"):
        ParameterSpace.of(load_perspective(path))
    start, end = text.index("priors:\n"), text.index("\nclaims:")
    path.write_text(text[:start] + "priors: []" + text[end:], encoding="utf-8")
    with pytest.raises(FitError, match="no priors"):
        ParameterSpace.of(load_perspective(path))


def test_a_key_given_twice_is_an_error(tmp_path: Path) -> None:
    text = _base_text()
    dup = "name: carpenter-2019\nname: carpenter-2019\n"
    broken = _replace_once(text, "name: carpenter-2019\n", dup)
    path = tmp_path / f"{BASE}.yaml"
    path.write_text(broken, encoding="utf-8")
    _assert_problem(path, _line_of(broken, "name:") + 1, "name", "given twice")


def test_a_prior_without_sd_is_missing_not_defaulted(tmp_path: Path) -> None:
    text = _base_text()
    broken = _replace_once(text, "    sd: null\n", "")
    path = tmp_path / f"{BASE}.yaml"
    path.write_text(broken, encoding="utf-8")
    problems, _ = _problems(path)
    assert any(p.field.endswith(".sd") and "missing" in p.message for p in problems), problems


def test_a_misspelt_parameter_of_a_switched_off_mechanism(tmp_path: Path) -> None:
    text = _base_text()
    start = _line_of(text, "  m16:")
    lines = text.splitlines(keepends=True)
    i = next(k for k in range(start, len(lines)) if lines[k].strip().startswith("params:"))
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    lines[i] = f"{indent}params: {{threshhold: 0.2}}\n"
    broken = "".join(lines)
    path = tmp_path / f"{BASE}.yaml"
    path.write_text(broken, encoding="utf-8")
    problems, _ = _problems(path)
    hits = [p for p in problems if p.field == "mechanisms.m16.params.threshhold"]
    assert hits and "threshold" in hits[0].message and hits[0].line == i + 1


def test_article_file_must_be_a_source_id(tmp_path: Path) -> None:
    text = _base_text()
    broken = _replace_once(text, 'file: "002"', 'file: "abc"')
    path = tmp_path / f"{BASE}.yaml"
    path.write_text(broken, encoding="utf-8")
    problems, _ = _problems(path)
    assert any(p.field == "article.file" and "source file id" in p.message for p in problems)


def test_a_normal_prior_needs_its_mean_inside_the_bounds(tmp_path: Path) -> None:
    text = (PERSPECTIVES / "deyermond-2024.yaml").read_text(encoding="utf-8")
    assert "dist: normal" in text
    lines = text.splitlines(keepends=True)
    i = next(k for k, line in enumerate(lines) if "dist: normal" in line)
    j = next(k for k in range(i, len(lines)) if lines[k].strip().startswith("mean:"))
    indent = lines[j][: len(lines[j]) - len(lines[j].lstrip())]
    lines[j] = f"{indent}mean: 999.0\n"
    path = tmp_path / "deyermond-2024.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    problems, _ = _problems(path)
    hits = [p for p in problems if p.field.endswith(".mean")]
    assert hits and "[low, high]" in hits[0].message and hits[0].line == j + 1


def test_null_claim_needs_a_margin_and_its_reason(tmp_path: Path) -> None:
    text = (PERSPECTIVES / "valdai-2011.yaml").read_text(encoding="utf-8")
    start = text.index("    margin: 0.1\n")
    end = text.index("\n", text.index("    margin_why:")) + 1
    broken = text[:start] + text[end:]
    path = tmp_path / "valdai-2011.yaml"
    path.write_text(broken, encoding="utf-8")
    index = [c.id for c in _load("valdai-2011").claims].index("valdai-no-trust-precondition")
    line = _line_of(broken, "  - id: valdai-no-trust-precondition")
    problems, _ = _problems(path)
    fields = {p.field: p for p in problems}
    assert "needs an equivalence margin" in fields[f"claims.{index}.margin"].message
    assert "justification" in fields[f"claims.{index}.margin_why"].message
    assert fields[f"claims.{index}.margin"].line is not None
    assert fields[f"claims.{index}.margin"].line >= line


def test_margin_only_on_a_null_claim(tmp_path: Path) -> None:
    text = (PERSPECTIVES / "valdai-2011.yaml").read_text(encoding="utf-8")
    broken = _replace_once(text, '    direction: "0"\n', '    direction: "-"\n')
    path = tmp_path / "valdai-2011.yaml"
    path.write_text(broken, encoding="utf-8")
    index = [c.id for c in _load("valdai-2011").claims].index("valdai-no-trust-precondition")
    _assert_problem(
        path, _line_of(broken, "    margin: 0.1"), f"claims.{index}.margin", "only a null claim"
    )
