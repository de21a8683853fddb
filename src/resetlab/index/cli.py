"""``resetlab index`` and ``resetlab resets``: the measured relationship as tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from resetlab._cli import StoreOption, console, fail, open_store
from resetlab.exceptions import ResetlabError
from resetlab.tables import write_table

FmtOption = Annotated[str | None, typer.Option("--format", help="csv, json or parquet.")]
OutOption = Annotated[Path, typer.Option("-o", "--output", help="File to write.")]


def index(output: OutOption, fmt: FmtOption = None, store: StoreOption = None) -> None:
    """The monthly relations index with 80% and 95% bands (month,score,lo80,hi80,lo95,hi95)."""
    from resetlab.index.api import analyse

    try:
        with open_store(store, read_only=True) as s:
            result = analyse(s)
        df = result.index.to_csv_frame()
        write_table(df, output, fmt)
    except ResetlabError as exc:
        raise fail(exc) from exc
    console.print(f"wrote {len(df)} months ({df['month'].iloc[0]}..{df['month'].iloc[-1]}) to {output}")


def resets(
    output: OutOption,
    fmt: FmtOption = None,
    store: StoreOption = None,
) -> None:
    """Resets and breakdowns found in the index (start,end,kind,peak_month,size,...)."""
    from resetlab.index.api import analyse

    try:
        with open_store(store, read_only=True) as s:
            result = analyse(s)
        df = result.scorecard
        write_table(df, output, fmt)
    except ResetlabError as exc:
        raise fail(exc) from exc
    kinds = df["kind"].value_counts().to_dict()
    console.print(
        f"wrote {len(df)} regime shifts ({kinds.get('reset', 0)} resets, "
        f"{kinds.get('breakdown', 0)} breakdowns) to {output}"
    )


def register(app: typer.Typer) -> None:
    """Add ``index`` and ``resets`` to the main app."""
    app.command("index")(index)
    app.command("resets")(resets)
