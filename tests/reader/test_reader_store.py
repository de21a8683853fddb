"""The store keeps how each candidate event was coded, and an older store keeps its rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from resetlab.reader import ReaderOptions, read_texts
from resetlab.reader.event_examples import default_bank
from resetlab.reader.review import candidates
from resetlab.reader.store import connect, ensure_schema, rows

#: A sentence no verb pattern codes, close to a PLOVER gold-standard example (as in the
#: nearest-example tests), and one a verb pattern codes.
TEXT = (
    "Address: https://example.org/a\n\n"
    "Washington and Moscow upgraded their diplomatic ties to ambassadorial level on March 3, "
    "2011.\n\n"
    "On March 4, 2011, the United States imposed sanctions on Russia over the dispute.\n"
)

#: The reader_events table as the store wrote it before these columns were kept.
OLD_EVENTS = """CREATE TABLE reader_events (
    id VARCHAR PRIMARY KEY, article_id VARCHAR, file VARCHAR, date VARCHAR,
    precision VARCHAR, actor VARCHAR, target VARCHAR, plover VARCHAR, cameo VARCHAR,
    goldstein DOUBLE, sentence VARCHAR, confidence DOUBLE, record_id VARCHAR,
    status VARCHAR, source_title VARCHAR, source_publication VARCHAR,
    source_date VARCHAR, reviewed_at TIMESTAMP)"""


def _read(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    opts = ReaderOptions(embeddings="off")
    (art,) = read_texts([("a.txt", TEXT)], con, pd.DataFrame(), opts)["articles"]
    return list(art["events"])


def test_the_store_keeps_coded_by_and_the_example_as_the_output_gives_them(
    con: duckdb.DuckDBPyConnection,
) -> None:
    out = _read(con)
    assert {e["coded_by"] for e in out} == {"rules", "example"}
    stored = {r["id"]: r for r in candidates(con, None)}
    assert set(stored) == {e["id"] for e in out}
    for e in out:
        row = stored[e["id"]]
        assert (row["coded_by"], row["example"]) == (e["coded_by"], e["example"])
        assert row["example_similarity"] == e["example_similarity"]
        if e["coded_by"] == "rules":
            assert row["example"] is None and row["example_similarity"] is None
        else:
            assert row["example"] in {r[1] for r in default_bank().rows}
            assert float(row["example_similarity"]) > 0  # type: ignore[arg-type]


def test_an_older_store_gains_the_columns_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as old:
        old.execute(OLD_EVENTS)
        old.execute(
            "INSERT INTO reader_events VALUES ('read-x-000-0', 'x', 'x.txt', '2009-03-06', "
            "'day', 'USA', 'RUS', 'AGREE', '057', 4.0, 'They agreed.', 0.5, NULL, "
            "'accepted', 'T', 'P', '2009-03-07', current_timestamp)"
        )
    con = connect(path)
    try:
        ensure_schema(con)  # a second opening changes nothing
        (row,) = rows(con, "SELECT * FROM reader_events")
        assert row["status"] == "accepted" and row["sentence"] == "They agreed."
        assert row["reviewed_at"] is not None
        assert (row["coded_by"], row["example"], row["example_similarity"]) == (None, None, None)
        out = _read(con)  # new reads store the coding beside the old row
        stored = {r["id"]: r for r in candidates(con, None)}
        assert stored["read-x-000-0"]["status"] == "accepted"
        assert {stored[e["id"]]["coded_by"] for e in out} == {"rules", "example"}
    finally:
        con.close()
