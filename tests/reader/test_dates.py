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
        # news names the weekday of the day itself (AP style): a Friday paper's "on Friday"
        # is that Friday; "last Friday" is the week before
        ("they spoke on Friday", [("2011-07-01", "day")]),
        ("they spoke last Friday", [("2011-06-24", "day")]),
        ("the talks ended Wednesday", [("2011-06-29", "day")]),
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


def test_publication_date_from_line_address_and_dateline() -> None:
    from resetlab.reader.text import date_from_address, date_from_line, parse_article

    assert date_from_line("Friday, 14 December, 2001, 06:44 GMT").value == date(2001, 12, 14)  # type: ignore[union-attr]
    assert date_from_line("2025-02-19").value == date(2025, 2, 19)  # type: ignore[union-attr]
    assert date_from_line("07/19/2013 08:54 am ET").value == date(2013, 7, 19)  # type: ignore[union-attr]
    assert date_from_line("Mon, March 17 12:00 a.m. MDT") is None  # no year: not guessed
    cases = {
        "https://www.deseret.com/1991/8/1/18933837/bush": date(1991, 8, 1),
        "http://www.dailystar.com.lb/News/World/2016/Dec-30/387243-obama.ashx": date(2016, 12, 30),
        "http://edition.cnn.com/WORLD/europe/9903/29/nato.attack.01/": date(1999, 3, 29),
        "https://www.reuters.com/article/topNews/idUSTRE5260GD20090307": date(2009, 3, 7),
        "https://www.voanews.com/a/a-13-a-2001-12-19-18-bush-66952062/377941.html": date(
            2001, 12, 19
        ),
    }
    for address, expected in cases.items():
        got = date_from_address(address)
        assert got is not None and got.value == expected, address
    month = date_from_address("https://www.nationalreview.com/2017/01/reset-failure/")
    assert month is not None and month.precision == "month" and month.value == date(2017, 1, 31)
    art = parse_article(
        "x.txt", "Title: Talks\nAddress: https://example.org/a/1\n\nHelsinki, 21 March 1997 "
        "(RFE/RL) -- The presidents met today.\n"
    )  # fmt: skip
    assert art.published == date(1997, 3, 21) and art.title == "Talks"
    assert not any("Address" in s.text for s in art.sentences)


def test_relative_dates_resolve_against_the_published_line() -> None:
    from resetlab.reader.events import extract_events
    from resetlab.reader.text import parse_article

    art = parse_article(
        "x.txt",
        "Title: t\nPublished: April 05, 1993\n\nVANCOUVER -- Presidents Clinton and Boris "
        "Yeltsin cemented a partnership yesterday.\n\nClinton and Yeltsin will hold a summit in "
        "Moscow next year, and talks on Friday, April 9.\n",
    )
    events = extract_events(art.sentences, art.published)
    assert [e.date for e in events] == ["1993-04-04"]  # nothing after publication


def test_a_month_without_a_year_is_in_the_publication_year() -> None:
    from resetlab.reader.dates import find_dates

    def values(text: str, pub: date) -> list[str | None]:
        return [d.value for d in find_dates(text, pub)]

    assert values("Griner was arrested in February.", date(2022, 12, 8)) == ["2022-02"]
    assert values("They proposed a swap last July.", date(2022, 12, 8)) == ["2022-07"]
    assert values("They met last December.", date(2022, 12, 8)) == ["2021-12"]
    assert values("It will be held in June in Geneva.", date(2020, 5, 25)) == ["2020-06"]
    assert values("the invasion of August of 2008", date(2016, 8, 1)) == ["2008-08"]
    assert values("Griner was arrested in February.", None) == [None]


def test_a_month_after_publication_makes_no_event() -> None:
    from resetlab.reader.events import extract_events
    from resetlab.reader.text import sentences_of

    text = (
        "Officials said on Tuesday that nothing had changed. Washington and Moscow said the "
        "two presidents will hold a summit in June in Geneva."
    )
    assert extract_events(sentences_of(text), date(2021, 5, 25)) == []
