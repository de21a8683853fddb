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


def test_failure_inside_transaction_rolls_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
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
