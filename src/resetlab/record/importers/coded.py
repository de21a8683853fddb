"""What the machine-coded formats (GDELT, ICEWS, Phoenix, PLOVER) share: country names and
codes to ISO3, the domain rule, and the mapping of one coded event to the project's schema."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from urllib.parse import urlparse

from resetlab.config import data_dir
from resetlab.record.builtin import read_table
from resetlab.record.importers.base import MISSING, RowCollector, cameo_codes
from resetlab.record.schema import parse_number

_MILITARY_CONTEXTS = frozenset({"military", "cbrn", "peacekeeping", "intelligence"})
_ECONOMIC_CONTEXTS = frozenset({"economic"})
_DOMESTIC_CONTEXTS = frozenset(
    {"executive", "political_institutions", "democracy", "rights_freedoms", "pro_autocracy",
     "human_rights", "religion_ethnicity"}
)  # fmt: skip


def domain_for(plover: str, context: str, cameo: str) -> str:
    """The record's domain for a machine-coded event (first rule that applies).

    1. a PLOVER context military/cbrn/peacekeeping/intelligence -> ``military``;
    2. context economic -> ``economic``;
    3. a governance context (executive, political_institutions, democracy, rights_freedoms,
       pro_autocracy, human_rights, religion_ethnicity) -> ``domestic``;
    4. CAMEO root 15/18/19/20 or PLOVER MOBILIZE/ASSAULT -> ``military``;
    5. CAMEO root 14 or PLOVER PROTEST -> ``domestic``;
    6. otherwise ``diplomatic``.

    ``arms_control``, ``multilateral`` and ``regional`` need a reader's judgement and are
    never assigned by an importer.
    """
    contexts = [c.strip() for c in re.split(r"[;,]", context) if c.strip()]
    for test, domain in (
        (_MILITARY_CONTEXTS, "military"),
        (_ECONOMIC_CONTEXTS, "economic"),
        (_DOMESTIC_CONTEXTS, "domestic"),
    ):
        if any(c in test for c in contexts):
            return domain
    root = cameo[:2]
    if root in {"15", "18", "19", "20"} or plover in {"MOBILIZE", "ASSAULT"}:
        return "military"
    if root == "14" or plover == "PROTEST":
        return "domestic"
    return "diplomatic"


@dataclass(frozen=True)
class _Actors:
    by_cameo: Mapping[str, str]
    by_name: Mapping[str, str]


@lru_cache(maxsize=1)
def _actors() -> _Actors:
    t = read_table(data_dir() / "actors.csv")
    by_cameo = {c: i for c, i in zip(t["cameo"], t["iso3"], strict=True) if c}
    by_name: dict[str, str] = {}
    for col in ("iso3", "name", "icews"):
        for key, iso in zip(t[col], t["iso3"], strict=True):
            if key:
                by_name[key.casefold()] = iso
    return _Actors(MappingProxyType(by_cameo), MappingProxyType(by_name))


def actor_code(text: str, kind: str) -> str | None:
    """ISO3 for a CAMEO country code (``kind="cameo"``) or a country name/ISO3 (``"name"``)."""
    a = _actors()
    if kind == "cameo":
        return a.by_cameo.get(text.strip().upper())
    return a.by_name.get(text.strip().casefold())


@dataclass(frozen=True)
class Coded:
    """One machine-coded event as read from a source file, before mapping."""

    line: int
    ident: str
    day: str  # YYYY-MM-DD
    actor: str
    target: str
    actor_kind: str  # "cameo" or "name"
    cameo: str
    goldstein: str
    summary: Callable[[str, str, str], str]  # (actor ISO3, CAMEO name, target ISO3) -> text
    publication: str
    title: str
    url: str = ""
    source_date: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)  # schema field -> file column


def iso_day(text: str) -> str | None:
    """``YYYYMMDD`` or ``YYYY-MM-DD`` -> ``YYYY-MM-DD`` if it is a real date."""
    t = text.strip()
    m = re.fullmatch(r"([0-9]{4})-?([0-9]{2})-?([0-9]{2})", t)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-")


def prefixed(prefix: str, ident: str) -> str:
    """``prefix-ident`` (slugged), so that ids of different sources never collide; "" if the
    file's id has nothing usable in it."""
    tail = slug(ident)
    return f"{prefix}-{tail}" if re.search(r"[a-z0-9]", tail) else ""


def clip(text: str, n: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3].rstrip() + "..."


def map_coded(r: RowCollector, e: Coded) -> None:
    """Map a machine-coded event to the schema; record problems or skip reasons."""
    col = {"id": "id", "date": "date", "actor": "actor", "target": "target", "cameo": "cameo",
           "goldstein": "goldstein", **e.fields}  # fmt: skip
    before = len(r.problems)
    if not e.ident or not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", e.ident):
        r.bad(e.line, col["id"], f"{e.ident!r} is not a usable event id")
    day = iso_day(e.day)
    if day is None:
        r.bad(e.line, col["date"], f"{e.day!r} is not a date (YYYYMMDD or YYYY-MM-DD)")
    elif not date(1946, 1, 1) <= date.fromisoformat(day) <= date.today():
        r.bad(e.line, col["date"], f"{day} is outside 1946 to today")
    table = cameo_codes()
    cameo = e.cameo.strip()
    if cameo not in table:
        r.bad(e.line, col["cameo"], f"{cameo!r} is not a CAMEO code in the CAMEO table")
    try:
        goldstein = parse_number(e.goldstein.strip())
        if not -10.0 <= goldstein <= 10.0:
            r.bad(e.line, col["goldstein"], f"{goldstein} is outside -10..+10")
    except ValueError:
        r.bad(e.line, col["goldstein"], f"{e.goldstein!r} is not a number")
    ends: list[str] = []
    for raw, name in ((e.actor, "actor"), (e.target, "target")):
        raw = raw.strip()
        if e.actor_kind == "cameo" and raw not in MISSING and not re.fullmatch(r"[A-Z]{3}", raw):
            r.bad(e.line, col[name], f"{raw!r} is not a 3-letter CAMEO country code")
        ends.append(raw)
    if len(r.problems) > before:
        return
    isos = []
    for raw in ends:
        if raw in MISSING:
            r.skips["no_actor"] += 1
            return
        iso = actor_code(raw, e.actor_kind)
        if iso is None:
            r.skips["unknown_actor"] += 1
            r.unknown[raw] += 1
            return
        isos.append(iso)
    actor, target = isos
    if actor == target:
        r.skips["same_actor"] += 1
        return
    if r.dyad is not None and frozenset((actor, target)) != r.dyad:
        r.skips["dyad"] += 1
        return
    name, _, plover, mode, context = table[cameo]
    if not plover:
        r.skips["no_plover"] += 1
        return
    assert day is not None
    r.keep(
        e.line,
        {
            "id": e.ident, "date": day, "precision": "day", "actor": actor, "target": target,
            "plover": plover, "plover_mode": mode, "plover_context": context, "cameo": cameo,
            "goldstein": e.goldstein.strip(), "domain": domain_for(plover, context, cameo),
            "summary": clip(e.summary(actor, name, target)),
            "source_publication": clip(e.publication, 200), "source_title": clip(e.title, 200),
            "source_date": e.source_date, "source_url": e.url.strip(), "date_checked": "false",
        },
    )  # fmt: skip


def _generated(actor: str, name: str, target: str, cameo: str) -> str:
    return f"{actor} {name} {target} (CAMEO {cameo})"


def summary_with(first: str, verb: str, second: str, cameo: str) -> Callable[[str, str, str], str]:
    """A summary maker preferring the file's own names/text over codes and the CAMEO name."""

    def make(actor: str, name: str, target: str) -> str:
        return _generated(first or actor, verb or name, second or target, cameo)

    return make


def url_host(url: str) -> str:
    try:
        return urlparse(url.strip()).hostname or ""
    except ValueError:
        return ""
