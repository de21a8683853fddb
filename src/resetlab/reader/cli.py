"""``resetlab read`` and ``resetlab review``: the reader's commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import duckdb
import pandas as pd
import typer

from resetlab._cli import fail
from resetlab.exceptions import ResetlabError


def register(app: typer.Typer) -> None:
    """Add the ``read`` and ``review`` commands to the resetlab app."""
    app.command("read")(read_command)
    app.command("review")(review_command)


def read_command(
    files: Annotated[list[Path], typer.Argument(help="Articles: .txt, .md or .html.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write JSON (or YAML) here.")
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD when the text lacks one.")
    ] = None,
    draft_perspective: Annotated[
        bool, typer.Option("--draft-perspective", help="Write a perspective YAML instead.")
    ] = False,
    store: Annotated[Path | None, typer.Option(help="Store file (default: RESETLAB_HOME).")] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Keep nothing.")] = False,
    embeddings: Annotated[str, typer.Option(help="auto, on or off.")] = "auto",
    no_record: Annotated[
        bool, typer.Option("--no-record", help="Do not match against the built-in record.")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed of the MinHash functions.")] = 0,
) -> None:
    """Read articles into dated events, claims, stance and spin/duplicate checks (JSON)."""
    from resetlab.reader.dates import parse_published
    from resetlab.reader.perspective import draft_perspective as draft
    from resetlab.reader.perspective import write_perspective
    from resetlab.reader.pipeline import ReaderOptions, read_articles
    from resetlab.reader.store import connect

    try:
        if embeddings not in ("auto", "on", "off"):
            raise typer.BadParameter("--embeddings must be auto, on or off")
        options = ReaderOptions(
            published=parse_published(published) if published else None,
            embeddings=embeddings,  # type: ignore[arg-type]
            seed=seed,
        )
        con = duckdb.connect(":memory:") if no_store else connect(store)
        record = pd.DataFrame() if no_record else None
        try:
            result = read_articles(list(files), con, record, options)
        finally:
            con.close()
        if draft_perspective:
            if output is None:
                raise typer.BadParameter("--draft-perspective needs -o FILE.yaml")
            write_perspective(draft(result["articles"]), output)
            typer.echo(f"wrote {output}", err=True)
            return
        text = json.dumps(result, indent=2, ensure_ascii=False)
        if output is None:
            sys.stdout.write(text + "\n")
        else:
            output.write_text(text + "\n", encoding="utf-8")
            typer.echo(f"wrote {output}", err=True)
    except ResetlabError as exc:
        raise fail(exc) from exc


def review_command(
    accept: Annotated[list[str] | None, typer.Option(help="Accept this event id.")] = None,
    reject: Annotated[list[str] | None, typer.Option(help="Reject this event id.")] = None,
    status: Annotated[
        str, typer.Option(help="List events with this status, or 'all'.")
    ] = "pending",
    export: Annotated[
        Path | None, typer.Option(help="Write accepted events as a record events CSV.")
    ] = None,
    store: Annotated[Path | None, typer.Option(help="Store file (default: RESETLAB_HOME).")] = None,
) -> None:
    """List candidate events read from articles; accept or reject them; export accepted."""
    from resetlab.reader.store import connect

    try:
        con = connect(store)
        try:
            _review(con, accept or [], reject or [], status, export)
        finally:
            con.close()
    except ResetlabError as exc:
        raise fail(exc) from exc


def _review(
    con: duckdb.DuckDBPyConnection,
    accept: list[str],
    reject: list[str],
    status: str,
    export: Path | None,
) -> None:
    from resetlab.reader.review import candidates, export_accepted, set_status

    if accept:
        typer.echo(f"accepted {set_status(con, accept, 'accepted')}")
    if reject:
        typer.echo(f"rejected {set_status(con, reject, 'rejected')}")
    if export is not None:
        typer.echo(f"wrote {export_accepted(con, export)} accepted event(s) to {export}")
    if accept or reject or export is not None:
        return
    listed = candidates(con, None if status == "all" else status)
    if not listed:
        typer.echo(f"no candidate events with status {status!r}")
    for e in listed:
        typer.echo(
            f"{e['id']}  {e['date']:<10} {e['actor']}->{e['target']} {e['plover']:<8} "
            f"{e['goldstein']:+.1f} conf {e['confidence']:.2f} [{e['status']}] {e['file']}\n"
            f"    {e['sentence'][:160]}"
        )
