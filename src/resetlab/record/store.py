"""The embedded record store: one DuckDB file (``$RESETLAB_HOME/record.duckdb`` by default).

Built from the package's readable CSV files (``resetlab/data``); imports add to it. Every
write is one transaction: a failed import leaves the store exactly as it was.

Tables
------
``events``     one row per event (the columns of :data:`~resetlab.record.schema.EVENT_COLUMNS`
               less the source columns, plus ``day`` (first day of the dated period) and ``origin``)
``sources``    every source of every event (``event_id, publication, title, date, url``); an event
               merged from several files keeps all of them
``imports``    one row per import (file, format, rows added, rows merged, time)
``meta``       key/value (the fingerprint of the built-in data the store was built from)
plus the built-in tables ``treaties``, ``treaty_events``, ``elections``, ``leaders`` and
``unga_agreement`` copied from their CSV files when present.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path

import duckdb
import pandas as pd

from resetlab.config import data_dir, default_store_path
from resetlab.exceptions import Problem, RecordError, StoreError
from resetlab.record.schema import EVENT_COLUMNS, parse_bool, parse_date, parse_number

BUILTIN_ORIGIN = "builtin"

#: Built-in tables other than events: CSV file name -> table name.
BUILTIN_TABLES: dict[str, str] = {
    "treaties.csv": "treaties",
    "treaty_events.csv": "treaty_events",
    "elections.csv": "elections",
    "leaders.csv": "leaders",
    "unga_agreement.csv": "unga_agreement",
    "indicators/contacts.csv": "contacts",
    "indicators/mie_incidents.csv": "mie_incidents",
    "indicators/ungdc_mentions.csv": "ungdc_mentions",
}

_EVENT_FIELDS = [
    c for c in EVENT_COLUMNS if not c.startswith("source") and c not in {"date_checked"}
]
_SOURCE_SETS = (
    ("source_publication", "source_title", "source_date", "source_url"),
    ("source2_publication", "source2_title", "source2_date", "source2_url"),
)

#: Summaries at least this similar (difflib ratio on normalised words) are the same event.
DUPLICATE_SIMILARITY = 0.8

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY, date VARCHAR NOT NULL, precision VARCHAR NOT NULL, day DATE NOT NULL,
    actor VARCHAR NOT NULL, target VARCHAR NOT NULL, plover VARCHAR NOT NULL,
    plover_mode VARCHAR, plover_context VARCHAR, cameo VARCHAR, goldstein DOUBLE NOT NULL,
    domain VARCHAR NOT NULL, summary VARCHAR NOT NULL, date_checked BOOLEAN NOT NULL,
    origin VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    event_id VARCHAR NOT NULL, publication VARCHAR, title VARCHAR, date VARCHAR, url VARCHAR,
    origin VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS imports (
    file VARCHAR, format VARCHAR, added INTEGER, merged INTEGER, imported_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS event_months (
    actor VARCHAR NOT NULL, target VARCHAR NOT NULL, month VARCHAR NOT NULL,
    goldstein_sum DOUBLE NOT NULL, goldstein_sumsq DOUBLE NOT NULL, n BIGINT NOT NULL,
    file VARCHAR NOT NULL, format VARCHAR NOT NULL
);
"""

#: The columns of the store's own tables, in order: a DuckDB file whose tables differ is
#: not a record store and is refused before anything is written to it.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": (
        "id", "date", "precision", "day", "actor", "target", "plover", "plover_mode",
        "plover_context", "cameo", "goldstein", "domain", "summary", "date_checked", "origin",
    ),
    "sources": ("event_id", "publication", "title", "date", "url", "origin"),
    "imports": ("file", "format", "added", "merged", "imported_at"),
    "meta": ("key", "value"),
}  # fmt: skip

#: Tables a store may lack (one written before they existed, opened read-only); checked
#: like :data:`TABLE_COLUMNS` when present. ``event_months``: monthly aggregates of large
#: event tables (``record import --aggregate monthly``), one row per month and direction.
OPTIONAL_TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "event_months": (
        "actor", "target", "month", "goldstein_sum", "goldstein_sumsq", "n", "file", "format",
    ),
}  # fmt: skip

#: Neighbours on each side, in each of the two sorted orders, that a summary is compared
#: with when looking for its duplicate (see :class:`DuplicateIndex`).
DUPLICATE_WINDOW = 3


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows added as new events, rows merged into existing ones."""

    file: str
    added: int
    merged: int


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def similar(a: str, b: str) -> float:
    """Similarity of two summaries in [0, 1] (difflib ratio on normalised words)."""
    return SequenceMatcher(None, _normalise(a), _normalise(b)).ratio()


@dataclass
class _Block:
    exact: dict[str, str] = field(default_factory=dict)  # normalised summary -> event id
    forward: list[tuple[str, str]] = field(default_factory=list)  # (summary, id), sorted
    backward: list[tuple[str, str]] = field(default_factory=list)  # (reversed summary, id)


class DuplicateIndex:
    """Events blocked by (date, actor, target, PLOVER type), to find an event's duplicate.

    Within a block, an identical normalised summary is found by hash. Otherwise the summary
    is compared (difflib ratio, :data:`DUPLICATE_SIMILARITY`) only with its
    :data:`DUPLICATE_WINDOW` nearest neighbours on each side in two sorted orders, of the
    text and of the text reversed, so that a change at either end still finds its twin
    (sorted neighbourhood). A look-up costs O(log n) plus a bounded number of comparisons,
    so an import is n log n in its rows however many share one block; the price is that a
    twin differing from it at both ends, among many near-identical summaries, can be missed.
    """

    def __init__(self) -> None:
        self._blocks: dict[tuple[str, ...], _Block] = {}

    def add(self, key: tuple[str, ...], event_id: str, summary: str) -> None:
        block = self._blocks.setdefault(key, _Block())
        norm = _normalise(summary)
        block.exact.setdefault(norm, event_id)
        bisect.insort(block.forward, (norm, event_id))
        bisect.insort(block.backward, (norm[::-1], event_id))

    def find(self, key: tuple[str, ...], summary: str) -> str | None:
        """The id of the most similar event of the block at or above the threshold, or None."""
        block = self._blocks.get(key)
        if block is None:
            return None
        norm = _normalise(summary)
        if norm in block.exact:
            return block.exact[norm]
        best: tuple[float, str] | None = None
        for ordered, probe in ((block.forward, norm), (block.backward, norm[::-1])):
            at = bisect.bisect_left(ordered, (probe, ""))
            matcher = SequenceMatcher(None)
            matcher.set_seq2(probe)  # indexed once, compared with each neighbour
            for text, event_id in ordered[max(0, at - DUPLICATE_WINDOW) : at + DUPLICATE_WINDOW]:
                matcher.set_seq1(text)
                if matcher.real_quick_ratio() < DUPLICATE_SIMILARITY:
                    continue
                if matcher.quick_ratio() < DUPLICATE_SIMILARITY:
                    continue
                ratio = matcher.ratio()
                if ratio >= DUPLICATE_SIMILARITY and (best is None or ratio > best[0]):
                    best = (ratio, event_id)
        return None if best is None else best[1]


def _normalised(frame: pd.DataFrame, *, with_line: bool = False) -> pd.DataFrame:
    """Event columns as the store keeps them: strings, stripped, missing as "".

    Built from plain lists into a new frame (no ``attrs`` carried along, which pandas would
    deep-copy on every operation)."""
    cols = [*EVENT_COLUMNS, "line"] if with_line else list(EVENT_COLUMNS)

    def text(v: object) -> str:
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()

    data = {
        c: [text(v) for v in frame[c].tolist()] if c in frame.columns else [""] * len(frame)
        for c in cols
    }
    return pd.DataFrame(data, columns=cols, dtype=object)


def _store_path(path: Path | str | None) -> Path:
    """The store file for ``path`` (default under ``RESETLAB_HOME``), its folder created."""
    try:
        real = Path(path) if path is not None else default_store_path()
    except OSError as exc:  # RESETLAB_HOME names a file, or a folder that cannot be made
        raise StoreError(
            f"RESETLAB_HOME={os.environ.get('RESETLAB_HOME', '')!r} cannot be the resetlab "
            f"home folder ({exc.strerror}): point it at a folder, or pass --store",
            exit_code=2,
        ) from exc
    if real.is_dir():
        raise StoreError(
            f"the store {real} is a folder; pass --store with a file path", exit_code=2
        )
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a parent is a file, or not writable
        raise StoreError(
            f"cannot create the folder of the store {real} ({exc.strerror}: {exc.filename}); "
            "pass --store with a path in a folder you can write",
            exit_code=2,
        ) from exc
    return real


def builtin_fingerprint() -> str:
    """A hash of every built-in data file and of the tables built from them, so a changed
    file or a new built-in table triggers a rebuild."""
    h = hashlib.sha256()
    h.update(repr(sorted(BUILTIN_TABLES.items())).encode())
    root = data_dir()
    for path in sorted(root.rglob("*.csv")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class Store:
    """The record store (a DuckDB database). Use :meth:`open`; close with :meth:`close`."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, path: Path | None, *, read_only: bool = False
    ) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def open(
        cls, path: Path | str | None = None, *, build: bool = True, read_only: bool = False
    ) -> Store:
        """Open (and create) the store; with ``build`` (re)load built-in data when it changed.

        ``path=":memory:"`` gives an in-memory store (tests, notebooks). With ``read_only``
        the file is opened read-only, so any number of readers can share it; a store that
        does not exist yet or needs its built-in data reloaded is first built read-write.
        Errors are :class:`StoreError` naming the file and what to do.
        """
        if path == ":memory:":
            store = cls(duckdb.connect(":memory:"), None)
            store.con.execute(_SCHEMA)
        else:
            real = _store_path(path)
            if read_only:
                if real.exists():
                    store = cls._connect(real, read_only=True)
                    if not build or store.meta("builtin_fingerprint") == builtin_fingerprint():
                        return store
                    store.close()
                cls.open(real, build=build).close()
                return cls._connect(real, read_only=True)
            store = cls._connect(real, read_only=False)
        if build and store.meta("builtin_fingerprint") != builtin_fingerprint():
            store.build_builtin()
        return store

    @classmethod
    def _connect(cls, path: Path, *, read_only: bool) -> Store:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            locked = "lock" in str(exc).lower()
            what = (
                "it is in use by another process (a running import or `resetlab serve`); "
                "retry when that has finished"
                if locked
                else "it is not a DuckDB database; pass --store with another path or move it away"
            )
            raise StoreError(
                f"cannot open the store {path}: {what} ({exc})", exit_code=1 if locked else 2
            ) from exc
        store = cls(con, path, read_only=read_only)
        try:
            store._check_tables()
            if not read_only:
                con.execute(_SCHEMA)
        except BaseException:
            con.close()
            raise
        return store

    def _check_tables(self) -> None:
        """Refuse a DuckDB file whose tables are not the record store's."""
        rows = self.con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
        ).fetchall()
        found: dict[str, list[str]] = {}
        for table, column in rows:
            found.setdefault(str(table), []).append(str(column))
        optional = {t: c for t, c in OPTIONAL_TABLE_COLUMNS.items() if t in found}
        for table, columns in {**TABLE_COLUMNS, **optional}.items():
            have = found.get(table)
            if have is None and not self.read_only:
                continue  # created next
            if have is None or tuple(have) != columns:
                got = "is missing" if have is None else f"has columns {', '.join(have)}"
                raise StoreError(
                    f"{self.path} is not a resetlab record store: table {table!r} {got}, "
                    f"expected {', '.join(columns)}; pass --store with another path",
                    exit_code=2,
                )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: roll back every change if the block or the commit fails.

        A database error (a full disk, most often at COMMIT) becomes a :class:`StoreError`
        saying that nothing was written.
        """
        if self.read_only:
            raise StoreError(f"the store {self.path} was opened read-only; nothing was written")
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
            self.con.execute("COMMIT")
        except BaseException as exc:
            try:
                self.con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # the failed COMMIT already ended the transaction
            if isinstance(exc, duckdb.Error):
                raise StoreError(
                    f"writing the store {self.path or '(in memory)'} failed, nothing was "
                    f"written: {exc} (is the disk full?)"
                ) from exc
            raise

    def meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    # -- building ----------------------------------------------------------------------
    def build_builtin(self) -> None:
        """(Re)load the built-in data; imported rows are kept."""
        from resetlab.record.builtin import load_event_files, read_table

        events = load_event_files()  # raises RecordError before anything is touched
        tables = {
            name: read_table(data_dir() / csv_name)
            for csv_name, name in BUILTIN_TABLES.items()
            if (data_dir() / csv_name).exists()
        }
        with self.transaction():
            self.con.execute("DELETE FROM sources WHERE origin = ?", [BUILTIN_ORIGIN])
            self.con.execute("DELETE FROM events WHERE origin = ?", [BUILTIN_ORIGIN])
            self._insert_events(events, BUILTIN_ORIGIN)
            for name, frame in tables.items():
                self.con.execute(f'DROP TABLE IF EXISTS "{name}"')
                self.con.register("_frame", frame)
                self.con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
                self.con.unregister("_frame")
            self._set_meta("builtin_fingerprint", builtin_fingerprint())

    def _insert_events(self, frame: pd.DataFrame, origin: str) -> None:
        ev = _normalised(frame)
        rows = pd.DataFrame({c: ev[c] for c in _EVENT_FIELDS})
        rows["day"] = [
            parse_date(d, p).day for d, p in zip(ev["date"], ev["precision"], strict=True)
        ]
        rows["goldstein"] = [parse_number(g) for g in ev["goldstein"]]
        rows["date_checked"] = [parse_bool(b) for b in ev["date_checked"]]
        rows["origin"] = origin
        self.con.register("_rows", rows)
        cols = ", ".join(f'"{c}"' for c in rows.columns)
        self.con.execute(f"INSERT INTO events ({cols}) SELECT {cols} FROM _rows")
        self.con.unregister("_rows")
        self._insert_sources(ev, origin)

    def _insert_sources(self, ev: pd.DataFrame, origin: str) -> None:
        parts = []
        for pub, title, date, url in _SOURCE_SETS:
            part = pd.DataFrame(
                {
                    "event_id": ev["id"],
                    "publication": ev[pub],
                    "title": ev[title],
                    "date": ev[date],
                    "url": ev[url],
                }
            )
            parts.append(part[(part["publication"] != "") | (part["title"] != "")])
        src = pd.concat(parts, ignore_index=True)
        src["origin"] = origin
        self.con.register("_src", src)
        # A source already recorded for that event (a re-import) is not added twice.
        self.con.execute(
            """INSERT INTO sources
               SELECT n.event_id, n.publication, n.title, n.date, n.url, n.origin FROM _src n
               WHERE NOT EXISTS (
                   SELECT 1 FROM sources s WHERE s.event_id = n.event_id
                   AND s.publication IS NOT DISTINCT FROM n.publication
                   AND s.title IS NOT DISTINCT FROM n.title
                   AND s.url IS NOT DISTINCT FROM n.url)"""
        )
        self.con.unregister("_src")

    # -- importing ---------------------------------------------------------------------
    def import_events(self, frame: pd.DataFrame, *, file: str, fmt: str) -> ImportResult:
        """Add checked event rows atomically, merging duplicates and keeping every source.

        A duplicate is an event with the same day, actor, target and PLOVER category and a
        near-identical summary (:data:`DUPLICATE_SIMILARITY`), already in the store or earlier
        in the same file. An id already used by a different event is an error naming the line.
        """
        from resetlab.record.builtin import cameo_weights
        from resetlab.record.schema import check_event_row, check_unique_ids

        ev = _normalised(frame, with_line=True)
        weights = cameo_weights()
        problems: list[Problem] = []
        for row in ev.to_dict("records"):
            line = int(row["line"]) if row["line"].isdigit() else None
            problems.extend(check_event_row(row, file, line, weights, match_weight=False))
        problems.extend(
            check_unique_ids(
                (file, int(ln) if ln.isdigit() else None, i)
                for i, ln in zip(ev["id"], ev["line"], strict=True)
            )
        )
        if problems:
            raise RecordError(f"{file}: {len(problems)} problem(s); nothing was imported", problems)

        existing = self.con.execute(
            "SELECT id, date, actor, target, plover, summary FROM events"
        ).fetchall()
        index = DuplicateIndex()
        for eid, day, actor, target, plover, summary in existing:
            index.add((day, actor, target, plover), eid, summary)
        known_ids = {r[0] for r in existing}
        new_rows: list[int] = []
        merges: list[tuple[int, str]] = []  # (row position, existing event id)
        for pos, row in enumerate(ev.itertuples(index=False)):
            key = (row.date, row.actor, row.target, row.plover)
            match = index.find(key, row.summary)
            if match is not None:
                merges.append((pos, match))
                continue
            if row.id in known_ids:
                line = int(row.line) if row.line.isdigit() else None
                problems.append(
                    Problem(
                        file, line, "id", f"{row.id!r} is already in the store for another event"
                    )
                )
                continue
            new_rows.append(pos)
            known_ids.add(row.id)
            index.add(key, row.id, row.summary)
        if problems:
            raise RecordError(f"{file}: {len(problems)} problem(s); nothing was imported", problems)

        with self.transaction():
            if new_rows:
                self._insert_events(ev.iloc[new_rows], origin=file)
            if merges:
                merged = ev.iloc[[p for p, _ in merges]].copy()
                merged["id"] = [eid for _, eid in merges]
                self._insert_sources(merged, origin=file)
            self.con.execute(
                "INSERT INTO imports VALUES (?, ?, ?, ?, ?)",
                [file, fmt, len(new_rows), len(merges), datetime.now(UTC).replace(tzinfo=None)],
            )
        return ImportResult(file=file, added=len(new_rows), merged=len(merges))

    # -- reading -----------------------------------------------------------------------
    def import_monthly(self, frame: pd.DataFrame, *, file: str, fmt: str) -> int:
        """Store monthly aggregates (columns of ``event_months`` less file/format) of ``file``,
        replacing any kept from an earlier import of the same file; the rows written."""
        from resetlab.record.importers.parquet import AGGREGATE_COLUMNS

        _frame = frame.loc[:, list(AGGREGATE_COLUMNS)].assign(file=file, format=fmt)
        with self.transaction():
            self.con.execute("DELETE FROM event_months WHERE file = ?", [file])
            self.con.execute("INSERT INTO event_months SELECT * FROM _frame")
            self.con.execute(
                "INSERT INTO imports VALUES (?, ?, ?, 0, current_timestamp)",
                [file, f"{fmt} (monthly)", len(_frame)],
            )
        return len(_frame)

    def event_months(self, dyad: tuple[str, str]) -> pd.DataFrame | None:
        """The stored monthly aggregates between the two actors of ``dyad`` (either
        direction), summed over imported files; None when the store has none."""
        found = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'event_months'"
        ).fetchone()
        if not found or not found[0]:
            return None
        df = self.con.execute(
            "SELECT month, sum(goldstein_sum) AS goldstein_sum, "
            "sum(goldstein_sumsq) AS goldstein_sumsq, CAST(sum(n) AS BIGINT) AS n "
            "FROM event_months WHERE (actor = ? AND target = ?) OR (actor = ? AND target = ?) "
            "GROUP BY month ORDER BY month",
            [dyad[0], dyad[1], dyad[1], dyad[0]],
        ).df()
        return df if len(df) else None

    def events(self, dyad: tuple[str, str] | None = None) -> pd.DataFrame:
        """Events (optionally only between the two actors of ``dyad``, either direction),
        with ``source`` (every source joined by ' | ') and ``n_sources``."""
        where, params = "", []
        if dyad is not None:
            where = "WHERE (e.actor = ? AND e.target = ?) OR (e.actor = ? AND e.target = ?)"
            params = [dyad[0], dyad[1], dyad[1], dyad[0]]
        return self.con.execute(
            f"""
            SELECT e.*, coalesce(s.source, '') AS source, coalesce(s.n, 0) AS n_sources,
                   coalesce(s.url, '') AS source_url
            FROM events e LEFT JOIN (
                SELECT event_id, count(*) AS n,
                       string_agg(publication || ': ' || title
                                  || CASE WHEN coalesce(date, '') <> '' THEN ' (' || date || ')' ELSE '' END
                                  || CASE WHEN coalesce(url, '') <> '' THEN ' <' || url || '>' ELSE '' END,
                                  ' | ') AS source,
                       first(url ORDER BY url DESC) AS url
                FROM sources GROUP BY event_id) s ON s.event_id = e.id
            {where}
            ORDER BY e.day, e.id
            """,
            params,
        ).df()

    def export_events(self) -> pd.DataFrame:
        """:meth:`events` plus the source columns of the event schema (``source_publication``
        ... ``source2_url``: an event's first two sources in the order recorded), so that an
        export can be imported again; ``source`` and ``n_sources`` still list every source."""
        df = self.events()
        src = self.con.execute(
            """SELECT event_id, publication, title, date, url,
                      row_number() OVER (PARTITION BY event_id ORDER BY rowid) AS k
               FROM sources"""
        ).df()
        for k, (pub, title, date, url) in enumerate(_SOURCE_SETS, start=1):
            part = src[src["k"] == k].set_index("event_id")
            for col, name in ((pub, "publication"), (title, "title"), (date, "date"), (url, "url")):
                df[col] = df["id"].map(part[name]).fillna("").astype(str)
        return df

    def table(self, name: str) -> pd.DataFrame:
        """A whole table as a DataFrame (error listing the tables if unknown)."""
        names = [r[0] for r in self.con.execute("SHOW TABLES").fetchall()]
        if name not in names:
            raise StoreError(f"no table {name!r} in the store; tables: {', '.join(sorted(names))}")
        return self.con.execute(f'SELECT * FROM "{name}"').df()

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        names = [r[0] for r in self.con.execute("SHOW TABLES").fetchall()]
        return {
            n: int(self.con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0])  # type: ignore[index]
            for n in sorted(names)
        }
