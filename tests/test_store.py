"""The store: atomic imports, duplicate merging with every source kept, clear errors."""

from __future__ import annotations

import pandas as pd
import pytest

from resetlab.exceptions import RecordError, StoreError
from resetlab.record.schema import EVENT_COLUMNS
from resetlab.record.store import Store, similar


def event(**over: str) -> dict[str, str]:
    row = {c: "" for c in EVENT_COLUMNS}
    row.update(
        id="2010-04-08-new-start-signed", date="2010-04-08", precision="day", actor="USA",
        target="RUS", plover="AGREE", cameo="057", goldstein="8", domain="arms_control",
        summary="Obama and Medvedev sign New START in Prague",
        source_publication="U.S. Department of State", source_title="New START",
        date_checked="true",
    )  # fmt: skip
    row.update(over)
    return row


def frame(*rows: dict[str, str]) -> pd.DataFrame:
    df = pd.DataFrame(list(rows))
    df["line"] = [str(i + 2) for i in range(len(df))]
    return df


@pytest.fixture
def store() -> Store:
    s = Store.open(":memory:", build=False)
    yield s
    s.close()


def test_import_adds_rows_and_sources(store: Store) -> None:
    res = store.import_events(frame(event()), file="a.csv", fmt="csv")
    assert (res.added, res.merged) == (1, 0)
    ev = store.events()
    assert list(ev["id"]) == ["2010-04-08-new-start-signed"]
    assert "U.S. Department of State: New START" in ev["source"].iloc[0]
    assert store.counts()["imports"] == 1


def test_duplicate_is_merged_keeping_every_source(store: Store) -> None:
    store.import_events(frame(event()), file="a.csv", fmt="csv")
    dup = event(
        id="other-id", summary="Obama and Medvedev signed New START in Prague.",
        source_publication="Reuters", source_title="Leaders sign arms pact",
    )  # fmt: skip
    res = store.import_events(frame(dup), file="b.csv", fmt="csv")
    assert (res.added, res.merged) == (0, 1)
    ev = store.events()
    assert len(ev) == 1 and ev["n_sources"].iloc[0] == 2
    assert "Reuters: Leaders sign arms pact" in ev["source"].iloc[0]


def test_reimport_merges_without_repeating_sources(store: Store) -> None:
    store.import_events(frame(event()), file="a.csv", fmt="csv")
    res = store.import_events(frame(event()), file="a.csv", fmt="csv")
    assert (res.added, res.merged) == (0, 1)
    assert store.events()["n_sources"].iloc[0] == 1


def test_same_day_different_event_is_not_merged(store: Store) -> None:
    other = event(id="x", summary="Russia expels two U.S. diplomats", plover="AGREE")
    res = store.import_events(frame(event(), other), file="a.csv", fmt="csv")
    assert res.added == 2


def test_bad_rows_reject_whole_file_with_line_numbers(store: Store) -> None:
    store.import_events(frame(event()), file="a.csv", fmt="csv")
    before = store.events()
    good = event(id="fine", date="2011-02-05", summary="New START enters into force")
    bad1 = event(id="bad-1", date="2011-13-01", summary="x")
    bad2 = event(id="bad-2", goldstein="12", plover="HUG", summary="y", cameo="0579")
    with pytest.raises(RecordError) as err:
        store.import_events(frame(good, bad1, bad2), file="new.csv", fmt="csv")
    text = str(err.value)
    assert "new.csv:3: date:" in text
    assert "new.csv:4: goldstein:" in text and "new.csv:4: plover:" in text
    assert "new.csv:4: cameo:" in text
    assert len(err.value.problems) == 4
    pd.testing.assert_frame_equal(store.events(), before)
    assert store.counts()["imports"] == 1


def test_id_clash_with_different_event_is_an_error(store: Store) -> None:
    store.import_events(frame(event()), file="a.csv", fmt="csv")
    clash = event(date="2012-01-01", summary="Something else entirely")
    with pytest.raises(RecordError, match=r"b.csv:2: id: .* already in the store"):
        store.import_events(frame(clash), file="b.csv", fmt="csv")
    assert len(store.events()) == 1


def test_failure_inside_transaction_rolls_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kw: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_insert_sources", boom)
    with pytest.raises(RuntimeError):
        store.import_events(frame(event()), file="a.csv", fmt="csv")
    assert store.events().empty and store.counts()["imports"] == 0


def test_dyad_filter(store: Store) -> None:
    store.import_events(
        frame(event(), event(id="geo", actor="RUS", target="GEO", summary="War in Georgia")),
        file="a.csv", fmt="csv",
    )  # fmt: skip
    assert list(store.events(("RUS", "USA"))["id"]) == ["2010-04-08-new-start-signed"]
    assert len(store.events()) == 2


def test_unknown_table_lists_tables(store: Store) -> None:
    with pytest.raises(StoreError, match="tables: .*events"):
        store.table("nope")


def test_similarity() -> None:
    assert similar("Obama signs New START", "obama signs new START.") == 1.0
    assert similar("Obama signs New START", "Russia annexes Crimea") < 0.5


def test_file_store_persists_and_builds_builtin(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.duckdb"
    with Store.open(path) as s:
        n = s.counts()["events"]
        fp = s.meta("builtin_fingerprint")
    assert n > 0 and fp
    with Store.open(path) as s:  # reopened: no rebuild needed, same rows
        assert s.counts()["events"] == n


# --- values are normalised once, then checked and stored the same -------------------------


def test_padded_values_are_stored_as_checked(store: Store) -> None:
    row = event(date=" 2010-04-08 ", actor="USA ", target=" RUS", date_checked=" true",
                goldstein=" 8 ", summary="  Obama and Medvedev sign New START in Prague ")  # fmt: skip
    store.import_events(frame(row), file="a.csv", fmt="csv")
    got = store.events(dyad=("USA", "RUS"))
    assert len(got) == 1  # "RUS " would have dropped out of the dyad
    rec = got.iloc[0]
    assert (rec["date"], rec["actor"], rec["target"]) == ("2010-04-08", "USA", "RUS")
    assert bool(rec["date_checked"]) is True and rec["goldstein"] == 8.0
    assert rec["summary"] == "Obama and Medvedev sign New START in Prague"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("goldstein", "1_0"),
        ("goldstein", "\u0663"),  # Arabic-Indic three
        ("goldstein", "nan"),
        ("goldstein", "inf"),
        ("date", "\u0662\u0660\u0661\u0660-04-08"),  # Arabic-Indic digits
        ("actor", "ZZZ"),  # three letters, but no such actor
        ("cameo", "\u0660\u0665\u0667"),
    ],
)
def test_lenient_spellings_are_refused(store: Store, field: str, value: str) -> None:
    with pytest.raises(RecordError) as info:
        store.import_events(frame(event(**{field: value})), file="a.csv", fmt="csv")
    assert {p.field for p in info.value.problems} == {field}
    assert store.events().empty


# --- the store file and its writes ----------------------------------------------------------


class _FullDisk:
    """A connection whose COMMIT fails as DuckDB's does when the disk is full."""

    def __init__(self, con: object) -> None:
        self._con = con

    def execute(self, sql: str, *args: object):  # type: ignore[no-untyped-def]
        if sql.strip().upper() == "COMMIT":
            import duckdb

            raise duckdb.IOException("Could not write file: No space left on device")
        return self._con.execute(sql, *args)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)


def test_full_disk_at_commit_is_a_store_error_and_nothing_is_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = Store.open(tmp_path / "r.duckdb", build=False)
    real = s.con
    s.con = _FullDisk(real)  # type: ignore[assignment]
    with pytest.raises(StoreError, match="No space left") as info:
        s.import_events(frame(event()), file="a.csv", fmt="csv")
    assert info.value.exit_code == 1
    s.con = real
    assert s.events().empty and s.counts()["imports"] == 0
    s.close()


def test_a_duckdb_file_of_another_schema_is_refused_untouched(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import duckdb

    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE events (a INTEGER, b VARCHAR)")
    con.close()
    before = path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(StoreError, match="not a resetlab record store") as info:
            Store.open(path, read_only=read_only)
        assert info.value.exit_code == 2
    assert path.read_bytes() == before


def test_store_paths_that_cannot_be_used(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    a_file = tmp_path / "plain"
    a_file.write_text("x")
    with pytest.raises(StoreError, match="cannot create the folder") as info:
        Store.open(a_file / "record.duckdb")
    assert info.value.exit_code == 2
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)
    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("hello")
    with pytest.raises(StoreError, match="not a DuckDB database"):
        Store.open(not_duckdb)
    monkeypatch.setenv("RESETLAB_HOME", str(a_file))
    with pytest.raises(StoreError, match="RESETLAB_HOME") as info:
        Store.open()
    assert info.value.exit_code == 2


def test_read_only_store_reads_and_refuses_writes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.duckdb"
    with Store.open(path, build=False) as s:
        s.import_events(frame(event()), file="a.csv", fmt="csv")
    with (
        Store.open(path, build=False, read_only=True) as ro,
        Store.open(path, build=False, read_only=True) as ro2,
    ):
        assert len(ro.events()) == len(ro2.events()) == 1
        with pytest.raises(StoreError, match="read-only"):
            ro.import_events(frame(event(id="x2", summary="other")), file="b.csv", fmt="csv")


def test_read_only_open_of_a_missing_store_builds_it_first(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "new.duckdb"
    with Store.open(path, read_only=True) as s:
        assert s.read_only and s.counts()["events"] > 0


# --- duplicate merging is n log n in rows sharing one key ------------------------------------


def _same_key_rows(n: int) -> pd.DataFrame:
    words = ["treaty", "talks", "summit", "sanctions", "visit", "call", "envoy", "deal"]
    rows = []
    for i in range(n):
        text = " ".join(words[(i * 7 + k * 3) % 8] + str((i * 31 + k) % 97) for k in range(8))
        rows.append(event(id=f"ev-{i:06d}", summary=f"{text} number {i}"))
    return frame(*rows)


def _merge_seconds(n: int) -> float:
    import time

    s = Store.open(":memory:", build=False)
    df = _same_key_rows(n)
    start = time.perf_counter()
    s.import_events(df, file="a.csv", fmt="csv")
    took = time.perf_counter() - start
    s.close()
    return took


def test_duplicate_merging_time_is_linear_in_same_key_rows() -> None:
    # 1,000 rows of one (day, dyad, PLOVER) key took 70 s when each row met every earlier one.
    # Rows of one key with summaries much alike: the worst case for the comparisons.
    small, large = _merge_seconds(200), _merge_seconds(400)
    assert large < 3 * small + 0.2, (small, large)


def test_near_duplicates_among_many_same_key_rows_are_still_merged(store: Store) -> None:
    df = _same_key_rows(500)
    store.import_events(df, file="a.csv", fmt="csv")
    base = df["summary"].iloc[250]
    twins = df.iloc[[250, 250]].copy()
    twins["id"] = ["twin-end", "twin-start"]
    twins["summary"] = [base + " today", "Reported: " + base]  # changed at either end
    twins["source_publication"] = "Another paper"
    res = store.import_events(twins, file="b.csv", fmt="csv")
    assert (res.added, res.merged) == (0, 2)
    sources = store.table("sources")
    assert (sources["event_id"] == "ev-000250").sum() == 3
