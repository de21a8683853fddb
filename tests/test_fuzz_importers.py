"""The fuzzing campaign, kept: every importer on broken and hostile files.

For every input, either a clean :class:`ResetlabError` naming the file (and the line where
there is one) and the store unchanged, or a successful import whose stored rows equal the
normalised input; never another exception.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resetlab.exceptions import ResetlabError
from resetlab.record.importers import FORMATS, import_events, write_events
from resetlab.record.schema import EVENT_COLUMNS, check_event_row, normalise_event_row
from resetlab.record.store import Store
from strategies import hostile_event_frames, mutated_bytes

FIX = Path(__file__).parent / "fixtures"
FAST = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))

#: A sample file of each format, the seed the mutations start from.
SAMPLES: dict[str, tuple[str, str]] = {
    "csv": ("events_sample.csv", ".csv"),
    "json": ("events_sample.json", ".json"),
    "gdelt1": ("gdelt1_sample.tsv", ".tsv"),
    "gdelt2": ("gdelt2_sample.tsv", ".tsv"),
    "icews": ("icews_sample.tab", ".tab"),
    "phoenix": ("phoenix_sample.tsv", ".tsv"),
    "plover": ("plover_sample.jsonl", ".jsonl"),
}


def _sample_bytes(fmt: str) -> tuple[bytes, str]:
    if fmt == "parquet":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "s.parquet"
            write_events(import_events(FIX / "events_sample.csv").frame, path, "parquet")
            return path.read_bytes(), ".parquet"
    name, suffix = SAMPLES[fmt]
    return (FIX / name).read_bytes(), suffix


def _state(store: Store) -> tuple[object, ...]:
    con = store.con
    return tuple(
        con.execute(f"SELECT * EXCLUDE ({drop}) FROM {t} ORDER BY ALL").fetchall()
        for t, drop in (("events", "origin"), ("sources", "origin"), ("imports", "imported_at"))
    )


def _check_one(path: Path, fmt: str | None) -> None:
    """The campaign's assertion for one file, read as ``fmt`` (None: guessed)."""
    with Store.open(":memory:", build=False) as store:
        seed = import_events(FIX / "events_sample.csv").frame
        store.import_events(seed, file="seed.csv", fmt="csv")
        before = _state(store)
        try:
            read = import_events(path, fmt)
        except ResetlabError as exc:
            assert str(path) in str(exc)
            for p in getattr(exc, "problems", []):
                assert p.file == str(path)
            assert _state(store) == before
            return
        frame = read.frame
        assert read.stats.kept == len(frame) and read.stats.rows_read >= len(frame)
        for row in frame.to_dict(orient="records"):
            assert normalise_event_row(row) == {c: row[c] for c in EVENT_COLUMNS}
            assert check_event_row(row, str(path), int(row["line"])) == []
        try:
            result = store.import_events(frame, file=str(path), fmt=read.stats.fmt)
        except ResetlabError as exc:
            assert str(path) in str(exc)
            assert _state(store) == before
            return
        assert result.added + result.merged == len(frame)
        stored = store.events().set_index("id")
        for row in frame.to_dict(orient="records"):
            if row["id"] in stored.index and stored.loc[row["id"], "origin"] == str(path):
                got = stored.loc[row["id"]]
                for c in ("date", "precision", "actor", "target", "plover", "domain", "summary"):
                    assert got[c] == row[c]


def _check_read(path: Path) -> None:
    """Reading with the format guessed: a clean error naming the file, or valid rows."""
    try:
        read = import_events(path)
    except ResetlabError as exc:
        assert str(path) in str(exc)
        return
    for row in read.frame.to_dict(orient="records"):
        assert check_event_row(row, str(path), int(row["line"])) == []


@pytest.mark.parametrize("fmt", FORMATS)
@FAST
@given(data=st.data())
def test_every_importer_on_mutated_files(fmt: str, data: st.DataObject) -> None:
    original, suffix = _sample_bytes(fmt)
    content = data.draw(mutated_bytes(original))
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "[").mkdir()
        path = Path(tmp) / "[" / f"bogus]fuzz{suffix}"  # "[/bogus]" in the path
        path.write_bytes(content)
        _check_one(path, fmt)
        _check_read(path)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@LONG
@given(data=st.data())
def test_every_importer_on_mutated_files_long(fmt: str, data: st.DataObject) -> None:
    original, suffix = _sample_bytes(fmt)
    content = data.draw(mutated_bytes(original, max_ops=8))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(content)
        _check_one(path, fmt)


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
@FAST
@given(frame=hostile_event_frames())
def test_hostile_but_valid_rows_are_stored_normalised(fmt: str, frame: pd.DataFrame) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"events.{fmt}"
        write_events(frame, path, fmt)
        read = import_events(path, fmt)
        expected = [normalise_event_row(r) for r in frame.to_dict(orient="records")]
        assert read.frame[list(EVENT_COLUMNS)].to_dict(orient="records") == expected
        with Store.open(":memory:", build=False) as store:
            result = store.import_events(read.frame, file=str(path), fmt=fmt)
            stored = store.events().set_index("id")
    assert result.added + result.merged == len(frame)
    for row in expected:
        if row["id"] in stored.index:
            got = stored.loc[row["id"]]
            assert (got["actor"], got["target"], got["date"]) == (
                row["actor"], row["target"], row["date"],
            )  # fmt: skip
            assert got["summary"] == row["summary"]
            assert bool(got["date_checked"]) is (row["date_checked"] == "true")
