"""Event CSV files in the project's own schema (``fmt="csv"``)."""

from __future__ import annotations

from resetlab.record.builtin import csv_text_header, csv_text_rows
from resetlab.record.importers.base import EventData, EventReader, Head, RowCollector
from resetlab.record.importers.schema_rows import check_header, schema_row


class CsvReader(EventReader):
    """A CSV with the event columns as its header (``#`` note lines before it allowed)."""

    key = "csv"

    @classmethod
    def guess_can_read(cls, head: Head) -> bool:
        names = head.first_line.split(",")
        plain = not head.parquet and not head.json_like and len(head.cells) <= 1
        return plain and "plover" in names and "id" in names

    def read(self, rows: RowCollector, data: EventData) -> None:
        text = data.text()
        check_header(data.name, csv_text_header(text))
        for line, row in csv_text_rows(text):
            rows.read += 1
            rows.parsed += 1
            schema_row(rows, line, row)
