"""PLOVER event records (``fmt="plover"``): JSON objects, a list or JSON lines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from resetlab.record.importers.base import (
    MISSING,
    EventData,
    EventReader,
    Head,
    RowCollector,
    cameo_codes,
)
from resetlab.record.importers.coded import actor_code, clip, domain_for, iso_day, slug
from resetlab.record.importers.jsontext import json_values
from resetlab.record.importers.schema_rows import _NotText, as_text, value_text
from resetlab.record.schema import ORGANISATIONS, PLOVER_EVENTS

#: PLOVER event -> CAMEO root code whose Goldstein weight stands in for the event's (PLOVER
#: records carry no Goldstein score). CONCEDE and RETREAT both come from CAMEO 08 (YIELD);
#: ACCUSE from 11 (DISAPPROVE, the larger of 09/11); ASSAULT from 18.
PLOVER_GOLDSTEIN_ROOT: dict[str, str] = {
    "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07",
    "CONCEDE": "08", "RETREAT": "08", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12",
    "THREATEN": "13", "PROTEST": "14", "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17",
    "ASSAULT": "18",
}  # fmt: skip


def first_item(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _entity(value: Any, fld: str) -> str:
    """The country of a PLOVER actor/recipient: list of entity objects, one object or a string."""
    v = first_item(value)
    if isinstance(v, dict):
        return value_text(v.get("code") or v.get("country") or "", fld)
    return value_text(v, fld)


class PloverReader(EventReader):
    """PLOVER records: objects with ``event``, ``actor`` and ``recipient`` (and no ``plover``
    key, which marks a file in the project's own schema)."""

    key = "plover"

    @classmethod
    def guess_can_read(cls, head: Head) -> bool:
        return (
            head.json_like
            and {"event", "actor"} <= head.json_keys
            and "plover" not in head.json_keys
        )

    def read(self, rows: RowCollector, data: EventData) -> None:
        r = rows
        table = cameo_codes()
        for line, value in json_values(r, data.text()):
            r.read += 1
            if not isinstance(value, dict):
                r.bad(
                    line, "json", f"expected a PLOVER record (object), got {type(value).__name__}"
                )
                continue
            r.parsed += 1
            try:
                _plover_record(r, line, value, table)
            except _NotText as exc:
                r.bad(line, exc.field, str(exc))


def _plover_record(
    r: RowCollector,
    line: int,
    value: dict[str, Any],
    table: Mapping[str, tuple[str, float, str, str, str]],
) -> None:
    before = len(r.problems)
    ident = slug(value_text(value.get("id"), "id"))
    if not ident:
        r.bad(line, "id", "missing (required)")
    day = iso_day(value_text(value.get("date"), "date"))
    if day is None:
        r.bad(line, "date", f"{value.get('date')!r} is not a YYYY-MM-DD date")
    event = value_text(first_item(value.get("event")), "event").strip().upper()
    if event not in PLOVER_EVENTS:
        r.bad(line, "event", f"{event!r} is not a PLOVER event type")
    if len(r.problems) > before:
        return
    ends = []
    for key in ("actor", "recipient"):
        raw = _entity(value.get(key), key).strip()
        if raw in MISSING:
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
    mode = "; ".join(value_text(m, "mode") for m in (modes if isinstance(modes, list) else [modes]))
    context = "; ".join(
        value_text(c, "context") for c in (contexts if isinstance(contexts, list) else [contexts])
    )
    cite = value.get("cite_info") if isinstance(value.get("cite_info"), dict) else {}
    assert isinstance(cite, dict)
    text = value_text(first_item(value.get("event_text")) or value.get("text") or "", "event_text")
    summary = text or f"{ends[0]} {event} {ends[1]} (PLOVER)"
    r.keep(
        line,
        {
            "id": f"plover-{ident}", "date": day or "", "precision": "day",
            "actor": ends[0], "target": ends[1], "plover": event, "plover_mode": mode,
            "plover_context": context, "cameo": "",
            "goldstein": f"{table[PLOVER_GOLDSTEIN_ROOT[event]][1]:g}",
            "domain": domain_for(event, context, ""), "summary": clip(summary),
            "source_publication": clip(as_text(
                cite.get("publication") or cite.get("corpus") or "PLOVER record"), 200),
            "source_title": clip(as_text(cite.get("title") or f"PLOVER event {ident}"), 200),
            "source_date": "", "source_url": as_text(cite.get("url")),
            "date_checked": "false",
        },
    )  # fmt: skip
