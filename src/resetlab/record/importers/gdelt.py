"""GDELT event tables (``fmt="gdelt1"``: 1.0, 57/58 columns; ``"gdelt2"``: 2.0, 61 columns),
tab-separated with no header."""

from __future__ import annotations

from typing import ClassVar

from resetlab.record.importers.base import EventData, EventReader, Head, RowCollector
from resetlab.record.importers.coded import (
    Coded,
    iso_day,
    map_coded,
    prefixed,
    summary_with,
    url_host,
)
from resetlab.record.importers.icews import IcewsReader

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


class _GdeltReader(EventReader):
    """A GDELT event table of one version; the subclasses name the version."""

    version: ClassVar[int]
    columns: ClassVar[tuple[str, ...]]
    #: Numbers of tab-separated cells a row may have.
    widths: ClassVar[frozenset[int]]

    @classmethod
    def guess_can_read(cls, head: Head) -> bool:
        return (
            head.tabbed and len(head.cells) in cls.widths and not IcewsReader.guess_can_read(head)
        )

    def read(self, rows: RowCollector, data: EventData) -> None:
        r, version = rows, self.version
        names = self.columns
        allowed = set(self.widths)
        for line, text in data.lines():
            cells = text.split("\t")
            if line == 1 and cells[0].strip().upper() == "GLOBALEVENTID":
                continue  # a header line some tools add
            r.read += 1
            if len(cells) not in allowed:
                want = " or ".join(str(n) for n in sorted(allowed))
                r.bad(
                    line,
                    "columns",
                    f"{len(cells)} tab-separated columns, GDELT {version}.0 has {want}",
                )
                continue
            r.parsed += 1
            v = dict(zip(names, cells, strict=False))
            url = v.get("SOURCEURL", "").strip()
            added = v["DATEADDED"].strip()
            source_date = iso_day(added[:8]) if added else ""
            if source_date is None:
                r.bad(line, "DATEADDED", f"{added!r} does not start with a YYYYMMDD date")
                continue
            eid = v["GLOBALEVENTID"].strip()
            a1, a2 = v["Actor1Name"].strip(), v["Actor2Name"].strip()
            code = v["EventCode"].strip()
            map_coded(
                r,
                Coded(
                    line=line, ident=prefixed("gdelt", eid), day=v["SQLDATE"],
                    actor=v["Actor1CountryCode"], target=v["Actor2CountryCode"], actor_kind="cameo",
                    cameo=code, goldstein=v["GoldsteinScale"],
                    summary=summary_with(a1, "", a2, code),
                    publication=url_host(url) or f"GDELT {version}.0 event table",
                    title=f"GDELT {version}.0 event {eid}", url=url, source_date=source_date,
                    fields={"id": "GLOBALEVENTID", "date": "SQLDATE", "actor": "Actor1CountryCode",
                            "target": "Actor2CountryCode", "cameo": "EventCode",
                            "goldstein": "GoldsteinScale"},
                ),
            )  # fmt: skip


class Gdelt1Reader(_GdeltReader):
    """GDELT 1.0 (58 columns, or 57 in the back-file without SOURCEURL)."""

    key = "gdelt1"
    version = 1
    columns = GDELT1_COLUMNS
    widths = frozenset({len(GDELT1_COLUMNS), len(GDELT1_COLUMNS) - 1})


class Gdelt2Reader(_GdeltReader):
    """GDELT 2.0 (61 columns)."""

    key = "gdelt2"
    version = 2
    columns = GDELT2_COLUMNS
    widths = frozenset({len(GDELT2_COLUMNS)})
