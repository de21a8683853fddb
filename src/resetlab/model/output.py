"""Simulation results: per-month quantiles, tidy member paths, files and the fan chart."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from resetlab.exceptions import ModelError
from resetlab.model.state import Array

#: Quantiles written by default (per month and variable), as fractions.
QUANTILES: tuple[float, ...] = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)


def month_quantiles(values: Array, qs: tuple[float, ...]) -> Array:
    """``np.quantile(values, qs, axis=1)`` (linear method), bit for bit, from one sort.

    NumPy's quantile partitions once per level; sorting each row once and interpolating the
    way NumPy does (the difference of neighbours in the input's dtype, from the upper
    neighbour when the weight is at least one half) gives the same values about four times
    faster. Rows with NaN go to ``np.quantile`` itself.
    """
    s = np.sort(values, axis=1)
    n = s.shape[1]
    if n == 0 or np.isnan(s[:, -1]).any():
        return np.asarray(np.quantile(values, qs, axis=1))
    pos = np.asarray(qs, dtype=np.float64) * (n - 1)
    below = np.floor(pos)
    weight = pos - below
    lo = below.astype(np.intp)
    hi = np.minimum(lo + 1, n - 1)
    a, b = s[:, lo], s[:, hi]
    diff = b - a
    return np.asarray(np.where(weight >= 0.5, b - diff * (1 - weight), a + diff * weight).T)


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """All members' paths: ``paths[month, variable, member]`` (float32)."""

    name: str
    months: pd.PeriodIndex
    variables: tuple[str, ...]
    paths: Array
    seed: int
    members: int

    def __post_init__(self) -> None:
        want = (len(self.months), len(self.variables), self.members)
        if self.paths.shape != want:
            raise ModelError(f"paths have shape {self.paths.shape}, expected {want}")

    def variable(self, name: str) -> Array:
        """``(months, members)`` paths of one variable."""
        try:
            return self.paths[:, self.variables.index(name), :]
        except ValueError:
            raise ModelError(
                f"variable {name!r} was not recorded (have: {', '.join(self.variables)})"
            ) from None

    def quantiles(self, qs: tuple[float, ...] = QUANTILES) -> pd.DataFrame:
        """One row per month and variable: ``month, variable, q05 ... q95, mean``.

        Computed month by month on the float32 paths (no float64 copy of the ensemble), so
        memory stays at one month's members; means are accumulated in float64.
        """
        T, V = len(self.months), len(self.variables)
        q = np.empty((len(qs), T, V), dtype=np.float64)
        mean = np.empty((T, V), dtype=np.float64)
        for t in range(T):
            month = self.paths[t]  # (variables, members), a view
            q[:, t, :] = month_quantiles(month, qs)
            mean[t] = month.mean(axis=1, dtype=np.float64)
        frame: dict[str, Any] = {
            "month": np.repeat(self.months.astype(str).to_numpy(), V),
            "variable": np.tile(np.array(self.variables), T),
        }
        for i, level in enumerate(qs):
            frame[f"q{round(level * 100):02d}"] = q[i].reshape(T * V)
        frame["mean"] = mean.reshape(T * V)
        return pd.DataFrame(frame)

    def paths_frame(self) -> pd.DataFrame:
        """Every member's path as a tidy table: ``member, month, variable, value``."""
        T, V, N = self.paths.shape
        return pd.DataFrame(
            {
                "member": np.tile(np.arange(N), T * V),
                "month": np.repeat(self.months.astype(str).to_numpy(), V * N),
                "variable": np.tile(np.repeat(np.array(self.variables), N), T),
                "value": self.paths.reshape(T * V * N),
            }
        )

    def write(self, path: str | Path, paths: bool = False) -> Path:
        """Write quantiles (or, with ``paths``, the tidy paths) as CSV or Parquet by suffix."""
        path = Path(path)
        frame = self.paths_frame() if paths else self.quantiles()
        write_table(frame, path)
        return path


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """``.csv`` or ``.parquet``; :class:`ModelError` for any other suffix."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise ModelError(f"{path}: output must end in .csv or .parquet, not {suffix!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)


def fan_chart(result: SimulationResult, variable: str = "relations") -> Any:
    """A plotly fan chart of ``variable``: 5-95, 10-90 and 25-75 % bands and the median."""
    import plotly.graph_objects as go

    data = result.variable(variable)
    x = result.months.to_timestamp().to_pydatetime().tolist()
    q = month_quantiles(data, QUANTILES)  # (levels, months)
    fig = go.Figure()
    for lo, hi, alpha in ((0, 6, 0.15), (1, 5, 0.25), (2, 4, 0.4)):
        label = f"{round(QUANTILES[lo] * 100)}-{round(QUANTILES[hi] * 100)} %"
        fig.add_trace(
            go.Scatter(
                x=x, y=q[hi], mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=q[lo],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=f"rgba(31,119,180,{alpha})",
                name=label,
            )
        )
    fig.add_trace(
        go.Scatter(x=x, y=q[3], mode="lines", line={"color": "rgb(31,119,180)"}, name="median")
    )
    unit = " (Goldstein units)" if variable == "relations" else ""
    fig.update_layout(
        title=f"{result.name}: {variable}, {result.members} members, seed {result.seed}",
        xaxis_title="month",
        yaxis_title=f"{variable}{unit}",
        template="plotly_white",
    )
    return fig
