"""Political calendars: national election dates and leaders' terms in the U.S. and Russia.

Why: election seasons can halt a reset (mechanism M7) and the two sides' time horizons differ
(M20); the model and the claim tests read months-to-next-election and leader tenure.

A month's leader is the one in office on the last day of that month. The tables run from 1946;
the Soviet Union is the Russian side of the dyad (``RUS``) until 25 Dec 1991, as in the
Correlates of War. The Soviet roles are ``party_leader`` (General or First Secretary of the
Communist Party), ``president`` (Gorbachev as President of the USSR from 15 Mar 1990, then the
presidents of Russia), ``prime_minister`` (Chairman of the Council of Ministers, then Prime
Minister) and ``foreign_minister``. :func:`top_leader` names each side's paramount leader.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date as _date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from resetlab.config import data_dir
from resetlab.exceptions import Problem, RecordError
from resetlab.record.treaties import SOURCE_COLUMNS, check_day, check_source, read_checked

COUNTRIES: tuple[str, ...] = ("USA", "RUS")
ELECTION_KINDS: dict[str, tuple[str, ...]] = {
    "USA": ("presidential", "midterm"),
    "RUS": ("presidential", "presidential_runoff", "duma"),
}
ROLES: dict[str, tuple[str, ...]] = {
    "USA": ("president", "secretary_of_state"),
    "RUS": ("party_leader", "president", "prime_minister", "foreign_minister"),
}
ELECTION_COLUMNS: tuple[str, ...] = ("country", "kind", "date", "summary", *SOURCE_COLUMNS)
LEADER_COLUMNS: tuple[str, ...] = ("country", "role", "name", "start", "end", *SOURCE_COLUMNS)


def _check_country(row: dict[str, str], bad: Callable[[str, str], None]) -> bool:
    if row["country"] not in COUNTRIES:
        bad("country", f"{row['country']!r} is not one of {', '.join(COUNTRIES)}")
        return False
    return True


def load_elections(path: Path | None = None) -> pd.DataFrame:
    """National elections (``elections.csv``), checked; adds ``day`` (Timestamp), sorted by date."""
    path = data_dir() / "elections.csv" if path is None else path

    def check(row: dict[str, str], bad: Callable[[str, str], None]) -> None:
        if _check_country(row, bad) and row["kind"] not in ELECTION_KINDS[row["country"]]:
            kinds = ", ".join(ELECTION_KINDS[row["country"]])
            bad("kind", f"{row['kind']!r} is not a {row['country']} election kind ({kinds})")
        check_day(row, "date", bad)
        check_source(row, bad)

    df = read_checked(path, ELECTION_COLUMNS, check)
    df["day"] = pd.to_datetime(df["date"], format="%Y-%m-%d")
    return df.sort_values(["day", "country"], kind="stable").reset_index(drop=True)


def load_leaders(path: Path | None = None) -> pd.DataFrame:
    """Leaders' terms (``leaders.csv``), checked: roles per country, start before end, no overlap.

    Adds ``start_day`` and ``end_day`` (Timestamps; ``end_day`` NaT while in office).
    """
    path = data_dir() / "leaders.csv" if path is None else path

    def check(row: dict[str, str], bad: Callable[[str, str], None]) -> None:
        if _check_country(row, bad) and row["role"] not in ROLES[row["country"]]:
            bad("role", f"{row['role']!r} is not a {row['country']} role")
        if not row["name"]:
            bad("name", "missing (required)")
        check_day(row, "start", bad)
        if row["end"]:
            check_day(row, "end", bad)
            if row["end"] < row["start"]:
                bad("end", f"{row['end']} is before start {row['start']}")
        check_source(row, bad)

    df = read_checked(path, LEADER_COLUMNS, check)
    df["start_day"] = pd.to_datetime(df["start"], format="%Y-%m-%d")
    df["end_day"] = pd.to_datetime(df["end"].replace("", None), format="%Y-%m-%d")
    df = df.sort_values(["country", "role", "start_day"], kind="stable").reset_index(drop=True)
    problems: list[Problem] = []
    for _, g in df.groupby(["country", "role"], sort=False):
        prev = None
        for _, r in g.iterrows():
            if prev is not None and (pd.isna(prev["end_day"]) or r["start_day"] < prev["end_day"]):
                problems.append(
                    Problem(str(path), int(r["line"]), "start",
                            f"{r['name']} starts before {prev['name']} (line {prev['line']}) ends")
                )  # fmt: skip
            prev = r
    if problems:
        raise RecordError(f"{len(problems)} overlapping term(s) in {path.name}", problems)
    return df


@lru_cache(maxsize=1)
def _read_elections() -> pd.DataFrame:
    return load_elections()


@lru_cache(maxsize=1)
def _read_leaders() -> pd.DataFrame:
    return load_leaders()


def _elections() -> pd.DataFrame:
    """The built-in elections table (read once; a fresh copy each call)."""
    return _read_elections().copy()


def _leaders() -> pd.DataFrame:
    """The built-in leaders table (read once; a fresh copy each call)."""
    return _read_leaders().copy()


def _country(country: str) -> str:
    if country not in COUNTRIES:
        raise RecordError(f"country {country!r} is not one of {', '.join(COUNTRIES)}")
    return country


def months_to_next_election(
    months: pd.PeriodIndex, country: str, elections: pd.DataFrame | None = None
) -> pd.Series:
    """Whole months from each month to the month of ``country``'s next national election.

    0 in an election month (also after election day: the month is the campaign's end);
    NaN after the last election on file.
    """
    country = _country(country)
    el = _elections() if elections is None else elections
    el_months = sorted(
        {p.ordinal for p in pd.PeriodIndex(el.loc[el["country"] == country, "day"], freq="M")}
    )
    months = pd.PeriodIndex(months, freq="M")
    ords = np.array([m.ordinal for m in months])
    idx = np.searchsorted(np.array(el_months, dtype=np.int64), ords, side="left")
    out = np.full(len(ords), np.nan)
    ok = idx < len(el_months)
    out[ok] = np.array(el_months, dtype=np.int64)[idx[ok]] - ords[ok]
    return pd.Series(out, index=months, name=f"months_to_election_{country}")


def _holder(df: pd.DataFrame, day: pd.Timestamp) -> pd.Series | None:
    on = df[(df["start_day"] <= day) & (df["end_day"].isna() | (df["end_day"] > day))]
    return None if on.empty else on.iloc[-1]


def _holder_starts(df: pd.DataFrame, days: np.ndarray) -> np.ndarray:
    """For each of ``days``, the start day of :func:`_holder`'s row (the last row of ``df`` in
    office that day), NaT where nobody is: one comparison of all rows with all days."""
    start = df["start_day"].to_numpy(dtype="datetime64[us]")
    end = df["end_day"].to_numpy(dtype="datetime64[us]")
    on = (start[:, None] <= days[None, :]) & (
        np.isnat(end)[:, None] | (end[:, None] > days[None, :])
    )
    out = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[us]")
    if len(df) == 0:
        return out
    last = len(df) - 1 - np.argmax(on[::-1], axis=0)
    held = on.any(axis=0)
    out[held] = start[last[held]]
    return out


def leader_on(
    date: str | _date | pd.Timestamp,
    country: str,
    role: str = "president",
    leaders: pd.DataFrame | None = None,
) -> str:
    """Name of ``country``'s holder of ``role`` on ``date`` (the incoming one on a handover day).

    Raises :class:`RecordError` when nobody on file held the role that day (e.g. an acting
    holder left out, or a date outside the table).
    """
    country = _country(country)
    if role not in ROLES[country]:
        raise RecordError(f"role {role!r} is not one of {', '.join(ROLES[country])} for {country}")
    df = _leaders() if leaders is None else leaders
    df = df[(df["country"] == country) & (df["role"] == role)]
    day = pd.Timestamp(date)
    row = _holder(df, day)
    if row is None:
        raise RecordError(f"no {country} {role} on file for {day.date()}")
    return str(row["name"])


def _top_row(df: pd.DataFrame, country: str, day: pd.Timestamp) -> pd.Series | None:
    """The paramount leader's row on ``day`` among ``country``'s rows (see :func:`top_leader`)."""
    presidents = df[df["role"] == "president"]
    if country == "USA" or (not presidents.empty and day >= presidents["start_day"].min()):
        order: tuple[str, ...] = ("president",)
    else:
        order = ("party_leader", "prime_minister")
    for role in order:
        row = _holder(df[df["role"] == role], day)
        if row is not None:
            return row
    return None


def top_leader(
    country: str,
    date: str | _date | pd.Timestamp,
    leaders: pd.DataFrame | None = None,
) -> str:
    """Name of ``country``'s paramount leader on ``date``.

    USA: the president. RUS: the president from the first presidential term on file
    (Gorbachev, 15 Mar 1990) on; before that the party's General or First Secretary; where no
    secretary held office (from Stalin's death on 5 Mar 1953 to Khrushchev's election as First
    Secretary on 7 Sep 1953) the Chairman of the Council of Ministers: Stalin on the day he died,
    then Malenkov. Raises :class:`RecordError` when nobody on file fits.
    """
    country = _country(country)
    df = _leaders() if leaders is None else leaders
    day = pd.Timestamp(date)
    row = _top_row(df[df["country"] == country], country, day)
    if row is None:
        raise RecordError(f"no {country} top leader on file for {day.date()}")
    return str(row["name"])


def leader_tenure_months(
    months: pd.PeriodIndex,
    country: str,
    role: str = "president",
    leaders: pd.DataFrame | None = None,
) -> pd.Series:
    """Whole months the holder of ``role`` at each month's end has been in office (start month 0).

    ``role="top"`` follows :func:`top_leader` (e.g. Brezhnev's months as General Secretary in
    1970, Gorbachev's as President of the USSR in 1991) and counts from the start of the
    office held. A new term by the same person after a gap (Putin 2012) starts a new count;
    NaN when no holder is on file.
    """
    country = _country(country)
    if role != "top" and role not in ROLES[country]:
        raise RecordError(f"role {role!r} is not one of top, {', '.join(ROLES[country])}")
    df = _leaders() if leaders is None else leaders
    df = df[df["country"] == country]
    if role != "top":
        df = df[df["role"] == role]
    months = pd.PeriodIndex(months, freq="M")
    days = months.end_time.normalize().to_numpy(dtype="datetime64[us]")
    if role == "top":
        presidents = df[df["role"] == "president"]
        if country == "USA":
            first_president = np.full(len(days), True)
        elif presidents.empty:
            first_president = np.full(len(days), False)
        else:
            first_president = days >= presidents["start_day"].min().to_datetime64()
        start = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[us]")
        for r, use in (
            ("president", first_president),
            ("party_leader", ~first_president),
            ("prime_minister", ~first_president),
        ):
            rows = df[df["role"] == r]
            found = _holder_starts(rows, days)
            fill = use & np.isnat(start) & ~np.isnat(found)
            start[fill] = found[fill]
    else:
        start = _holder_starts(df, days)
    start_month = pd.PeriodIndex(pd.DatetimeIndex(start), freq="M")
    out = np.where(np.isnat(start), np.nan, months.asi8 - start_month.asi8).astype(float)
    return pd.Series(out, index=months, name=f"tenure_{country}_{role}")


__all__ = [
    "COUNTRIES",
    "ELECTION_KINDS",
    "ROLES",
    "leader_on",
    "leader_tenure_months",
    "load_elections",
    "load_leaders",
    "months_to_next_election",
    "top_leader",
]
