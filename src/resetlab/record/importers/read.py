"""The registry of event formats and the entry points that read with them.

:func:`read_events` reads from a path, bytes or a binary stream; :func:`import_events` is
the file caller and adds the counts of what was left out. Without ``fmt`` the format is the
one whose reader recognises the file (:meth:`EventReader.guess_can_read`).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from resetlab.exceptions import ImportFormatError, InputError
from resetlab.record.importers.base import (
    EventData,
    EventReader,
    Head,
    ReadResult,
    RowCollector,
)
from resetlab.record.importers.csvfile import CsvReader
from resetlab.record.importers.gdelt import Gdelt1Reader, Gdelt2Reader
from resetlab.record.importers.icews import IcewsReader
from resetlab.record.importers.jsonfile import JsonReader
from resetlab.record.importers.parquet import ParquetReader
from resetlab.record.importers.phoenix import PhoenixReader
from resetlab.record.importers.plover import PloverReader
from resetlab.record.schema import is_actor

#: Format key -> reader class, keyed on each class's ``key``. A new format is a module with
#: an :class:`EventReader` subclass and one entry in this tuple.
READERS: dict[str, type[EventReader]] = {
    cls.key: cls
    for cls in (
        CsvReader,
        JsonReader,
        ParquetReader,
        Gdelt1Reader,
        Gdelt2Reader,
        IcewsReader,
        PhoenixReader,
        PloverReader,
    )
}

#: Every format :func:`read_events` understands.
FORMATS: tuple[str, ...] = tuple(READERS)


def _guess(data: EventData) -> str:
    head = Head(data.suffix, data.head())
    for key, cls in READERS.items():
        if cls.guess_can_read(head):
            return key
    if head.decode_error is not None:
        raise ImportFormatError(f"cannot read {data.name} to guess its format: {head.decode_error}")
    raise ImportFormatError(
        f"cannot tell the format of {data.name}; pass fmt= one of {', '.join(FORMATS)}"
    )


def guess_format(path: Path) -> str:
    """The format of ``path``: the one whose reader recognises its name and first bytes;
    :class:`ImportFormatError` if none does."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            return _guess(EventData(str(path), fh))
    except OSError as exc:
        raise ImportFormatError(f"cannot read {path} to guess its format: {exc}") from exc


def _check_args(fmt: str | None, dyad: tuple[str, str] | None) -> None:
    if fmt is not None and fmt not in READERS:
        raise ImportFormatError(f"unknown event format {fmt!r}; valid: {', '.join(FORMATS)}")
    if dyad is not None:
        if len(dyad) != 2 or dyad[0] == dyad[1] or not all(is_actor(a) for a in dyad):
            raise InputError(
                f"dyad must be two different actor codes like ('USA', 'RUS'): {dyad!r}"
            )


def read_data(
    data: EventData, fmt: str | None = None, dyad: tuple[str, str] | None = None
) -> ReadResult:
    """Read ``data`` (a name and a seekable binary stream) as ``fmt`` (guessed when None).

    Raises :class:`ImportFormatError` for an unknown ``fmt`` (listing the valid ones) or data
    that is not that format, :class:`RecordError` listing every bad row otherwise.
    """
    _check_args(fmt, dyad)
    fmt = fmt or _guess(data)
    rows = RowCollector(data.name, fmt, dyad)
    try:
        READERS[fmt]().read(rows, data)
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{data.name} is not UTF-8 text ({exc})") from exc
    except csv.Error as exc:
        raise ImportFormatError(f"{data.name} is not readable as CSV: {exc}") from exc
    return rows.result()


def import_events(
    path: Path, fmt: str | None = None, dyad: tuple[str, str] | None = None
) -> ReadResult:
    """Read an event file into the project's schema, with counts of what was left out.

    Raises :class:`ImportFormatError` for an unknown ``fmt`` (listing the valid ones) or a
    file that is not that format, :class:`RecordError` listing every bad row otherwise.
    """
    path = Path(path)
    _check_args(fmt, dyad)
    if not path.is_file():
        raise ImportFormatError(f"{path}: no such file")
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise ImportFormatError(f"cannot read {path}: {exc}") from exc
    with fh:
        return read_data(EventData(str(path), fh), fmt, dyad)


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
    ``upload.csv``; reduced to a plain file name); a stream is read from its start. The
    counts of skipped rows are in ``frame.attrs["import_stats"]`` (:class:`ImportStats`).
    """
    if isinstance(source, (str, Path)):
        return import_events(Path(source), fmt, dyad).frame
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name or "upload.csv").name) or "upload.csv"
    if isinstance(source, bytes):
        stream: BinaryIO = io.BytesIO(source)
    elif source.seekable():
        stream = source
    else:  # a pipe or socket: the readers seek, so the contents are held in memory
        stream = io.BytesIO(source.read())
    return read_data(EventData(safe, stream), fmt, dyad).frame
