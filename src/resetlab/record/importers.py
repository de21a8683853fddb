"""Read event files of the field's standard formats into the project's event schema.

Formats (``fmt``): ``csv``, ``json`` (list of objects or JSON lines) and ``parquet`` already in
the project's schema; ``gdelt1`` (GDELT 1.0 event table, 57/58 tab-separated columns),
``gdelt2`` (GDELT 2.0 export, 61 columns), ``icews`` (raw ICEWS ``.tab`` with header),
``phoenix`` (OEDA Phoenix daily file, 26 tab-separated columns) and ``plover`` (PLOVER JSON
records, list or JSON lines). See ``docs/formats.md`` for the column mappings and sources.

Reading is atomic: every bad row becomes a :class:`Problem` ``file:line: field: message`` and
one :class:`RecordError` lists them all (:class:`ImportFormatError` when the file is not that
format at all); a partial frame is never returned. Valid rows that cannot enter the record
(outside the requested dyad, no PLOVER category, no state actor) are skipped and counted in
:class:`ImportStats`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from resetlab.config import data_dir
from resetlab.exceptions import ImportFormatError, InputError, Problem, RecordError
from resetlab.record.builtin import cameo_table, csv_header, duplicated, read_csv_rows, read_table
from resetlab.record.schema import (
    EVENT_COLUMNS,
    ORGANISATIONS,
    PLOVER_EVENTS,
    REQUIRED_EVENT_FIELDS,
    check_event_row,
    check_unique_ids,
    is_actor,
    normalise_event_row,
    parse_number,
)

#: Every format :func:`read_events` understands.
FORMATS: tuple[str, ...] = (
    "csv", "json", "parquet", "gdelt1", "gdelt2", "icews", "phoenix", "plover",
)  # fmt: skip

#: Formats :func:`write_events` can write.
EXPORT_FORMATS: tuple[str, ...] = ("csv", "json", "parquet")

_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID")
_GEO2 = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_EVENT_PART = (
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
)  # fmt: skip


def _gdelt_columns(geo: tuple[str, ...]) -> tuple[str, ...]:
    head = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    actors = tuple(f"Actor{i}{c}" for i in (1, 2) for c in _ACTOR)
    geos = tuple(f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in geo)
    return (*head, *actors, *_EVENT_PART, *geos, "DATEADDED", "SOURCEURL")


#: GDELT 1.0 event table (GDELT Data Format Codebook V1.03): 58 columns; the historical
#: back-file (1979 to March 2013) lacks the last one, SOURCEURL.
GDELT1_COLUMNS: tuple[str, ...] = _gdelt_columns(_GEO)
#: GDELT 2.0 event export (GDELT Event Codebook V2.0): each geo block gains ADM2Code; 61 columns.
GDELT2_COLUMNS: tuple[str, ...] = _gdelt_columns(_GEO2)
#: OEDA Phoenix daily files: 26 tab-separated columns, no header (names as in phoxy).
PHOENIX_COLUMNS: tuple[str, ...] = (
    "EventID", "Date", "Year", "Month", "Day", "SourceActorFull", "SourceActorEntity",
    "SourceActorRole", "SourceActorAttribute", "TargetActorFull", "TargetActorEntity",
    "TargetActorRole", "TargetActorAttribute", "EventCode", "EventRootCode", "QuadClass",
    "GoldsteinScore", "Issues", "Lat", "Lon", "LocationName", "StateName", "CountryCode",
    "SentenceID", "URLs", "NewsSources",
)  # fmt: skip
#: Columns of a raw ICEWS event file that the importer reads (it has 20 in all).
ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Country", "Story ID", "Sentence Number", "Publisher",
)  # fmt: skip

#: PLOVER event -> CAMEO root code whose Goldstein weight stands in for the event's (PLOVER
#: records carry no Goldstein score). CONCEDE and RETREAT both come from CAMEO 08 (YIELD);
#: ACCUSE from 11 (DISAPPROVE, the larger of 09/11); ASSAULT from 18.
PLOVER_GOLDSTEIN_ROOT: dict[str, str] = {
    "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07",
    "CONCEDE": "08", "RETREAT": "08", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12",
    "THREATEN": "13", "PROTEST": "14", "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17",
    "ASSAULT": "18",
}  # fmt: skip

_MILITARY_CONTEXTS = frozenset({"military", "cbrn", "peacekeeping", "intelligence"})
_ECONOMIC_CONTEXTS = frozenset({"economic"})
_DOMESTIC_CONTEXTS = frozenset(
    {"executive", "political_institutions", "democracy", "rights_freedoms", "pro_autocracy",
     "human_rights", "religion_ethnicity"}
)  # fmt: skip
_MISSING = frozenset({"", "NA", "N/A", "NULL", "None", "nan"})
_OPTIONAL_COLUMNS = frozenset(EVENT_COLUMNS) - frozenset(REQUIRED_EVENT_FIELDS)
#: Columns read and ignored: ``line``/``file`` of a checked frame, and the columns that
#: ``resetlab record export`` adds (derived from the others or from the store), so that an
#: export can be imported again.
EXPORT_ONLY_COLUMNS: tuple[str, ...] = ("source", "n_sources", "origin", "day")
_IGNORED_COLUMNS = frozenset({"line", "file", *EXPORT_ONLY_COLUMNS})


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
class ImportStats:
    """What an import read and what it left out, and why.

    ``skipped_dyad``: valid rows not between the two actors asked for. ``skipped_no_plover``:
    CAMEO 01 (statements) and 02 (appeals), which PLOVER drops. ``skipped_no_actor``: actor or
    target missing or not a country (e.g. ICEWS "NA", GDELT rows without Actor2CountryCode).
    ``skipped_unknown_actor``: a name/code not in ``actors.csv``, listed in ``unknown_actors``.
    ``skipped_same_actor``: actor and target the same country (domestic events).
    ``goldstein_differs``: kept rows whose Goldstein value differs from the CAMEO table (the
    file's value is kept).
    """

    fmt: str
    rows_read: int
    kept: int
    skipped_dyad: int = 0
    skipped_no_plover: int = 0
    skipped_no_actor: int = 0
    skipped_unknown_actor: int = 0
    skipped_same_actor: int = 0
    goldstein_differs: int = 0
    unknown_actors: dict[str, int] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        """All rows left out, whatever the reason."""
        return (
            self.skipped_dyad
            + self.skipped_no_plover
            + self.skipped_no_actor
            + self.skipped_unknown_actor
            + self.skipped_same_actor
        )


@dataclass(frozen=True)
class ReadResult:
    """The events read (``EVENT_COLUMNS`` + ``line``, all strings) and the import's counts."""

    frame: pd.DataFrame
    stats: ImportStats


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
    return _Actors(by_cameo, by_name)


def actor_code(text: str, kind: str) -> str | None:
    """ISO3 for a CAMEO country code (``kind="cameo"``) or a country name/ISO3 (``"name"``)."""
    a = _actors()
    if kind == "cameo":
        return a.by_cameo.get(text.strip().upper())
    return a.by_name.get(text.strip().casefold())


@lru_cache(maxsize=1)
def _cameo() -> dict[str, tuple[str, float, str, str, str]]:
    t = cameo_table()
    return {
        str(r.code): (str(r.name), float(r.goldstein), str(r.plover), str(r.plover_mode),
                      str(r.plover_context))
        for r in t.itertuples(index=False)
    }  # fmt: skip


class _RowCollector:
    """Collects rows, problems and skip counts for one file."""

    def __init__(self, path: Path, fmt: str, dyad: tuple[str, str] | None) -> None:
        self.file = str(path)
        self.fmt = fmt
        self.dyad = frozenset(dyad) if dyad else None
        self.rows: list[dict[str, str]] = []
        self.problems: list[Problem] = []
        self.read = 0
        self.parsed = 0  # rows whose structure (columns, JSON) was readable
        self.skips: Counter[str] = Counter()
        self.unknown: Counter[str] = Counter()
        self.goldstein_differs = 0

    def bad(self, line: int | None, fld: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, fld, message))

    def keep(self, line: int, row: dict[str, str]) -> None:
        """Check a row in the project schema; keep it unless outside the dyad."""
        row = normalise_event_row(row)
        found = check_event_row(row, self.file, line, None)
        cameo = row["cameo"]
        table = _cameo()
        if cameo and re.fullmatch(r"[0-9]{2,4}", cameo) and cameo not in table:
            found.append(Problem(self.file, line, "cameo", f"{cameo!r} is not in the CAMEO table"))
        if found:
            self.problems.extend(found)
            return
        if self.dyad is not None and frozenset((row["actor"], row["target"])) != self.dyad:
            self.skips["dyad"] += 1
            return
        if cameo and abs(table[cameo][1] - parse_number(row["goldstein"])) > 1e-9:
            self.goldstein_differs += 1
        self.rows.append({**row, "line": str(line)})

    def result(self) -> ReadResult:
        if not self.read and not self.problems:
            raise ImportFormatError(f"{self.file} holds no events (an empty {self.fmt} file)")
        if self.read and not self.parsed and self.problems:
            raise ImportFormatError(
                f"{self.file} is not a {self.fmt} file: no row could be read", self.problems
            )
        self.problems.extend(
            check_unique_ids((self.file, int(r["line"]), r["id"]) for r in self.rows)
        )
        if self.problems:
            raise RecordError(
                f"{len(self.problems)} problem(s) reading {self.file} as {self.fmt}",
                sorted(self.problems, key=lambda p: (p.line or 0, p.field)),
            )
        frame = pd.DataFrame(self.rows, columns=[*EVENT_COLUMNS, "line"], dtype=object)
        stats = ImportStats(
            fmt=self.fmt,
            rows_read=self.read,
            kept=len(self.rows),
            skipped_dyad=self.skips["dyad"],
            skipped_no_plover=self.skips["no_plover"],
            skipped_no_actor=self.skips["no_actor"],
            skipped_unknown_actor=self.skips["unknown_actor"],
            skipped_same_actor=self.skips["same_actor"],
            goldstein_differs=self.goldstein_differs,
            unknown_actors=dict(self.unknown),
        )
        frame.attrs["import_stats"] = stats
        return ReadResult(frame, stats)


@dataclass(frozen=True)
class _Coded:
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


def _iso_day(text: str) -> str | None:
    """``YYYYMMDD`` or ``YYYY-MM-DD`` -> ``YYYY-MM-DD`` if it is a real date."""
    t = text.strip()
    m = re.fullmatch(r"([0-9]{4})-?([0-9]{2})-?([0-9]{2})", t)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-")


def _prefixed(prefix: str, ident: str) -> str:
    """``prefix-ident`` (slugged), so that ids of different sources never collide; "" if the
    file's id has nothing usable in it."""
    slug = _slug(ident)
    return f"{prefix}-{slug}" if re.search(r"[a-z0-9]", slug) else ""


def _clip(text: str, n: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3].rstrip() + "..."


def _coded(r: _RowCollector, e: _Coded) -> None:
    """Map a machine-coded event to the schema; record problems or skip reasons."""
    col = {"id": "id", "date": "date", "actor": "actor", "target": "target", "cameo": "cameo",
           "goldstein": "goldstein", **e.fields}  # fmt: skip
    before = len(r.problems)
    if not e.ident or not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", e.ident):
        r.bad(e.line, col["id"], f"{e.ident!r} is not a usable event id")
    day = _iso_day(e.day)
    if day is None:
        r.bad(e.line, col["date"], f"{e.day!r} is not a date (YYYYMMDD or YYYY-MM-DD)")
    elif not date(1946, 1, 1) <= date.fromisoformat(day) <= date.today():
        r.bad(e.line, col["date"], f"{day} is outside 1946 to today")
    table = _cameo()
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
        if e.actor_kind == "cameo" and raw not in _MISSING and not re.fullmatch(r"[A-Z]{3}", raw):
            r.bad(e.line, col[name], f"{raw!r} is not a 3-letter CAMEO country code")
        ends.append(raw)
    if len(r.problems) > before:
        return
    isos = []
    for raw in ends:
        if raw in _MISSING:
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
            "summary": _clip(e.summary(actor, name, target)),
            "source_publication": _clip(e.publication, 200), "source_title": _clip(e.title, 200),
            "source_date": e.source_date, "source_url": e.url.strip(), "date_checked": "false",
        },
    )  # fmt: skip


def _generated(actor: str, name: str, target: str, cameo: str) -> str:
    return f"{actor} {name} {target} (CAMEO {cameo})"


def _summary_with(first: str, verb: str, second: str, cameo: str) -> Callable[[str, str, str], str]:
    """A summary maker preferring the file's own names/text over codes and the CAMEO name."""

    def make(actor: str, name: str, target: str) -> str:
        return _generated(first or actor, verb or name, second or target, cameo)

    return make


def _text_lines(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for number, raw in enumerate(fh, start=1):
            line = raw.rstrip("\r\n")
            if line.strip():
                yield number, line


def _host(url: str) -> str:
    try:
        return urlparse(url.strip()).hostname or ""
    except ValueError:
        return ""


def _read_gdelt(r: _RowCollector, path: Path, version: int) -> None:
    names = GDELT1_COLUMNS if version == 1 else GDELT2_COLUMNS
    allowed = {len(names), len(names) - 1} if version == 1 else {len(names)}
    for line, text in _text_lines(path):
        cells = text.split("\t")
        if line == 1 and cells[0].strip().upper() == "GLOBALEVENTID":
            continue  # a header line some tools add
        r.read += 1
        if len(cells) not in allowed:
            want = " or ".join(str(n) for n in sorted(allowed))
            r.bad(
                line, "columns", f"{len(cells)} tab-separated columns, GDELT {version}.0 has {want}"
            )
            continue
        r.parsed += 1
        v = dict(zip(names, cells, strict=False))
        url = v.get("SOURCEURL", "").strip()
        added = v["DATEADDED"].strip()
        source_date = _iso_day(added[:8]) if added else ""
        if source_date is None:
            r.bad(line, "DATEADDED", f"{added!r} does not start with a YYYYMMDD date")
            continue
        eid = v["GLOBALEVENTID"].strip()
        a1, a2 = v["Actor1Name"].strip(), v["Actor2Name"].strip()
        code = v["EventCode"].strip()
        _coded(
            r,
            _Coded(
                line=line, ident=_prefixed("gdelt", eid), day=v["SQLDATE"],
                actor=v["Actor1CountryCode"], target=v["Actor2CountryCode"], actor_kind="cameo",
                cameo=code, goldstein=v["GoldsteinScale"],
                summary=_summary_with(a1, "", a2, code),
                publication=_host(url) or f"GDELT {version}.0 event table",
                title=f"GDELT {version}.0 event {eid}", url=url, source_date=source_date,
                fields={"id": "GLOBALEVENTID", "date": "SQLDATE", "actor": "Actor1CountryCode",
                        "target": "Actor2CountryCode", "cameo": "EventCode",
                        "goldstein": "GoldsteinScale"},
            ),
        )  # fmt: skip


def _read_phoenix(r: _RowCollector, path: Path) -> None:
    names = PHOENIX_COLUMNS
    for line, text in _text_lines(path):
        cells = text.split("\t")
        if line == 1 and cells[0].strip() == "EventID":
            continue
        r.read += 1
        if len(cells) != len(names):
            r.bad(line, "columns", f"{len(cells)} tab-separated columns, Phoenix has {len(names)}")
            continue
        r.parsed += 1
        v = dict(zip(names, cells, strict=True))

        def country(entity: str, full: str) -> str:
            entity, full = entity.strip(), full.strip()
            if entity in _MISSING and full in _MISSING:
                return ""
            if actor_code(entity, "cameo"):
                return entity
            return full[:3] if actor_code(full[:3], "cameo") else (entity or full[:3])

        url = re.split(r"[;\s]", v["URLs"].strip())[0] if v["URLs"].strip() else ""
        pub = re.split(r"[;,]", v["NewsSources"].strip())[0].strip()
        eid = v["EventID"].strip()
        code = v["EventCode"].strip()
        _coded(
            r,
            _Coded(
                line=line, ident=_prefixed("phoenix", eid), day=v["Date"],
                actor=country(v["SourceActorEntity"], v["SourceActorFull"]),
                target=country(v["TargetActorEntity"], v["TargetActorFull"]), actor_kind="cameo",
                cameo=code, goldstein=v["GoldsteinScore"],
                summary=_summary_with("", "", "", code),
                publication=pub or _host(url) or "Phoenix event data",
                title=f"Phoenix event {eid}", url=url,
                fields={"id": "EventID", "date": "Date", "actor": "SourceActorEntity",
                        "target": "TargetActorEntity", "cameo": "EventCode",
                        "goldstein": "GoldsteinScore"},
            ),
        )  # fmt: skip


def _read_icews(r: _RowCollector, path: Path) -> None:
    lines = _text_lines(path)
    first = next(lines, None)
    header = first[1].split("\t") if first else []
    missing = [c for c in ICEWS_COLUMNS if c not in header]
    twice = duplicated(header)
    if twice:
        raise ImportFormatError(
            f"{path}: the ICEWS header names a column twice",
            [
                Problem(
                    str(path), first[0] if first else None, ",".join(twice), "column given twice"
                )
            ],
        )
    if missing:
        raise ImportFormatError(
            f"{path} is not a raw ICEWS file: header lacks {', '.join(missing)}",
            [Problem(str(path), first[0] if first else None, ",".join(missing), "column missing")],
        )
    for line, text in lines:
        r.read += 1
        cells = text.split("\t")
        if len(cells) != len(header):
            r.bad(line, "columns", f"{len(cells)} tab-separated columns, header has {len(header)}")
            continue
        r.parsed += 1
        v = dict(zip(header, cells, strict=True))
        eid, day = v["Event ID"].strip(), v["Event Date"].strip()
        pub = v["Publisher"].strip()
        sname, tname, what = v["Source Name"].strip(), v["Target Name"].strip(), v["Event Text"]
        _coded(
            r,
            _Coded(
                line=line, ident=_prefixed("icews", f"{day.replace('-', '')}-{eid}"
                                           if eid.isascii() and eid.isdigit() else eid),
                day=day, actor=v["Source Country"], target=v["Target Country"], actor_kind="name",
                cameo=v["CAMEO Code"].strip(), goldstein=v["Intensity"],
                summary=_summary_with(sname, what.strip(), tname, v["CAMEO Code"].strip()),
                publication=pub if pub not in _MISSING else "ICEWS",
                title=f"ICEWS story {v['Story ID'].strip()}, sentence "
                f"{v['Sentence Number'].strip()}",
                fields={"id": "Event ID", "date": "Event Date", "actor": "Source Country",
                        "target": "Target Country", "cameo": "CAMEO Code",
                        "goldstein": "Intensity"},
            ),
        )  # fmt: skip


class _DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys)


def _decode(
    r: _RowCollector, text: str, at: int, line: int, first_line: int
) -> tuple[Any, int] | None:
    """The JSON value at ``text[at:]`` (starting on ``line``; ``text`` starts on ``first_line``)
    as ``(value, end)``, or None with the problem noted."""
    try:
        return _DECODER.raw_decode(text, at)
    except _DuplicateKey as exc:
        r.bad(line, str(exc), "key given twice in one object")
    except json.JSONDecodeError as exc:
        r.bad(first_line + exc.lineno - 1, "json", f"not JSON ({exc.msg})")
    except RecursionError:
        r.bad(line, "json", "nested too deeply to read")
    except ValueError as exc:  # an integer past Python's digit limit
        r.bad(line, "json", f"unreadable value ({exc})")
    return None


def _json_list(r: _RowCollector, text: str, start: int) -> Iterator[tuple[int, Any]]:
    """The elements of the JSON list opening at ``text[start]``, with their lines."""
    n, i, counted, line = len(text), start + 1, 0, 1

    def skip(j: int) -> int:
        while j < n and text[j] in " \t\r\n":
            j += 1
        return j

    def problem(message: str) -> None:
        r.read += 1
        r.bad(line, "json", message)

    i = skip(i)
    first = True
    while True:
        line += text.count("\n", counted, i)
        counted = i
        if i >= n:
            problem("the list is not closed with ']'")
            return
        if text[i] == "]" and first:
            break
        got = _decode(r, text, i, line, 1)
        if got is None:
            r.read += 1
            return
        yield line, got[0]
        first = False
        i = skip(got[1])
        line += text.count("\n", counted, i)
        counted = i
        if i < n and text[i] == ",":
            i = skip(i + 1)
            if i < n and text[i] == "]":
                line += text.count("\n", counted, i)
                problem("a ',' before the closing ']'")
                return
            continue
        if i < n and text[i] == "]":
            break
        problem("expected ',' or ']' after a list element" if i < n else
                "the list is not closed with ']'")  # fmt: skip
        return
    rest = skip(i + 1)
    if rest < n:
        line += text.count("\n", counted, rest)
        problem("content after the list's closing ']'")


def _json_objects(r: _RowCollector, path: Path) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` for each element of a JSON array or each line of JSON lines.

    A list is read element by element with the line count carried forward (linear in the
    file); anything after its closing ``]`` is an error, not ignored.
    """
    text = path.read_text(encoding="utf-8-sig")
    start = len(text) - len(text.lstrip())
    if text[start : start + 1] == "[":
        yield from _json_list(r, text, start)
        return
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        got = _decode(r, raw, len(raw) - len(raw.lstrip()), line, line)
        if got is not None and raw[got[1] :].strip():
            r.bad(line, "json", "more than one JSON value on the line")
            got = None
        if got is None:
            r.read += 1
            continue
        yield line, got[0]


class _NotText(ValueError):
    def __init__(self, field: str, value: Any) -> None:
        super().__init__(f"expected text, got {_kind(value)}")
        self.field = field


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__


def _text(value: Any, fld: str) -> str:
    """A field's value as text: a string as it is, missing/NaN as ""; raise :class:`_NotText`
    for anything else, except a number for ``goldstein`` and true/false for ``date_checked``
    (how JSON and Parquet spell those two)."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float | np.floating) and value != value:  # NaN
        return ""
    if fld == "date_checked" and isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if (
        fld == "goldstein"
        and isinstance(value, int | float | np.integer | np.floating)
        and not isinstance(value, bool | np.bool_)
    ):
        return repr(float(value)) if isinstance(value, float | np.floating) else str(int(value))
    raise _NotText(fld, value)


def _as_text(value: Any) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value)


def _schema_row(r: _RowCollector, line: int, row: Mapping[str, Any]) -> None:
    unknown = [k for k in row if k not in EVENT_COLUMNS and k not in _IGNORED_COLUMNS]
    if unknown:
        r.bad(line, ",".join(map(str, unknown)), "unknown field (not an event column)")
        return
    values: dict[str, str] = {}
    ok = True
    for c in EVENT_COLUMNS:
        try:
            values[c] = _text(row.get(c), c)
        except _NotText as exc:
            r.bad(line, exc.field, str(exc))
            ok = False
    if ok:
        r.keep(line, values)


def _check_header(path: Path, header: list[str]) -> None:
    missing = [c for c in REQUIRED_EVENT_FIELDS if c not in header]
    unknown = [c for c in header if c not in EVENT_COLUMNS and c not in _IGNORED_COLUMNS]
    problems = []
    twice = duplicated(header)
    if twice:
        problems.append(Problem(str(path), None, ",".join(twice), "column given twice in header"))
    if missing:
        problems.append(Problem(str(path), None, ",".join(missing), "column missing from header"))
    if unknown:
        problems.append(Problem(str(path), None, ",".join(unknown), "unknown column in header"))
    if problems:
        raise ImportFormatError(f"{path} is not an event CSV in the project's schema", problems)


def _read_csv(r: _RowCollector, path: Path) -> None:
    _check_header(path, csv_header(path))
    for line, row in read_csv_rows(path):
        r.read += 1
        r.parsed += 1
        _schema_row(r, line, row)


def _read_json(r: _RowCollector, path: Path) -> None:
    for line, value in _json_objects(r, path):
        r.read += 1
        if not isinstance(value, dict):
            r.bad(line, "json", f"expected an object, got {type(value).__name__}")
            continue
        r.parsed += 1
        _schema_row(r, line, value)


def _read_parquet(r: _RowCollector, path: Path) -> None:
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for a non-Parquet file
        raise ImportFormatError(f"{path} is not a Parquet file: {exc}") from exc
    _check_header(path, [str(c) for c in df.columns])
    for number, rec in enumerate(df.to_dict(orient="records"), start=1):
        r.read += 1
        r.parsed += 1
        _schema_row(r, number, {str(k): v for k, v in rec.items()})


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _entity(value: Any, fld: str) -> str:
    """The country of a PLOVER actor/recipient: list of entity objects, one object or a string."""
    v = _first(value)
    if isinstance(v, dict):
        return _text(v.get("code") or v.get("country") or "", fld)
    return _text(v, fld)


def _read_plover(r: _RowCollector, path: Path) -> None:
    table = _cameo()
    for line, value in _json_objects(r, path):
        r.read += 1
        if not isinstance(value, dict):
            r.bad(line, "json", f"expected a PLOVER record (object), got {type(value).__name__}")
            continue
        r.parsed += 1
        try:
            _plover_record(r, line, value, table)
        except _NotText as exc:
            r.bad(line, exc.field, str(exc))


def _plover_record(
    r: _RowCollector,
    line: int,
    value: dict[str, Any],
    table: Mapping[str, tuple[str, float, str, str, str]],
) -> None:
    before = len(r.problems)
    ident = _slug(_text(value.get("id"), "id"))
    if not ident:
        r.bad(line, "id", "missing (required)")
    day = _iso_day(_text(value.get("date"), "date"))
    if day is None:
        r.bad(line, "date", f"{value.get('date')!r} is not a YYYY-MM-DD date")
    event = _text(_first(value.get("event")), "event").strip().upper()
    if event not in PLOVER_EVENTS:
        r.bad(line, "event", f"{event!r} is not a PLOVER event type")
    if len(r.problems) > before:
        return
    ends = []
    for key in ("actor", "recipient"):
        raw = _entity(value.get(key), key).strip()
        if raw in _MISSING:
            r.skips["no_actor"] += 1
            break
        iso = actor_code(raw, "name") or actor_code(raw, "cameo")
        if iso is None:
            if raw in ORGANISATIONS:
                iso = raw  # NATO, UN, OSCE ... are accepted actor codes
            else:
                r.skips["unknown_actor"] += 1
                r.unknown[raw] += 1
                break
        ends.append(iso)
    if len(ends) < 2:
        return
    if ends[0] == ends[1]:
        r.skips["same_actor"] += 1
        return
    modes = value.get("mode") or []
    contexts = value.get("context") or []
    mode = "; ".join(_text(m, "mode") for m in (modes if isinstance(modes, list) else [modes]))
    context = "; ".join(
        _text(c, "context") for c in (contexts if isinstance(contexts, list) else [contexts])
    )
    cite = value.get("cite_info") if isinstance(value.get("cite_info"), dict) else {}
    assert isinstance(cite, dict)
    text = _text(_first(value.get("event_text")) or value.get("text") or "", "event_text")
    summary = text or f"{ends[0]} {event} {ends[1]} (PLOVER)"
    r.keep(
        line,
        {
            "id": f"plover-{ident}", "date": day or "", "precision": "day",
            "actor": ends[0], "target": ends[1], "plover": event, "plover_mode": mode,
            "plover_context": context, "cameo": "",
            "goldstein": f"{table[PLOVER_GOLDSTEIN_ROOT[event]][1]:g}",
            "domain": domain_for(event, context, ""), "summary": _clip(summary),
            "source_publication": _clip(_as_text(
                cite.get("publication") or cite.get("corpus") or "PLOVER record"), 200),
            "source_title": _clip(_as_text(cite.get("title") or f"PLOVER event {ident}"), 200),
            "source_date": "", "source_url": _as_text(cite.get("url")),
            "date_checked": "false",
        },
    )  # fmt: skip


_READERS: dict[str, Callable[[_RowCollector, Path], None]] = {
    "csv": _read_csv,
    "json": _read_json,
    "parquet": _read_parquet,
    "gdelt1": lambda r, p: _read_gdelt(r, p, 1),
    "gdelt2": lambda r, p: _read_gdelt(r, p, 2),
    "icews": _read_icews,
    "phoenix": _read_phoenix,
    "plover": _read_plover,
}


def guess_format(path: Path) -> str:
    """The format of ``path`` from its suffix and first line; raise ImportFormatError if unclear."""
    suffix = path.suffix.lower()
    if suffix in {".parquet", ".pq"}:
        return "parquet"
    try:
        with open(path, encoding="utf-8-sig") as fh:
            head = fh.read(65536)
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFormatError(f"cannot read {path} to guess its format: {exc}") from exc
    lines = [ln for ln in head.splitlines() if ln.strip() and not ln.startswith("#")]
    first = lines[0] if lines else ""
    if suffix in {".json", ".jsonl", ".ndjson"} or first.lstrip()[:1] in {"[", "{"}:
        keys = set(re.findall(r'"([A-Za-z_0-9]+)"\s*:', head))
        return "plover" if {"event", "actor"} <= keys and "plover" not in keys else "json"
    cells = first.split("\t")
    if len(cells) > 1:
        if "Event ID" in cells and "CAMEO Code" in cells:
            return "icews"
        n = len(cells)
        if n in {len(GDELT1_COLUMNS), len(GDELT1_COLUMNS) - 1}:
            return "gdelt1"
        if n == len(GDELT2_COLUMNS):
            return "gdelt2"
        if n == len(PHOENIX_COLUMNS):
            return "phoenix"
    elif "plover" in first.split(",") and "id" in first.split(","):
        return "csv"
    raise ImportFormatError(
        f"cannot tell the format of {path}; pass fmt= one of {', '.join(FORMATS)}"
    )


def import_events(
    path: Path, fmt: str | None = None, dyad: tuple[str, str] | None = None
) -> ReadResult:
    """Read an event file into the project's schema, with counts of what was left out.

    Raises :class:`ImportFormatError` for an unknown ``fmt`` (listing the valid ones) or a
    file that is not that format, :class:`RecordError` listing every bad row otherwise.
    """
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise ImportFormatError(f"unknown event format {fmt!r}; valid: {', '.join(FORMATS)}")
    if dyad is not None:
        if len(dyad) != 2 or dyad[0] == dyad[1] or not all(is_actor(a) for a in dyad):
            raise InputError(
                f"dyad must be two different actor codes like ('USA', 'RUS'): {dyad!r}"
            )
    if not path.is_file():
        raise ImportFormatError(f"{path}: no such file")
    fmt = fmt or guess_format(path)
    reader = _RowCollector(path, fmt, dyad)
    try:
        _READERS[fmt](reader, path)
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{path} is not UTF-8 text ({exc})") from exc
    except csv.Error as exc:
        raise ImportFormatError(f"{path} is not readable as CSV: {exc}") from exc
    return reader.result()


def read_events(
    source: Path | str | bytes | BinaryIO,
    fmt: str | None = None,
    dyad: tuple[str, str] | None = None,
    *,
    name: str | None = None,
) -> pd.DataFrame:
    """Events of ``source`` as ``EVENT_COLUMNS`` + ``line`` (strings); see :func:`import_events`.

    ``source`` is a path, or the file's contents (bytes or a binary stream, an upload) with
    ``name`` the file name that errors, the format guess and the problems use (default
    ``upload.csv``). The counts of skipped rows are in ``frame.attrs["import_stats"]``
    (:class:`ImportStats`).
    """
    if isinstance(source, (str, Path)):
        return import_events(Path(source), fmt, dyad).frame
    data = source if isinstance(source, bytes) else source.read()
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name or "upload.csv").name) or "upload.csv"
    # The readers work on files: the bytes go to a private temporary copy, and every error
    # names ``safe``, the uploaded file, not that copy.
    with tempfile.TemporaryDirectory(prefix="resetlab-import-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        try:
            return import_events(path, fmt, dyad).frame
        except RecordError as exc:
            problems = [
                replace(p, file=safe, message=p.message.replace(str(path), safe))
                for p in exc.problems
            ]
            message = str(exc).split("\n", 1)[0].replace(str(path), safe)
            raise type(exc)(message, problems) from None


def write_events(df: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write the ``EVENT_COLUMNS`` of ``df`` as csv, json (a list, one object a line) or parquet.

    Values are written as strings; ``df`` is not modified.
    """
    if fmt not in EXPORT_FORMATS:
        raise ImportFormatError(
            f"cannot write {fmt!r}; export formats: {', '.join(EXPORT_FORMATS)}"
        )
    missing = [c for c in EVENT_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"frame lacks event columns: {', '.join(missing)}")
    records = [
        {c: _as_text(v) for c, v in zip(EVENT_COLUMNS, values, strict=True)}
        for values in df[list(EVENT_COLUMNS)].itertuples(index=False, name=None)
    ]
    path = Path(path)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(EVENT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        path.write_text(buf.getvalue(), encoding="utf-8")
    elif fmt == "json":
        body = ",\n".join(json.dumps(rec, ensure_ascii=False) for rec in records)
        path.write_text(f"[\n{body}\n]\n" if records else "[]\n", encoding="utf-8")
    else:
        pd.DataFrame(records, columns=list(EVENT_COLUMNS), dtype="string").to_parquet(
            path, index=False
        )


__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "ReadResult",
    "ImportStats",
    "actor_code",
    "domain_for",
    "guess_format",
    "import_events",
    "read_events",
    "write_events",
]
