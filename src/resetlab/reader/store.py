"""The reader's tables in the embedded DuckDB store (created here when missing).

``reader_articles`` keeps every article read with its MinHash signature, so later reads
can recognise copies; ``reader_events`` keeps candidate events, their review status and
how each was coded (``coded_by`` ``rules`` or ``example``, with the nearest labelled
``example`` and its cosine ``example_similarity`` for the latter); ``reader_claims`` keeps
the claims. A store made before a column existed gains it on opening (NULL in the rows
already stored: how those events were coded was not kept), so nothing stored is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from resetlab.exceptions import StoreError

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS reader_articles (
        id VARCHAR PRIMARY KEY, file VARCHAR, title VARCHAR, outlet VARCHAR,
        author VARCHAR, published VARCHAR, stance VARCHAR, spun BOOLEAN,
        duplicate_of VARCHAR, duplicate_of_id VARCHAR, signature UBIGINT[],
        text VARCHAR, read_at TIMESTAMP DEFAULT current_timestamp)""",
    """CREATE TABLE IF NOT EXISTS reader_events (
        id VARCHAR PRIMARY KEY, article_id VARCHAR, file VARCHAR, date VARCHAR,
        precision VARCHAR, actor VARCHAR, target VARCHAR, plover VARCHAR, cameo VARCHAR,
        goldstein DOUBLE, sentence VARCHAR, confidence DOUBLE, record_id VARCHAR,
        status VARCHAR, source_title VARCHAR, source_publication VARCHAR,
        source_date VARCHAR, reviewed_at TIMESTAMP, coded_by VARCHAR, example VARCHAR,
        example_similarity DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS reader_claims (
        article_id VARCHAR, mechanism VARCHAR, asserts BOOLEAN, sentence VARCHAR,
        confidence DOUBLE)""",
)

#: Columns added after the first stores were written, added to an older store on opening.
MIGRATIONS = (
    "ALTER TABLE reader_events ADD COLUMN IF NOT EXISTS coded_by VARCHAR",
    "ALTER TABLE reader_events ADD COLUMN IF NOT EXISTS example VARCHAR",
    "ALTER TABLE reader_events ADD COLUMN IF NOT EXISTS example_similarity DOUBLE",
)

#: Review states of a candidate event.
STATUSES = ("pending", "accepted", "rejected", "matched", "duplicate")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the reader's tables if they are missing and add the columns an older store
    lacks."""
    for stmt in (*SCHEMA, *MIGRATIONS):
        con.execute(stmt)


def connect(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """The store's connection (``RESETLAB_HOME`` by default) with the reader's tables.

    The record's own tables are left as they are (``build=False``): building them is the
    record commands' job, and reading an article should not wait on it.
    """
    from resetlab.record.store import Store

    try:
        con = Store.open(path, build=False).con
    except duckdb.Error as exc:
        raise StoreError(f"cannot open the store at {path or 'the default path'}: {exc}") from exc
    ensure_schema(con)
    return con


def rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    """Query results as a list of dicts."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
