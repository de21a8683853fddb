"""Monthly aggregates of Parquet event tables (record/importers/parquet.py), the store's
event_months table and the index reading it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from resetlab.exceptions import ImportFormatError, RecordError
from resetlab.index.observations import build_observations
from resetlab.record.importers.parquet import aggregate_events, parse_columns
from resetlab.record.store import Store


def _table(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = np.array(["USA", "RUS", "CHN", "FRA"])
    day = pd.Timestamp("2001-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    return pd.DataFrame(
        {
            "SQLDATE": day.strftime("%Y%m%d").astype(int),
            "Actor1CountryCode": codes[rng.integers(0, 4, n)],
            "Actor2CountryCode": codes[rng.integers(0, 4, n)],
            "EventCode": "042",
            "GoldsteinScale": np.round(rng.uniform(-10, 10, n), 1),
        }
    )


def _pandas_aggregate(df: pd.DataFrame) -> pd.DataFrame:
    """The same aggregate computed row by row in pandas (the reference)."""
    a, b = df["Actor1CountryCode"], df["Actor2CountryCode"]
    d = df[((a == "USA") & (b == "RUS")) | ((a == "RUS") & (b == "USA"))].copy()
    d["month"] = (d["SQLDATE"] // 100).map(lambda v: f"{v // 100:04d}-{v % 100:02d}")
    d["g2"] = d["GoldsteinScale"] ** 2
    out = d.groupby(["Actor1CountryCode", "month"]).agg(
        goldstein_sum=("GoldsteinScale", "sum"), goldstein_sumsq=("g2", "sum"),
        n=("GoldsteinScale", "size"),
    )  # fmt: skip
    return out.reset_index().rename(columns={"Actor1CountryCode": "actor"})


@pytest.fixture
def gdelt_parquet(tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    df = _table(5000, seed=17)
    path = tmp_path / "gdelt.parquet"
    df.to_parquet(path, row_group_size=700)
    return path, df


def test_aggregate_matches_pandas(gdelt_parquet: tuple[Path, pd.DataFrame]) -> None:
    path, df = gdelt_parquet
    seen: list[float] = []
    got, n_rows = aggregate_events(path, "gdelt2", ("USA", "RUS"), progress=seen.append)
    assert n_rows == len(df)
    assert seen and seen[-1] == 1.0
    want = _pandas_aggregate(df)
    merged = got.merge(want, on=["actor", "month"], suffixes=("", "_pd"), validate="1:1")
    assert len(merged) == len(want) == len(got)
    assert (merged["target"] != merged["actor"]).all()
    np.testing.assert_allclose(merged["goldstein_sum"], merged["goldstein_sum_pd"], atol=1e-9)
    np.testing.assert_allclose(merged["goldstein_sumsq"], merged["goldstein_sumsq_pd"], rtol=1e-12)
    assert (merged["n"] == merged["n_pd"]).all()


def test_column_mapping_and_short_names(tmp_path: Path) -> None:
    df = _table(800, seed=3)
    short = df.rename(
        columns={"SQLDATE": "date", "Actor1CountryCode": "actor1",
                 "Actor2CountryCode": "actor2", "GoldsteinScale": "goldstein"}
    )  # fmt: skip
    short["date"] = pd.to_datetime(short["date"].astype(str)).dt.date
    p1 = tmp_path / "short.parquet"
    short.to_parquet(p1)
    odd = df.rename(columns={"GoldsteinScale": "tone"})
    p2 = tmp_path / "odd.parquet"
    odd.to_parquet(p2)
    a, _ = aggregate_events(p1, "parquet")
    b, _ = aggregate_events(p2, "gdelt2", columns=parse_columns("goldstein=tone"))
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ImportFormatError, match=r"goldstein \(column 'GoldsteinScale'\)"):
        aggregate_events(p2, "gdelt2")
    with pytest.raises(ImportFormatError, match="NAME=COLUMN"):
        parse_columns("tone")


def test_bad_dyad_row_names_file_row_and_field(tmp_path: Path) -> None:
    df = _table(300, seed=5)
    dyad = df.index[(df["Actor1CountryCode"] == "USA") & (df["Actor2CountryCode"] == "RUS")]
    df.loc[dyad[1], "GoldsteinScale"] = 42.0
    path = tmp_path / "bad.parquet"
    df.to_parquet(path)
    with pytest.raises(RecordError, match=rf"bad.parquet: row {dyad[1] + 1}: .*GoldsteinScale"):
        aggregate_events(path, "gdelt2")


def test_not_parquet(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    path.write_text("date,actor1\n")
    with pytest.raises(ImportFormatError, match="not a Parquet file"):
        aggregate_events(path, "gdelt2")


def test_store_keeps_and_index_reads_monthly(gdelt_parquet: tuple[Path, pd.DataFrame]) -> None:
    path, _ = gdelt_parquet
    frame, _ = aggregate_events(path, "gdelt2")
    s = Store.open(":memory:", build=False)
    assert s.event_months(("USA", "RUS")) is None
    s.import_monthly(frame, file=str(path), fmt="gdelt2")
    s.import_monthly(frame, file=str(path), fmt="gdelt2")  # a re-import replaces, not adds
    months = s.event_months(("RUS", "USA"))
    assert months is not None
    assert int(months["n"].sum()) == int(frame["n"].sum())
    none = s.events().iloc[:0]
    obs = build_observations(none, monthly=months)
    per = frame.groupby("month")[["goldstein_sum", "n"]].sum()
    want = per["goldstein_sum"] / per["n"]
    got = obs.frame["events"].dropna()
    assert list(got.index.astype(str)) == list(want.index)
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy())


def test_monthly_table_checked_when_present(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    Store.open(db, build=False).close()
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE event_months")
    con.execute("CREATE TABLE event_months (month VARCHAR)")
    con.close()
    from resetlab.exceptions import StoreError

    with pytest.raises(StoreError, match="event_months"):
        Store.open(db, build=False)


def test_cli_import_aggregate(gdelt_parquet: tuple[Path, pd.DataFrame], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from resetlab.cli import app

    path, df = gdelt_parquet
    db = tmp_path / "cli.duckdb"
    runner = CliRunner()
    res = runner.invoke(app, ["record", "import", str(path), "--format", "gdelt2",
                              "--store", str(db)])  # fmt: skip
    assert res.exit_code == 2, res.output
    assert "--aggregate monthly" in res.output
    res = runner.invoke(app, ["record", "import", str(path), "--format", "gdelt2",
                              "--aggregate", "monthly", "--store", str(db)])  # fmt: skip
    assert res.exit_code == 0, res.output
    want = int(_pandas_aggregate(df)["n"].sum())
    assert f"{len(df)} row(s) read, {want} between USA and RUS" in res.output
    with Store.open(db, build=False, read_only=True) as s:
        months = s.event_months(("USA", "RUS"))
    assert months is not None and int(months["n"].sum()) == want
