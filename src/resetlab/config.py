"""Where resetlab keeps its files: ``RESETLAB_HOME`` (default ``~/.resetlab``)."""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """The resetlab home folder, created if needed (``$RESETLAB_HOME`` or ``~/.resetlab``)."""
    path = Path(os.environ.get("RESETLAB_HOME") or Path.home() / ".resetlab").expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_store_path() -> Path:
    """The embedded DuckDB file used when no path is given."""
    return home() / "record.duckdb"


def data_dir() -> Path:
    """The package's built-in data folder (readable CSV files)."""
    return Path(__file__).parent / "data"
