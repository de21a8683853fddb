"""Nearest-example event coding: the example table is what its sources say, a sentence no
verb pattern codes takes its nearest example's type, far sentences and an article's own
examples do not count."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pandas as pd
import pytest
import yaml

from resetlab.reader.event_example_rows import ROWS
from resetlab.reader.event_examples import (
    THRESHOLD,
    ExampleBank,
    choose_threshold,
    code_by_example,
    content_text,
    default_bank,
)
from resetlab.reader.events import code_sentence, extract_events
from resetlab.reader.pipeline import ReaderOptions, read_texts
from resetlab.reader.text import sentences_of
from resetlab.record.builtin import cameo_table
from scriptload import load_script

REPO = Path(__file__).resolve().parents[2]
GSR = REPO.parent / "shared" / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"
GOLD_V2 = REPO / "tests" / "gold" / "reader_gold_v2.yaml"
GOLD_V3 = REPO / "tests" / "gold" / "reader_gold_v3.yaml"
GOLD_V4 = REPO / "tests" / "gold" / "reader_gold_v4.yaml"
needs_gsr = pytest.mark.skipif(not GSR.is_file(), reason="PLOVER gold standard not present")


def _script() -> ModuleType:
    return load_script("derive_event_examples")


@needs_gsr
def test_table_is_what_the_script_derives() -> None:
    assert list(ROWS) == _script().derive(GSR, GOLD_V2, GOLD_V3)


def test_types_and_weights_come_from_the_cameo_table_and_v2_signs_from_the_gold() -> None:
    table = cameo_table().set_index("code")
    for _, _, cameo, plover, weight, _, _ in ROWS:
        assert table.loc[cameo, "plover"] == plover
        assert table.loc[cameo, "goldstein"] == weight
    for origin, path in (("v2", GOLD_V2), ("v3", GOLD_V3)):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        gold = [(a["file"], e["quote"], e["sign"]) for a in doc["articles"] for e in a["events"]]
        dev = [
            (ref, text, "+" if w > 0 else "-") for o, ref, _, _, w, _, text in ROWS if o == origin
        ]
        assert dev == gold
    # the test set's files are never examples
    test = yaml.safe_load(GOLD_V4.read_text(encoding="utf-8"))["split"]["test"]
    assert not {r[1] for r in ROWS} & set(test)


def test_a_gold_event_without_a_code_is_refused_with_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "gold.yaml"
    bad.write_text(
        yaml.safe_dump(
            {
                "articles": [
                    {
                        "file": "001.txt",
                        "events": [
                            {"month": "1991-07", "sign": "+", "quote": "an event nobody coded"}
                        ],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    mod = _script()
    with pytest.raises(SystemExit, match=r"gold\.yaml: 001\.txt events\[0\]"):
        mod.derive_v2(bad, mod._cameo())


def test_content_text_drops_the_sides_dates_and_stop_words() -> None:
    assert content_text("Obama and the Kremlin exchanged prisoners on July 9, 2010.") == (
        "exchanged prisoners"
    )


PLANTED = (
    "Washington and Moscow upgraded their diplomatic ties to ambassadorial level on March 3, 2011."
)


def test_a_sentence_no_pattern_knows_is_coded_like_its_nearest_example() -> None:
    assert code_sentence(PLANTED) is None  # no verb pattern or table verb codes it
    assert extract_events(sentences_of(PLANTED), None) == []
    (e,) = extract_events(sentences_of(PLANTED), None, THRESHOLD)
    assert e.coded_by == "example"
    assert e.example == "PLOVER-GSR01-SUPPORT-0001"  # "... upgraded their diplomatic ties ..."
    assert e.example_similarity is not None and e.example_similarity >= THRESHOLD
    assert (e.date, e.precision, e.actor, e.target) == ("2011-03-03", "day", "USA", "RUS")
    table = cameo_table().set_index("code")
    assert e.plover == table.loc[e.cameo, "plover"] == "SUPPORT"
    assert e.goldstein == table.loc[e.cameo, "goldstein"] > 0


def test_a_sentence_far_from_every_example_makes_no_event() -> None:
    far = "The weather in Moscow was mild on May 5, 2011, Washington residents recalled."
    assert code_sentence(far) is None
    assert code_by_example(far) is None
    assert extract_events(sentences_of(far), None, THRESHOLD) == []


def test_an_undated_or_year_only_sentence_is_not_coded_by_example() -> None:
    for text in (PLANTED.replace(" on March 3, 2011", ""), PLANTED.replace("March 3, ", "")):
        assert extract_events(sentences_of(text), None, THRESHOLD) == []


def _uncoded_v2_row() -> tuple[str, str]:
    file, quote = next(
        (r[1], r[6]) for r in ROWS if r[0] == "v2" and r[1] == "008.txt"
    )  # "Russia: NATO strikes hurting relations with U.S."
    assert code_sentence(quote) is None
    return file, quote


def test_an_article_never_meets_the_examples_labelled_in_it() -> None:
    file, quote = _uncoded_v2_row()
    text = f"Address: https://example.org/a\n\n{quote} on March 28, 1999.\n"
    opts = ReaderOptions(embeddings="off")

    def read(name: str) -> list[dict[str, object]]:
        with duckdb.connect(":memory:") as con:
            (art,) = read_texts([(name, text)], con, pd.DataFrame(), opts)["articles"]
        return [e for e in art["events"] if e["coded_by"] == "example"]

    (other,) = read("elsewhere.txt")
    assert other["example"] == f"v2:{file}" and other["example_similarity"] == 1.0
    assert other["plover"] == "ACCUSE" and float(other["goldstein"]) < 0  # type: ignore[arg-type]
    for name in (file, f"tests/gold/articles/{file}"):
        assert all(e["example"] != f"v2:{file}" for e in read(name))
    (m,) = default_bank().nearest([quote], exclude=file)
    assert m is not None and m.reference != file and m.similarity < 1.0


def test_turned_off_it_adds_nothing() -> None:
    opts = ReaderOptions(embeddings="off", event_example_threshold=None)
    with duckdb.connect(":memory:") as con:
        (art,) = read_texts([("p.txt", PLANTED)], con, pd.DataFrame(), opts)["articles"]
    assert art["events"] == []


def test_deterministic() -> None:
    texts = [PLANTED, "Russia and America exchanged jailed spies on July 9, 2010."]
    a = ExampleBank(ROWS).similarities(texts)
    b = ExampleBank(ROWS).similarities(texts)
    assert (a == b).all()
    first = extract_events(sentences_of(" ".join(texts)), None, THRESHOLD)
    assert first == extract_events(sentences_of(" ".join(texts)), None, THRESHOLD)


def test_bank_refuses_no_examples_and_threshold_rule() -> None:
    with pytest.raises(ValueError, match="at least one example"):
        ExampleBank([])
    base: dict[str, Any] = {
        "threshold": None,
        "recall": 0.5,
        "precision": 0.8,
        "coded": 0,
        "coded_right": 0,
    }
    rows: list[dict[str, Any]] = [
        base,
        {"threshold": 0.2, "recall": 0.5, "precision": 0.7, "coded": 9, "coded_right": 9},
        {"threshold": 0.3, "recall": 0.5, "precision": 0.8, "coded": 8, "coded_right": 6},
        {"threshold": 0.4, "recall": 0.5, "precision": 0.8, "coded": 5, "coded_right": 5},
    ]
    assert choose_threshold(rows) == 0.4
    with pytest.raises(ValueError, match="no threshold"):
        choose_threshold(rows[:3])
