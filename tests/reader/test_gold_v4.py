"""The v4 gold set: the fresh test set, its files and labels, and its separation from v2 and v3."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from resetlab.model.mechanisms import MECHANISMS

GOLD = Path(__file__).resolve().parents[1] / "gold"
DOC = yaml.safe_load((GOLD / "reader_gold_v4.yaml").read_text(encoding="utf-8"))
EARLIER = {
    name: yaml.safe_load((GOLD / name).read_text(encoding="utf-8"))
    for name in ("reader_gold_v2.yaml", "reader_gold_v3.yaml")
}
ARTICLES = DOC["articles"]


def _text(name: str) -> str:
    return (GOLD / "articles" / name).read_text(encoding="utf-8")


def _address(name: str) -> str | None:
    m = re.search(r"^Address: (\S+)", _text(name), re.M)
    return m.group(1) if m else None


def _earlier_files() -> set[str]:
    return {a["file"] for doc in EARLIER.values() for a in doc["articles"]}


def test_twenty_to_twenty_five_articles_all_in_the_test_half() -> None:
    names = [a["file"] for a in ARTICLES]
    assert 20 <= len(names) <= 25
    assert len(set(names)) == len(names)
    assert DOC["split"]["test"] == names
    assert DOC["split"]["development"] == []


def test_no_v4_article_is_a_v2_or_v3_article() -> None:
    """Neither the same file nor the same address."""
    earlier = _earlier_files()
    assert not earlier & {a["file"] for a in ARTICLES}
    earlier_addr = {_address(f) for f in earlier} - {None}
    for a in ARTICLES:
        assert _address(a["file"]) not in earlier_addr, a["file"]


def test_spread_over_years_and_kinds() -> None:
    years = [int(str(a["published"])[:4]) for a in ARTICLES]
    assert min(years) <= 1965 and max(years) >= 2025
    assert sum(1 for y in years if y >= 2022) >= 5
    assert {a["kind"] for a in ARTICLES} == {"news", "analysis", "opinion"}


@pytest.mark.parametrize("art", ARTICLES, ids=lambda a: a["file"])
def test_labels_are_well_formed_and_quotes_occur(art: dict) -> None:
    text = _text(art["file"])
    assert "Address: " in text
    assert art["stance"] in ("pro", "anti", "mixed", "neutral")
    assert art["kind"] in ("news", "analysis", "opinion")
    assert art["published_from"] in ("line", "address", "dateline", "text", "outside")
    assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", str(art["published"]))
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

    doc = load_gold_v2(GOLD / "reader_gold_v4.yaml")
    assert len(doc["articles"]) == len(ARTICLES)


def test_the_guidelines_are_the_v3_ones() -> None:
    """The labelling guidelines in the header are copied unchanged from v3."""

    def guidelines(name: str) -> str:
        text = (GOLD / name).read_text(encoding="utf-8")
        return text[text.index("# --- v2 guidelines") : text.index("\nsplit:")]

    assert guidelines("reader_gold_v4.yaml") == guidelines("reader_gold_v3.yaml")


def _shingles(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", text.lower())
    return {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def test_no_v4_text_copies_a_v2_or_v3_text() -> None:
    earlier = [_shingles(_text(f)) for f in sorted(_earlier_files())]
    for a in ARTICLES:
        mine = _shingles(_text(a["file"]))
        for other in earlier:
            assert _overlap(mine, other) < 0.3, a["file"]


def test_the_copy_check_catches_a_copy() -> None:
    """The overlap measure flags a v2 text stored again under another name."""
    first = sorted(_earlier_files())[0]
    text = _shingles(_text(first))
    assert _overlap(text, _shingles("Title: x\n\n" + _text(first))) >= 0.3
    assert _overlap(text, _shingles(_text(ARTICLES[0]["file"]))) < 0.3
