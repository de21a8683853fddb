"""Raw ICEWS event files (``fmt="icews"``): tab-separated with a header line."""

from __future__ import annotations

from resetlab.exceptions import ImportFormatError, Problem
from resetlab.record.builtin import duplicated
from resetlab.record.importers.base import MISSING, EventData, EventReader, Head, RowCollector
from resetlab.record.importers.coded import Coded, map_coded, prefixed, summary_with

ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Country", "Story ID", "Sentence Number", "Publisher",
)  # fmt: skip


class IcewsReader(EventReader):
    """A raw ICEWS ``.tab`` file whose header names (at least) :data:`ICEWS_COLUMNS`."""

    key = "icews"

    @classmethod
    def guess_can_read(cls, head: Head) -> bool:
        return head.tabbed and "Event ID" in head.cells and "CAMEO Code" in head.cells

    def read(self, rows: RowCollector, data: EventData) -> None:
        r = rows
        lines = data.lines()
        first = next(lines, None)
        header = first[1].split("\t") if first else []
        missing = [c for c in ICEWS_COLUMNS if c not in header]
        twice = duplicated(header)
        if twice:
            raise ImportFormatError(
                f"{data.name}: the ICEWS header names a column twice",
                [
                    Problem(
                        data.name,
                        first[0] if first else None,
                        ",".join(twice),
                        "column given twice",
                    )
                ],
            )
        if missing:
            raise ImportFormatError(
                f"{data.name} is not a raw ICEWS file: header lacks {', '.join(missing)}",
                [
                    Problem(
                        data.name, first[0] if first else None, ",".join(missing), "column missing"
                    )
                ],
            )
        for line, text in lines:
            r.read += 1
            cells = text.split("\t")
            if len(cells) != len(header):
                r.bad(
                    line, "columns", f"{len(cells)} tab-separated columns, header has {len(header)}"
                )
                continue
            r.parsed += 1
            v = dict(zip(header, cells, strict=True))
            eid, day = v["Event ID"].strip(), v["Event Date"].strip()
            pub = v["Publisher"].strip()
            sname, tname, what = v["Source Name"].strip(), v["Target Name"].strip(), v["Event Text"]
            map_coded(
                r,
                Coded(
                    line=line, ident=prefixed("icews", f"{day.replace('-', '')}-{eid}"
                                               if eid.isascii() and eid.isdigit() else eid),
                    day=day, actor=v["Source Country"], target=v["Target Country"], actor_kind="name",
                    cameo=v["CAMEO Code"].strip(), goldstein=v["Intensity"],
                    summary=summary_with(sname, what.strip(), tname, v["CAMEO Code"].strip()),
                    publication=pub if pub not in MISSING else "ICEWS",
                    title=f"ICEWS story {v['Story ID'].strip()}, sentence "
                    f"{v['Sentence Number'].strip()}",
                    fields={"id": "Event ID", "date": "Event Date", "actor": "Source Country",
                            "target": "Target Country", "cameo": "CAMEO Code",
                            "goldstein": "Intensity"},
                ),
            )  # fmt: skip
