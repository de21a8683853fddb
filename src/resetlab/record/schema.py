"""The columns of the record's tables and the rules every row must satisfy.

The built-in data (``resetlab/data/*.csv``) and every import are checked by the same
rules, so a bad row is reported the same way wherever it comes from:
``file:line: field: what is wrong``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from resetlab.config import data_dir
from resetlab.exceptions import Problem

#: The 16 PLOVER event types (PLOVER manual, draft 0.8, 2021).
PLOVER_EVENTS: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip

DOMAINS: tuple[str, ...] = (
    "arms_control", "military", "diplomatic", "economic", "multilateral", "domestic", "regional",
)  # fmt: skip

PRECISIONS: tuple[str, ...] = ("day", "month", "year")

#: Actor codes: ISO 3166-1 alpha-3 for states, plus a few international bodies.
ORGANISATIONS: tuple[str, ...] = ("NATO", "UN", "EU", "OSCE", "IAEA", "G8", "G20", "CSTO")

#: State codes accepted besides the ``iso3`` column of ``actors.csv``: XKX, the user-assigned
#: code for Kosovo that the European Commission and the World Bank use (ISO 3166-1 has none).
EXTRA_STATE_CODES: tuple[str, ...] = ("XKX",)

#: Columns of an events CSV, in order. ``source2_*`` are optional second sources.
EVENT_COLUMNS: tuple[str, ...] = (
    "id", "date", "precision", "actor", "target", "plover", "plover_mode", "plover_context",
    "cameo", "goldstein", "domain", "summary",
    "source_publication", "source_title", "source_date", "source_url", "date_checked",
    "source2_publication", "source2_title", "source2_date", "source2_url",
)  # fmt: skip

REQUIRED_EVENT_FIELDS: tuple[str, ...] = (
    "id", "date", "precision", "actor", "target", "plover", "goldstein", "domain", "summary",
    "source_publication", "source_title", "date_checked",
)  # fmt: skip

# ASCII digits only: ``\d`` would also match Arabic-Indic and other Unicode digits.
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_CAMEO_RE = re.compile(r"^[0-9]{2,4}$")
_NUMBER_RE = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_DATE_RES = {
    "day": re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
    "month": re.compile(r"^[0-9]{4}-[0-9]{2}$"),
    "year": re.compile(r"^[0-9]{4}$"),
}


@dataclass(frozen=True)
class ParsedDate:
    """A date with its precision; ``day`` is the first day of the period it names."""

    day: date
    precision: str


def parse_date(text: str, precision: str) -> ParsedDate:
    """Parse ``YYYY-MM-DD``/``YYYY-MM``/``YYYY`` as the given precision; raise ValueError."""
    if precision not in _DATE_RES:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if not _DATE_RES[precision].match(text):
        shape = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}[precision]
        raise ValueError(f"{text!r} is not {shape} (precision {precision})")
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return ParsedDate(date(parts[0], parts[1], parts[2]), precision)


def parse_number(text: str) -> float:
    """A plain decimal number (``-4``, ``3.5``, ``1e-1``; ASCII digits, no ``_``); raise ValueError.

    Stricter than :func:`float`, which also takes ``1_0``, ``nan``, ``inf`` and non-ASCII
    digits.
    """
    if not _NUMBER_RE.match(text):
        raise ValueError(f"{text!r} is not a number")
    return float(text)


def parse_bool(text: str) -> bool:
    """``true``/``false`` (also yes/no, 1/0), case-insensitive; raise ValueError."""
    low = text.strip().lower()
    if low in {"true", "yes", "1"}:
        return True
    if low in {"false", "no", "0"}:
        return False
    raise ValueError(f"{text!r} is not true or false")


@lru_cache(maxsize=1)
def actor_codes() -> frozenset[str]:
    """Every accepted actor code: the ``iso3`` column of ``actors.csv``,
    :data:`EXTRA_STATE_CODES` and :data:`ORGANISATIONS`."""
    with open(data_dir() / "actors.csv", encoding="utf-8") as fh:
        body = [line for line in fh if not line.startswith("#")]
    states = {row["iso3"].strip() for row in csv.DictReader(body) if row.get("iso3")}
    return frozenset(states | set(EXTRA_STATE_CODES) | set(ORGANISATIONS))


def is_actor(code: str) -> bool:
    """Whether ``code`` is an accepted actor code (see :func:`actor_codes`)."""
    return code in actor_codes()


def normalise_event_row(row: Mapping[str, object]) -> dict[str, str]:
    """The row as the record stores it: every event column a string, stripped (None -> "").

    Checking and storing both use this form, so a value is stored exactly as it was checked.
    """
    return {c: "" if row.get(c) is None else str(row.get(c)).strip() for c in EVENT_COLUMNS}


def check_event_row(
    row: Mapping[str, str | None],
    file: str,
    line: int | None,
    cameo_weights: Mapping[str, float] | None = None,
    *,
    match_weight: bool = True,
) -> list[Problem]:
    """Every problem with one event row (strings as read from CSV); empty if the row is good.

    With ``cameo_weights`` the CAMEO code must be in the table and, if ``match_weight``, the
    Goldstein weight must equal the code's (the built-in record's rule; machine-coded imports
    keep the weight their file gives).
    """
    out: list[Problem] = []

    def bad(field: str, message: str) -> None:
        out.append(Problem(file, line, field, message))

    def val(field: str) -> str:
        v = row.get(field)
        return "" if v is None else str(v).strip()

    for field in REQUIRED_EVENT_FIELDS:
        if not val(field):
            bad(field, "missing (required)")
    if val("id") and not _ID_RE.match(val("id")):
        bad("id", f"{val('id')!r} must be lower-case letters, digits, '.', '_' or '-'")
    precision = val("precision")
    if precision and precision not in PRECISIONS:
        bad("precision", f"{precision!r} is not one of {', '.join(PRECISIONS)}")
    elif val("date") and precision:
        try:
            parsed = parse_date(val("date"), precision)
            if not date(1946, 1, 1) <= parsed.day <= date.today():
                bad("date", f"{val('date')} is outside 1946 to today")
        except ValueError as exc:
            bad("date", str(exc))
    for field in ("actor", "target"):
        if val(field) and not is_actor(val(field)):
            bad(
                field,
                f"{val(field)!r} is not a code of the actors table (actors.csv iso3) "
                f"or one of {', '.join(ORGANISATIONS)}",
            )
    if val("actor") and val("actor") == val("target"):
        bad("target", "actor and target are the same")
    if val("plover") and val("plover") not in PLOVER_EVENTS:
        bad("plover", f"{val('plover')!r} is not a PLOVER event type ({', '.join(PLOVER_EVENTS)})")
    if val("domain") and val("domain") not in DOMAINS:
        bad("domain", f"{val('domain')!r} is not one of {', '.join(DOMAINS)}")
    goldstein: float | None = None
    if val("goldstein"):
        try:
            goldstein = parse_number(val("goldstein"))
            if not -10.0 <= goldstein <= 10.0:
                bad("goldstein", f"{goldstein} is outside -10..+10")
        except ValueError:
            goldstein = None
            bad("goldstein", f"{val('goldstein')!r} is not a number")
    cameo = val("cameo")
    if cameo:
        if not _CAMEO_RE.match(cameo):
            bad("cameo", f"{cameo!r} is not a CAMEO code (2-4 digits)")
        elif cameo_weights is not None:
            if cameo not in cameo_weights:
                bad("cameo", f"{cameo!r} is not in the CAMEO code table")
            elif (
                match_weight
                and goldstein is not None
                and abs(cameo_weights[cameo] - goldstein) > 1e-9
            ):
                bad(
                    "goldstein",
                    f"{goldstein} differs from the Goldstein weight {cameo_weights[cameo]} "
                    f"of CAMEO {cameo}",
                )
    if val("date_checked"):
        try:
            parse_bool(val("date_checked"))
        except ValueError as exc:
            bad("date_checked", str(exc))
    for field in ("source_date", "source2_date"):
        if val(field):
            try:
                parse_date(val(field), "day")
            except ValueError as exc:
                bad(field, str(exc))
    if len(val("summary")) > 300:
        bad("summary", f"{len(val('summary'))} characters; keep it to one line (300 at most)")
    for field in ("summary", "source_title", "source2_title"):
        if "\n" in val(field):
            bad(field, "contains a line break")
    return out


def check_unique_ids(rows: Iterable[tuple[str, int | None, str]]) -> list[Problem]:
    """Problems for ids seen twice; ``rows`` yields ``(file, line, id)``."""
    seen: dict[str, str] = {}
    out = []
    for file, line, ident in rows:
        if ident in seen:
            out.append(Problem(file, line, "id", f"{ident!r} already used at {seen[ident]}"))
        else:
            seen[ident] = f"{file}:{line}"
    return out
