"""Report sections beyond the measured record: a fan chart per scenario (the model)."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd
from rich.console import Console

from resetlab.config import project_folder
from resetlab.exceptions import ResetlabError
from resetlab.report.html import Section, table_html

#: Members and seed of the report's scenario runs (stated beside each chart).
REPORT_MEMBERS = 2000
REPORT_SEED = 20250301


def shipped_scenarios() -> list[Path]:
    """The scenario files the report runs: ``./scenarios`` if present, else those shipped
    with the package (:func:`resetlab.config.project_folder`)."""
    return sorted(project_folder("scenarios").glob("*.yaml"))


def scenario_section(
    path: Path,
    members: int = REPORT_MEMBERS,
    seed: int = REPORT_SEED,
    index: pd.DataFrame | None = None,
) -> Section:
    """A fan chart of the relations score for one scenario, with its description; for a
    history replay the measured index is drawn over it."""
    import plotly.graph_objects as go

    from resetlab.model import fan_chart, load_scenario, simulate

    scenario = load_scenario(path)
    result = simulate(scenario, members=members, seed=seed, variables=("relations",))
    fig = fan_chart(result, "relations")
    fig.update_layout(height=380, template="plotly_white",
                      title=f"{scenario.name}: relations score (Goldstein units)")  # fmt: skip
    if index is not None and scenario.model.mode == "replay":
        x = pd.PeriodIndex(index["month"], freq="M").to_timestamp()
        fig.add_trace(go.Scatter(x=x, y=index["score"], mode="lines", name="measured index",
                                 line=dict(color="black", width=1.5)))  # fmt: skip
    rel = result.variable("relations").astype(np.float64)
    rows = []
    for k in (0, 11, 23, len(result.months) - 1):
        if k < rel.shape[0]:
            q = np.quantile(rel[k], [0.05, 0.5, 0.95])
            rows.append({"month": str(result.months[k]), "median": q[1], "5%": q[0], "95%": q[2]})
    desc = scenario.model.description
    note = (
        f"<p>{html.escape(str(desc))}</p><p>File <code>{html.escape(path.name)}</code>; "
        f"{members} members, seed {seed}. Mechanism parameters are the file's own values, not "
        "fitted to the record: read the fan as what the stated assumptions imply.</p>"
        + table_html(pd.DataFrame(rows))
    )
    return Section(title=f"Scenario: {scenario.name}", figure=fig, html_after=note,
                   anchor=f"scenario-{scenario.name}")  # fmt: skip


def extra_sections(
    console: Console, scenarios: list[Path] | None = None, index: pd.DataFrame | None = None
) -> list[Section]:
    """One section per shipped scenario plus any given; a broken one is reported, not fatal."""
    paths = shipped_scenarios() + list(scenarios or [])
    out = []
    for path in paths:
        try:
            with console.status(f"simulating {path.name}"):
                out.append(scenario_section(path, index=index))
        except ResetlabError as exc:
            console.print(f"[yellow]skipped scenario {path}:[/yellow]", str(exc), soft_wrap=True)
            out.append(Section(title=f"Scenario: {path.name} (not run)",
                               html_after=f"<pre>{html.escape(str(exc))}</pre>"))  # fmt: skip
    return out
