"""Rows in the project's own schema (the csv, json and Parquet formats): header and values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from resetlab.exceptions import ImportFormatError, Problem
from resetlab.record.builtin import duplicated
from resetlab.record.importers.base import RowCollector
from resetlab.record.schema import EVENT_COLUMNS, REQUIRED_EVENT_FIELDS

#: Columns read and ignored: ``line``/``file`` of a checked frame, and the columns that
#: ``resetlab record export`` adds (derived from the others or from the store), so that an
#: export can be imported again.
EXPORT_ONLY_COLUMNS: tuple[str, ...] = ("source", "n_sources", "origin", "day")
IGNORED_COLUMNS = frozenset({"line", "file", *EXPORT_ONLY_COLUMNS})


class _NotText(ValueError):
    def __init__(self, field: str, value: Any) -> None:
        super().__init__(f"expected text, got {_kind(value)}")
        self.field = field


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__


def value_text(value: Any, fld: str) -> str:
    """A field's value as text: a string as it is, missing/NaN as ""; raise :class:`_NotText`
    for anything else, except a number for ``goldstein`` and true/false for ``date_checked``
    (how JSON and Parquet spell those two)."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float | np.floating) and value != value:  # NaN
        return ""
    if fld == "date_checked" and isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if (
        fld == "goldstein"
        and isinstance(value, int | float | np.integer | np.floating)
        and not isinstance(value, bool | np.bool_)
    ):
        return repr(float(value)) if isinstance(value, float | np.floating) else str(int(value))
    raise _NotText(fld, value)


def as_text(value: Any) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value)


def schema_row(r: RowCollector, line: int, row: Mapping[str, Any]) -> None:
    unknown = [k for k in row if k not in EVENT_COLUMNS and k not in IGNORED_COLUMNS]
    if unknown:
        r.bad(line, ",".join(map(str, unknown)), "unknown field (not an event column)")
        return
    values: dict[str, str] = {}
    ok = True
    for c in EVENT_COLUMNS:
        try:
            values[c] = value_text(row.get(c), c)
        except _NotText as exc:
            r.bad(line, exc.field, str(exc))
            ok = False
    if ok:
        r.keep(line, values)


def check_header(name: str, header: list[str]) -> None:
    """Refuse a header that names a column twice, lacks a required one or has an unknown one."""
    missing = [c for c in REQUIRED_EVENT_FIELDS if c not in header]
    unknown = [c for c in header if c not in EVENT_COLUMNS and c not in IGNORED_COLUMNS]
    problems = []
    twice = duplicated(header)
    if twice:
        problems.append(Problem(name, None, ",".join(twice), "column given twice in header"))
    if missing:
        problems.append(Problem(name, None, ",".join(missing), "column missing from header"))
    if unknown:
        problems.append(Problem(name, None, ",".join(unknown), "unknown column in header"))
    if problems:
        raise ImportFormatError(f"{name} is not an event CSV in the project's schema", problems)
