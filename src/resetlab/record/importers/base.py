"""The reader protocol of the event importers, the data a reader reads, and the collector of
its rows, problems and skip counts.

A format is a subclass of :class:`EventReader` with a ``key`` (its name in ``fmt=``), a
``guess_can_read`` that says from a file's name and first bytes whether it is that format, and
a ``read`` that turns :class:`EventData` (a name and a binary stream: a file, an upload, bytes)
into rows of the project's schema, given to a :class:`RowCollector`.
"""

from __future__ import annotations

import codecs
import io
import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import PurePath
from types import MappingProxyType
from typing import BinaryIO, ClassVar

import pandas as pd

from resetlab.exceptions import ImportFormatError, Problem, RecordError
from resetlab.record.builtin import cameo_table
from resetlab.record.schema import (
    EVENT_COLUMNS,
    check_event_row,
    check_unique_ids,
    normalise_event_row,
    parse_number,
)

#: Bytes of a file read to guess its format.
HEAD_BYTES = 65536
#: Cell values that mean "no value" in the machine-coded formats.
MISSING = frozenset({"", "NA", "N/A", "NULL", "None", "nan"})


@dataclass
class EventData:
    """An event file's name (as errors name it) and its contents as a seekable binary stream."""

    name: str
    stream: BinaryIO

    @property
    def suffix(self) -> str:
        """The name's suffix, lower case (``.csv``)."""
        return PurePath(self.name).suffix.lower()

    def head(self) -> bytes:
        """The first :data:`HEAD_BYTES` bytes; the stream is left at its start."""
        self.stream.seek(0)
        head = self.stream.read(HEAD_BYTES)
        self.stream.seek(0)
        return head

    def text(self) -> str:
        """The whole contents as text (UTF-8, a byte-order mark dropped)."""
        self.stream.seek(0)
        return self.stream.read().decode("utf-8-sig")

    def lines(self) -> Iterator[tuple[int, str]]:
        """``(line number, line)`` for each non-blank line, read as the stream goes."""
        self.stream.seek(0)
        fh = io.TextIOWrapper(self.stream, encoding="utf-8-sig", newline="")
        try:
            for number, raw in enumerate(fh, start=1):
                line = raw.rstrip("\r\n")
                if line.strip():
                    yield number, line
        finally:
            if not self.stream.closed:
                fh.detach()  # the stream belongs to the caller: closing the wrapper must not close it


@dataclass
class Head:
    """What a format guess looks at: the name's suffix and the first bytes, as read."""

    suffix: str
    raw: bytes

    @cached_property
    def decode_error(self) -> UnicodeDecodeError | None:
        """Why the first bytes are not UTF-8 text, or None when they are."""
        try:
            codecs.getincrementaldecoder("utf-8-sig")().decode(self.raw, final=False)
        except UnicodeDecodeError as exc:
            return exc
        return None

    @cached_property
    def text(self) -> str:
        """The first bytes as text (a multi-byte character cut at the end left out); empty
        when they are not UTF-8 (:attr:`decode_error` says why)."""
        if self.decode_error is not None:
            return ""
        return codecs.getincrementaldecoder("utf-8-sig")().decode(self.raw, final=False)

    @cached_property
    def first_line(self) -> str:
        """The first line that is neither blank nor a ``#`` note."""
        lines = [ln for ln in self.text.splitlines() if ln.strip() and not ln.startswith("#")]
        return lines[0] if lines else ""

    @cached_property
    def json_like(self) -> bool:
        """A JSON suffix, or a first line that opens a list or an object."""
        if self.parquet:
            return False
        opens = self.first_line.lstrip()[:1] in {"[", "{"}
        return self.suffix in {".json", ".jsonl", ".ndjson"} or opens

    @cached_property
    def json_keys(self) -> set[str]:
        """The object keys seen in the first bytes."""
        return set(re.findall(r'"([A-Za-z_0-9]+)"\s*:', self.text))

    @cached_property
    def parquet(self) -> bool:
        """A Parquet suffix, or the Parquet magic number at the start."""
        return self.suffix in {".parquet", ".pq"} or self.raw.startswith(b"PAR1")

    @cached_property
    def cells(self) -> list[str]:
        """The first line's tab-separated cells."""
        return self.first_line.split("\t")

    @property
    def tabbed(self) -> bool:
        """A text file (not Parquet, not JSON) whose first line has tab-separated cells."""
        return not self.parquet and not self.json_like and len(self.cells) > 1


class EventReader(ABC):
    """One event format: its key, how it is recognised, and how it is read."""

    #: The format's name, as ``fmt=`` and ``--format`` take it; the registry is keyed on it.
    key: ClassVar[str]

    @classmethod
    @abstractmethod
    def guess_can_read(cls, head: Head) -> bool:
        """Whether a file with this head is in this format (used when no ``fmt`` is given);
        never raises. The guess asks the readers in registry order and takes the first yes;
        the readers' answers are exclusive (``tests/test_importer_readers.py``)."""

    @abstractmethod
    def read(self, rows: RowCollector, data: EventData) -> None:
        """Read ``data`` into ``rows``: each row kept, skipped or reported as a problem."""


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


@lru_cache(maxsize=1)
def cameo_codes() -> Mapping[str, tuple[str, float, str, str, str]]:
    """CAMEO code -> (name, Goldstein weight, PLOVER type, mode, context); read-only, cached."""
    t = cameo_table()
    return MappingProxyType({
        str(r.code): (str(r.name), float(r.goldstein), str(r.plover), str(r.plover_mode),
                      str(r.plover_context))
        for r in t.itertuples(index=False)
    })  # fmt: skip


class RowCollector:
    """Collects rows, problems and skip counts for one file."""

    def __init__(self, name: str, fmt: str, dyad: tuple[str, str] | None) -> None:
        self.file = name
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
        table = cameo_codes()
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
