"""Review candidate events: list them, accept or reject them, export accepted ones.

Accepted events keep the article they came from as their source, and export as an events
CSV in the record's columns (``date_checked`` false: a person should check the date).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import duckdb

from resetlab.exceptions import InputError, Problem, RecordError
from resetlab.reader.store import ensure_schema, rows


def candidates(
    con: duckdb.DuckDBPyConnection, status: str | None = "pending"
) -> list[dict[str, Any]]:
    """Candidate events, with ``status`` (None for all), in date order."""
    ensure_schema(con)
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    return rows(con, f"SELECT * FROM reader_events {where} ORDER BY date, id", params)


def set_status(con: duckdb.DuckDBPyConnection, ids: list[str], status: str) -> int:
    """Mark events accepted or rejected; raise RecordError listing ids that do not exist."""
    if status not in ("accepted", "rejected", "pending"):
        raise InputError(f"status must be accepted, rejected or pending, not {status!r}")
    ensure_schema(con)
    known = {r["id"] for r in rows(con, "SELECT id FROM reader_events")}
    missing = [i for i in ids if i not in known]
    if missing:
        raise RecordError(
            "unknown candidate event id(s)",
            [Problem("reader_events", None, "id", f"{i!r} not found") for i in missing],
        )
    for i in ids:
        con.execute(
            "UPDATE reader_events SET status = ?, reviewed_at = current_timestamp WHERE id = ?",
            [status, i],
        )
    return len(ids)


def _domain(sentence: str) -> str:
    if re.search(r"treaty|START|INF|arms control|nuclear|missile", sentence, re.I):
        return "arms_control"
    if re.search(r"military|troops|war|annex", sentence, re.I):
        return "military"
    return "diplomatic"


def export_accepted(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Write accepted events as an events CSV in the record's columns; return the count."""
    from resetlab.record.schema import EVENT_COLUMNS

    accepted = candidates(con, "accepted")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        fh.write("# Events accepted in `resetlab review` from articles read by `resetlab read`.\n")
        writer = csv.DictWriter(fh, fieldnames=list(EVENT_COLUMNS))
        writer.writeheader()
        for e in accepted:
            summary = " ".join(str(e["sentence"]).split())[:300]
            writer.writerow(
                {
                    "id": e["id"], "date": e["date"], "precision": e["precision"],
                    "actor": e["actor"], "target": e["target"], "plover": e["plover"],
                    "cameo": e["cameo"], "goldstein": e["goldstein"], "domain": _domain(summary),
                    "summary": summary,
                    "source_publication": e["source_publication"] or e["file"],
                    "source_title": e["source_title"] or e["file"],
                    "source_date": e["source_date"] or "", "date_checked": "false",
                }
            )  # fmt: skip
    return len(accepted)
