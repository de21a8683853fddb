"""``resetlab record ...``: build, check, import and export the record."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from resetlab._cli import (
    DyadOption,
    StoreOption,
    console,
    fail,
    open_store,
    os_error,
    parse_dyad,
    say,
)
from resetlab.exceptions import InputError, ResetlabError
from resetlab.tables import where, write_table

if TYPE_CHECKING:
    from resetlab.record.importers import ImportStats

record_app = typer.Typer(help="The record: build, check, import and export.", no_args_is_help=True)

#: The columns ``record export --table events`` always writes first; the source columns of
#: the event schema follow, so that ``record import`` reads an export back.
EXPORT_EVENT_COLUMNS = (
    "date", "actor", "target", "goldstein", "plover", "domain", "summary", "source",
    "id", "precision", "plover_mode", "plover_context", "cameo", "date_checked", "n_sources",
    "source_url", "origin",
)  # fmt: skip

__all__ = ["EXPORT_EVENT_COLUMNS", "StoreOption", "console", "fail", "open_store", "record_app"]


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
        with open_store(store, read_only=True) as s:
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
    dyad: DyadOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse the file if any row would be left out.")
    ] = False,
    aggregate: Annotated[
        str | None,
        typer.Option(
            "--aggregate",
            help="'monthly': keep only the dyad's monthly Goldstein sums and counts of a "
            "Parquet file (streamed through DuckDB, memory bounded), not every row.",
        ),
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="Column mapping of a Parquet export for --aggregate, e.g. "
            "date=SQLDATE,actor1=Actor1CountryCode,actor2=Actor2CountryCode,"
            "goldstein=GoldsteinScale.",
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Import events; all rows go in or none do (errors list file:line: field).

    Prints the rows read, kept (new and merged) and left out, with why.
    """
    from resetlab.record.importers import import_events

    try:
        pair = parse_dyad(dyad)
        if not file.is_file():
            raise InputError(
                f"{file}: {'a folder, not a file' if file.is_dir() else 'no such file'}"
            )
        large = file.suffix.lower() == ".parquet" and fmt in _EXPORT_TABLE_FORMATS
        if aggregate is not None or large:
            if aggregate != "monthly":
                raise InputError(
                    f"{file}: a Parquet export of {fmt} is imported as monthly aggregates; "
                    "pass --aggregate monthly"
                    if aggregate is None
                    else f"--aggregate {aggregate!r}: the only choice is 'monthly'"
                )
            _import_monthly(file, fmt or "parquet", pair, columns, store)
            return
        # The store first: a locked store is reported before the file is read.
        with open_store(store) as s:
            read = import_events(file, fmt, dyad=pair)
            stats = read.stats
            if strict and stats.skipped:
                raise InputError(
                    f"{file}: --strict and {stats.skipped} of {stats.rows_read} row(s) would be "
                    f"left out ({_why(stats)}); nothing was imported"
                )
            result = s.import_events(read.frame, file=str(file), fmt=fmt or stats.fmt)
    except ResetlabError as exc:
        raise fail(exc) from exc
    say(
        f"imported {file} ({stats.fmt}): {stats.rows_read} row(s) read, {stats.kept} kept "
        f"({result.added} new, {result.merged} merged into existing events), "
        f"{stats.skipped} left out" + (f" ({_why(stats)})" if stats.skipped else "")
    )
    if stats.unknown_actors:
        top = sorted(stats.unknown_actors.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        say("actors not in actors.csv: " + ", ".join(f"{k} ({n})" for k, n in top))


#: Formats whose Parquet exports are imported as monthly aggregates only.
_EXPORT_TABLE_FORMATS = ("gdelt1", "gdelt2", "icews", "polecat")


def _import_monthly(
    file: Path, fmt: str, pair: tuple[str, str] | None, columns: str | None, store: Path | None
) -> None:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from resetlab.record.dyad import DEFAULT_DYAD
    from resetlab.record.importers.parquet import aggregate_events, parse_columns

    mapping = parse_columns(columns)
    dyad = pair or DEFAULT_DYAD
    with open_store(store) as s:
        with Progress(
            TextColumn("scanning"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(), transient=True,
        ) as bar:  # fmt: skip
            task = bar.add_task("scan", total=1.0)
            frame, n_rows = aggregate_events(
                file, fmt, dyad, columns=mapping,
                progress=lambda share: bar.update(task, completed=share),
            )  # fmt: skip
        written = s.import_monthly(frame, file=str(file), fmt=fmt)
    say(
        f"imported {file} ({fmt}, monthly aggregates): {n_rows} row(s) read, "
        f"{int(frame['n'].sum())} between {dyad[0]} and {dyad[1]}, kept as {written} "
        "month-direction row(s)"
    )


def _why(stats: ImportStats) -> str:
    reasons = (
        (stats.skipped_dyad, "outside the dyad"),
        (stats.skipped_no_plover, "no PLOVER category (CAMEO 01/02)"),
        (stats.skipped_no_actor, "no country actor or target"),
        (stats.skipped_unknown_actor, "actor not in actors.csv"),
        (stats.skipped_same_actor, "actor and target the same"),
    )
    return ", ".join(f"{n} {why}" for n, why in reasons if n)


@record_app.command("export")
def export(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File to write; - or none: standard output."),
    ] = None,
    table: Annotated[str, typer.Option(help="events or any store table.")] = "events",
    fmt: Annotated[str | None, typer.Option("--format", help="csv, json or parquet.")] = None,
    store: StoreOption = None,
) -> None:
    """Export a table (events with their sources joined) as CSV, JSON or Parquet.

    An events export can be imported again with ``record import``.
    """
    try:
        with open_store(store, read_only=True) as s:
            if table == "events":
                df = s.export_events()
                df = df[[*EXPORT_EVENT_COLUMNS, *[c for c in df if c not in EXPORT_EVENT_COLUMNS]]]
            else:
                df = s.table(table)
        try:
            write_table(df, output, fmt)
        except OSError as exc:
            raise os_error(exc, f"write {output}") from exc
    except ResetlabError as exc:
        raise fail(exc) from exc
    say(f"wrote {len(df)} rows to {where(output)}")


def _print_counts(counts: dict[str, int], path: Path | None) -> None:
    t = Table(title=escape(f"record store {path or '(in memory)'}"))
    t.add_column("table")
    t.add_column("rows", justify="right")
    for k, v in counts.items():
        t.add_row(k, str(v))
    console.print(t)


def register(app: typer.Typer) -> None:
    """Add ``record`` to the main app."""
    app.add_typer(record_app, name="record")
