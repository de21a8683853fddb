"""``resetlab fit|backtest|compare|outlook|levers|claims``: calibration and its verdicts."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from resetlab._cli import StoreOption, console, fail, open_store
from resetlab.exceptions import InputError, ResetlabError
from resetlab.tables import to_stdout, where, write_table

if TYPE_CHECKING:
    from resetlab.fit.pipeline import Pipeline

FmtOption = Annotated[
    str | None,
    typer.Option("--format", help="csv (the named columns), json or parquet (every column)."),
]
OutOption = Annotated[Path, typer.Option("-o", "--output", help="File to write.")]
TableOutOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="File to write; - or none: standard output."),
]
BudgetOption = Annotated[
    str, typer.Option("--budget", help="quick (minutes) or full (docs/fit.md figures).")
]
SeedOption = Annotated[int, typer.Option("--seed", help="Seed of every random step.")]
PerspOption = Annotated[
    Path | None, typer.Option("--perspectives", help="Folder of perspective files.")
]
BaseOption = Annotated[
    Path | None, typer.Option("--base", help="Replay scenario the fits start from.")
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        help="Local worker processes: of the backtest (default 1: this process, whose engine "
        "uses every core) and of the claims (default: all cores).",
    ),
]
CacheOption = Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse cached results.")]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", help="Run the tasks on a local Dask cluster of N worker processes."),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Run the tasks on an existing Dask cluster (tcp://HOST:PORT; or $RESETLAB_SCHEDULER).",
    ),
]


@contextmanager
def pipeline(
    store: Path | None, budget: str, seed: int, perspectives: Path | None, base: Path | None,
    jobs: int | None = None, cache: bool = True,
    workers: int | None = None, scheduler: str | None = None,
) -> Iterator[Pipeline]:  # fmt: skip
    from resetlab.fit.pipeline import Pipeline
    from resetlab.tasks import Runner

    def log(m: str) -> None:
        console.print(f"[dim]{escape(m)}[/dim]", highlight=False)

    runner = Runner(workers=workers, scheduler=scheduler, log=log)
    with open_store(store) as s, runner:
        yield Pipeline.create(
            s, budget, perspectives_path=perspectives, base_path=base, seed=seed, jobs=jobs,
            cache=cache, runner=runner if runner.distributed else None, log=log,
        )  # fmt: skip


def _print(df: pd.DataFrame, title: str, limit: int = 40) -> None:
    t = Table(title=title)
    for c in df.columns:
        t.add_column(str(c), justify="right" if pd.api.types.is_numeric_dtype(df[c]) else "left")
    for row in df.head(limit).itertuples(index=False):
        t.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
    console.print(t)


def _table_format(output: Path | None, fmt: str | None) -> str:
    """The format a table command writes: ``--format``, else the file's suffix, else CSV."""
    suffix = "" if to_stdout(output) else Path(str(output)).suffix.lstrip(".")
    return (fmt or suffix or "csv").lower()


def _table_command(kind: str, help_text: str):  # type: ignore[no-untyped-def]
    def command(
        output: TableOutOption = None,
        fmt: FmtOption = None,
        budget: BudgetOption = "quick",
        seed: SeedOption = 0,
        store: StoreOption = None,
        perspectives: PerspOption = None,
        base: BaseOption = None,
        jobs: JobsOption = None,
        cache: CacheOption = True,
        workers: WorkersOption = None,
        scheduler: SchedulerOption = None,
    ) -> None:
        from resetlab.fit.pipeline import table_for

        try:
            with pipeline(
                store, budget, seed, perspectives, base, jobs, cache, workers, scheduler
            ) as p:
                full = _table_format(output, fmt) != "csv"
                df = table_for(kind, p, full=full)
                write_table(df, output, fmt)
                origins = f", {p.backtest().describe_origins()}" if kind == "backtest" else ""
        except ResetlabError as exc:
            raise fail(exc) from exc
        _print(df, f"resetlab {kind} ({budget} budget{origins})")
        console.print(f"wrote {len(df)} rows to {where(output)}")

    command.__doc__ = help_text
    return command


def fit(
    perspective: Annotated[str, typer.Argument(help="Perspective name, e.g. carpenter-2019.")],
    output: OutOption,
    budget: BudgetOption = "quick",
    seed: SeedOption = 0,
    store: StoreOption = None,
    perspectives: PerspOption = None,
    base: BaseOption = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Fit only the index before this month (YYYY-MM).")
    ] = None,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also write the replay band vs the index (HTML).")
    ] = None,
    recovery: Annotated[
        int | None,
        typer.Option(
            "--recovery",
            help="Instead: fit K data sets simulated from prior draws; write coverage and bias.",
        ),
    ] = None,
    sampler: Annotated[
        str | None,
        typer.Option(
            "--sampler",
            help="Default: the budget's (quick: emcee; full: crn-metropolis, a stretch "
            "warm-up then Metropolis walkers on common random numbers until R-hat and ESS "
            "hold). Also emcee-mcwm (re-estimate the current points at every step) and "
            "emcee-crn (common random numbers across walkers); docs/fit.md.",
        ),
    ] = None,
    steps: Annotated[
        int | None,
        typer.Option(
            "--steps",
            help="emcee steps per walker instead of the budget's; the first half is burn-in "
            "(under crn-metropolis: the stretch warm-up, all of it discarded).",
        ),
    ] = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Calibrate a perspective to the index under history replay; write the posterior.

    With ``--recovery K`` the JSON holds ``recovery``: per parameter the share of the K true
    values inside the fitted 90 % interval (``coverage90``, with its Monte Carlo error
    ``coverage90_se``), the mean error (``bias``) and the simulation-based-calibration rank
    histogram with a chi-square test of uniformity (``sbc``).

    ``-o x.json`` keeps everything (samples, log posterior, budget, seed); ``.csv`` or
    ``.parquet`` writes the samples as a table.
    """
    from rich.progress import Progress

    from resetlab.fit.calibrate import fit as run_fit
    from resetlab.fit.calibrate import replay_band
    from resetlab.fit.perspectives import load_perspectives

    if until is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", until.strip()):
        raise fail(InputError(f"--until {until!r} is not a month YYYY-MM (month 01-12)"))
    if steps is not None and steps < 4:
        raise fail(
            InputError(f"--steps must be at least 4 (half of them are burn-in), got {steps}")
        )
    try:
        with pipeline(
            store, budget, seed, perspectives, base, workers=workers, scheduler=scheduler
        ) as p:
            persp = load_perspectives(perspectives, (perspective,))[perspective]
            data = p.data
            target = data if until is None else data.vintage(until)
            b = p.budget if sampler is None else dataclasses.replace(p.budget, sampler=sampler)
            if steps is not None:
                b = dataclasses.replace(b, steps=steps, burn=steps // 2)
            if recovery is not None:
                import json

                from resetlab.fit.calibrate import recovery as run_recovery

                rec = run_recovery(
                    persp, target, p.base, recovery, budget=b, seed=seed, runner=p.runner
                )
                Path(output).write_text(json.dumps(rec), encoding="utf-8")
                table = pd.DataFrame(
                    [
                        {
                            "param": n, "coverage90": v["coverage90"],
                            "coverage90_se": v["coverage90_se"], "bias": v["bias"],
                            "sbc_counts": " ".join(str(c) for c in v["sbc"]["counts"]),
                            "sbc_chi2_p": v["sbc"]["chi2_p"],
                        }
                        for n, v in rec["recovery"].items()
                    ]
                )  # fmt: skip
                _print(table, f"recovery of {perspective}: {recovery} data sets ({budget})")
                console.print(f"wrote {output}")
                return
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task(f"{b.sampler}: {perspective}", total=b.planned_steps)
                post = run_fit(
                    persp, target, p.base, budget=b, seed=seed, runner=p.runner,
                    progress=lambda k: bar.update(task, completed=k),
                )  # fmt: skip
            from resetlab.fit.checks import posterior_predictive, to_records

            checks = posterior_predictive(persp, post, data, p.base, draws=b.draws, seed=seed)
            post.save(output, extra={"posterior_predictive": to_records(checks)})
            if chart is not None:
                from resetlab.report.fit_sections import replay_figure

                band = replay_band(
                    persp, post, data, p.base,
                    draws=b.draws, draw_reps=b.draw_reps, seed=seed,
                )  # fmt: skip
                replay_figure(band, perspective, b.name).write_html(chart, include_plotlyjs=True)
    except ResetlabError as exc:
        raise fail(exc) from exc
    _print(post.summary(), f"posterior of {perspective} (fitted before {post.origin}, {budget})")
    from resetlab.fit.checks import checks_words

    _print(checks, "posterior predictive checks (summaries the likelihood does not use)")
    console.print(checks_words(checks))
    console.print(
        f"acceptance {post.acceptance:.2f}, {len(post.samples)} draws, {post.n_months} months; "
        f"wrote {output}"
    )
    quick = (
        " (a quick look: the quick budget is not meant to converge)" if budget == "quick" else ""
    )
    console.print(f"diagnostics: {post.diagnostics_words()}{quick}")
    d = post.diagnostics or {}
    if d.get("sampler") == "crn-metropolis":
        console.print(
            f"crn-metropolis: {d['warmup_steps']} warm-up steps, then {d['metropolis_steps']} "
            f"Metropolis steps of {d['metropolis_walkers']} walkers per chain (last half kept); "
            + (
                "stopped when the diagnostics held"
                if d["stopped"] == "converged"
                else "stopped at the cap, the diagnostics not held"
            )  # fmt: skip
        )
    if sampler is not None:
        console.print(f"sampler: {sampler}")
    if steps is not None and d.get("sampler") == "crn-metropolis":
        console.print(f"warm-up: {steps} stretch steps per walker, all discarded")
    elif steps is not None:
        console.print(f"steps: {steps} per walker, {steps // 2} burned")


def levers(
    output: TableOutOption = None,
    fmt: FmtOption = None,
    budget: BudgetOption = "quick",
    seed: SeedOption = 0,
    store: StoreOption = None,
    perspectives: PerspOption = None,
    base: BaseOption = None,
    jobs: JobsOption = None,
    cache: CacheOption = True,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    perspective: Annotated[
        str | None,
        typer.Option(
            "--perspective", help="Whose posterior (default: ranked first out of sample)."
        ),
    ] = None,
) -> None:
    """Sobol indices of the levers on P(the reset holds 24 months), after Morris screening
    (perspective,lever,s1,s1_conf,st,st_conf,st_lo,st_hi,var_y,n,s1_half,st_half,converged,
    st_invalid,mc_var,smooth,nominal,screened_out). Levers Morris screens out have empty
    indices and are held at their nominal values; converged compares the indices at N/2 and N."""
    from resetlab.fit.pipeline import TABLE_COLUMNS

    try:
        with pipeline(
            store, budget, seed, perspectives, base, jobs, cache, workers, scheduler
        ) as p:
            la = p.levers(perspective)
            full = _table_format(output, fmt) != "csv"
            df = la.table if full else la.table[list(TABLE_COLUMNS["levers"])]
            write_table(df, output, fmt)
    except ResetlabError as exc:
        raise fail(exc) from exc
    _print(la.table.drop(columns="description"), f"levers under {la.perspective} ({budget})")
    console.print(f"{la.runs} model runs; wrote {len(df)} rows to {where(output)}")
    quick = " A quick look: the quick budget's N is small." if budget == "quick" else ""
    console.print(f"P(hold 24) at the nominal levers {la.base_p:.3f}; {la.words()}{quick}")


def register(app: typer.Typer) -> None:
    """Add the calibration and backtest commands to the main app."""
    app.command("fit")(fit)
    app.command("backtest")(
        _table_command(
            "backtest",
            "Rolling-origin backtest: CRPS per model and horizon, skill vs persistence, skill "
            "vs the best baseline with a Diebold-Mariano test (HAC, Holm over horizons) and "
            "the verdict (model,horizon,crps,skill,best_baseline,skill_vs_best,dm_stat,dm_p,"
            "dm_p_holm,n_origins,n_eff,coverage90,verdict). The quick budget's origins are 12 "
            "months apart, the full budget's monthly.",
        )
    )
    app.command("compare")(
        _table_command(
            "compare",
            "Rank the perspectives by out-of-sample CRPS, with membership of the 90 % model "
            "confidence set over every model (perspective,score,rank,in_mcs).",
        )
    )
    app.command("outlook")(
        _table_command(
            "outlook",
            "P(the latest reset holds 12 and 24 months) per perspective, its Monte Carlo "
            "error and the Brier skill of the same event in the backtest "
            "(perspective,p_hold_12,p_hold_24,mc_se,brier_skill_12,brier_skill_24,verdict).",
        )
    )
    app.command("levers")(levers)
    app.command("claims")(
        _table_command(
            "claims",
            "The articles' claims tested on the record (perspective,claim,mechanism,test,scope,"
            "n_dyads,n_episodes,effect,ci_lo,ci_hi,p_value,p_adj,power,power_index,margin,verdict;"
            " power: effects planted in the events and measured again, power_index: planted "
            "in the index).",
        )
    )
