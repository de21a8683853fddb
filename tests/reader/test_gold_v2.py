"""The v2 gold set itself: its files, its labels and its seeded split."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from resetlab.model.mechanisms import MECHANISMS

GOLD = Path(__file__).resolve().parents[1] / "gold"
DOC = yaml.safe_load((GOLD / "reader_gold_v2.yaml").read_text(encoding="utf-8"))
ARTICLES = DOC["articles"]


def test_at_least_forty_articles_each_with_a_file() -> None:
    assert len(ARTICLES) >= 40
    for a in ARTICLES:
        assert (GOLD / "articles" / a["file"]).is_file(), a["file"]


@pytest.mark.parametrize("art", ARTICLES, ids=lambda a: a["file"])
def test_labels_are_well_formed_and_quotes_occur(art: dict) -> None:
    text = (GOLD / "articles" / art["file"]).read_text(encoding="utf-8")
    assert "Address: " in text
    assert art["stance"] in ("pro", "anti", "mixed", "neutral")
    assert art["kind"] in ("news", "analysis", "opinion")
    for ev in art["events"]:
        assert ev["sign"] in ("+", "-")
        assert ev["quote"] in text, ev["quote"]
        # no gold event after publication
        assert str(ev["month"]) <= str(art["published"])[: len(str(ev["month"]))]
    for cl in art["claims"]:
        mech = cl["mechanism"]
        assert mech == "other" or mech in MECHANISMS
        assert cl["quote"] in text, cl["quote"]


def test_split_is_the_seeded_draw_written_in_the_file() -> None:
    names = sorted(a["file"] for a in ARTICLES)
    perm = [str(x) for x in np.random.default_rng(DOC["split"]["seed"]).permutation(names)]
    half = len(names) // 2
    assert DOC["split"]["development"] == perm[:half]
    assert DOC["split"]["test"] == perm[half:]
    assert not set(DOC["split"]["development"]) & set(DOC["split"]["test"])


def test_no_gold_article_is_a_seed() -> None:
    seeds = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("seed articles not present")
    seed_text = {p.read_text(encoding="utf-8")[:300] for p in seeds.iterdir() if p.is_file()}
    for a in ARTICLES:
        assert (GOLD / "articles" / a["file"]).read_text(encoding="utf-8")[:300] not in seed_text
