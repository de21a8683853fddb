"""Who is who: the two states, their leaders and institutions, with terms of office.

Terms let a role resolve to a person at a date ("the Russian president" in 2009 is
Medvedev). Dates were checked against published pages (see ``SOURCES``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

#: Where the term dates below were checked (page addresses seen when writing this table).
SOURCES: tuple[str, ...] = (
    "http://citizendium.net/wiki/index.php?oldid=190868&title=President_of_the_United_States_of_America%2FCatalogs",
    "https://en.wikipedia.org/wiki/List_of_presidents_of_the_United_States?oldid=930773749",
    "https://www.newser.com/story/362820/donald-trump-sworn-in-as-47th-president.html",
    "https://www.rightsinrussia.org/31-december-1999/",
    "https://historica.fandom.com/wiki/Dmitry_Medvedev",
    "https://worldhistoryproject.org/2008/5/7/dmitry-medvedev-takes-office-as-president-of-russia",
    "https://sputnikglobe.com/20240309/tough-negotiator-with-remarkable-wit-20-years-of-sergey-lavrov-at-helm-of-russian-diplomacy-1117226217.html",
    "https://review.clateway.com/wiki/view_html.php?q=Hillary_Clinton%27s_tenure_as_Secretary_of_State",
)

USA = "USA"
RUS = "RUS"
#: The Russian Federation as a state the record covers (Soviet dissolution, Dec 1991).
RUS_FROM = date(1991, 12, 25)


@dataclass(frozen=True)
class Term:
    """One person holding one role for one state, ``start`` inclusive, ``end`` exclusive."""

    person: str
    role: str
    state: str
    start: date
    end: date | None


TERMS: tuple[Term, ...] = (
    Term("George H. W. Bush", "president", USA, date(1989, 1, 20), date(1993, 1, 20)),
    Term("Bill Clinton", "president", USA, date(1993, 1, 20), date(2001, 1, 20)),
    Term("George W. Bush", "president", USA, date(2001, 1, 20), date(2009, 1, 20)),
    Term("Barack Obama", "president", USA, date(2009, 1, 20), date(2017, 1, 20)),
    Term("Donald Trump", "president", USA, date(2017, 1, 20), date(2021, 1, 20)),
    Term("Joe Biden", "president", USA, date(2021, 1, 20), date(2025, 1, 20)),
    Term("Donald Trump", "president", USA, date(2025, 1, 20), None),
    Term("Hillary Clinton", "secretary of state", USA, date(2009, 1, 21), date(2013, 2, 1)),
    Term("Boris Yeltsin", "president", RUS, date(1991, 7, 10), date(1999, 12, 31)),
    Term("Vladimir Putin", "president", RUS, date(1999, 12, 31), date(2008, 5, 7)),
    Term("Dmitry Medvedev", "president", RUS, date(2008, 5, 7), date(2012, 5, 7)),
    Term("Vladimir Putin", "president", RUS, date(2012, 5, 7), None),
    Term("Sergey Lavrov", "foreign minister", RUS, date(2004, 3, 9), None),
)


def holder(state: str, role: str, on: date) -> str | None:
    """Who held ``role`` for ``state`` on a date, or None if the table does not say."""
    for t in TERMS:
        if t.state == state and t.role == role and t.start <= on and (t.end is None or on < t.end):
            return t.person
    return None


# Names and institutions that stand for one side. Case-sensitive on purpose ("US", not "us").
_US_WORDS = (
    r"United States|U\.S\.|USA|US|America|Americans?|Washington|White House|Pentagon|"
    r"State Department|Obama|Biden|Clinton|Trump|Bush|Pompeo|Kerry|Tillerson|Blinken|Rubio|"
    r"Sullivan|Harris|Albright|Berger|Powell|Rumsfeld|Rice|Hagel|Waltz|Witkoff|Carney|"
    r"Fleischer|Psaki|Congress|Senate|Treasury|Foggy Bottom|Air Force One|Reagan|Nixon|"
    # Cold War presidents and secretaries of state
    r"Truman|Eisenhower|Kennedy|Lyndon Johnson|Gerald Ford|Carter|Acheson|Dulles|Rusk|"
    r"Kissinger|Vance|Shultz"
)
_RU_WORDS = (
    r"Russian Federation|Russians?|Russia|Moscow|Kremlin|Putin|Medvedev|Lavrov|Yeltsin|"
    r"Soviet Union|Soviets?|Gorbachev|Primakov|Rogozin|Ushakov|Peskov|Yastrzhembsky|"
    r"Chernomyrdin|Duma|Smolensk Square|USSR|U\.S\.S\.R\.|Kozyrev|"
    # Soviet leaders and foreign ministers
    r"Stalin|Malenkov|Bulganin|Khrushchev|Brezhnev|Kosygin|Andropov|Chernenko|Molotov|"
    r"Gromyko|Shevardnadze|Dobrynin"
)
US_RE = re.compile(rf"(?<![\w.])(?:{_US_WORDS})(?![\w])")
RU_RE = re.compile(rf"(?<![\w.])(?:{_RU_WORDS})(?![\w])")
#: Roles that resolve to a person through :data:`TERMS`.
ROLE_RE = re.compile(
    r"\bthe (?P<state>Russian|U\.S\.|US|American) (?P<role>president|foreign minister)\b",
    re.IGNORECASE,
)
#: Bilateral treaties: a sentence naming one implies both sides.
TREATY_RE = re.compile(r"\b(New START|INF Treaty|INF|START|ABM Treaty|Open Skies)\b")


@dataclass(frozen=True)
class Mention:
    """A mention of one side in a sentence: character span and state code."""

    start: int
    end: int
    state: str
    text: str


def side_mentions(sentence: str) -> list[Mention]:
    """Every mention of the U.S. or Russia in a sentence, in order."""
    out = [Mention(m.start(), m.end(), USA, m.group(0)) for m in US_RE.finditer(sentence)]
    out += [Mention(m.start(), m.end(), RUS, m.group(0)) for m in RU_RE.finditer(sentence)]
    return sorted(out, key=lambda m: m.start)


def resolve_roles(sentence: str, on: date) -> list[tuple[str, str]]:
    """``(phrase, person)`` for each role phrase in a sentence resolved at a date."""
    out = []
    for m in ROLE_RE.finditer(sentence):
        state = RUS if m.group("state").lower() == "russian" else USA
        person = holder(state, m.group("role").lower(), on)
        if person:
            out.append((m.group(0), person))
    return out
