"""Date mentions in a sentence, resolved against the publication date.

Explicit dates ("February 7, 2009", "Jun 2010", "in 1992") are parsed here; relative ones
("yesterday", "last month", "on Friday", "late last year", "two and a half years ago",
"in February")
need the publication date and are left unresolved without it. ``dateparser`` (from the
``[reader]`` extra) is used only for free-form publication dates.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from resetlab.exceptions import ReaderError

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?:19[4-9]\d|20[0-4]\d)"
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mdy", re.compile(rf"\b(?P<m>{_MONTH_RE}) (?P<d>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y>{_YEAR})\b")),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}}) (?P<m>{_MONTH_RE}),? (?P<y>{_YEAR})\b")),
    ("my", re.compile(rf"\b(?P<m>{_MONTH_RE}),?(?: of)? (?P<y>{_YEAR})\b")),
    ("md", re.compile(rf"\b(?P<m>{_MONTH_RE}) (?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,? \d)")),
    ("mo", re.compile(
        r"\b(?P<pre>[Ii]n |[Ll]ast |[Ee]arly |[Ll]ate |[Mm]id-)(?P<m>January|February|March|"
        r"April|May|June|July|August|September|October|November|December)\b"
        r"(?!,? ?\d| of \d)")),
    ("ago", re.compile(
        r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
        r"(?P<half> and a half)? (?P<unit>years?|months?|weeks?|days?) ago\b", re.I)),
    ("rel", re.compile(
        r"\b(?P<mod>early |late |earlier |later )?(?P<which>last|this|next|previous) "
        r"(?P<unit>year|month|week)\b", re.I)),
    ("day", re.compile(r"\b(?P<word>yesterday|today|tomorrow)\b", re.I)),
    ("wd", re.compile(
        r"\b(?P<last>[Oo]n |[Ll]ast )?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
        rf"Sunday)\b(?! (?:night|morning|evening)? ?(?:next|after))(?!,? {_MONTH_RE} \d)")),
    ("y", re.compile(rf"(?<![\d.,$-])(?P<mod>(?:early|late|mid|mid-)\s?)?(?P<y>{_YEAR})(?![\d]|s\b|'s\b|-\d)")),
)  # fmt: skip

#: Words before a date that make it a period boundary, not the time of an event.
BOUNDARY_WORDS = ("since", "after", "before", "until", "till", "by", "from", "through", "to")


@dataclass(frozen=True)
class DateMention:
    """A date found in a sentence: its span, text, resolved value and precision.

    ``value`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` by ``precision``, or None when a
    relative date has no publication date to anchor it. ``boundary`` marks "since 2010",
    "by March 14" and the like.
    """

    start: int
    end: int
    text: str
    value: str | None
    precision: str | None
    relative: bool
    boundary: bool


def _fmt(d: date, precision: str) -> str:
    return {"day": d.isoformat(), "month": d.isoformat()[:7], "year": str(d.year)}[precision]


def _shift_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def _resolve(kind: str, m: re.Match[str], published: date | None) -> tuple[str | None, str | None]:
    g = m.groupdict()
    if kind in ("mdy", "dmy"):
        month = _MONTHS[g["m"].rstrip(".").lower()]
        try:
            return _fmt(date(int(g["y"]), month, int(g["d"])), "day"), "day"
        except ValueError:
            return None, None
    if kind == "my":
        return f"{int(g['y']):04d}-{_MONTHS[g['m'].rstrip('.').lower()]:02d}", "month"
    if kind == "y":
        return g["y"], "year"
    if published is None:
        return None, None
    if kind == "md":
        try:
            return _fmt(
                date(published.year, _MONTHS[g["m"].rstrip(".").lower()], int(g["d"])), "day"
            ), "day"
        except ValueError:
            return None, None
    if kind == "mo":
        # a month named without a year is in the publication's year ("in February" in a
        # December article); one after the publication month is then a plan, which makes
        # no event. "last June" is the latest June before the publication month.
        month = _MONTHS[g["m"].lower()]
        year = published.year
        if g["pre"].strip().lower() == "last" and month >= published.month:
            year -= 1
        return f"{year:04d}-{month:02d}", "month"
    if kind == "day":
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[g["word"].lower()]
        return _fmt(published + timedelta(days=offset), "day"), "day"
    if kind == "wd":
        back = (published.weekday() - _WEEKDAYS[g["wd"].lower()]) % 7
        if back == 0 and (g.get("last") or "").lower().strip() == "last":
            back = 7
        return _fmt(published - timedelta(days=back), "day"), "day"
    if kind == "rel":
        step = {"last": -1, "previous": -1, "this": 0, "next": 1}[g["which"].lower()]
        unit = g["unit"].lower()
        if unit == "year":
            return str(published.year + step), "year"
        if unit == "month":
            return _fmt(_shift_months(published, step), "month"), "month"
        return _fmt(published + timedelta(weeks=step), "month"), "month"
    if kind == "ago":
        n = _NUMBERS.get(g["n"].lower()) if not g["n"].isdigit() else int(g["n"])
        if n is None:
            return None, None
        unit = g["unit"].lower().rstrip("s")
        half = bool(g["half"])
        if unit == "year":
            months = 12 * n + (6 if half else 0)
            return _fmt(_shift_months(published, -months), "month" if half else "year"), (
                "month" if half else "year"
            )
        if unit == "month":
            return _fmt(_shift_months(published, -n), "month"), "month"
        days = n * (7 if unit == "week" else 1)
        return _fmt(published - timedelta(days=days), "day"), "day"
    return None, None


def find_dates(sentence: str, published: date | None = None) -> list[DateMention]:
    """Every date mention in a sentence, longest match first at each position."""
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value, precision = _resolve(kind, m, published)
            if kind == "y" and _looks_like_number(sentence, m):
                continue
            taken.append((m.start(), m.end()))
            before = sentence[max(0, m.start() - 12) : m.start()].lower().split()
            boundary = bool(before) and before[-1] in BOUNDARY_WORDS
            relative = kind not in ("mdy", "dmy", "my", "y")
            out.append(
                DateMention(m.start(), m.end(), m.group(0), value, precision, relative, boundary)
            )
    return sorted(out, key=lambda d: d.start)


def _looks_like_number(sentence: str, m: re.Match[str]) -> bool:
    after = sentence[m.end() : m.end() + 12].lower()
    return bool(re.match(r"\s+(?:u\.s\.|us|citizens|people|troops|km|miles|dollars)", after))


def parse_published(text: str) -> date:
    """A publication date from ``YYYY-MM-DD`` or free text; raise ReaderError if not a date."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    for kind in ("mdy", "dmy"):
        pattern = dict(_PATTERNS)[kind]
        m = pattern.search(text)
        if m:
            value, _ = _resolve(kind, m, None)
            if value:
                return date.fromisoformat(value)
    try:
        import dateparser
    except ImportError:
        dateparser = None
    if dateparser is not None:
        parsed = dateparser.parse(text, settings={"STRICT_PARSING": True})
        if parsed is not None:
            return parsed.date()
    raise ReaderError(f"published: {text!r} is not a date (use YYYY-MM-DD)")
