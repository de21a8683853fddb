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


def shipped_folder(name: str) -> Path:
    """The folder ``name`` (``perspectives`` or ``scenarios``) shipped inside the package."""
    return Path(__file__).resolve().parent / name


def project_folder(name: str, near: Path | None = None) -> Path:
    """The one rule for finding a project folder (``perspectives``, ``scenarios``).

    With ``near`` (the folder of a scenario file, or of the scenarios): ``near/NAME`` or,
    failing that, ``NAME`` beside ``near``; without: ``./NAME``. Failing those, the folder of
    that name shipped inside the package (:func:`shipped_folder`), so that an installed wheel
    finds the built-in perspectives and scenarios. The first that exists; else the first
    candidate, so that an error names where the folder was expected.
    """
    local = [near / name, near.parent / name] if near is not None else [Path.cwd() / name]
    candidates = [*local, shipped_folder(name)]
    return next((c for c in candidates if c.is_dir()), candidates[0])
