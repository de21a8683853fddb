"""U.S.-Russia arms-control and related agreements, their dated status events, and status by month.

Why: treaties in force give information and stability (mechanism M12); the index and the
model read :func:`treaty_status` / :func:`treaties_in_force` as an observed indicator.

Status by month is the state at the end of the month after applying every event dated in or
before it (an event known only to the month or year counts from that month or January):

- ``in_force`` and ``adopted`` put the agreement in force between the two states (1.0);
- ``suspended`` by one party leaves it in force but hollow (0.5); suspended by both, 0.0;
- ``withdrawn``, ``expired``, ``terminated`` and ``never_in_force`` end it (0.0);
- ``signed``, ``ratified``, ``extended``, ``withdrawal_announced`` and ``implemented`` are
  recorded but do not change the state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from resetlab.config import data_dir
from resetlab.exceptions import Problem, RecordError
from resetlab.record.builtin import EXTRA_FIELDS_KEY, read_csv_rows
from resetlab.record.schema import PRECISIONS, parse_bool, parse_date

TREATY_COLUMNS: tuple[str, ...] = ("id", "name", "short_name", "kind", "parties", "description")
SOURCE_COLUMNS: tuple[str, ...] = (
    "source_publication",
    "source_title",
    "source_url",
    "date_checked",
)
EVENT_COLUMNS: tuple[str, ...] = (
    "treaty", "date", "precision", "status", "party", "summary", *SOURCE_COLUMNS,
)  # fmt: skip
KINDS: tuple[str, ...] = ("bilateral", "multilateral")
STATUSES: tuple[str, ...] = (
    "signed", "ratified", "in_force", "suspended", "withdrawal_announced", "withdrawn", "expired",
    "terminated", "extended", "never_in_force", "adopted", "implemented",
)  # fmt: skip
PARTIES: tuple[str, ...] = ("USA", "RUS", "BOTH")

_ON = {"in_force", "adopted"}
_OFF = {"withdrawn", "expired", "terminated", "never_in_force"}


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        first = next((ln for ln in fh if not ln.startswith("#")), "")
    return [c.strip() for c in first.strip().split(",")] if first.strip() else []


def read_checked(
    path: Path,
    columns: Iterable[str],
    check: Callable[[dict[str, str], Callable[[str, str], None]], None],
) -> pd.DataFrame:
    """Read a ``#``-headed CSV, run ``check(row, bad)`` on every row, raise on any problem.

    ``bad(field, message)`` records a :class:`Problem` at the row's real line; every bad row
    is reported at once in one :class:`RecordError`. Returns strings plus a ``line`` column.
    """
    cols = list(columns)
    name = str(path)
    problems: list[Problem] = []
    header = _header(path)
    missing = [c for c in cols if c not in header]
    if missing:
        raise RecordError(
            f"{name}: bad header", [Problem(name, None, ",".join(missing), "column missing")]
        )
    rows: list[dict[str, str]] = []
    for line, raw in read_csv_rows(path):
        row = {c: raw.get(c, "").strip() for c in cols}

        def bad(field: str, message: str, _line: int = line) -> None:
            problems.append(Problem(name, _line, field, message))

        if EXTRA_FIELDS_KEY in raw:
            bad("(row)", f"{raw[EXTRA_FIELDS_KEY]} field(s) more than the header; "
                "quote values that contain commas")  # fmt: skip
        check(row, bad)
        rows.append({**row, "line": str(line)})
    if problems:
        raise RecordError(f"{len(problems)} problem(s) in {path.name}", problems)
    return pd.DataFrame(rows, columns=[*cols, "line"])


def check_source(row: dict[str, str], bad: Callable[[str, str], None]) -> None:
    """Every dated row names its source and says whether the date was seen in it."""
    for field in ("source_publication", "source_title"):
        if not row[field]:
            bad(field, "missing (required: every dated row carries its source)")
    try:
        parse_bool(row["date_checked"])
    except ValueError as exc:
        bad("date_checked", str(exc))


def check_day(row: dict[str, str], field: str, bad: Callable[[str, str], None]) -> None:
    """``row[field]`` must be a valid YYYY-MM-DD date."""
    try:
        parse_date(row[field], "day")
    except ValueError as exc:
        bad(field, str(exc))


def load_treaties(path: Path | None = None) -> pd.DataFrame:
    """The agreements table (``treaties.csv``), checked; one row per agreement id."""
    path = data_dir() / "treaties.csv" if path is None else path
    seen: set[str] = set()

    def check(row: dict[str, str], bad: Callable[[str, str], None]) -> None:
        for field in ("id", "name", "short_name", "kind"):
            if not row[field]:
                bad(field, "missing (required)")
        if row["id"] in seen:
            bad("id", f"{row['id']!r} used twice")
        seen.add(row["id"])
        if row["kind"] and row["kind"] not in KINDS:
            bad("kind", f"{row['kind']!r} is not one of {', '.join(KINDS)}")

    return read_checked(path, TREATY_COLUMNS, check)


def load_treaty_events(
    path: Path | None = None, treaties: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The dated status events (``treaty_events.csv``), checked against the treaty ids.

    Adds ``day`` (a Timestamp, first day of the period at month/year precision). Rows are
    sorted by treaty then date.
    """
    path = data_dir() / "treaty_events.csv" if path is None else path
    known = set((load_treaties() if treaties is None else treaties)["id"])

    def check(row: dict[str, str], bad: Callable[[str, str], None]) -> None:
        if row["treaty"] not in known:
            bad("treaty", f"{row['treaty']!r} is not a treaty id in treaties.csv")
        if row["precision"] not in PRECISIONS:
            bad("precision", f"{row['precision']!r} is not one of {', '.join(PRECISIONS)}")
        else:
            try:
                parse_date(row["date"], row["precision"])
            except ValueError as exc:
                bad("date", str(exc))
        if row["status"] not in STATUSES:
            bad("status", f"{row['status']!r} is not one of {', '.join(STATUSES)}")
        if row["party"] not in PARTIES:
            bad("party", f"{row['party']!r} is not one of {', '.join(PARTIES)}")
        if not row["summary"]:
            bad("summary", "missing (required)")
        check_source(row, bad)

    df = read_checked(path, EVENT_COLUMNS, check)
    df["day"] = [
        pd.Timestamp(parse_date(d, p).day) for d, p in zip(df["date"], df["precision"], strict=True)
    ]
    return df.sort_values(["treaty", "day"], kind="stable").reset_index(drop=True)


@lru_cache(maxsize=1)
def _read_builtin() -> tuple[pd.DataFrame, pd.DataFrame]:
    treaties = load_treaties()
    return treaties, load_treaty_events(treaties=treaties)


def _builtin() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The built-in treaty and treaty-event tables (read once; fresh copies each call)."""
    treaties, events = _read_builtin()
    return treaties.copy(), events.copy()


def _states(statuses: list[str], parties: list[str]) -> list[float]:
    """The status value after each event in turn (one treaty, events in date order)."""
    on = False
    suspended: set[str] = set()
    out = []
    for status, party in zip(statuses, parties, strict=True):
        if status in _ON:
            on, suspended = True, set()
        elif status in _OFF:
            on, suspended = False, set()
        elif status == "suspended" and on:
            suspended |= {"USA", "RUS"} if party == "BOTH" else {party}
        out.append({0: 1.0, 1: 0.5}.get(len(suspended), 0.0) if on else 0.0)
    return out


def treaty_status(
    months: pd.PeriodIndex,
    events: pd.DataFrame | None = None,
    treaties: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Status of every agreement at the end of each month: 1.0, 0.5 or 0.0 (see module doc).

    ``events``/``treaties`` default to the built-in tables; pass others to test or to use
    another pair's record.
    """
    if events is None or treaties is None:
        b_treaties, b_events = _builtin()
        treaties = b_treaties if treaties is None else treaties
        events = b_events if events is None else events
    months = pd.PeriodIndex(months, freq="M")
    out = pd.DataFrame(0.0, index=months, columns=list(treaties["id"]))
    out.index.name = "month"
    ords = np.array([m.ordinal for m in months], dtype=np.int64)
    for tid in out.columns:
        ev = events[events["treaty"] == tid].sort_values("day", kind="stable")
        if ev.empty:
            continue
        values = np.array([0.0, *_states(list(ev["status"]), list(ev["party"]))])
        ev_ords = np.array([pd.Period(d, freq="M").ordinal for d in ev["day"]], dtype=np.int64)
        # Number of events dated in or before each month = index into ``values``.
        out[tid] = values[np.searchsorted(ev_ords, ords, side="right")]
    return out


def treaties_in_force(
    months: pd.PeriodIndex,
    events: pd.DataFrame | None = None,
    treaties: pd.DataFrame | None = None,
) -> pd.Series:
    """Sum over agreements of :func:`treaty_status` per month (suspended ones count 0.5)."""
    return treaty_status(months, events, treaties).sum(axis=1).rename("treaties_in_force")


__all__ = [
    "EVENT_COLUMNS",
    "KINDS",
    "PARTIES",
    "STATUSES",
    "TREATY_COLUMNS",
    "load_treaties",
    "load_treaty_events",
    "treaties_in_force",
    "treaty_status",
]
