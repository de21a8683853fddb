"""``resetlab report`` and ``resetlab run``: the report, and the whole main job."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from resetlab._cli import StoreOption, console, fail, open_store
from resetlab.exceptions import ResetlabError
from resetlab.index.api import Analysis

OutOption = Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")]


def summary_table(a: Analysis) -> Table:
    """The terminal summary: resets and breakdowns found."""
    t = Table(title=f"U.S.-Russia relations: {len(a.events)} events, "
              f"{a.index.frame['month'].iloc[0]}..{a.index.frame['month'].iloc[-1]}")  # fmt: skip
    for c in ("kind", "start", "end", "peak", "months", "size", "stability"):
        t.add_column(c, justify="right" if c in {"months", "size", "stability"} else "left")
    for r in a.scorecard.itertuples(index=False):
        style = "green" if r.kind == "reset" else "red"
        t.add_row(f"[{style}]{r.kind}[/{style}]", r.start, r.end, r.peak_month,
                  str(r.duration_months), f"{r.size:+.2f}", f"{r.stability:.2f}")  # fmt: skip
    return t


ScenarioOption = Annotated[
    list[Path] | None,
    typer.Option("--scenario", help="Another scenario file to add a fan chart for (repeatable)."),
]


BudgetOption = Annotated[
    str, typer.Option("--budget", help="Budget of the fit sections: quick or full.")
]
FitOption = Annotated[
    bool,
    typer.Option("--fit/--no-fit", help="Include claims, calibration, backtest, outlook, levers."),
]
PanelOption = Annotated[
    bool,
    typer.Option(
        "--panel/--no-panel", help="Include the panel of rival pairs (every pair's index)."
    ),
]
ResultsOption = Annotated[
    Path | None,
    typer.Option("--results", help="Also write the fit tables (CSV) into this folder."),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        help="Local worker processes of the backtest's tasks (default 1: this process, whose "
        "engine uses every core) and of the claims' tasks (default: all cores); "
        "$RESETLAB_SCHEDULER: that cluster for both.",
    ),
]


def make_report(
    output: Path,
    store: Path | None,
    scenarios: list[Path] | None = None,
    *,
    fit: bool = True,
    budget: str = "quick",
    results: Path | None = None,
    panel: bool = True,
    jobs: int | None = None,
) -> Path:
    from resetlab.index.api import analyse
    from resetlab.report.html import write_report
    from resetlab.report.sections import extra_sections

    with console.status("estimating the index and regimes"), open_store(store) as s:
        a = analyse(s)
        if panel:
            from resetlab.index.panel import analyse_panel
            from resetlab.report.panel import panel_section

            with console.status("estimating the panel of rival pairs"):
                pr = analyse_panel(s)
                panel_part = [panel_section(pr)]
                analyses: dict[str, Any] | None = dict(pr.analyses)
        else:
            panel_part, analyses = [], None
    sections = extra_sections(console, scenarios, a.index.frame) + panel_part
    if fit:
        sections += fit_report_sections(store, budget, results, jobs, analyses)
    path = write_report(a, output, sections)
    console.print(summary_table(a))
    return path


def fit_report_sections(
    store: Path | None,
    budget: str,
    results: Path | None,
    jobs: int | None = None,
    panel: Mapping[str, Any] | None = None,
) -> list:  # type: ignore[type-arg]
    """The fit sections (and, with ``results``, their CSV tables). The backtest's and the
    claims' tasks run on a local cluster of ``jobs`` worker processes (``None``: the backtest
    in this process, whose engine uses every core, the claims on all cores; 1: both in this
    process), or on the cluster named by ``$RESETLAB_SCHEDULER``; the numbers are the same
    bit for bit either way. ``panel``: the panel's pair analyses of the same store,
    which the claims then reuse."""
    from resetlab.fit.pipeline import Pipeline, table_for
    from resetlab.report.fit_sections import fit_sections
    from resetlab.tables import write_table
    from resetlab.tasks import Runner

    def log(m: str) -> None:
        console.print(f"[dim]{m}[/dim]", highlight=False)

    runner = Runner(log=log)  # distributed only where $RESETLAB_SCHEDULER names a cluster
    with open_store(store) as s, runner:
        p = Pipeline.create(
            s, budget, log=log, jobs=jobs, panel_analyses=panel,
            runner=runner if runner.distributed else None,
        )  # fmt: skip
        sections = fit_sections(p)
        if results is not None:
            results.mkdir(parents=True, exist_ok=True)
            for kind in ("claims", "backtest", "compare", "outlook", "levers"):
                write_table(table_for(kind, p), results / f"{kind}.csv", "csv")
            console.print(f"fit tables written to {results}/")
        console.print(fit_summary(p))
    return sections


def fit_summary(p: object) -> str:
    """What the fit sections found, in a few lines for the terminal (the report's words)."""
    from resetlab.fit.published import outlook_headline, skill_headline

    claims = p.claims()  # type: ignore[attr-defined]
    verdicts = claims["verdict"].value_counts().to_dict()
    bt = p.backtest()  # type: ignore[attr-defined]
    skill = p.skill()  # type: ignore[attr-defined]
    o = p.outlook_table()  # type: ignore[attr-defined]
    inside = p.mcs().query("in_mcs")["model"].tolist()  # type: ignore[attr-defined]
    budget = p.budget.name  # type: ignore[attr-defined]
    return (
        f"[bold]fit ({budget} budget)[/bold]: {len(claims)} claims tested on the record: "
        f"{verdicts.get('supported', 0)} supported, {verdicts.get('contradicted', 0)} "
        f"contradicted, {verdicts.get('inconclusive', 0)} inconclusive. "
        f"{skill_headline(skill, bt.describe_origins())} 90 % model confidence set: "
        f"{', '.join(inside)}. P(the reset holds 24 months): "
        f"{o['p_hold_24'].min():.2f}-{o['p_hold_24'].max():.2f} across perspectives. "
        f"{outlook_headline(o)}"
    )


def report(
    output: OutOption = Path("report.html"),
    store: StoreOption = None,
    scenario: ScenarioOption = None,
    fit: FitOption = True,
    budget: BudgetOption = "quick",
    results: ResultsOption = None,
    panel: PanelOption = True,
    jobs: JobsOption = None,
) -> None:
    """Write the self-contained HTML report (index, regimes, scorecard, scenario fan charts,
    claims, calibration, backtest, comparison, outlook and levers)."""
    try:
        path = make_report(
            output,
            store,
            scenario,
            fit=fit,
            budget=budget,
            results=results,
            panel=panel,
            jobs=jobs,
        )
    except ResetlabError as exc:
        raise fail(exc) from exc
    console.print(f"report written to [bold]{path.resolve()}[/bold]")


def run(
    output: OutOption = Path("report.html"),
    store: StoreOption = None,
    scenario: ScenarioOption = None,
    fit: FitOption = True,
    budget: BudgetOption = "quick",
    results: ResultsOption = Path("results"),
    panel: PanelOption = True,
    jobs: JobsOption = None,
) -> None:
    """The main job: build the store from the built-in files, then write the report and the
    fit tables (results/*.csv)."""
    try:
        with console.status("building the record store"), open_store(store) as s:
            counts = s.counts()
        console.print(f"store ready: {counts.get('events', 0)} events")
        path = make_report(
            output,
            store,
            scenario,
            fit=fit,
            budget=budget,
            results=results,
            panel=panel,
            jobs=jobs,
        )
    except ResetlabError as exc:
        raise fail(exc) from exc
    console.print(f"report written to [bold]{path.resolve()}[/bold]")


def register(app: typer.Typer) -> None:
    """Add ``report`` and ``run`` to the main app."""
    app.command("report")(report)
    app.command("run")(run)
