"""The importers' reader protocol: a registry keyed on the classes, each format recognised by
its own reader and no other, reading from data without a temporary file."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import BinaryIO, cast

import pandas as pd
import pytest

from resetlab.exceptions import ImportFormatError
from resetlab.record.importers import FORMATS, READERS, EventReader, Head, read_events, write_events

FIX = Path(__file__).parent / "fixtures"
SAMPLES = {
    "gdelt1": "gdelt1_sample.tsv",
    "gdelt2": "gdelt2_sample.tsv",
    "phoenix": "phoenix_sample.tsv",
    "icews": "icews_sample.tab",
    "plover": "plover_sample.jsonl",
    "csv": "events_sample.csv",
    "json": "events_sample.json",
}


def test_the_registry_is_keyed_on_each_class() -> None:
    assert tuple(READERS) == FORMATS
    for key, cls in READERS.items():
        assert issubclass(cls, EventReader)
        assert cls.key == key


def _claims(name: str, raw: bytes) -> list[str]:
    head = Head(Path(name).suffix.lower(), raw[:65536])
    return [key for key, cls in READERS.items() if cls.guess_can_read(head)]


@pytest.mark.parametrize(("fmt", "name"), sorted(SAMPLES.items()))
def test_exactly_one_reader_recognises_each_format(fmt: str, name: str) -> None:
    assert _claims(name, (FIX / name).read_bytes()) == [fmt]


def test_exactly_one_reader_recognises_parquet(tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    write_events(read_events(FIX / "events_sample.csv"), path, "parquet")
    assert _claims(path.name, path.read_bytes()) == ["parquet"]
    # the magic number is enough without the suffix
    assert _claims("events.bin", path.read_bytes()) == ["parquet"]


def test_no_reader_recognises_prose() -> None:
    assert _claims("notes.txt", b"a plain note, not events\n") == []
    with pytest.raises(ImportFormatError, match=r"cannot tell the format of notes\.txt"):
        read_events(b"a plain note, not events\n", name="notes.txt")


class _Pipe(io.RawIOBase):
    """A stream that cannot seek, as a socket or a pipe."""

    def __init__(self, data: bytes) -> None:
        self._buf = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        chunk = self._buf.read(len(b))
        b[: len(chunk)] = chunk
        return len(chunk)


@pytest.mark.parametrize(("fmt", "name"), sorted(SAMPLES.items()))
def test_reading_data_writes_no_temporary_file(
    fmt: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a temporary file was made")

    expected = read_events(FIX / name)
    data = (FIX / name).read_bytes()
    for attr in ("TemporaryDirectory", "NamedTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, attr, refuse)
    pipe = cast(BinaryIO, io.BufferedReader(_Pipe(data)))  # type: ignore[type-var]
    from_pipe = read_events(pipe, name=name)  # format guessed from the data
    pd.testing.assert_frame_equal(from_pipe, expected)
    assert from_pipe.attrs["import_stats"].fmt == fmt
