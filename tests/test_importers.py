"""Importers of the field's event formats: mappings, line numbers, atomicity, round trips."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resetlab.config import data_dir
from resetlab.exceptions import ImportFormatError, InputError, RecordError
from resetlab.record.builtin import read_table
from resetlab.record.importers import (
    FORMATS,
    GDELT1_COLUMNS,
    GDELT2_COLUMNS,
    actor_code,
    domain_for,
    guess_format,
    import_events,
    read_events,
    write_events,
)
from resetlab.record.schema import EVENT_COLUMNS, check_event_row, normalise_event_row
from strategies import coded_events, corruptions, event_frames

FIX = Path(__file__).parent / "fixtures"
HYPO = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _lines_of(exc: RecordError) -> set[int | None]:
    return {p.line for p in exc.problems}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- formats on small fixtures -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("gdelt1_sample.tsv", "gdelt1"),
        ("gdelt2_sample.tsv", "gdelt2"),
        ("phoenix_sample.tsv", "phoenix"),
        ("icews_sample.tab", "icews"),
        ("plover_sample.jsonl", "plover"),
        ("plover_bad.json", "plover"),
        ("events_sample.csv", "csv"),
        ("events_sample.json", "json"),
    ],
)
def test_guess_format(name: str, fmt: str) -> None:
    assert guess_format(FIX / name) == fmt


def test_every_kept_row_passes_the_schema() -> None:
    for name in ("gdelt1_sample.tsv", "gdelt2_sample.tsv", "phoenix_sample.tsv",
                 "icews_sample.tab", "plover_sample.jsonl", "events_sample.csv",
                 "events_sample.json"):  # fmt: skip
        df = read_events(FIX / name)
        assert list(df.columns) == [*EVENT_COLUMNS, "line"]
        assert len(df) > 0
        for row in df.to_dict(orient="records"):
            assert check_event_row(row, name, int(row["line"])) == []
            assert all(isinstance(v, str) for v in row.values())


def test_gdelt1_mapping_and_skips() -> None:
    res = import_events(FIX / "gdelt1_sample.tsv", "gdelt1")
    df, stats = res.frame, res.stats
    assert stats.rows_read == 6
    assert list(df["line"]) == ["1", "2", "3", "6"]  # 4: CAMEO 010, 5: no Actor2 country
    assert stats.skipped_no_plover == 1 and stats.skipped_no_actor == 1
    first = df.iloc[0]
    assert (first["id"], first["date"], first["actor"], first["target"]) == (
        "gdelt-101", "2015-03-07", "USA", "RUS")  # fmt: skip
    assert (first["cameo"], first["plover"], first["goldstein"]) == ("040", "CONSULT", "1.0")
    assert first["source_url"] == "https://example.com/a1"
    assert first["source_publication"] == "example.com"
    assert first["date_checked"] == "false"
    assert "(CAMEO 040)" in first["summary"]
    # the 57-column historical row has no SOURCEURL
    last = df.iloc[-1]
    assert last["source_url"] == "" and last["source_publication"] == "GDELT 1.0 event table"


def test_gdelt1_bad_rows_are_all_reported_with_their_lines() -> None:
    with pytest.raises(RecordError) as info:
        read_events(FIX / "gdelt1_bad.tsv", "gdelt1")
    assert _lines_of(info.value) == {2, 3, 4, 5}
    fields = {p.line: p.field for p in info.value.problems}
    assert fields == {2: "SQLDATE", 3: "columns", 4: "EventCode", 5: "GoldsteinScale"}
    assert "gdelt1_bad.tsv:2: SQLDATE" in str(info.value)


def test_dyad_filter_counts_skipped_rows() -> None:
    res = import_events(FIX / "gdelt1_sample.tsv", "gdelt1", dyad=("RUS", "USA"))
    assert set(map(frozenset, zip(res.frame["actor"], res.frame["target"], strict=True))) == {
        frozenset({"USA", "RUS"})
    }
    assert res.stats.skipped_dyad == 1  # USA -> DEU
    assert res.frame.attrs["import_stats"] == res.stats
    with pytest.raises(InputError, match="two different actor codes"):
        import_events(FIX / "gdelt1_sample.tsv", "gdelt1", dyad=("USA", "USA"))


def test_gdelt2_keeps_file_goldstein_and_counts_the_difference() -> None:
    res = import_events(FIX / "gdelt2_sample.tsv")
    assert res.stats.fmt == "gdelt2"
    row = res.frame.set_index("id").loc["gdelt-301"]
    assert row["goldstein"] == "-4.4"  # CAMEO 1313 weighs -5.8 in the table
    assert res.stats.goldstein_differs == 1
    assert res.stats.skipped_same_actor == 1
    assert row["source_date"] == "2019-08-02"  # DATEADDED YYYYMMDDHHMMSS


def test_phoenix_country_from_actor_codes() -> None:
    res = import_events(FIX / "phoenix_sample.tsv", "phoenix")
    assert list(res.frame["actor"]) == ["USA", "RUS", "USA"]
    assert res.stats.unknown_actors == {"IGO": 1}
    assert res.frame.iloc[1]["domain"] == "military"  # CAMEO 150 MOBILIZE
    assert res.frame.iloc[0]["summary"] == "USA Make a visit RUS (CAMEO 042)"


def test_icews_names_map_to_iso3_and_bad_rows_are_listed() -> None:
    res = import_events(FIX / "icews_sample.tab", "icews")
    assert list(res.frame["id"]) == ["icews-20180601-9000001"]
    row = res.frame.iloc[0]
    assert (row["actor"], row["target"], row["source_publication"]) == (
        "RUS",
        "USA",
        "Example Wire",
    )
    assert row["source_title"] == "ICEWS story 7000001, sentence 1"
    assert res.stats.unknown_actors == {"Atlantis": 1}
    with pytest.raises(RecordError) as info:
        read_events(FIX / "icews_bad.tab", "icews")
    assert _lines_of(info.value) == {4, 6}


def test_plover_records() -> None:
    res = import_events(FIX / "plover_sample.jsonl", "plover")
    df = res.frame.set_index("id")
    assert list(res.frame["line"]) == ["1", "2", "4", "6"]  # 3 is blank, 5 has no recipient
    assert res.stats.skipped_no_actor == 1
    two = df.loc["plover-plv-0002"]
    assert (two["actor"], two["target"], two["plover"]) == ("RUS", "USA", "ACCUSE")
    assert two["domain"] == "military" and two["cameo"] == ""
    assert two["goldstein"] == "-2"  # CAMEO root 11
    one = df.loc["plover-plv-0001"]
    assert one["source_url"] == "https://example.com/plv1"
    assert one["summary"].startswith("Synthetic test record")
    assert df.loc["plover-plv-0005", "actor"] == "UN"  # organisations are accepted actors
    with pytest.raises(RecordError) as info:
        read_events(FIX / "plover_bad.json", "plover")
    assert _lines_of(info.value) == {3, 4, 7}


def test_schema_csv_errors_name_line_and_field() -> None:
    with pytest.raises(RecordError) as info:
        read_events(FIX / "events_bad.csv", "csv")
    got = {(p.line, p.field) for p in info.value.problems}
    assert got == {(3, "domain"), (4, "target"), (5, "id"), (6, "date_checked"),
                   (6, "source_publication")}  # fmt: skip
    df = read_events(FIX / "events_sample.csv")
    assert list(df["line"]) == ["3", "4", "5"]  # line 1 is a '#' note, 2 the header


def test_json_values_become_strings() -> None:
    df = read_events(FIX / "events_sample.json")
    assert list(df["goldstein"]) == ["-4", "-4.0"]
    assert list(df["date_checked"]) == ["false", "false"]
    assert list(df["line"]) == ["2", "6"]


def test_unknown_format_lists_valid_ones() -> None:
    with pytest.raises(ImportFormatError) as info:
        read_events(FIX / "events_sample.csv", "gdelt3")
    for fmt in FORMATS:
        assert fmt in str(info.value)
    with pytest.raises(ImportFormatError):
        write_events(read_events(FIX / "events_sample.csv"), FIX / "never.tsv", "gdelt1")
    assert not (FIX / "never.tsv").exists()


def test_wrong_format_is_an_import_format_error() -> None:
    with pytest.raises(ImportFormatError):
        read_events(FIX / "events_sample.csv", "gdelt1")
    with pytest.raises(ImportFormatError):
        read_events(FIX / "gdelt1_sample.tsv", "icews")
    with pytest.raises(ImportFormatError):
        read_events(FIX / "gdelt1_sample.tsv", "csv")


def test_domain_rules() -> None:
    assert domain_for("THREATEN", "military", "138") == "military"
    assert domain_for("COOPERATE", "economic", "061") == "economic"
    assert domain_for("REJECT", "executive", "1231") == "domestic"
    assert domain_for("ASSAULT", "", "190") == "military"
    assert domain_for("PROTEST", "", "140") == "domestic"
    assert domain_for("CONSULT", "", "040") == "diplomatic"


def test_actors_table() -> None:
    path = data_dir() / "actors.csv"
    header = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("#")]
    assert any("ISO 3166-1" in ln for ln in header)
    t = read_table(path)
    assert t["iso3"].is_unique and t["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert actor_code("Russian Federation", "name") == "RUS"
    assert actor_code("united states", "name") == "USA"
    assert actor_code("RUS", "cameo") == "RUS"
    assert actor_code("Atlantis", "name") is None


# --- the real ICEWS sample -----------------------------------------------------------------


@pytest.fixture
def icews_sample(shared_data: Path) -> Path:
    path = shared_data / "icews_raw_sample_2018" / "events.2018.sample.tab"
    if not path.is_file():
        pytest.skip(f"ICEWS sample {path} is absent")
    return path


def test_real_icews_sample_us_russia(icews_sample: Path) -> None:
    res = import_events(icews_sample, dyad=("USA", "RUS"))
    assert res.stats.fmt == "icews" and res.stats.rows_read == 3705
    # 20 U.S.-Russia rows: 10 have a PLOVER category, 10 are CAMEO 01/02 (dropped by PLOVER)
    assert res.stats.kept == 10 and res.stats.skipped_no_plover == 10
    assert res.stats.unknown_actors == {}
    lines = icews_sample.read_text(encoding="utf-8").splitlines()
    for row in res.frame.itertuples(index=False):
        cells = lines[int(row.line) - 1].split("\t")
        assert row.id.endswith("-" + cells[0])
        assert {cells[4], cells[10]} == {"United States", "Russian Federation"}
        assert row.goldstein == cells[7] and row.cameo == cells[6]


def test_actors_cover_the_icews_sample(icews_sample: Path) -> None:
    df = pd.read_csv(icews_sample, sep="\t", dtype=str, keep_default_na=False)
    names = (set(df["Source Country"]) | set(df["Target Country"])) - {"NA"}
    assert {n for n in names if actor_code(n, "name") is None} == set()


# --- properties ----------------------------------------------------------------------------

_SUFFIX = {"csv": ".csv", "json": ".json", "parquet": ".parquet"}


@HYPO
@given(frame=event_frames(), fmt=st.sampled_from(("csv", "json", "parquet")))
def test_round_trip_preserves_every_row(frame: pd.DataFrame, fmt: str) -> None:
    before = frame.copy(deep=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"events{_SUFFIX[fmt]}"
        write_events(frame, path, fmt)
        assert frame.equals(before)  # writing never mutates the frame
        digest = _digest(path)
        back = read_events(path)  # format guessed from suffix/content
        assert _digest(path) == digest  # reading never mutates the file
    expected = [normalise_event_row(row) for row in frame.to_dict(orient="records")]
    assert back[list(EVENT_COLUMNS)].to_dict(orient="records") == expected
    first = 1 if fmt == "parquet" else 2
    assert list(back["line"]) == [str(first + i) for i in range(len(frame))]


@HYPO
@given(
    frame=event_frames(min_size=2),
    fmt=st.sampled_from(("csv", "json", "parquet")),
    bad=corruptions(),
    data=st.data(),
)
def test_one_corrupted_row_fails_the_read_with_its_line(
    frame: pd.DataFrame, fmt: str, bad: tuple[str, str], data: st.DataObject
) -> None:
    k = data.draw(st.integers(0, len(frame) - 1))
    field, value = bad
    corrupted = frame.copy()
    corrupted.loc[k, field] = value
    if field in {"actor", "target"}:
        corrupted.loc[k, "target" if field == "actor" else "actor"] = "USA"
    with tempfile.TemporaryDirectory() as tmp:
        good, broken = Path(tmp) / f"good{_SUFFIX[fmt]}", Path(tmp) / f"bad{_SUFFIX[fmt]}"
        write_events(frame, good, fmt)
        write_events(corrupted, broken, fmt)
        expected = int(read_events(good, fmt)["line"].iloc[k])
        with pytest.raises(RecordError) as info:
            read_events(broken, fmt)
    assert _lines_of(info.value) == {expected}
    assert not isinstance(info.value, ImportFormatError)


def _gdelt_line(ev: dict[str, object], version: int) -> str:
    cols = GDELT1_COLUMNS if version == 1 else GDELT2_COLUMNS
    day = ev["day"].strftime("%Y%m%d")  # type: ignore[attr-defined]
    vals = {"GLOBALEVENTID": str(ev["eid"]), "SQLDATE": day, "Actor1CountryCode": ev["actor"],
            "Actor2CountryCode": ev["target"], "EventCode": ev["cameo"],
            "GoldsteinScale": ev["goldstein"], "DATEADDED": day,
            "SOURCEURL": "https://example.com/x"}  # fmt: skip
    return "\t".join(str(vals.get(c, "")) for c in cols)


_GDELT_CORRUPTIONS = {
    "SQLDATE": "2019-02-30",
    "EventCode": "9999",
    "GoldsteinScale": "-12",
    "Actor1CountryCode": "U1A",
}


@HYPO
@given(
    events=st.lists(coded_events(), min_size=1, max_size=6, unique_by=lambda e: e["eid"]),
    version=st.sampled_from((1, 2)),
    field=st.sampled_from(sorted(_GDELT_CORRUPTIONS) + ["columns"]),
    data=st.data(),
)
def test_gdelt_corrupted_row_is_reported_at_its_line(
    events: list[dict[str, object]], version: int, field: str, data: st.DataObject
) -> None:
    lines = [_gdelt_line(e, version) for e in events]
    fmt = f"gdelt{version}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.CSV"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ok = import_events(path, fmt)
        assert ok.stats.kept + ok.stats.skipped_no_plover == len(events)
        k = data.draw(st.integers(0, len(events) - 1))
        cols = GDELT1_COLUMNS if version == 1 else GDELT2_COLUMNS
        cells = lines[k].split("\t")
        if field == "columns":
            cells = cells[:10]
        else:
            cells[cols.index(field)] = _GDELT_CORRUPTIONS[field]
        lines[k] = "\t".join(cells)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(RecordError) as info:
            import_events(path, fmt)
    assert _lines_of(info.value) == {k + 1}
    assert {p.field for p in info.value.problems} == {field}


# --- what the fuzzing campaign found -----------------------------------------------------


def _json_row(i: int) -> str:
    row = {c: "" for c in EVENT_COLUMNS}
    row.update(
        id=f"ev-{i:06d}", date="2015-03-07", precision="day", actor="USA", target="RUS",
        plover="CONSULT", goldstein="1", domain="diplomatic", summary=f"Synthetic row {i}",
        source_publication="Example Wire", source_title=f"Story {i}", date_checked="false",
    )  # fmt: skip
    import json

    return json.dumps(row)


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("[{row}]garbage", 1),
        ("[{row}]\n[{row}]", 2),
        ("[{row}\n{row}]", 2),  # no comma between elements
        ("[{row},]", 1),
        ("[{row}", 1),
    ],
)
def test_json_list_must_be_one_whole_list(tmp_path: Path, body: str, line: int) -> None:
    path = tmp_path / "e.json"
    path.write_text(body.replace("{row}", _json_row(1)))
    with pytest.raises(RecordError) as info:
        read_events(path, "json")
    assert str(path) in str(info.value)
    assert line in _lines_of(info.value)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("content", [b"", b"\n \n\t\n", b"\xef\xbb\xbf"])
def test_empty_files_are_refused_in_every_format(tmp_path: Path, fmt: str, content: bytes) -> None:
    path = tmp_path / "empty.dat"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match="empty|not a Parquet"):
        read_events(path, fmt)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("[" * 100_000 + "]" * 100_000, "json"),
        ('{"id": ' + "9" * 5000 + "}", "json"),
        ('{"id": "a", "id": "b"}', "id"),
    ],
)
def test_hostile_json_is_a_clean_error(tmp_path: Path, text: str, field: str) -> None:
    for fmt in ("json", "plover"):
        path = tmp_path / f"h.{fmt}"
        path.write_text(text)
        with pytest.raises(RecordError) as info:
            read_events(path, fmt)
        assert [(p.line, p.field) for p in info.value.problems] == [(1, field)]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", True),
        ("summary", {"nested": 1}),
        ("actor", ["USA"]),
        ("cameo", 40),
        ("date_checked", 1),
    ],
)
def test_json_values_that_are_not_text_are_refused(
    tmp_path: Path, field: str, value: object
) -> None:
    import json

    row = json.loads(_json_row(1))
    row[field] = value
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(RecordError) as info:
        read_events(path, "json")
    assert [(p.line, p.field) for p in info.value.problems] == [(1, field)]
    assert "expected text" in str(info.value)


def test_plover_values_that_are_not_text_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"id": true, "date": "2021-06-16", "actor": "USA", "recipient": "RUS", "event": "AGREE"}\n'
        '{"id": "x", "date": "2021-06-16", "actor": {"code": {"a": 1}}, "recipient": "RUS",'
        ' "event": "AGREE"}\n'
    )
    with pytest.raises(RecordError) as info:
        read_events(path, "plover")
    assert [(p.line, p.field) for p in info.value.problems] == [(1, "id"), (2, "actor")]


def test_duplicate_columns_are_refused(tmp_path: Path) -> None:
    text = (FIX / "events_sample.csv").read_text().splitlines()
    header = text[1] + ",summary"
    path = tmp_path / "dup.csv"
    path.write_text("\n".join([header, *(ln + ",other" for ln in text[2:])]) + "\n")
    with pytest.raises(ImportFormatError) as info:
        read_events(path, "csv")
    assert [p.field for p in info.value.problems] == ["summary"]
    tab = (FIX / "icews_sample.tab").read_text().splitlines()
    icews = tmp_path / "dup.tab"
    icews.write_text("\n".join([tab[0] + "\tPublisher", *(ln + "\tX" for ln in tab[1:])]) + "\n")
    with pytest.raises(ImportFormatError) as info:
        read_events(icews, "icews")
    assert [p.field for p in info.value.problems] == ["Publisher"]


def test_csv_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (FIX / "events_sample.csv").read_bytes())
    assert guess_format(path) == "csv"
    pd.testing.assert_frame_equal(read_events(path), read_events(FIX / "events_sample.csv"))


def test_non_numeric_ids_keep_their_source_prefix(tmp_path: Path) -> None:
    cells = (FIX / "gdelt1_sample.tsv").read_text().splitlines()[0].split("\t")
    cells[0] = "ABC.7"
    gd = tmp_path / "g.tsv"
    gd.write_text("\t".join(cells) + "\n")
    got = import_events(gd, "gdelt1")
    assert list(got.frame["id"]) in ([], ["gdelt-abc.7"])
    tab = (FIX / "icews_sample.tab").read_text().splitlines()
    row = tab[1].split("\t")
    row[0] = "Story-9"
    ic = tmp_path / "i.tab"
    ic.write_text(tab[0] + "\n" + "\t".join(row) + "\n")
    assert list(read_events(ic, "icews")["id"]) == ["icews-story-9"]


def _json_list_seconds(tmp_path: Path, n: int) -> float:
    import time

    path = tmp_path / f"list{n}.json"
    path.write_text("[\n" + ",\n".join(_json_row(i) for i in range(n)) + "\n]\n")
    start = time.perf_counter()
    assert len(read_events(path, "json")) == n
    return time.perf_counter() - start


def test_json_list_reading_time_is_linear(tmp_path: Path) -> None:
    # the list reader counted lines from the file's start for each element: 20k rows 23.7 s
    small, large = _json_list_seconds(tmp_path, 4000), _json_list_seconds(tmp_path, 8000)
    assert large < 3 * small + 0.2, (small, large)


def test_read_events_from_bytes_and_streams_matches_the_file() -> None:
    import io

    path = FIX / "events_sample.csv"
    expected = read_events(path)
    from_bytes = read_events(path.read_bytes(), name="mine.csv")
    from_stream = read_events(io.BytesIO(path.read_bytes()), "csv", name="mine.csv")
    pd.testing.assert_frame_equal(from_bytes, expected)
    pd.testing.assert_frame_equal(from_stream, expected)


def test_read_events_from_bytes_names_the_upload_in_problems() -> None:
    data = (FIX / "events_bad.csv").read_bytes()
    with pytest.raises(RecordError) as info:
        read_events(data, "csv", name="../my upload.csv")
    assert info.value.problems
    assert {p.file for p in info.value.problems} == {"my_upload.csv"}
    assert "resetlab-import-" not in str(info.value)
