"""Writing events in the formats the project's own schema has: csv, json and parquet."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd

from resetlab.exceptions import ImportFormatError, InputError
from resetlab.record.importers.schema_rows import as_text
from resetlab.record.schema import EVENT_COLUMNS

#: Formats :func:`write_events` can write.
EXPORT_FORMATS: tuple[str, ...] = ("csv", "json", "parquet")


def write_events(df: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write the ``EVENT_COLUMNS`` of ``df`` as csv, json (a list, one object a line) or parquet.

    Values are written as strings; ``df`` is not modified.
    """
    if fmt not in EXPORT_FORMATS:
        raise ImportFormatError(
            f"cannot write {fmt!r}; export formats: {', '.join(EXPORT_FORMATS)}"
        )
    missing = [c for c in EVENT_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"frame lacks event columns: {', '.join(missing)}")
    records = [
        {c: as_text(v) for c, v in zip(EVENT_COLUMNS, values, strict=True)}
        for values in df[list(EVENT_COLUMNS)].itertuples(index=False, name=None)
    ]
    path = Path(path)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(EVENT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        path.write_text(buf.getvalue(), encoding="utf-8")
    elif fmt == "json":
        body = ",\n".join(json.dumps(rec, ensure_ascii=False) for rec in records)
        path.write_text(f"[\n{body}\n]\n" if records else "[]\n", encoding="utf-8")
    else:
        pd.DataFrame(records, columns=list(EVENT_COLUMNS), dtype="string").to_parquet(
            path, index=False
        )
