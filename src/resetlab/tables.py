"""Writing tables to files: CSV, JSON or Parquet, by ``--format`` or by the file's suffix.

Writes go to a temporary file beside the target that is renamed over it at the end, so an
interrupted write never leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from resetlab.exceptions import InputError

FORMATS = ("csv", "json", "parquet")


def format_for(path: Path, fmt: str | None) -> str:
    """The format to write: ``fmt`` if given, else from the suffix; error lists valid ones."""
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen == "jsonl":
        chosen = "json"
    if chosen not in FORMATS:
        raise InputError(
            f"cannot tell the format of {path} ({chosen or 'no suffix'}); "
            f"use --format with one of: {', '.join(FORMATS)}"
        )
    return chosen


def write_table(df: pd.DataFrame, path: Path | str, fmt: str | None = None) -> Path:
    """Write ``df`` atomically as CSV, JSON (records) or Parquet; return the path."""
    path = Path(path)
    chosen = format_for(path, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        if chosen == "csv":
            df.to_csv(tmp, index=False)
        elif chosen == "json":
            df.to_json(tmp, orient="records", indent=1, date_format="iso")
        else:
            df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
