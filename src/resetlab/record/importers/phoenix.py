"""OEDA Phoenix daily files (``fmt="phoenix"``): 26 tab-separated columns, no header."""

from __future__ import annotations

import re

from resetlab.record.importers.base import MISSING, EventData, EventReader, Head, RowCollector
from resetlab.record.importers.coded import (
    Coded,
    actor_code,
    map_coded,
    prefixed,
    summary_with,
    url_host,
)
from resetlab.record.importers.icews import IcewsReader

PHOENIX_COLUMNS: tuple[str, ...] = (
    "EventID", "Date", "Year", "Month", "Day", "SourceActorFull", "SourceActorEntity",
    "SourceActorRole", "SourceActorAttribute", "TargetActorFull", "TargetActorEntity",
    "TargetActorRole", "TargetActorAttribute", "EventCode", "EventRootCode", "QuadClass",
    "GoldsteinScore", "Issues", "Lat", "Lon", "LocationName", "StateName", "CountryCode",
    "SentenceID", "URLs", "NewsSources",
)  # fmt: skip


class PhoenixReader(EventReader):
    """A Phoenix daily file (an optional header line starting ``EventID`` is skipped)."""

    key = "phoenix"

    @classmethod
    def guess_can_read(cls, head: Head) -> bool:
        return (
            head.tabbed
            and len(head.cells) == len(PHOENIX_COLUMNS)
            and not IcewsReader.guess_can_read(head)
        )

    def read(self, rows: RowCollector, data: EventData) -> None:
        r = rows
        names = PHOENIX_COLUMNS
        for line, text in data.lines():
            cells = text.split("\t")
            if line == 1 and cells[0].strip() == "EventID":
                continue
            r.read += 1
            if len(cells) != len(names):
                r.bad(
                    line, "columns", f"{len(cells)} tab-separated columns, Phoenix has {len(names)}"
                )
                continue
            r.parsed += 1
            v = dict(zip(names, cells, strict=True))

            def country(entity: str, full: str) -> str:
                entity, full = entity.strip(), full.strip()
                if entity in MISSING and full in MISSING:
                    return ""
                if actor_code(entity, "cameo"):
                    return entity
                return full[:3] if actor_code(full[:3], "cameo") else (entity or full[:3])

            url = re.split(r"[;\s]", v["URLs"].strip())[0] if v["URLs"].strip() else ""
            pub = re.split(r"[;,]", v["NewsSources"].strip())[0].strip()
            eid = v["EventID"].strip()
            code = v["EventCode"].strip()
            map_coded(
                r,
                Coded(
                    line=line, ident=prefixed("phoenix", eid), day=v["Date"],
                    actor=country(v["SourceActorEntity"], v["SourceActorFull"]),
                    target=country(v["TargetActorEntity"], v["TargetActorFull"]), actor_kind="cameo",
                    cameo=code, goldstein=v["GoldsteinScore"],
                    summary=summary_with("", "", "", code),
                    publication=pub or url_host(url) or "Phoenix event data",
                    title=f"Phoenix event {eid}", url=url,
                    fields={"id": "EventID", "date": "Date", "actor": "SourceActorEntity",
                            "target": "TargetActorEntity", "cameo": "EventCode",
                            "goldstein": "GoldsteinScore"},
                ),
            )  # fmt: skip
