"""The PLOVER verb table and sentence coding, checked against the PLOVER gold standard."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from resetlab.reader.events import code_sentence, plover_verbs
from resetlab.reader.plover_verbs import ROWS
from resetlab.record.builtin import cameo_weights
from scriptload import load_script

REPO = Path(__file__).resolve().parents[2]
GSR = REPO.parent / "shared" / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"
needs_gsr = pytest.mark.skipif(not GSR.is_file(), reason="PLOVER gold standard not present")


def _script() -> ModuleType:
    return load_script("derive_plover_verbs")


def test_every_code_has_a_goldstein_weight() -> None:
    weights = cameo_weights()
    assert ROWS and all(cameo in weights for _, _, _, cameo in ROWS)


@needs_gsr
def test_table_is_what_the_script_derives() -> None:
    mod = _script()
    rows = mod.derive(GSR)
    assert [(r["verb"], r["plover"], int(r["count"]), r["cameo"]) for r in rows] == list(ROWS)


@needs_gsr
def test_coding_agrees_with_the_gold_standard_sentences() -> None:
    records = [r for r in json.loads(GSR.read_text(encoding="utf-8")) if r["event"] != "DOCUMENT"]
    coded = [(r["event"], code_sentence(r["text"])) for r in records]
    given = [(gold, c[0]) for gold, c in coded if c is not None]
    right = sum(1 for gold, got in given if gold == got)
    # measured: 127 of 322 right, 183 coded; the verb table is small and the sentences
    # come from every kind of conflict, not only diplomacy
    assert right / len(records) >= 0.35
    assert right / len(given) >= 0.6


def test_hand_patterns_and_table_code_sentences() -> None:
    assert code_sentence("Obama ordered the expulsion of 35 Russian diplomats.") == (
        "COERCE",
        "166",
    )
    assert code_sentence("Bush and Putin signed the treaty in the Kremlin.")[1] == "057"  # type: ignore[index]
    assert code_sentence("The sky was blue over the lake.") is None
    assert "demanded" in plover_verbs()
