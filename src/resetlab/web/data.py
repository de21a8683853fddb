"""The record and the index as the web app sees them: one store, one cached analysis.

The analysis (index, regimes, scorecard) takes seconds, so it is computed once in a
background thread when the app starts and again after an import, never per request. The
DuckDB connection is used from one thread at a time (a lock).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from resetlab.exceptions import BadQuery, NotReady
from resetlab.index.api import DEFAULT_DYAD, Analysis, analyse
from resetlab.record.dyad import in_dyad
from resetlab.record.read import Record, read_record
from resetlab.record.store import Store
from resetlab.web.settings import WebSettings

EVENT_FIELDS: tuple[str, ...] = (
    "id", "date", "precision", "day", "actor", "target", "plover", "cameo", "goldstein",
    "domain", "summary", "source", "source_url", "n_sources",
)  # fmt: skip
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _bound(text: str, name: str, end: bool) -> pd.Timestamp:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as the first (or, with ``end``, last) day."""
    if not _DATE_RE.match(text):
        raise BadQuery(f"{name}: {text!r} is not a date YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        if len(text) == 10:
            return pd.Timestamp(text)
        period = pd.Period(text, freq="Y" if len(text) == 4 else "M")
    except ValueError as exc:
        raise BadQuery(f"{name}: {text!r} is not a valid date ({exc})") from None
    return (period.end_time if end else period.start_time).normalize()


def _jsonable(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (timestamps as ISO dates, NaN as null)."""
    return [{k: _jsonable(v) for k, v in row.items()} for row in frame.to_dict("records")]


class DataService:
    """The store and its analysis, shared by every request."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._store: Store | None = None
        self._analysis: Analysis | None = None
        self._events: pd.DataFrame | None = None
        self._figure: str | None = None
        self._error: str | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle --------------------------------------------------------------------
    def start(self) -> None:
        """Open the store and estimate the index in a background thread (once)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._load, name="resetlab-analysis", daemon=True)
        self._thread.start()

    def _refresh(self) -> None:
        """Re-estimate after a change, serving the previous analysis meanwhile."""
        if self._thread is None:  # never started (tests driving the store only)
            return
        self._thread.join()
        self._thread = threading.Thread(target=self._load, name="resetlab-analysis", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Close the store (waits for a running estimation)."""
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def _open(self) -> Store:
        """The store, held read-only: other processes (``resetlab index``, ``record info``,
        another server) can read it while this server runs. Imports take the write lock
        only while they write (:meth:`import_bytes`)."""
        if self._store is None:
            self._store = Store.open(self.settings.store_path, read_only=True)
        return self._store

    def record(self) -> Record:
        """The store's record now (:func:`resetlab.record.read.read_record`), imports included:
        what a scenario run's forcing reads."""
        with self._lock:
            return read_record(self._open())

    def _load(self) -> None:
        try:
            with self._lock:
                store = self._open()
                self._events = store.events()
                cursor = Store(store.con.cursor(), store.path)  # own connection, same database
            try:
                analysis = analyse(cursor)
            finally:
                cursor.close()
            from resetlab.report.figures import index_figure

            figure = index_figure(analysis).to_json()
        except Exception as exc:  # shown by /api/status and every 503, not swallowed
            self._error = f"{type(exc).__name__}: {exc}"
        else:
            self._analysis, self._figure = analysis, figure
            self._error = None
        finally:
            self._ready.set()

    def fit_results(self, budget: str) -> dict[str, Any]:
        """The fit results the report shows, read from the same cache (never computed here)."""
        from resetlab.fit.pipeline import Pipeline
        from resetlab.fit.published import published

        with self._lock:
            store = self._open()
            cursor = Store(store.con.cursor(), store.path)
        try:
            p = Pipeline.create(
                cursor, budget, perspectives_path=self.settings.perspectives_dir,
                log=lambda m: None,
            )  # fmt: skip
            return published(p)
        finally:
            cursor.close()

    def status(self) -> dict[str, Any]:
        """Whether the analysis is ready, and the error if it failed."""
        return {
            "ready": self._ready.is_set() and self._error is None,
            "error": self._error,
            "read_only": self.settings.read_only,
            "events": None if self._events is None else int(len(self._events)),
        }

    def analysis(self) -> Analysis:
        """The cached analysis; waits up to ``analysis_wait_s``, else :class:`NotReady`."""
        self.start()
        if not self._ready.wait(self.settings.analysis_wait_s):
            raise NotReady("the relations index is still being estimated; retry shortly")
        if self._analysis is None:
            raise NotReady(f"the relations index could not be estimated: {self._error}")
        return self._analysis

    def index_figure_json(self) -> str:
        """The report's index chart (index, bands, regimes, events) as plotly JSON."""
        self.analysis()
        assert self._figure is not None
        return self._figure

    # -- reading -----------------------------------------------------------------------
    def events(
        self,
        q: str | None = None,
        start: str | None = None,
        end: str | None = None,
        domain: str | None = None,
        actor: str | None = None,
        dyad_only: bool = True,
    ) -> pd.DataFrame:
        """Events matching every filter, oldest first.

        ``q``: every word must occur in the summary (case-insensitive). ``start``/``end``:
        dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), inclusive. ``domain``: comma-separated
        domains. ``actor``: an actor code (as actor or target). ``dyad_only``: only U.S.-Russia,
        by the dyad rule of :mod:`resetlab.record.dyad`.
        """
        all_events = self._all_events()
        ev = all_events
        if dyad_only:
            ev = ev[in_dyad(ev, DEFAULT_DYAD)]  # the one dyad rule (NATO on the U.S. side)
        if q:
            for word in q.split():
                ev = ev[ev["summary"].str.contains(word, case=False, regex=False)]
        lo = _bound(start, "from", end=False) if start else None
        hi = _bound(end, "to", end=True) if end else None
        if lo is not None and hi is not None and hi < lo:
            raise BadQuery(f"to ({end}) is before from ({start})")
        if lo is not None:
            ev = ev[ev["day"] >= lo]
        if hi is not None:
            ev = ev[ev["day"] <= hi]
        if domain:
            wanted = {d.strip() for d in domain.split(",") if d.strip()}
            known = set(all_events["domain"])
            unknown = sorted(wanted - known)
            if unknown:
                raise BadQuery(
                    f"domain: unknown {', '.join(unknown)} (known: {', '.join(sorted(known))})"
                )
            ev = ev[ev["domain"].isin(wanted)]
        if actor:
            code = actor.strip().upper()
            ev = ev[(ev["actor"] == code) | (ev["target"] == code)]
        return ev.loc[:, [c for c in EVENT_FIELDS if c in ev.columns]]

    def _all_events(self) -> pd.DataFrame:
        with self._lock:
            if self._events is None:
                self._events = self._open().events()
            return self._events

    def table(self, name: str) -> pd.DataFrame:
        """A store table (treaties, treaty_events, elections, leaders, unga_agreement)."""
        with self._lock:
            return self._open().table(name)

    # -- writing -----------------------------------------------------------------------
    def import_bytes(
        self, data: bytes, name: str, fmt: str | None, dyad: tuple[str, str] | None
    ) -> dict[str, Any]:
        """Import an event file's bytes into the store, then re-estimate the index.

        All rows go in or none do (:meth:`Store.import_events`); errors list line and field.
        """
        from resetlab.record.importers import read_events

        safe = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name).name) or "upload.csv"
        frame = read_events(data, fmt, dyad=dyad, name=safe)
        if self._thread is not None:
            self._thread.join()  # no estimation reads the connection about to close
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
            try:
                with Store.open(self.settings.store_path) as writer:
                    result = writer.import_events(frame, file=safe, fmt=fmt or "auto")
            finally:
                store = self._open()  # back to read-only, also after a failed import
            self._events = store.events()
        self._refresh()
        return {"file": result.file, "added": result.added, "merged": result.merged}
