"""Parquet event tables: in the project's schema (``fmt="parquet"``, :class:`ParquetReader`),
and monthly dyad aggregates of tables too large to read into memory.

A Parquet export of GDELT, ICEWS or POLECAT can hold hundreds of millions of rows. Instead of
reading every row into pandas (as :func:`resetlab.record.importers.import_events` does for files
of the project's size), :func:`aggregate_events` runs one DuckDB query over the file that keeps
only the rows between the two actors of a dyad and sums them by month and direction: Goldstein
sum, sum of squares and count. DuckDB streams the file row group by row group, so memory is
bounded by ``memory_limit`` (default 1 GB, see :data:`MEMORY_LIMIT`) whatever the file's size;
the result holds at most two rows per month.

Columns are found by name: a ``columns`` mapping (logical name -> column in the file) first,
then the format's own names (:data:`PARQUET_COLUMNS`), then the short names ``date``,
``actor1``, ``actor2``, ``goldstein``. Actor columns are matched against every spelling of the
dyad's two countries in ``actors.csv`` (ISO3, CAMEO code, name, ICEWS name).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from resetlab.config import data_dir
from resetlab.exceptions import ImportFormatError, RecordError
from resetlab.record.importers.base import EventData, EventReader, Head, RowCollector
from resetlab.record.importers.schema_rows import check_header, schema_row

#: Logical columns an aggregate needs.
LOGICAL = ("date", "actor1", "actor2", "goldstein")

#: The column names of each format's Parquet export (GDELT event table, ICEWS, POLECAT).
#: POLECAT has no Goldstein score, so its exports need a ``columns`` mapping naming one.
PARQUET_COLUMNS: dict[str, dict[str, str]] = {
    "gdelt1": {
        "date": "SQLDATE", "actor1": "Actor1CountryCode", "actor2": "Actor2CountryCode",
        "goldstein": "GoldsteinScale",
    },
    "gdelt2": {
        "date": "SQLDATE", "actor1": "Actor1CountryCode", "actor2": "Actor2CountryCode",
        "goldstein": "GoldsteinScale",
    },
    "icews": {
        "date": "Event Date", "actor1": "Source Country", "actor2": "Target Country",
        "goldstein": "Intensity",
    },
    "polecat": {"date": "Event Date", "actor1": "Actor Country", "actor2": "Recipient Country"},
}  # fmt: skip

#: DuckDB's memory limit for the scan unless the caller passes another.
MEMORY_LIMIT = "1GB"

#: Columns of the aggregate frame (and of the store's ``event_months`` table, plus file/format).
AGGREGATE_COLUMNS = ("actor", "target", "month", "goldstein_sum", "goldstein_sumsq", "n")


def parse_columns(text: str | None) -> dict[str, str]:
    """``"date=SQLDATE,goldstein=GoldsteinScale"`` -> mapping; InputError-style message if bad."""
    if not text:
        return {}
    out: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not value or key not in LOGICAL:
            raise ImportFormatError(
                f"--columns: {part.strip()!r} is not NAME=COLUMN with NAME one of "
                f"{', '.join(LOGICAL)}"
            )
        out[key] = value
    return out


#: The columns of ``actors.csv`` whose spellings each format's actor columns use (with ISO3);
#: a format not listed is matched against all of them.
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "gdelt1": ("cameo",),
    "gdelt2": ("cameo",),
    "icews": ("icews",),
}


@lru_cache(maxsize=64)
def _spellings(iso3: str, kinds: tuple[str, ...]) -> list[str]:
    from resetlab.record.builtin import read_table

    t = read_table(data_dir() / "actors.csv")
    rows = t[t["iso3"] == iso3]
    found = {iso3}
    for col in kinds:
        found.update(v for v in rows[col] if v)
    return sorted(found)


def _sql_list(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _resolve(
    path: Path, have: dict[str, str], fmt: str, columns: Mapping[str, str]
) -> dict[str, str]:
    """Logical name -> column in the file, or ImportFormatError naming what is missing."""
    candidates = [dict(columns)] if columns else []
    if fmt in PARQUET_COLUMNS:
        candidates.append({**PARQUET_COLUMNS[fmt], **columns})
    candidates.append({**{k: k for k in LOGICAL}, **columns})
    for cand in candidates:
        if all(cand.get(k) in have for k in LOGICAL):
            return {k: cand[k] for k in LOGICAL}
    best = candidates[-2] if len(candidates) > 1 else candidates[-1]
    missing = [f"{k} (column {best.get(k, '?')!r})" for k in LOGICAL if best.get(k) not in have]
    raise ImportFormatError(
        f"{path}: no {', '.join(missing)} in the file (it has {', '.join(sorted(have)[:20])}); "
        "pass --columns NAME=COLUMN,... for date, actor1, actor2, goldstein"
    )


def _month_expr(col: str, kind: str) -> str:
    """SQL for the year*100+month of ``col`` (NULL where it is not a date)."""
    c = _ident(col)
    k = kind.upper()
    if any(t in k for t in ("INT", "DECIMAL", "DOUBLE", "FLOAT")):
        return f"CAST({c} AS BIGINT) // 100"  # GDELT's SQLDATE: YYYYMMDD
    if "DATE" in k or "TIMESTAMP" in k:
        return f"year({c}) * 100 + month({c})"
    parsed = f"coalesce(try_strptime({c}, '%Y-%m-%d'), try_strptime({c}, '%Y%m%d'))"
    return f"year({parsed}) * 100 + month({parsed})"


def aggregate_events(
    path: Path,
    fmt: str = "gdelt2",
    dyad: tuple[str, str] = ("USA", "RUS"),
    *,
    columns: Mapping[str, str] | None = None,
    memory_limit: str = MEMORY_LIMIT,
    threads: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> tuple[pd.DataFrame, int]:
    """The dyad's monthly aggregates of the Parquet file ``path`` and the rows scanned.

    Returns a frame of :data:`AGGREGATE_COLUMNS` (one row per month and direction, actor and
    target as ISO3, month as ``YYYY-MM``) and the file's row count. ``progress`` is called with
    the share done (0..1) while DuckDB scans. A dyad row with a date that is not a date from
    1946 to today, or a Goldstein score missing or outside -10..+10, is an error naming the
    file, its first such row (1-based) and the field; nothing is returned then.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFormatError(f"{path}: no such file")
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET memory_limit = '{memory_limit}'")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        src = f"read_parquet('{str(path).replace(chr(39), chr(39) * 2)}', file_row_number = true)"
        try:
            desc = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
        except duckdb.Error as exc:
            raise ImportFormatError(f"{path}: not a Parquet file DuckDB can read ({exc})") from exc
        have = {str(r[0]): str(r[1]) for r in desc}
        cols = _resolve(path, have, fmt, columns or {})
        kinds = _SPELLINGS.get(fmt, ("cameo", "name", "icews"))
        a_codes = _sql_list(_spellings(dyad[0], kinds))
        b_codes = _sql_list(_spellings(dyad[1], kinds))
        a1, a2, g = _ident(cols["actor1"]), _ident(cols["actor2"]), _ident(cols["goldstein"])
        ym = _month_expr(cols["date"], have[cols["date"]])
        today = date.today()
        bad = (
            f"NOT coalesce(ym BETWEEN 194601 AND {today.year * 100 + today.month} "
            "AND ym % 100 BETWEEN 1 AND 12 AND g BETWEEN -10 AND 10, false)"
        )
        dyad_rows = f"""
            SELECT {a1} IN ({a_codes}) AS forward, {ym} AS ym, CAST({g} AS DOUBLE) AS g{{row}}
            FROM {src}
            WHERE ({a1} IN ({a_codes}) AND {a2} IN ({b_codes}))
               OR ({a1} IN ({b_codes}) AND {a2} IN ({a_codes}))
        """
        # The aggregate keeps each group's extremes and count of scores, so that one pass
        # tells whether any dyad row is bad; only then a second pass finds the first one.
        query = f"""
            SELECT forward, ym, sum(g), sum(g * g), count(*), count(g), min(g), max(g)
            FROM ({dyad_rows.format(row="")}) GROUP BY forward, ym ORDER BY ym, forward DESC
        """
        rows = _run(con, query, progress)
        n_rows = int(con.execute(f"SELECT count(*) FROM {src}").fetchone()[0])  # type: ignore[index]
        now = today.year * 100 + today.month
        if any(
            r[1] is None
            or not (194601 <= r[1] <= now and 1 <= r[1] % 100 <= 12)
            or r[4] != r[5]
            or r[6] < -10
            or r[7] > 10
            for r in rows
        ):
            first, n_bad, no_date = con.execute(
                f"SELECT min(r), count(*), count(*) FILTER (WHERE ym IS NULL) "
                f"FROM ({dyad_rows.format(row=', file_row_number AS r')}) WHERE {bad}"
            ).fetchone()  # type: ignore[misc]
            what = (
                f"field {cols['date']!r}: not a date"
                if no_date
                else f"field {cols['date']!r} or {cols['goldstein']!r}: a date outside "
                "1946..today or a Goldstein score missing or outside -10..+10"
            )
            raise RecordError(f"{path}: row {int(first) + 1}: {what} ({n_bad} dyad row(s) like it)")
    finally:
        con.close()
    frame = pd.DataFrame(
        {
            "actor": [dyad[0] if r[0] else dyad[1] for r in rows],
            "target": [dyad[1] if r[0] else dyad[0] for r in rows],
            "month": [f"{int(r[1]) // 100:04d}-{int(r[1]) % 100:02d}" for r in rows],
            "goldstein_sum": [float(r[2]) for r in rows],
            "goldstein_sumsq": [float(r[3]) for r in rows],
            "n": [int(r[4]) for r in rows],
        },
        columns=list(AGGREGATE_COLUMNS),
    )
    return frame, n_rows


def _run(
    con: duckdb.DuckDBPyConnection, query: str, progress: Callable[[float], None] | None
) -> list[tuple]:  # type: ignore[type-arg]
    """Run ``query``, reporting DuckDB's progress from a second thread (DuckDB frees the GIL)."""
    if progress is None:
        return con.execute(query).fetchall()
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.2):
            share = con.query_progress()
            if share >= 0:
                progress(min(share / 100.0, 1.0))

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    try:
        return con.execute(query).fetchall()
    finally:
        done.set()
        t.join()
        progress(1.0)


class ParquetReader(EventReader):
    """A Parquet table with the event columns (values as strings, or a number for
    ``goldstein`` and true/false for ``date_checked``)."""

    key = "parquet"

    @classmethod
    def guess_can_read(cls, head: Head) -> bool:
        return head.parquet

    def read(self, rows: RowCollector, data: EventData) -> None:
        data.stream.seek(0)
        try:
            df = pd.read_parquet(data.stream)
        except Exception as exc:  # pyarrow raises many types for a non-Parquet file
            raise ImportFormatError(f"{data.name} is not a Parquet file: {exc}") from exc
        check_header(data.name, [str(c) for c in df.columns])
        for number, rec in enumerate(df.to_dict(orient="records"), start=1):
            rows.read += 1
            rows.parsed += 1
            schema_row(rows, number, {str(k): v for k, v in rec.items()})
