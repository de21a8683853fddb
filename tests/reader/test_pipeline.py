import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import typer
import yaml
from typer.testing import CliRunner

from resetlab.exceptions import MissingExtraError, RecordError
from resetlab.reader import ReaderOptions, read_texts
from resetlab.reader.evaluate import synonym_swap
from resetlab.reader.perspective import draft_perspective
from resetlab.reader.review import candidates, export_accepted, set_status
from resetlab.record.builtin import cameo_weights, read_csv_rows
from resetlab.record.schema import check_event_row

ARTICLE = """U.S. and Russia Agree on Arms Talks

By Jane Doe

The foreign policy of the United States has long been shaped by the Cold War. The New START
Treaty, which entered into force on February 5, 2011, gave both sides information and stability.
Abandoning Open Skies will breed further suspicions on each side. Trust is the product of
efforts to resolve practical differences, not a precondition for cooperation. Washington and
Moscow should restore cooperation, and there are abundant reasons to do so. A second reset is
worth trying because the way forward is clear and greater cooperation would benefit both.
"""

KEYS = {"file", "title", "outlet", "published", "stance", "stance_sentences", "spun",
        "spun_phrases", "duplicate_of", "events", "claims"}  # fmt: skip
EVENT_KEYS = {"date", "precision", "actor", "target", "plover", "goldstein", "sentence",
              "confidence", "record_id"}  # fmt: skip

RULES = ReaderOptions(embeddings="off")


def test_output_shape(con: duckdb.DuckDBPyConnection, no_record: pd.DataFrame) -> None:
    (a,) = read_texts([("a.txt", ARTICLE)], con, no_record, RULES)["articles"]
    assert KEYS <= set(a)
    assert a["title"] == "U.S. and Russia Agree on Arms Talks"
    assert a["stance"] == "pro" and not a["spun"] and a["duplicate_of"] is None
    (e,) = a["events"]
    assert EVENT_KEYS <= set(e)
    assert (e["date"], e["actor"], e["target"], e["record_id"]) == (
        "2011-02-05",
        "USA",
        "RUS",
        None,
    )
    mechs = {(c["mechanism"], c["asserts"]) for c in a["claims"]}
    assert {("m4", True), ("m12", True), ("m16", False)} <= mechs
    json.dumps(a)


def test_spun_copy_is_linked_and_not_counted_twice(
    con: duckdb.DuckDBPyConnection, no_record: pd.DataFrame
) -> None:
    spun = synonym_swap(ARTICLE, seed=4)
    first, copy = read_texts([("a.txt", ARTICLE), ("b.txt", spun)], con, no_record, RULES)[
        "articles"
    ]
    assert copy["spun"] and copy["duplicate_of"] == "a.txt"
    assert {p["original"] for p in copy["spun_phrases"]} >= {"Cold War", "foreign policy"}
    assert [e["status"] for e in copy["events"]] == ["duplicate"]
    assert [e["status"] for e in first["events"]] == ["pending"]
    assert len(candidates(con)) == 1
    # reading the same file again is not a duplicate of itself
    (again,) = read_texts([("a.txt", ARTICLE)], con, no_record, RULES)["articles"]
    assert again["duplicate_of"] is None
    n = con.execute("SELECT count(*) FROM reader_articles").fetchone()
    assert n is not None and n[0] == 2


def test_record_match_sets_record_id(con: duckdb.DuckDBPyConnection) -> None:
    record = pd.DataFrame(
        [{"id": "newstart-2011", "date": "2011-02", "precision": "month", "actor": "USA",
          "target": "RUS", "plover": "SUPPORT", "summary": "New START treaty entered into force"}]
    )  # fmt: skip
    (a,) = read_texts([("a.txt", ARTICLE)], con, record, RULES)["articles"]
    assert a["events"][0]["record_id"] == "newstart-2011"
    assert a["events"][0]["status"] == "matched"


def test_review_accept_reject_export(
    con: duckdb.DuckDBPyConnection, no_record: pd.DataFrame, tmp_path: Path
) -> None:
    read_texts([("a.txt", ARTICLE)], con, no_record, RULES)
    (ev,) = candidates(con)
    with pytest.raises(RecordError, match="nope"):
        set_status(con, ["nope"], "accepted")
    set_status(con, [ev["id"]], "accepted")
    assert candidates(con) == [] and len(candidates(con, "accepted")) == 1
    out = tmp_path / "accepted.csv"
    assert export_accepted(con, out) == 1
    ((line, row),) = list(read_csv_rows(out))
    assert check_event_row(row, str(out), line, cameo_weights()) == []
    assert row["source_title"] == "U.S. and Russia Agree on Arms Talks"
    # re-reading keeps the review decision
    read_texts([("a.txt", ARTICLE)], con, no_record, RULES)
    assert len(candidates(con, "accepted")) == 1


def test_draft_perspective_validates(
    con: duckdb.DuckDBPyConnection, no_record: pd.DataFrame, tmp_path: Path
) -> None:
    from resetlab.model.spec import load_perspective
    from resetlab.reader.perspective import write_perspective

    arts = read_texts([("007_x.txt", ARTICLE)], con, no_record, RULES)["articles"]
    p = draft_perspective(arts)
    assert list(p["mechanisms"]) == [f"m{i}" for i in range(1, 22)]
    assert p["mechanisms"]["m4"]["enabled"] is True
    assert p["mechanisms"]["m4"]["source"]["file"] == "007"
    assert "Trust is the product" in p["mechanisms"]["m4"]["source"]["quote"]
    assert p["mechanisms"]["m16"]["enabled"] is False
    assert p["mechanisms"]["m1"]["source"] is None and p["mechanisms"]["m1"]["why"]
    path = tmp_path / "draft-007.yaml"
    write_perspective(p, path)
    model = load_perspective(path)  # raises with every problem if it does not validate
    assert model.mechanisms["m4"].enabled and model.name == "draft-007"
    # a file without an article id cannot be cited: its claims go into the reasons
    other = read_texts([("notes.md", ARTICLE)], None, no_record, RULES)["articles"]
    q = draft_perspective(other)
    assert not any(m["enabled"] for m in q["mechanisms"].values())
    assert "Trust is the product" in q["mechanisms"]["m4"]["why"]
    write_perspective(q, tmp_path / "notes.yaml")
    load_perspective(tmp_path / "notes.yaml")


def test_embeddings_forced_off_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from resetlab.reader import embed

    monkeypatch.setattr(embed, "available", lambda: False)
    assert embed.load_embedder("auto") is None
    with pytest.raises(MissingExtraError, match="reader"):
        embed.load_embedder("on")
    (a,) = read_texts([("a.txt", ARTICLE)], None, pd.DataFrame(), ReaderOptions())["articles"]
    assert a["embeddings"] is None and a["claims"]


def test_cli_read_and_review(tmp_path: Path) -> None:
    from resetlab.reader.cli import register

    app = typer.Typer()
    register(app)
    runner = CliRunner()
    art = tmp_path / "a.md"
    art.write_text(ARTICLE, encoding="utf-8")
    store = tmp_path / "store.duckdb"
    out = tmp_path / "out.json"
    args = ["read", str(art), "--store", str(store), "--embeddings", "off", "--no-record"]
    res = runner.invoke(app, [*args, "-o", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert doc["articles"][0]["events"][0]["date"] == "2011-02-05"
    res = runner.invoke(app, ["review", "--store", str(store)])
    assert res.exit_code == 0 and "2011-02-05" in res.output
    ev_id = doc["articles"][0]["events"][0]["id"]
    res = runner.invoke(app, ["review", "--store", str(store), "--reject", ev_id])
    assert res.exit_code == 0 and "rejected 1" in res.output
    yml = tmp_path / "p.yaml"
    res = runner.invoke(app, [*args, "--draft-perspective", "-o", str(yml)])
    assert res.exit_code == 0, res.output
    drafted = yaml.safe_load(yml.read_text())
    assert drafted["name"] == "p" and "Trust is the product" in drafted["mechanisms"]["m4"]["why"]
    from resetlab.model.spec import load_perspective

    load_perspective(yml)
    res = runner.invoke(app, ["read", str(tmp_path / "missing.txt"), "--no-store"])
    assert res.exit_code == 2 and "no such file" in res.output
    res = runner.invoke(app, [*args, "--published", "soon"])
    assert res.exit_code == 2 and "not a date" in res.output


def test_the_reader_names_mechanisms_by_the_model_keys() -> None:
    from resetlab.model.mechanisms import MECHANISMS
    from resetlab.reader.claims import MECHANISM_IDS

    assert MECHANISM_IDS == tuple(MECHANISMS)
