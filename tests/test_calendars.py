"""Election calendars and leaders: loaders, months to next election, leader lookups."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from resetlab.exceptions import RecordError
from resetlab.record.calendars import (
    ROLES,
    leader_on,
    leader_tenure_months,
    load_elections,
    load_leaders,
    months_to_next_election,
    top_leader,
)

EL_HEADER = "country,kind,date,summary,source_publication,source_title,source_url,date_checked\n"
LD_HEADER = "country,role,name,start,end,source_publication,source_title,source_url,date_checked\n"
SRC = "Pub,Title,http://x,true"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_elections_cover_both_countries() -> None:
    el = load_elections()
    us = el[el["country"] == "USA"]
    ru = el[el["country"] == "RUS"]
    assert set(us["kind"]) == {"presidential", "midterm"}
    assert {"presidential", "presidential_runoff", "duma"} == set(ru["kind"])
    # US general elections every two years 1948..2026.
    assert sorted(int(d[:4]) for d in us["date"]) == list(range(1948, 2027, 2))
    assert set(us.loc[us["day"].dt.year % 4 == 0, "kind"]) == {"presidential"}
    assert set(us.loc[us["day"].dt.year % 4 == 2, "kind"]) == {"midterm"}
    assert ru.loc[ru["kind"] == "presidential_runoff", "date"].tolist() == ["1996-07-03"]


def test_us_election_days_follow_the_statutory_rule() -> None:
    # 2 U.S.C. 7 / 3 U.S.C. 1: the Tuesday after the first Monday in November (2-8 November).
    us = load_elections().query("country == 'USA'")
    assert (us["day"].dt.month == 11).all()
    assert (us["day"].dt.day_of_week == 1).all()
    assert us["day"].dt.day.between(2, 8).all()


def test_builtin_leaders_have_no_overlaps_and_one_incumbent_per_role() -> None:
    ld = load_leaders()
    open_terms = ld[ld["end"] == ""]
    assert sorted(open_terms[["country", "role"]].itertuples(index=False, name=None)) == [
        ("RUS", "foreign_minister"),
        ("RUS", "president"),
        ("RUS", "prime_minister"),
        ("USA", "president"),
        ("USA", "secretary_of_state"),
    ]


@pytest.mark.parametrize(
    ("date", "country", "role", "name"),
    [
        ("2009-06-01", "RUS", "president", "Dmitry Medvedev"),
        ("2009-06-01", "RUS", "prime_minister", "Vladimir Putin"),
        ("2009-06-01", "USA", "president", "Barack Obama"),
        ("2009-06-01", "USA", "secretary_of_state", "Hillary Clinton"),
        ("2009-06-01", "RUS", "foreign_minister", "Sergei Lavrov"),
        ("1995-01-01", "RUS", "president", "Boris Yeltsin"),
        ("2000-01-15", "RUS", "president", "Vladimir Putin"),
        ("2017-01-20", "USA", "president", "Donald Trump"),  # incoming on handover day
        ("2017-01-19", "USA", "president", "Barack Obama"),
        ("1970-01-01", "RUS", "party_leader", "Leonid Brezhnev"),
        ("1970-01-01", "RUS", "prime_minister", "Alexei Kosygin"),
        ("1970-01-01", "RUS", "foreign_minister", "Andrei Gromyko"),
        ("1970-01-01", "USA", "secretary_of_state", "William P. Rogers"),
        ("1946-06-01", "USA", "secretary_of_state", "James F. Byrnes"),
        ("1991-06-01", "RUS", "president", "Mikhail Gorbachev"),  # USSR side to 25 Dec 1991
        ("1999-05-20", "RUS", "prime_minister", "Sergei Stepashin"),  # Duma vote 19 May
        ("1999-08-16", "RUS", "prime_minister", "Vladimir Putin"),  # Duma vote 16 Aug
    ],
)
def test_leader_on(date: str, country: str, role: str, name: str) -> None:
    assert leader_on(date, country, role) == name


def test_leader_on_unknown_role_or_gap_raises() -> None:
    with pytest.raises(RecordError):
        leader_on("2009-06-01", "USA", "prime_minister")
    with pytest.raises(RecordError):
        leader_on("2009-06-01", "FRA")
    with pytest.raises(RecordError):  # acting secretary Eagleburger (Aug-Dec 1992) left out
        leader_on("1992-10-01", "USA", "secretary_of_state")
    with pytest.raises(RecordError):  # before the first U.S. row (Truman, 12 Apr 1945)
        leader_on("1945-01-01", "USA", "president")


def test_party_leader_is_a_soviet_role_only(tmp_path: Path) -> None:
    assert "party_leader" in ROLES["RUS"]
    assert "party_leader" not in ROLES["USA"]
    ld = load_leaders()
    secretaries = ld[(ld["country"] == "RUS") & (ld["role"] == "party_leader")]
    assert secretaries["name"].tolist() == [
        "Joseph Stalin", "Nikita Khrushchev", "Leonid Brezhnev", "Yuri Andropov",
        "Konstantin Chernenko", "Mikhail Gorbachev",
    ]  # fmt: skip
    assert (secretaries["end"] != "").all()  # the office ends with Gorbachev in Aug 1991
    bad = _write(tmp_path, "l.csv", LD_HEADER + f"USA,party_leader,A,2000-01-20,,{SRC}\n")
    with pytest.raises(RecordError) as info:
        load_leaders(bad)
    assert [(p.line, p.field) for p in info.value.problems] == [(2, "role")]
    with pytest.raises(RecordError):  # no secretary between Stalin and Khrushchev
        leader_on("1953-06-01", "RUS", "party_leader")


@pytest.mark.parametrize(
    ("date", "country", "name"),
    [
        ("1970-01-01", "RUS", "Leonid Brezhnev"),
        ("1995-01-01", "RUS", "Boris Yeltsin"),
        ("1946-01-01", "RUS", "Joseph Stalin"),
        ("1953-03-05", "RUS", "Joseph Stalin"),  # the day he died, as premier
        ("1953-06-01", "RUS", "Georgy Malenkov"),  # no First Secretary: the premier
        ("1962-10-22", "RUS", "Nikita Khrushchev"),
        ("1985-03-11", "RUS", "Mikhail Gorbachev"),
        ("1990-03-14", "RUS", "Mikhail Gorbachev"),  # General Secretary
        ("1991-10-01", "RUS", "Mikhail Gorbachev"),  # President of the USSR, no longer secretary
        ("1991-12-25", "RUS", "Boris Yeltsin"),
        ("2009-06-01", "RUS", "Dmitry Medvedev"),
        ("1970-01-01", "USA", "Richard Nixon"),
        ("1963-11-22", "USA", "Lyndon B. Johnson"),
        ("2009-06-01", "USA", "Barack Obama"),
    ],
)
def test_top_leader(date: str, country: str, name: str) -> None:
    assert top_leader(country, date) == name


def test_top_leader_on_a_custom_table_and_its_errors(tmp_path: Path) -> None:
    ld = load_leaders(
        _write(
            tmp_path,
            "l.csv",
            LD_HEADER
            + f"RUS,party_leader,S,1950-01-01,1960-01-01,{SRC}\n"
            + f"RUS,prime_minister,P,1955-01-01,1970-01-01,{SRC}\n"
            + f"RUS,president,R,1980-01-01,,{SRC}\n",
        )
    )
    assert top_leader("RUS", "1956-01-01", ld) == "S"  # the secretary outranks the premier
    assert top_leader("RUS", "1965-01-01", ld) == "P"  # no secretary: the premier
    assert top_leader("RUS", "1990-01-01", ld) == "R"
    with pytest.raises(RecordError, match="no RUS top leader on file for 1975-01-01"):
        top_leader("RUS", "1975-01-01", ld)
    with pytest.raises(RecordError, match="no USA top leader"):
        top_leader("USA", "1990-01-01", ld)
    with pytest.raises(RecordError):
        top_leader("FRA", "1990-01-01", ld)


def test_months_to_next_election_builtin() -> None:
    months = pd.PeriodIndex(["2008-01", "2008-11", "2008-12", "2010-11"], freq="M")
    us = months_to_next_election(months, "USA")
    assert us.tolist() == [10.0, 0.0, 23.0, 0.0]
    ru = months_to_next_election(pd.PeriodIndex(["2007-12", "2008-01", "2011-12"], freq="M"), "RUS")
    assert ru.tolist() == [0.0, 2.0, 0.0]
    assert np.isnan(months_to_next_election(pd.PeriodIndex(["2027-01"], freq="M"), "USA").iloc[0])


def test_months_to_next_election_on_a_custom_calendar(tmp_path: Path) -> None:
    el = load_elections(
        _write(
            tmp_path,
            "e.csv",
            EL_HEADER
            + f"USA,midterm,2010-11-02,m,{SRC}\n"
            + f"RUS,duma,2010-03-14,d,{SRC}\n"
            + f"USA,presidential,2012-11-06,p,{SRC}\n",
        )
    )
    months = pd.period_range("2010-10", "2010-12", freq="M")
    assert months_to_next_election(months, "USA", el).tolist() == [1.0, 0.0, 23.0]
    assert months_to_next_election(months, "RUS", el).isna().all()


def test_leader_tenure_months() -> None:
    months = pd.PeriodIndex(["2012-04", "2012-05", "2013-05", "2000-05"], freq="M")
    t = leader_tenure_months(months, "RUS")
    assert t.tolist() == [47.0, 0.0, 12.0, 5.0]  # Putin counted from acting presidency 1999-12
    assert leader_tenure_months(months, "RUS", "top").tolist() == t.tolist()


def test_leader_tenure_months_across_1946_2025() -> None:
    months = pd.PeriodIndex(["1946-01", "1970-01", "1991-06", "1992-01", "2025-06"], freq="M")
    top = leader_tenure_months(months, "RUS", "top")
    # Stalin since Apr 1922; Brezhnev since Oct 1964; Gorbachev as president since Mar 1990;
    # Yeltsin from Dec 1991; Putin since May 2012.
    assert top.tolist() == [285.0, 63.0, 15.0, 1.0, 157.0]
    assert leader_tenure_months(months, "RUS", "party_leader").iloc[:2].tolist() == [285.0, 63.0]
    assert np.isnan(leader_tenure_months(months, "RUS").iloc[1])  # no president in 1970
    us = leader_tenure_months(months, "USA", "top")
    assert us.tolist() == [9.0, 12.0, 29.0, 36.0, 5.0]  # Truman from Apr 1945, Nixon, Bush, Trump
    with pytest.raises(RecordError):
        leader_tenure_months(months, "USA", "party_leader")


def test_election_loader_reports_file_line_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "e.csv",
        "# header note\n"
        + EL_HEADER
        + f"USA,midterm,2010-11-02,ok,{SRC}\n"
        + f"USA,duma,2010-11-02,x,{SRC}\n"
        + f"XXX,duma,2010-11-02,x,{SRC}\n"
        + f"RUS,duma,2010-02-30,x,{SRC}\n",
    )
    with pytest.raises(RecordError) as info:
        load_elections(path)
    found = {(p.line, p.field) for p in info.value.problems}
    assert found == {(4, "kind"), (5, "country"), (6, "date")}
    assert f"{path}:6: date:" in str(info.value)


def test_leader_loader_rejects_overlaps_and_bad_roles(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "l.csv",
        LD_HEADER
        + f"USA,president,A,2000-01-20,2004-01-20,{SRC}\n"
        + f"USA,president,B,2003-01-20,,{SRC}\n",
    )
    with pytest.raises(RecordError) as info:
        load_leaders(path)
    assert [(p.line, p.field) for p in info.value.problems] == [(3, "start")]
    bad = _write(
        tmp_path,
        "l2.csv",
        LD_HEADER
        + f"USA,foreign_minister,A,2000-01-20,,{SRC}\n"
        + f"RUS,president,B,2005-01-01,2004-01-01,{SRC}\n",
    )
    with pytest.raises(RecordError) as info2:
        load_leaders(bad)
    assert {(p.line, p.field) for p in info2.value.problems} == {(2, "role"), (3, "end")}


def _tenure_month_by_month(months: pd.PeriodIndex, country: str, role: str) -> list[float]:
    """The tenure as one lookup per month (the holder's row found by filtering the table)."""
    from resetlab.record import calendars

    df = calendars.load_leaders()
    df = df[df["country"] == country]
    if role != "top":
        df = df[df["role"] == role]
    out = []
    for m in months:
        day = m.end_time.normalize()
        row = calendars._top_row(df, country, day) if role == "top" else calendars._holder(df, day)
        out.append(
            np.nan
            if row is None
            else float(m.ordinal - pd.Period(row["start_day"], freq="M").ordinal)
        )
    return out


@pytest.mark.parametrize(
    ("country", "role"),
    [("RUS", "top"), ("USA", "top"), ("RUS", "president"), ("RUS", "party_leader"),
     ("RUS", "prime_minister"), ("RUS", "foreign_minister"), ("USA", "president"),
     ("USA", "secretary_of_state")],
)  # fmt: skip
@pytest.mark.parametrize("every_month", [pytest.param(True, marks=pytest.mark.slow), False])
def test_tenure_equals_the_month_by_month_lookup(
    country: str, role: str, every_month: bool
) -> None:
    """Every month of 1946-2026 (slow), or by default the months either side of each change
    of holder (where an off-by-one would show) and one month a year."""
    months = pd.period_range("1946-01", "2026-06", freq="M")
    if not every_month:
        from resetlab.record import calendars

        df = calendars.load_leaders()
        changes = pd.PeriodIndex(pd.to_datetime(df["start_day"]), freq="M")
        near = {c + k for c in changes for k in (-1, 0, 1)} | set(months[::12])
        months = pd.PeriodIndex(sorted(m for m in near if months[0] <= m <= months[-1]))
    got = leader_tenure_months(months, country, role).to_numpy()
    np.testing.assert_array_equal(got, np.array(_tenure_month_by_month(months, country, role)))
