"""The v6 gold set: the fresh test set, its files and labels, and its separation from v2-v5."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from resetlab.model.mechanisms import MECHANISMS

GOLD = Path(__file__).resolve().parents[1] / "gold"
DOC = yaml.safe_load((GOLD / "reader_gold_v6.yaml").read_text(encoding="utf-8"))
EARLIER = {
    name: yaml.safe_load((GOLD / name).read_text(encoding="utf-8"))
    for name in (
        "reader_gold_v2.yaml",
        "reader_gold_v3.yaml",
        "reader_gold_v4.yaml",
        "reader_gold_v5.yaml",
    )
}
ARTICLES = DOC["articles"]


def _text(name: str) -> str:
    return (GOLD / "articles" / name).read_text(encoding="utf-8")


def _address(name: str) -> str | None:
    m = re.search(r"^Address: (\S+)", _text(name), re.M)
    return m.group(1) if m else None


def _earlier_files() -> set[str]:
    return {a["file"] for doc in EARLIER.values() for a in doc["articles"]}


def _year(art: dict) -> int:
    return int(str(art["published"])[:4])


def test_twenty_two_to_thirty_articles_all_in_the_test_half() -> None:
    names = [a["file"] for a in ARTICLES]
    assert 22 <= len(names) <= 30
    assert len(set(names)) == len(names)
    assert DOC["split"]["test"] == names
    assert DOC["split"]["development"] == []


def test_files_are_numbered_on_from_the_earlier_sets() -> None:
    """New files only: each number is above every v2-v5 file's."""
    last = max(int(f[:3]) for f in _earlier_files())
    assert all(re.fullmatch(r"\d{3}\.txt", a["file"]) for a in ARTICLES)
    assert min(int(a["file"][:3]) for a in ARTICLES) == last + 1


def test_no_v6_article_is_an_earlier_article() -> None:
    """Neither the same file nor the same address as a v2, v3, v4 or v5 article."""
    earlier = _earlier_files()
    assert not earlier & {a["file"] for a in ARTICLES}
    earlier_addr = {_address(f) for f in earlier} - {None}
    mine = [_address(a["file"]) for a in ARTICLES]
    assert None not in mine
    assert len(set(mine)) == len(mine)
    for a, addr in zip(ARTICLES, mine, strict=True):
        assert addr not in earlier_addr, a["file"]


def test_spread_over_years_kinds_and_stances() -> None:
    years = [_year(a) for a in ARTICLES]
    assert all(1985 <= y <= 2026 for y in years)
    assert sum(1 for y in years if y >= 2014) >= 6
    assert sum(1 for y in years if y < 2000) >= 5
    assert sum(1 for y in years if y < 1995) >= 4
    assert {a["kind"] for a in ARTICLES} == {"news", "analysis", "opinion"}
    assert {a["stance"] for a in ARTICLES} == {"pro", "anti", "mixed", "neutral"}


@pytest.mark.parametrize("art", ARTICLES, ids=lambda a: a["file"])
def test_labels_are_well_formed_and_quotes_occur(art: dict) -> None:
    text = _text(art["file"])
    assert "Address: " in text
    assert art["stance"] in ("pro", "anti", "mixed", "neutral")
    assert art["kind"] in ("news", "analysis", "opinion")
    assert art["published_from"] in ("line", "address", "dateline", "text", "outside")
    assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", str(art["published"]))
    if art["published_from"] == "line":
        assert re.search(r"^Published: ", text, re.M), art["file"]
    for ev in art["events"]:
        assert ev["sign"] in ("+", "-")
        assert re.fullmatch(r"\d{4}(-\d{2})?", str(ev["month"]))
        assert ev["quote"] in text, ev["quote"]
        assert str(ev["month"]) <= str(art["published"])[: len(str(ev["month"]))]
    for cl in art["claims"]:
        mech = cl["mechanism"]
        assert mech == "other" or mech in MECHANISMS
        assert cl["quote"] in text, cl["quote"]


def test_loads_through_the_gold_loader() -> None:
    from resetlab.reader.goldset import load_gold_v2

    doc = load_gold_v2(GOLD / "reader_gold_v6.yaml")
    assert len(doc["articles"]) == len(ARTICLES)


def test_the_guidelines_are_the_v4_ones() -> None:
    """The labelling guidelines in the header are copied unchanged from v4 (and v5)."""

    def guidelines(name: str) -> str:
        text = (GOLD / name).read_text(encoding="utf-8")
        return text[text.index("# --- v2 guidelines") : text.index("\nsplit:")]

    assert guidelines("reader_gold_v6.yaml") == guidelines("reader_gold_v4.yaml")


def _shingles(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", text.lower())
    return {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def test_no_v6_text_copies_an_earlier_text() -> None:
    earlier = [_shingles(_text(f)) for f in sorted(_earlier_files())]
    mine = [_shingles(_text(a["file"])) for a in ARTICLES]
    for a, shingles in zip(ARTICLES, mine, strict=True):
        for other in earlier:
            assert _overlap(shingles, other) < 0.3, a["file"]


def test_no_v6_text_copies_a_seed(seeds_dir: Path) -> None:
    """The seeds are the articles the reader was built on; none may come back as a test text."""
    seeds = [_shingles(p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))]
    assert seeds
    for a in ARTICLES:
        mine = _shingles(_text(a["file"]))
        for other in seeds:
            assert _overlap(mine, other) < 0.3, a["file"]


def test_no_two_v6_texts_copy_each_other() -> None:
    mine = [(a["file"], _shingles(_text(a["file"]))) for a in ARTICLES]
    for i, (name, shingles) in enumerate(mine):
        for other_name, other in mine[i + 1 :]:
            assert _overlap(shingles, other) < 0.3, (name, other_name)


def test_the_copy_check_catches_a_copy() -> None:
    """The overlap measure flags a v5 text stored again under another name."""
    first = sorted(EARLIER["reader_gold_v5.yaml"]["split"]["test"])[0]
    text = _shingles(_text(first))
    assert _overlap(text, _shingles("Title: x\n\n" + _text(first))) >= 0.3
    assert _overlap(text, _shingles(_text(ARTICLES[0]["file"]))) < 0.3
