"""The v3 gold set: the fresh test set, its files and labels, and its separation from v2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from resetlab.model.mechanisms import MECHANISMS

GOLD = Path(__file__).resolve().parents[1] / "gold"
DOC = yaml.safe_load((GOLD / "reader_gold_v3.yaml").read_text(encoding="utf-8"))
V2 = yaml.safe_load((GOLD / "reader_gold_v2.yaml").read_text(encoding="utf-8"))
ARTICLES = DOC["articles"]


def _address(name: str) -> str | None:
    m = re.search(r"^Address: (\S+)", (GOLD / "articles" / name).read_text(encoding="utf-8"), re.M)
    return m.group(1) if m else None


def test_at_least_twenty_four_articles_all_in_the_test_half() -> None:
    names = [a["file"] for a in ARTICLES]
    assert len(names) >= 24
    assert len(set(names)) == len(names)
    assert DOC["split"]["test"] == names
    assert DOC["split"]["development"] == []


def test_no_v3_article_is_a_v2_article() -> None:
    """Neither the same file nor the same address nor, under another address, the same text."""
    v2_files = {a["file"] for a in V2["articles"]}
    v3_files = {a["file"] for a in ARTICLES}
    assert not v2_files & v3_files
    v2_addr = {_address(f) for f in v2_files} - {None}
    for f in v3_files:
        assert _address(f) not in v2_addr, f


def test_spread_over_years_and_kinds() -> None:
    years = {int(str(a["published"])[:4]) for a in ARTICLES}
    assert min(years) <= 1992 and max(years) >= 2023
    kinds = {a["kind"] for a in ARTICLES}
    assert kinds == {"news", "analysis", "opinion"}


@pytest.mark.parametrize("art", ARTICLES, ids=lambda a: a["file"])
def test_labels_are_well_formed_and_quotes_occur(art: dict) -> None:
    text = (GOLD / "articles" / art["file"]).read_text(encoding="utf-8")
    assert "Address: " in text
    assert art["stance"] in ("pro", "anti", "mixed", "neutral")
    assert art["kind"] in ("news", "analysis", "opinion")
    assert art["published_from"] in ("line", "address", "dateline", "text", "outside")
    for ev in art["events"]:
        assert ev["sign"] in ("+", "-")
        assert ev["quote"] in text, ev["quote"]
        assert str(ev["month"]) <= str(art["published"])[: len(str(ev["month"]))]
    for cl in art["claims"]:
        mech = cl["mechanism"]
        assert mech == "other" or mech in MECHANISMS
        assert cl["quote"] in text, cl["quote"]


def test_loads_through_the_gold_loader() -> None:
    from resetlab.reader.goldset import load_gold_v2

    doc = load_gold_v2(GOLD / "reader_gold_v3.yaml")
    assert len(doc["articles"]) == len(ARTICLES)


def _shingles(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", text.lower())
    return {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}


def test_no_v3_text_copies_a_v2_text() -> None:
    v2 = [
        _shingles((GOLD / "articles" / a["file"]).read_text(encoding="utf-8"))
        for a in V2["articles"]
    ]
    for a in ARTICLES:
        mine = _shingles((GOLD / "articles" / a["file"]).read_text(encoding="utf-8"))
        for other in v2:
            assert len(mine & other) / max(1, min(len(mine), len(other))) < 0.3, a["file"]
