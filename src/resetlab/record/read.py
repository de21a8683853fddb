"""The one read API of the record: everything downstream (index, model, fit, web) takes the
record from a :class:`~resetlab.record.store.Store` through :func:`read_record`.

A :class:`Record` holds the store's events (every source joined, as
:meth:`Store.events` gives them), the treaty and treaty-event tables, the election and
leader tables and the UN General Assembly agreement table, each with the parsed day columns
the readers of :mod:`resetlab.record.calendars` and :mod:`resetlab.record.treaties` add
(``day``; ``start_day``/``end_day``). :func:`builtin_record` is the record of the package's
own data, built once into an in-memory store; each call hands out fresh copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from resetlab.exceptions import StoreError
from resetlab.record.schema import parse_date

if TYPE_CHECKING:
    from resetlab.record.store import Store


#: The record's tables besides the events: field of :class:`Record` -> store table.
TABLES: dict[str, str] = {
    "treaties": "treaties",
    "treaty_events": "treaty_events",
    "elections": "elections",
    "leaders": "leaders",
    "unga": "unga_agreement",
    "contacts": "contacts",
    "incidents": "mie_incidents",
    "un_debate": "ungdc_mentions",
}


@dataclass(frozen=True)
class Record:
    """The record as a store holds it (see the module docstring for the columns); a table
    the store lacks (one opened without ``build``) is None."""

    events: pd.DataFrame
    treaties: pd.DataFrame | None = None
    treaty_events: pd.DataFrame | None = None
    elections: pd.DataFrame | None = None
    leaders: pd.DataFrame | None = None
    unga: pd.DataFrame | None = None
    contacts: pd.DataFrame | None = None
    incidents: pd.DataFrame | None = None
    un_debate: pd.DataFrame | None = None

    def copy(self) -> Record:
        """A record whose frames are copies of this one's (safe to change)."""
        return Record(
            self.events.copy(),
            **{k: None if (v := getattr(self, k)) is None else v.copy() for k in TABLES},
        )

    def require(self, name: str) -> pd.DataFrame:
        """Table ``name`` (a field of this class); :class:`StoreError` if the store lacked it."""
        frame = getattr(self, name)
        if frame is None:
            raise StoreError(
                f"the record has no {TABLES[name]!r} table; open the store with build=True "
                "(or run `resetlab record build`) to load the built-in record",
                exit_code=2,
            )
        return frame  # type: ignore[no-any-return]


def _treaty_events(frame: pd.DataFrame) -> pd.DataFrame:
    df = frame.copy()
    df["day"] = [
        pd.Timestamp(parse_date(str(d), str(p)).day)
        for d, p in zip(df["date"], df["precision"], strict=True)
    ]
    return df.sort_values(["treaty", "day"], kind="stable").reset_index(drop=True)


def _elections(frame: pd.DataFrame) -> pd.DataFrame:
    df = frame.copy()
    df["day"] = pd.to_datetime(df["date"], format="%Y-%m-%d")
    return df.sort_values(["day", "country"], kind="stable").reset_index(drop=True)


def _leaders(frame: pd.DataFrame) -> pd.DataFrame:
    df = frame.copy()
    df["start_day"] = pd.to_datetime(df["start"], format="%Y-%m-%d")
    df["end_day"] = pd.to_datetime(df["end"].replace("", None), format="%Y-%m-%d")
    return df.sort_values(["country", "role", "start_day"], kind="stable").reset_index(drop=True)


_PARSE = {"treaty_events": _treaty_events, "elections": _elections, "leaders": _leaders}


def read_record(store: Store) -> Record:
    """The record held by ``store``: its events (built-in and imported) and its tables."""
    have = {str(r[0]) for r in store.con.execute("SHOW TABLES").fetchall()}
    tables: dict[str, pd.DataFrame | None] = {}
    for name, table in TABLES.items():
        if table not in have:
            tables[name] = None
            continue
        frame = store.table(table)
        tables[name] = _PARSE[name](frame) if name in _PARSE else frame
    return Record(store.events(), **tables)


@lru_cache(maxsize=1)
def _builtin_record() -> Record:
    from resetlab.record.store import Store

    with Store.open(":memory:", build=True) as store:
        return read_record(store)


def builtin_record() -> Record:
    """The package's own record (read once through an in-memory store); fresh copies."""
    return _builtin_record().copy()


__all__ = ["Record", "builtin_record", "read_record"]
