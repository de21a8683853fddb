"""The command line as a user runs it: record, index, resets, report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from resetlab.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"
SHARED_ICEWS = (
    Path(__file__).resolve().parents[2] / "shared/data/icews_raw_sample_2018/events.2018.sample.tab"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "record.duckdb"
    res = runner.invoke(app, ["record", "build", "--store", str(path)])
    assert res.exit_code == 0, res.output
    return path


def test_export_events_has_the_documented_columns(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    res = runner.invoke(app, ["record", "export", "--table", "events", "--format", "csv",
                              "-o", str(out), "--store", str(store)])  # fmt: skip
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert list(df.columns[:8]) == ["date", "actor", "target", "goldstein", "plover", "domain",
                                    "summary", "source"]  # fmt: skip
    assert len(df) >= 300 and df["source"].notna().all()


def test_export_json_and_parquet_by_suffix(store: Path, tmp_path: Path) -> None:
    for name in ("t.json", "t.parquet"):
        res = runner.invoke(app, ["record", "export", "--table", "treaties", "-o",
                                  str(tmp_path / name), "--store", str(store)])  # fmt: skip
        assert res.exit_code == 0, res.output
    assert len(json.loads((tmp_path / "t.json").read_text())) == len(
        pd.read_parquet(tmp_path / "t.parquet")
    )


@pytest.mark.parametrize("out", [["-o", "-"], []])
def test_table_commands_write_to_stdout(store: Path, tmp_path: Path, out: list[str]) -> None:
    import io

    ref = tmp_path / "resets.csv"
    res = runner.invoke(app, ["resets", "-o", str(ref), "--store", str(store)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["resets", *out, "--store", str(store)])
    assert res.exit_code == 0, res.output
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(res.stdout)), pd.read_csv(ref))
    assert "standard output" in res.stderr
    res = runner.invoke(app, ["record", "export", "--table", "treaties", *out,
                              "--format", "json", "--store", str(store)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)) > 0


def test_parquet_to_stdout_is_bad_input(store: Path) -> None:
    res = runner.invoke(app, ["record", "export", "--table", "treaties", "--format", "parquet",
                              "--store", str(store)])  # fmt: skip
    assert res.exit_code == 2
    assert "standard output" in res.stderr


def test_index_csv(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "index.csv"
    res = runner.invoke(app, ["index", "--format", "csv", "-o", str(out), "--store", str(store)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert list(df.columns) == ["month", "score", "lo80", "hi80", "lo95", "hi95"]
    # The index spans the dyad's whole record: from the month of its first event.
    from resetlab.record.builtin import load_event_files
    from resetlab.record.dyad import dyad_events

    dates = dyad_events(load_event_files())["date"].str[:7]
    first = dates.where(dates.str.len() == 7, dates + "-01").min()  # a year-only date: January
    assert df["month"].iloc[0] == first and df["month"].is_monotonic_increasing
    assert (df["lo95"] < df["score"]).all() and (df["score"] < df["hi95"]).all()
    same = tmp_path / "index-dyad.csv"
    res = runner.invoke(app, ["index", "-o", str(same), "--store", str(store), "--dyad", "rus,usa"])
    assert res.exit_code == 0, res.output
    pd.testing.assert_frame_equal(pd.read_csv(same), df)


def test_indicators_csv(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "indicators.csv"
    res = runner.invoke(app, ["indicators", "--format", "csv", "-o", str(out),
                              "--store", str(store)])  # fmt: skip
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert list(df.columns) == ["indicator", "loading", "lo", "hi", "variance_share", "months",
                                "used", "excludes_zero"]  # fmt: skip
    assert df["indicator"].iloc[0] == "events" and df["loading"].iloc[0] == 1.0
    assert {"contacts", "incidents", "un_agreement", "treaties"} <= set(df["indicator"])
    assert (df["lo"] <= df["loading"]).all() and (df["loading"] <= df["hi"]).all()
    assert df["variance_share"].sum() == pytest.approx(1.0)
    assert (df["months"] > 0).all()
    # The index uses the events and exactly the indicators whose interval lies above zero;
    # the others are shown with no share of the index.
    aux = df[df["indicator"] != "events"]
    assert bool(df["used"].iloc[0])
    assert (aux["used"] == (aux["lo"] > 0)).all(), aux
    assert (aux["excludes_zero"] == ((aux["lo"] > 0) | (aux["hi"] < 0))).all(), aux
    assert (aux.loc[~aux["used"], "variance_share"] == 0).all()
    assert (df.loc[df["used"], "variance_share"] > 0).all()


def test_dyad_option_is_checked(store: Path, tmp_path: Path) -> None:
    for bad in ("USA", "USA,USA", "USA;RUS"):
        res = runner.invoke(app, ["resets", "-o", str(tmp_path / "r.csv"), "--store", str(store),
                                  "--dyad", bad])  # fmt: skip
        assert res.exit_code != 0 and "--dyad" in res.output


def test_resets_csv(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "resets.csv"
    res = runner.invoke(app, ["resets", "--format", "csv", "-o", str(out), "--store", str(store)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert {"start", "end", "kind", "peak_month", "size"} <= set(df.columns)
    assert set(df["kind"]) <= {"reset", "breakdown"} and len(df) >= 2
    assert df["start"].str.fullmatch(r"\d{4}-\d{2}").all()
    assert ((df["kind"] == "reset") == (df["size"] > 0)).all()


def test_import_icews_sample(tmp_path: Path) -> None:
    if not SHARED_ICEWS.exists():
        pytest.skip(f"{SHARED_ICEWS} absent (shared data only in the team's workspace)")
    path = tmp_path / "s.duckdb"
    res = runner.invoke(app, ["record", "import", str(SHARED_ICEWS), "--format", "icews",
                              "--dyad", "USA,RUS", "--store", str(path)])  # fmt: skip
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(path))
    n = con.execute("SELECT count(*) FROM events WHERE origin LIKE '%events.2018%'").fetchone()
    assert n is not None and n[0] > 0


def test_broken_import_is_rejected_whole_and_store_unchanged(store: Path, tmp_path: Path) -> None:
    bad = FIXTURES / "events_bad.csv"
    before = duckdb.connect(str(store), read_only=True)
    n_before = before.execute("SELECT count(*) FROM events").fetchone()
    before.close()
    res = runner.invoke(app, ["record", "import", str(bad), "--store", str(store)])
    assert res.exit_code == 2  # bad input
    flat = res.output.replace("\n", "")
    assert "events_bad.csv:" in flat
    after = duckdb.connect(str(store), read_only=True)
    assert after.execute("SELECT count(*) FROM events").fetchone() == n_before
    after.close()


def test_report_takes_extra_scenarios_and_survives_a_broken_one(
    store: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: broken\nhorizon: 12\n")
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", "-o", str(out), "--store", str(store),
                              "--scenario", str(broken), "--no-fit", "--no-panel"])  # fmt: skip
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "broken.yaml (not run)" in html and "broken.yaml:" in html


def test_unknown_format_lists_valid_ones(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a\n1\n")
    res = runner.invoke(app, ["record", "import", str(f), "--format", "xml",
                              "--store", str(tmp_path / "s.duckdb")])  # fmt: skip
    assert res.exit_code == 2 and "icews" in res.output


@pytest.mark.slow
def test_report_is_self_contained(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    # the fit sections have their own tests on a tiny budget (tests/fit/test_fit_cli.py)
    res = runner.invoke(app, ["report", "-o", str(out), "--store", str(store), "--no-fit"])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "The panel of rival pairs" in html and "Reset scorecard across pairs" in html
    assert "<script src=" not in html.replace('<script src="data:', "")  # nothing from a CDN
    assert "Plotly.newPlot" in html and len(html) > 1_000_000  # plotly.js inlined
    assert "Reset scorecard" in html and "UN General Assembly" in html
    # The table of loadings: one row per indicator, each with its reading.
    assert "What each indicator contributes" in html
    assert "high-level contacts" in html and "militarized incidents" in html
    for name in ("replay-1992-2025", "reset-2025", "carpenter-package"):  # shipped scenarios
        assert f"Scenario: {name}" in html
    assert "measured index" in html  # the replay is drawn against the index
    assert "reset" in res.output and str(out.resolve()) in res.output.replace("\n", "")


# --- errors: one escaped line, exit 2 for bad input ----------------------------------------


def _no_traceback(res) -> None:  # type: ignore[no-untyped-def]
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output


def test_markup_in_user_text_is_printed_as_written(tmp_path: Path) -> None:
    (tmp_path / "[").mkdir()
    path = tmp_path / "[" / "bogus]events[red].csv"  # the path holds "[/bogus]"
    text = (FIXTURES / "events_sample.csv").read_text().replace(",040,", ",[/bogus],", 1)
    path.write_text(text)
    res = runner.invoke(app, ["record", "import", str(path), "--store", str(tmp_path / "s.duckdb")])
    _no_traceback(res)
    assert res.exit_code == 2
    flat = res.output.replace("\n", "")
    assert "[/bogus]events[red].csv" in flat and "'[/bogus]'" in flat
    assert "MarkupError" not in flat


@pytest.mark.parametrize(
    ("dyad", "says"),
    [("USA,USA", "same actor twice"), ("USA,XYZ", "XYZ"), ("USA", "two actor codes"),
     ("USA,RUS,CHN", "two actor codes")],
)  # fmt: skip
def test_bad_dyads_are_one_line_errors(tmp_path: Path, dyad: str, says: str) -> None:
    res = runner.invoke(app, ["record", "import", str(FIXTURES / "events_sample.csv"),
                              "--dyad", dyad, "--store", str(tmp_path / "s.duckdb")])  # fmt: skip
    _no_traceback(res)
    assert res.exit_code == 2 and says in res.output.replace("\n", "")
    assert not (tmp_path / "s.duckdb").exists()


def test_unusable_paths_are_one_line_errors(store: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a_file = tmp_path / "plain"
    a_file.write_text("x")
    res = runner.invoke(
        app, ["record", "export", "-o", str(a_file / "out.csv"), "--store", str(store)]
    )
    _no_traceback(res)
    assert res.exit_code == 2 and "cannot write" in res.output
    res = runner.invoke(app, ["record", "info", "--store", str(a_file / "r.duckdb")])
    _no_traceback(res)
    assert res.exit_code == 2 and "cannot create the folder" in res.output.replace("\n", "")
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE events (x INTEGER)")
    con.close()
    res = runner.invoke(app, ["record", "info", "--store", str(other)])
    _no_traceback(res)
    assert res.exit_code == 2 and "not a resetlab record store" in res.output.replace("\n", "")
    monkeypatch.setenv("RESETLAB_HOME", str(a_file))
    res = runner.invoke(app, ["record", "info"])
    _no_traceback(res)
    assert res.exit_code == 2 and "RESETLAB_HOME" in res.output


# --- what an import reports ----------------------------------------------------------------


def test_import_reports_rows_left_out_and_strict_refuses(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    args = ["record", "import", str(FIXTURES / "gdelt1_sample.tsv"), "--format", "gdelt1",
            "--dyad", "USA,RUS", "--store", str(path)]  # fmt: skip
    res = runner.invoke(app, [*args, "--strict"])
    _no_traceback(res)
    assert res.exit_code == 2 and "--strict" in res.output and "nothing was imported" in res.output
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())
    assert "row(s) read" in flat and "kept" in flat and "left out" in flat
    assert "outside the dyad" in flat or "no PLOVER" in flat


# --- the store as several processes see it -------------------------------------------------

_HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'ro'); print('held', flush=True); time.sleep(60)"


def _hold(path: Path, mode: str):  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path), mode], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_read_only_commands_run_beside_another_reader(store: Path, tmp_path: Path) -> None:
    proc = _hold(store, "ro")
    try:
        res = runner.invoke(app, ["record", "info", "--store", str(store)])
        assert res.exit_code == 0, res.output
        out = tmp_path / "e.csv"
        res = runner.invoke(app, ["record", "export", "-o", str(out), "--store", str(store)])
        assert res.exit_code == 0, res.output
    finally:
        proc.kill()
        proc.wait()


def test_a_second_import_finds_the_lock_before_reading_its_file(
    store: Path, tmp_path: Path
) -> None:
    proc = _hold(store, "rw")
    try:
        res = runner.invoke(app, ["record", "import", str(FIXTURES / "events_bad.csv"),
                                  "--store", str(store)])  # fmt: skip
    finally:
        proc.kill()
        proc.wait()
    _no_traceback(res)
    flat = res.output.replace("\n", "")
    assert res.exit_code == 1 and "in use by another process" in flat
    assert "events_bad.csv:" not in flat  # the file was not parsed


# --- export, then import: the same rows ------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".json", ".parquet"])
def test_export_imports_back_into_a_fresh_store(tmp_path: Path, suffix: str) -> None:
    from resetlab.record.importers import read_events
    from resetlab.record.store import Store

    first = tmp_path / "first.duckdb"
    with Store.open(first) as s:  # the built-in record plus three imported files
        for name in ("events_sample.csv", "events_sample.json", "plover_sample.jsonl"):
            s.import_events(read_events(FIXTURES / name), file=name, fmt="auto")
        before = s.events()
    out = tmp_path / f"export{suffix}"
    res = runner.invoke(app, ["record", "export", "-o", str(out), "--store", str(first)])
    assert res.exit_code == 0, res.output
    second = tmp_path / "second.duckdb"  # a fresh store: built-in events merge, the rest is new
    res = runner.invoke(app, ["record", "import", str(out), "--store", str(second)])
    assert res.exit_code == 0, res.output
    with Store.open(second, read_only=True) as s:
        after = s.events()
        sources_after = s.table("sources").drop(columns="origin")
    with Store.open(first, read_only=True) as s:
        sources_before = s.table("sources").drop(columns="origin")
    keep = [c for c in before.columns if c != "origin"]
    pd.testing.assert_frame_equal(before[keep], after[keep])
    key = ["event_id", "publication", "title"]
    pd.testing.assert_frame_equal(
        sources_before.sort_values(key).reset_index(drop=True),
        sources_after.sort_values(key).reset_index(drop=True),
    )


def test_record_check_of_unreadable_files_lists_them(tmp_path: Path) -> None:
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    res = runner.invoke(app, ["record", "check", str(tmp_path / "missing.csv"), str(binary)])
    _no_traceback(res)
    flat = res.output.replace("\n", "")
    assert res.exit_code == 2 and "missing.csv: (file)" in flat and "not UTF-8" in flat


def test_store_counts_title_with_markup_in_the_path_prints() -> None:
    from resetlab.record.cli import _print_counts

    _print_counts({"events": 1}, Path("/tmp/[/bogus]r.duckdb"))  # no MarkupError


@pytest.mark.parametrize("module", ["resetlab", "resetlab.cli"])
def test_python_dash_m_runs_the_command(
    module: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m resetlab`` and ``python -m resetlab.cli`` run the command (run in this
    process the way ``-m`` runs a module, as ``__main__``)."""
    import runpy

    monkeypatch.setattr(sys, "argv", [module, "--help"])
    # the module -m executes (a package's __main__) runs afresh, as under -m
    target = f"{module}.__main__" if module == "resetlab" else module
    monkeypatch.delitem(sys.modules, target, raising=False)
    with pytest.raises(SystemExit) as info:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    assert info.value.code in (0, None)
    out = capsys.readouterr().out
    assert "Usage:" in out and "claims" in out
