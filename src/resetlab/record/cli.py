"""``resetlab record ...``: build, check, import and export the record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from resetlab.exceptions import ResetlabError
from resetlab.tables import write_table

console = Console(stderr=True)
record_app = typer.Typer(help="The record: build, check, import and export.", no_args_is_help=True)

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="DuckDB file (default: $RESETLAB_HOME/record.duckdb)."),
]

#: The columns ``record export --table events`` always writes first.
EXPORT_EVENT_COLUMNS = (
    "date", "actor", "target", "goldstein", "plover", "domain", "summary", "source",
    "id", "precision", "plover_mode", "plover_context", "cameo", "date_checked", "n_sources",
    "source_url", "origin",
)  # fmt: skip


def fail(exc: ResetlabError) -> typer.Exit:
    """Print a resetlab error in red and return the exit to raise (status 1)."""
    console.print("[red]error:[/red]", str(exc), markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def open_store(path: Path | None):  # type: ignore[no-untyped-def]
    from resetlab.record.store import Store

    return Store.open(path)


@record_app.command("build")
def build(store: StoreOption = None) -> None:
    """(Re)build the store from the built-in files (imported rows are kept)."""
    try:
        with open_store(store) as s:
            s.build_builtin()
            _print_counts(s.counts(), s.path)
    except ResetlabError as exc:
        raise fail(exc) from exc


@record_app.command("info")
def info(store: StoreOption = None) -> None:
    """Row counts of the store's tables."""
    try:
        with open_store(store) as s:
            _print_counts(s.counts(), s.path)
    except ResetlabError as exc:
        raise fail(exc) from exc


@record_app.command("check")
def check(files: Annotated[list[Path] | None, typer.Argument()] = None) -> None:
    """Check event CSV files (default: the built-in ones); every bad row as file:line: field."""
    from resetlab.record.builtin import load_event_files

    try:
        df = load_event_files(list(files) if files else None)
    except ResetlabError as exc:
        raise fail(exc) from exc
    console.print(f"ok: {len(df)} events")


@record_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="File to import.")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv, json, parquet, gdelt1, gdelt2, icews, phoenix or plover "
            "(default: guessed from the file).",
        ),
    ] = None,
    dyad: Annotated[
        str | None, typer.Option(help="Keep only rows between two actors, e.g. USA,RUS.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Import events; all rows go in or none do (errors list file:line: field)."""
    from resetlab.record.importers import read_events

    pair: tuple[str, str] | None = None
    if dyad:
        parts = [p.strip().upper() for p in dyad.split(",")]
        if len(parts) != 2:
            raise fail(ResetlabError(f"--dyad needs two actors like USA,RUS, got {dyad!r}"))
        pair = (parts[0], parts[1])
    if not file.exists():
        raise fail(ResetlabError(f"{file}: no such file"))
    try:
        frame = read_events(file, fmt, dyad=pair)
        with open_store(store) as s:
            result = s.import_events(frame, file=str(file), fmt=fmt or "auto")
    except ResetlabError as exc:
        raise fail(exc) from exc
    console.print(
        f"imported {file}: {result.added} new event(s), {result.merged} merged into existing ones"
    )


@record_app.command("export")
def export(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    table: Annotated[str, typer.Option(help="events or any store table.")] = "events",
    fmt: Annotated[str | None, typer.Option("--format", help="csv, json or parquet.")] = None,
    store: StoreOption = None,
) -> None:
    """Export a table (events with their sources joined) as CSV, JSON or Parquet."""
    try:
        with open_store(store) as s:
            if table == "events":
                df = s.events()
                df = df[[*EXPORT_EVENT_COLUMNS, *[c for c in df if c not in EXPORT_EVENT_COLUMNS]]]
            else:
                df = s.table(table)
        write_table(df, output, fmt)
    except ResetlabError as exc:
        raise fail(exc) from exc
    console.print(f"wrote {len(df)} rows to {output}")


def _print_counts(counts: dict[str, int], path: Path | None) -> None:
    t = Table(title=f"record store {path or '(in memory)'}")
    t.add_column("table")
    t.add_column("rows", justify="right")
    for k, v in counts.items():
        t.add_row(k, str(v))
    console.print(t)


def register(app: typer.Typer) -> None:
    """Add ``record`` to the main app."""
    app.add_typer(record_app, name="record")
