"""Spun copies found by word frequency (no phrase list), linked to their originals.

The spinner here is written for this test and shares no table with the reader: it swaps
common words for rarer synonyms, each with a seeded probability. Its copies are made from
originals of the gold set's test half, which played no part in setting the reader's rules.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from resetlab.reader.pipeline import ReaderOptions, read_texts

pytest.importorskip("wordfreq")

GOLD = Path(__file__).resolve().parents[1] / "gold"

#: Common word -> rarer synonym, the way article spinners rewrite text.
SYNONYMS: dict[str, str] = {
    "foreign": "overseas", "policy": "coverage", "relations": "ties", "said": "acknowledged",
    "talks": "parleys", "meeting": "assembly", "leaders": "chieftains", "country": "nation",
    "countries": "nations", "new": "novel", "first": "initial", "war": "warfare",
    "agreed": "concurred", "officials": "functionaries", "president": "premier",
    "government": "authorities", "security": "safety", "support": "backing",
    "important": "momentous", "major": "paramount", "help": "assist", "nuclear": "atomic",
    "treaty": "covenant", "week": "sennight", "year": "twelvemonth", "told": "apprised",
    "began": "commenced", "end": "terminus", "people": "populace", "world": "globe",
    "state": "polity", "power": "puissance", "decision": "determination", "news": "tidings",
    "statement": "pronouncement", "plan": "scheme", "plans": "schemes", "still": "nonetheless",
    "also": "likewise", "but": "nevertheless", "more": "additional", "made": "fashioned",
    "called": "termed", "military": "martial", "against": "versus", "between": "amid",
    "cooperation": "collaboration", "relationship": "rapport", "issues": "matters",
}  # fmt: skip


def spin(text: str, seed: int, rate: float = 0.7) -> str:
    """A spun copy of ``text``: each listed word swapped with probability ``rate``."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        new = SYNONYMS.get(word.lower())
        if new is None or rng.random() >= rate:
            return word
        return new[:1].upper() + new[1:] if word[:1].isupper() else new

    head, _, body = text.partition("\n\n")  # keep the Title:/Address: lines as they are
    return head + "\n\n" + re.sub(r"[A-Za-z]+", swap, body)


def _originals() -> list[tuple[str, str]]:
    doc = yaml.safe_load((GOLD / "reader_gold_v2.yaml").read_text(encoding="utf-8"))
    names = [n for n in doc["split"]["test"]]
    texts = [(n, (GOLD / "articles" / n).read_text(encoding="utf-8")) for n in names]
    return [(n, t) for n, t in texts if len(t) > 900][:12]


def test_spun_copies_are_flagged_and_linked_and_originals_are_not() -> None:
    originals = _originals()
    assert len(originals) == 12
    opts = ReaderOptions(embeddings="off", seed=0)
    seeds = np.random.SeedSequence(14).spawn(len(originals))
    with duckdb.connect(":memory:") as con:
        first = read_texts(originals, con, pd.DataFrame(), opts)["articles"]
    false_flags = sum(1 for a in first if a["spun"] or a["duplicate_of"])
    flagged = linked = 0
    for (name, text), ss in zip(originals, seeds, strict=True):
        copy = spin(text, int(ss.generate_state(1)[0]))
        assert copy != text
        with duckdb.connect(":memory:") as con:
            read_texts(originals, con, pd.DataFrame(), opts)
            (a,) = read_texts([(f"spun-{name}", copy)], con, pd.DataFrame(), opts)["articles"]
        flagged += a["spun"]
        linked += a["duplicate_of"] == name
        assert all(e["status"] == "duplicate" for e in a["events"])  # never counted twice
    assert false_flags <= 1  # at most 1 in 12 originals
    assert flagged / len(originals) >= 0.8
    assert linked / len(originals) >= 0.8
