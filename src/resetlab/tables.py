"""Writing tables to files: CSV, JSON or Parquet, by ``--format`` or by the file's suffix.

Writes go to a temporary file beside the target that is renamed over it at the end, so an
interrupted write never leaves a half-written file. No path, or ``-``, writes the table to
standard output (CSV unless ``--format json``; Parquet needs a file).
"""

from __future__ import annotations

import os
import sys
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


#: The ``-o`` value that means standard output.
STDOUT = "-"


def to_stdout(path: Path | str | None) -> bool:
    """Whether ``path`` means standard output (none given, or ``-``)."""
    return path is None or str(path) == STDOUT


def where(path: Path | str | None) -> str:
    """``path`` in words for a message (``standard output`` for :func:`to_stdout`)."""
    return "standard output" if to_stdout(path) else str(path)


def write_table(df: pd.DataFrame, path: Path | str | None, fmt: str | None = None) -> Path | None:
    """Write ``df`` atomically as CSV, JSON (records) or Parquet; return the path.

    No ``path`` or ``-``: write CSV or JSON to standard output and return None.
    """
    if to_stdout(path):
        chosen = (fmt or "csv").lower()
        if chosen not in ("csv", "json"):
            raise InputError(
                f"cannot write {chosen} to standard output; use --format csv or json, "
                "or -o with a file"
            )
        text = (
            df.to_csv(index=False)
            if chosen == "csv"
            else df.to_json(orient="records", indent=1, date_format="iso") + "\n"
        )
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    assert path is not None
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
