"""The command line as a user runs it: record, index, resets, report."""

from __future__ import annotations

import json
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


def test_index_csv(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "index.csv"
    res = runner.invoke(app, ["index", "--format", "csv", "-o", str(out), "--store", str(store)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert list(df.columns) == ["month", "score", "lo80", "hi80", "lo95", "hi95"]
    assert df["month"].iloc[0] == "1991-01" and df["month"].is_monotonic_increasing
    assert (df["lo95"] < df["score"]).all() and (df["score"] < df["hi95"]).all()


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


def test_report_takes_extra_scenarios_and_survives_a_broken_one(store: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: broken\nhorizon: 12\n")
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", "-o", str(out), "--store", str(store),
                              "--scenario", str(broken)])  # fmt: skip
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "broken.yaml (not run)" in html and "broken.yaml:" in html


def test_unknown_format_lists_valid_ones(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a\n1\n")
    res = runner.invoke(app, ["record", "import", str(f), "--format", "xml",
                              "--store", str(tmp_path / "s.duckdb")])  # fmt: skip
    assert res.exit_code == 2 and "icews" in res.output


def test_report_is_self_contained(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    res = runner.invoke(app, ["report", "-o", str(out), "--store", str(store)])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "<script src=" not in html.replace("<script src=\"data:", "")  # nothing from a CDN
    assert "Plotly.newPlot" in html and len(html) > 1_000_000  # plotly.js inlined
    assert "Reset scorecard" in html and "UN General Assembly" in html
    for name in ("replay-1992-2025", "reset-2025", "carpenter-package"):  # shipped scenarios
        assert f"Scenario: {name}" in html
    assert "measured index" in html  # the replay is drawn against the index
    assert "reset" in res.output and str(out.resolve()) in res.output.replace("\n", "")
