"""Spun copies found by word frequency (no phrase list), linked to their originals.

The spinner (:func:`resetlab.reader.goldset.spin`) was written for this test and shares no
table with the reader: it swaps common words for rarer synonyms with a seeded probability.
Its copies are made from originals of the gold set's test half, which played no part in
setting the reader's rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from resetlab.reader.goldset import evaluate_spin, spin

pytest.importorskip("wordfreq")

GOLD = Path(__file__).resolve().parents[1] / "gold" / "reader_gold_v2.yaml"


def test_spinner_is_deterministic_and_keeps_the_header() -> None:
    text = "Title: Foreign policy\n\nThe foreign policy talks began this week."
    assert spin(text, 3) == spin(text, 3)
    assert spin(text, 3, rate=1.0).startswith("Title: Foreign policy\n\n")
    assert "overseas coverage parleys commenced" in spin(text, 3, rate=1.0)


@pytest.mark.slow
def test_spun_copies_are_flagged_and_linked_and_originals_are_not() -> None:
    r = evaluate_spin(GOLD, "test", n=12, seed=14)
    assert r["copies"] == 12 and r["originals"] == 12
    assert r["false_flags"][0] <= 1  # at most 1 in 12 originals
    assert r["flagged"][0] / r["copies"] >= 0.8
    assert r["linked"][0] / r["copies"] >= 0.8
    assert r["events_counted_twice"] == 0  # a copy's events are marked duplicate
