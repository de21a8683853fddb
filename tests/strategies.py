"""Hypothesis generators shared by the project's tests (keep every generator here).

Each function returns a strategy; compose them rather than copying them into a test file.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from hypothesis import strategies as st

from resetlab.record.builtin import cameo_table
from resetlab.record.schema import DOMAINS, EVENT_COLUMNS, ORGANISATIONS

#: Country codes used by the generators (ISO 3166-1 alpha-3).
ISO3_SAMPLE: tuple[str, ...] = ("USA", "RUS", "DEU", "FRA", "GBR", "CHN", "UKR", "GEO", "POL")

#: (field, value) pairs that each make an otherwise valid event row invalid.
CORRUPTIONS: tuple[tuple[str, str], ...] = (
    ("id", "Bad Id"),
    ("date", "2015-13-01"),
    ("precision", "week"),
    ("actor", "usa"),
    ("target", "Russia"),
    ("plover", "HUG"),
    ("goldstein", "11"),
    ("goldstein", "not-a-number"),
    ("domain", "space"),
    ("cameo", "999"),
    ("cameo", "4x"),
    ("summary", "  "),
    ("source_publication", ""),
    ("date_checked", "maybe"),
    ("source_date", "08/02/2019"),
)


def safe_text(min_size: int = 1, max_size: int = 60) -> st.SearchStrategy[str]:
    """One-line text with something besides spaces: no control, line or paragraph separators."""
    alphabet = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
    return st.text(alphabet, min_size=min_size, max_size=max_size).filter(lambda s: s.strip())


def day_dates(start: date = date(1946, 1, 1), end: date | None = None) -> st.SearchStrategy[date]:
    """Calendar days between ``start`` and ``end`` (default: today)."""
    return st.dates(min_value=start, max_value=end or date.today())


def dated(precision: str | None = None) -> st.SearchStrategy[tuple[str, str]]:
    """``(date text, precision)`` pairs valid for the event schema."""
    precisions = (
        st.sampled_from(("day", "month", "year")) if precision is None else st.just(precision)
    )

    def fmt(d: date, p: str) -> tuple[str, str]:
        text = {"day": d.isoformat(), "month": d.isoformat()[:7], "year": d.isoformat()[:4]}[p]
        return text, p

    return st.builds(fmt, day_dates(), precisions)


def cameo_rows() -> st.SearchStrategy[tuple[str, float, str, str, str]]:
    """``(code, goldstein, plover, mode, context)`` rows of the CAMEO table that have a PLOVER
    event (CAMEO 01 and 02 have none)."""
    t = cameo_table()
    rows = [
        (str(r.code), float(r.goldstein), str(r.plover), str(r.plover_mode), str(r.plover_context))
        for r in t.itertuples(index=False)
        if r.plover
    ]
    return st.sampled_from(rows)


def actor_pairs(
    codes: tuple[str, ...] = ISO3_SAMPLE, organisations: bool = True
) -> st.SearchStrategy[tuple[str, str]]:
    """Two different actor codes."""
    pool = codes + (ORGANISATIONS if organisations else ())
    return st.lists(st.sampled_from(pool), min_size=2, max_size=2, unique=True).map(
        lambda p: (p[0], p[1])
    )


def goldstein_text(weight: float) -> st.SearchStrategy[str]:
    """Spellings of a Goldstein weight as a file might hold it (``1``, ``1.0``, ``1.00``)."""
    return st.sampled_from((f"{weight:g}", f"{weight:.1f}", f"{weight:.2f}"))


@st.composite
def event_rows(draw: st.DrawFn, ident: str | None = None) -> dict[str, str]:
    """One valid event row of the project's schema (all values strings, as in the CSV)."""
    code, weight, plover, mode, context = draw(cameo_rows())
    with_cameo = draw(st.booleans())
    day_text, precision = draw(dated())
    actor, target = draw(actor_pairs())
    source_date = draw(st.one_of(st.just(""), day_dates().map(date.isoformat)))
    row = {
        "id": ident or draw(st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True)),
        "date": day_text,
        "precision": precision,
        "actor": actor,
        "target": target,
        "plover": plover,
        "plover_mode": mode,
        "plover_context": context,
        "cameo": code if with_cameo else "",
        "goldstein": draw(goldstein_text(weight)),
        "domain": draw(st.sampled_from(DOMAINS)),
        "summary": draw(safe_text(1, 120)),
        "source_publication": draw(safe_text(1, 40)),
        "source_title": draw(safe_text(1, 60)),
        "source_date": source_date,
        "source_url": draw(st.sampled_from(("", "https://example.com/a?b=1&c=2"))),
        "date_checked": draw(st.sampled_from(("true", "false"))),
        "source2_publication": "",
        "source2_title": "",
        "source2_date": "",
        "source2_url": "",
    }
    return row


@st.composite
def event_frames(draw: st.DrawFn, min_size: int = 1, max_size: int = 8) -> pd.DataFrame:
    """A frame of valid events with unique ids, ``EVENT_COLUMNS`` only, all strings."""
    n = draw(st.integers(min_size, max_size))
    rows = [draw(event_rows(ident=f"ev-{i:03d}")) for i in range(n)]
    return pd.DataFrame(rows, columns=list(EVENT_COLUMNS), dtype=object)


def corruptions() -> st.SearchStrategy[tuple[str, str]]:
    """A ``(field, bad value)`` pair from :data:`CORRUPTIONS`."""
    return st.sampled_from(CORRUPTIONS)


@st.composite
def coded_events(draw: st.DrawFn) -> dict[str, Any]:
    """A valid machine-coded event between two states of :data:`ISO3_SAMPLE`:
    ``{eid, day (date), actor, target, cameo, goldstein (str)}``."""
    code, weight, _plover, _mode, _context = draw(cameo_rows())
    actor, target = draw(actor_pairs(organisations=False))
    return {
        "eid": draw(st.integers(1, 10**9)),
        "day": draw(day_dates(date(1979, 1, 1))),
        "actor": actor,
        "target": target,
        "cameo": code,
        "goldstein": draw(goldstein_text(weight)),
    }


#: Fragments a careless user or a careful attacker puts in a file: markup, separators,
#: quotes, a byte-order mark, NUL, look-alike digits, numbers Python's ``float`` is lenient
#: with, JSON structure, padding.
HOSTILE_SNIPPETS: tuple[bytes, ...] = (
    b"[/bogus]", b"[red]", b"\t", b",", b'"', b"'", b"\n", b"\r\n", b"\x00", b"\xef\xbb\xbf",
    "\u0661\u0669\u0669\u0661".encode(), "\u2028".encode(), b"1_0", b"NaN", b"inf", b"-0",
    b"[", b"]", b"{", b"}", b"[]garbage", b'{"a": {"b": [1, 2]}}', b"true", b"null", b" ",
    b"RUS ", b" 2019-02-01", b"ZZZ", b"9" * 40, b"\xff\xfe", b"#", b"USA", b"RUS", b"NA",
)  # fmt: skip


@st.composite
def mutated_bytes(draw: st.DrawFn, original: bytes, max_ops: int = 4) -> bytes:
    """``original`` with a few random edits: a range cut out, a snippet of
    :data:`HOSTILE_SNIPPETS` or random bytes put in, a line repeated, the file cut short."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(("cut", "insert", "random", "repeat", "truncate", "replace")))
        at = draw(st.integers(0, len(data)))
        if op == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(HOSTILE_SNIPPETS))
        elif op == "random":
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
        elif op == "repeat":
            lines = bytes(data).split(b"\n")
            k = draw(st.integers(0, max(0, len(lines) - 1)))
            lines.insert(k, lines[k] if lines else b"")
            data = bytearray(b"\n".join(lines))
        elif op == "truncate":
            del data[at:]
        else:
            end = at + draw(st.integers(1, 12))
            data[at:end] = draw(st.sampled_from(HOSTILE_SNIPPETS))
    return bytes(data)


def hostile_text(min_size: int = 1, max_size: int = 60) -> st.SearchStrategy[str]:
    """One-line text that is valid but awkward: rich markup, padding, quotes, tabs, commas."""
    pieces = st.sampled_from(("[/bogus]", "[red]x[/red]", " ", '"', "'", ",", ";", "\t", "#"))
    return st.builds(
        lambda a, b, c: f"{a}{b}{c}",
        st.sampled_from((" ", "", "  ")),
        st.lists(st.one_of(pieces, safe_text(1, 10)), min_size=1, max_size=5).map("".join),
        st.sampled_from((" ", "", "\t")),
    ).filter(lambda s: s.strip() and min_size <= len(s.strip()) <= max_size)


@st.composite
def hostile_event_rows(draw: st.DrawFn, ident: str | None = None) -> dict[str, str]:
    """A valid event row whose text fields carry markup and padding, and whose other values
    are padded with spaces (the stored row is the row stripped)."""
    row = draw(event_rows(ident=ident))
    for fld in ("summary", "source_publication", "source_title"):
        row[fld] = draw(hostile_text(1, 80))
    for fld in ("date", "actor", "target", "goldstein", "date_checked"):
        row[fld] = (
            draw(st.sampled_from(("", " ", "  "))) + row[fld] + draw(st.sampled_from(("", " ")))
        )
    return row


@st.composite
def hostile_event_frames(draw: st.DrawFn, min_size: int = 1, max_size: int = 6) -> pd.DataFrame:
    """A frame of :func:`hostile_event_rows` with unique ids."""
    n = draw(st.integers(min_size, max_size))
    rows = [draw(hostile_event_rows(ident=f"hx-{i:03d}")) for i in range(n)]
    return pd.DataFrame(rows, columns=list(EVENT_COLUMNS), dtype=object)


#: Snippets that break a YAML scenario or perspective file in the ways a careless edit or an
#: attacker would: aliases, deep nesting, non-finite and huge numbers, wrong types, tabs.
YAML_SNIPPETS: tuple[bytes, ...] = (
    b"&a [1]", b"*a", b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", b".nan", b".inf", b"-.inf",
    b"1e309", b"\t", b": :", b"- - -", b"!!python/object:os.system", b"~", b"null", b"\xff\xfe",
    b"'", b'"', b"{", b"}", b"enabled: maybe", b"9" * 400, b"\n  extra: 1\n",
)  # fmt: skip


@st.composite
def mutated_yaml(draw: st.DrawFn, original: bytes, max_ops: int = 3) -> bytes:
    """A scenario or perspective file with a few edits from :data:`YAML_SNIPPETS` or
    :func:`mutated_bytes`'s repertoire."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, max_ops))):
        if draw(st.booleans()):
            at = draw(st.integers(0, len(data)))
            data[at:at] = draw(st.sampled_from(YAML_SNIPPETS))
        else:
            data = bytearray(draw(mutated_bytes(bytes(data), max_ops=1)))
    return bytes(data)
