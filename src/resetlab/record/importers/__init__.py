"""Read event files of the field's standard formats into the project's event schema.

Formats (``fmt``): ``csv``, ``json`` (list of objects or JSON lines) and ``parquet`` already in
the project's schema; ``gdelt1`` (GDELT 1.0 event table, 57/58 tab-separated columns),
``gdelt2`` (GDELT 2.0 export, 61 columns), ``icews`` (raw ICEWS ``.tab`` with header),
``phoenix`` (OEDA Phoenix daily file, 26 tab-separated columns) and ``plover`` (PLOVER JSON
records, list or JSON lines). See ``docs/formats.md`` for the column mappings and sources.

Each format is one module with an :class:`EventReader` subclass (its ``key``, a
``guess_can_read`` that recognises the format from a file's name and first bytes, and a
``read`` of text or a stream); :data:`READERS` is the registry, keyed on the classes.

Reading is atomic: every bad row becomes a :class:`Problem` ``file:line: field: message`` and
one :class:`RecordError` lists them all (:class:`ImportFormatError` when the file is not that
format at all); a partial frame is never returned. Valid rows that cannot enter the record
(outside the requested dyad, no PLOVER category, no state actor) are skipped and counted in
:class:`ImportStats`.
"""

from __future__ import annotations

from resetlab.record.importers.base import EventData, EventReader, Head, ImportStats, ReadResult
from resetlab.record.importers.coded import actor_code, domain_for
from resetlab.record.importers.gdelt import GDELT1_COLUMNS, GDELT2_COLUMNS
from resetlab.record.importers.icews import ICEWS_COLUMNS
from resetlab.record.importers.phoenix import PHOENIX_COLUMNS
from resetlab.record.importers.plover import PLOVER_GOLDSTEIN_ROOT
from resetlab.record.importers.read import (
    FORMATS,
    READERS,
    guess_format,
    import_events,
    read_data,
    read_events,
)
from resetlab.record.importers.schema_rows import EXPORT_ONLY_COLUMNS
from resetlab.record.importers.write import EXPORT_FORMATS, write_events

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_ONLY_COLUMNS",
    "FORMATS",
    "GDELT1_COLUMNS",
    "GDELT2_COLUMNS",
    "ICEWS_COLUMNS",
    "PHOENIX_COLUMNS",
    "PLOVER_GOLDSTEIN_ROOT",
    "READERS",
    "EventData",
    "EventReader",
    "Head",
    "ImportStats",
    "ReadResult",
    "actor_code",
    "domain_for",
    "guess_format",
    "import_events",
    "read_data",
    "read_events",
    "write_events",
]
