"""Event JSON files in the project's own schema (``fmt="json"``): a list or JSON lines."""

from __future__ import annotations

from resetlab.record.importers.base import EventData, EventReader, Head, RowCollector
from resetlab.record.importers.jsontext import json_values
from resetlab.record.importers.plover import PloverReader
from resetlab.record.importers.schema_rows import schema_row


class JsonReader(EventReader):
    """A list of event objects, or one object a line, with the event columns as keys."""

    key = "json"

    @classmethod
    def guess_can_read(cls, head: Head) -> bool:
        return head.json_like and not PloverReader.guess_can_read(head)

    def read(self, rows: RowCollector, data: EventData) -> None:
        for line, value in json_values(rows, data.text()):
            rows.read += 1
            if not isinstance(value, dict):
                rows.bad(line, "json", f"expected an object, got {type(value).__name__}")
                continue
            rows.parsed += 1
            schema_row(rows, line, value)
