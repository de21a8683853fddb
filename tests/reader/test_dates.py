from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resetlab.exceptions import ReaderError
from resetlab.reader.dates import find_dates, parse_published

PUB = date(2011, 7, 1)  # a Friday


def values(text: str, published: date | None = PUB) -> list[tuple[str | None, str | None]]:
    return [(d.value, d.precision) for d in find_dates(text, published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("announced on February 7, 2009, in Munich", [("2009-02-07", "day")]),
        ("on 5 February 2011 it entered into force", [("2011-02-05", "day")]),
        ("a delegation went in Jun 2010", [("2010-06", "month")]),
        ("launched in early 2009", [("2009", "year")]),
        ("they met yesterday", [("2011-06-30", "day")]),
        ("talks last month failed", [("2011-06", "month")]),
        ("signed late last year", [("2010", "year")]),
        ("agreed two and a half years ago", [("2009-01", "month")]),
        ("they spoke on Friday", [("2011-06-24", "day")]),
        ("a deadline of March 14", [("2011-03-14", "day")]),
    ],
)
def test_resolves_dates(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


def test_relative_dates_need_a_publication_date() -> None:
    assert values("they met yesterday", None) == [(None, None)]
    assert values("in 2009 they met", None) == [("2009", "year")]


def test_not_dates() -> None:
    assert values("Russia bans 92 U.S. citizens") == []
    assert values("the 1990s Gore-Chernomyrdin Commission and Reset 2.0") == []


def test_boundary_words_are_marked() -> None:
    (d,) = find_dates("everything done since February 2022", PUB)
    assert d.boundary and d.value == "2022-02"
    (d,) = find_dates("it happened in February 2022", PUB)
    assert not d.boundary


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2040, 12, 31)))
def test_explicit_day_round_trip(d: date) -> None:
    text = f"It happened on {d:%B} {d.day}, {d.year}."
    assert values(text, None) == [(d.isoformat(), "day")]


@given(st.dates(min_value=date(1950, 1, 2), max_value=date(2040, 12, 31)))
def test_yesterday_is_the_day_before(pub: date) -> None:
    assert values("the meeting yesterday", pub) == [((pub - timedelta(days=1)).isoformat(), "day")]


def test_parse_published() -> None:
    assert parse_published("2024-09-02") == date(2024, 9, 2)
    assert parse_published("September 02, 2024") == date(2024, 9, 2)
    with pytest.raises(ReaderError, match="not a date"):
        parse_published("next to nothing")
