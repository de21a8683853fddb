"""Output files (CSV/Parquet by suffix, quantiles or tidy paths), fan chart, CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from resetlab.exceptions import ModelError
from resetlab.model import QUANTILES, fan_chart, simulate
from resetlab.model.cli import register
from resetlab.model.output import SimulationResult

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "reset-2025.yaml"


def small() -> SimulationResult:
    months = pd.period_range("2030-01", periods=3, freq="M")
    paths = np.arange(3 * 2 * 5, dtype=np.float32).reshape(3, 2, 5)
    return SimulationResult("t", months, ("relations", "trust"), paths, seed=0, members=5)


def test_quantiles_table() -> None:
    q = small().quantiles()
    assert list(q.columns) == [
        "month",
        "variable",
        "q05",
        "q10",
        "q25",
        "q50",
        "q75",
        "q90",
        "q95",
        "mean",
    ]
    assert len(q) == 6
    row = q[(q.month == "2030-02") & (q.variable == "trust")].iloc[0]
    values = np.arange(15, 20)  # month 1, variable 1, members 0..4
    assert row["q50"] == np.median(values) and row["mean"] == values.mean()
    assert row["q05"] == pytest.approx(np.quantile(values, 0.05))
    assert len(QUANTILES) == 7


def test_paths_table_is_tidy() -> None:
    p = small().paths_frame()
    assert list(p.columns) == ["member", "month", "variable", "value"]
    assert len(p) == 30
    hit = p[(p.member == 3) & (p.month == "2030-03") & (p.variable == "relations")]
    assert hit["value"].item() == small().paths[2, 0, 3]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_write_by_suffix(tmp_path: Path, suffix: str) -> None:
    r = small()
    path = r.write(tmp_path / f"out{suffix}")
    back = pd.read_csv(path) if suffix == ".csv" else pd.read_parquet(path)
    assert len(back) == 6 and "q95" in back.columns
    paths = r.write(tmp_path / f"paths{suffix}", paths=True)
    back = pd.read_csv(paths) if suffix == ".csv" else pd.read_parquet(paths)
    assert len(back) == 30


def test_bad_suffix(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"\.csv or \.parquet"):
        small().write(tmp_path / "out.xlsx")


def test_fan_chart() -> None:
    fig = fan_chart(small(), "relations")
    assert len(fig.data) == 7 and fig.data[-1].name == "median"
    assert list(fig.data[-1].y) == [2.0, 12.0, 22.0]
    with pytest.raises(ModelError):
        fan_chart(small(), "dispute")


def test_cli_simulate(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)

    @app.command()
    def other() -> None:  # a second command so that typer keeps the sub-command name
        """Placeholder."""

    out = tmp_path / "q.csv"
    runner = CliRunner()
    args = ["simulate", str(SCENARIO), "--members", "30", "--seed", "3", "-o", str(out)]
    res = runner.invoke(app, [*args, "--no-progress"])
    assert res.exit_code == 0, res.output
    q = pd.read_csv(out)
    assert set(q["variable"]) >= {"relations", "trust"} and len(q["month"].unique()) == 60
    again = simulate(SCENARIO, members=30, seed=3).quantiles()
    rel = q[q.variable == "relations"]["q50"].to_numpy()
    np.testing.assert_allclose(rel, again[again.variable == "relations"]["q50"], rtol=1e-6)
    bad = runner.invoke(app, ["simulate", str(tmp_path / "none.yaml"), "-o", str(out)])
    assert bad.exit_code == 2 and "none.yaml" in bad.output


@pytest.mark.parametrize("members", [1, 2, 3, 7, 100, 1001, 4096])
def test_month_quantiles_equal_numpy_bit_for_bit(members: int) -> None:
    from resetlab.model.output import month_quantiles

    rng = np.random.default_rng(members)
    x = (rng.standard_normal((36, members)) * 5).astype(np.float32)
    x[3] = np.round(x[3])  # ties
    np.testing.assert_array_equal(month_quantiles(x, QUANTILES), np.quantile(x, QUANTILES, axis=1))
    x[5, 0] = np.nan
    np.testing.assert_array_equal(month_quantiles(x, QUANTILES), np.quantile(x, QUANTILES, axis=1))
