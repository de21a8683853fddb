"""``resetlab index``, ``resetlab resets``, ``resetlab indicators`` and ``resetlab dyads``: the
measured relationship as tables, for one dyad (``--dyad A,B``, default USA,RUS) or for the
whole panel of rival pairs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from resetlab._cli import StoreOption, console, fail, open_store, parse_dyad
from resetlab.exceptions import ResetlabError
from resetlab.record.dyad import DEFAULT_DYAD, Dyad
from resetlab.tables import where, write_table

if TYPE_CHECKING:
    import pandas as pd

    from resetlab.index.api import Analysis

FmtOption = Annotated[str | None, typer.Option("--format", help="csv, json or parquet.")]
OutOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="File to write; - or none: standard output."),
]
DyadOption = Annotated[
    str,
    typer.Option("--dyad", help="The two actors, e.g. USA,RUS (the dyad rule: docs/data.md)."),
]
DEFAULT_DYAD_TEXT = ",".join(DEFAULT_DYAD)


def _dyad(text: str) -> Dyad:
    try:
        pair = parse_dyad(text)
    except ResetlabError as exc:
        raise fail(exc) from exc
    return DEFAULT_DYAD if pair is None else pair


def _write_analysis_table(
    store: Path | None, dyad: str, output: Path | None, fmt: str | None,
    pick: Callable[[Analysis], pd.DataFrame],
) -> pd.DataFrame:  # fmt: skip
    """Analyse ``dyad`` (the panel's indicators for a panel pair), write ``pick(analysis)``."""
    from resetlab.index.panel import analyse_pair

    pair = _dyad(dyad)
    try:
        with open_store(store, read_only=True) as s:
            df = pick(analyse_pair(s, pair))
        write_table(df, output, fmt)
    except ResetlabError as exc:
        raise fail(exc) from exc
    return df


def index(
    output: OutOption = None, fmt: FmtOption = None, store: StoreOption = None,
    dyad: DyadOption = DEFAULT_DYAD_TEXT,
) -> None:  # fmt: skip
    """The monthly relations index with 80% and 95% bands (month,score,lo80,hi80,lo95,hi95)."""
    df = _write_analysis_table(store, dyad, output, fmt, lambda a: a.index.to_csv_frame())
    console.print(
        f"wrote {len(df)} months ({df['month'].iloc[0]}..{df['month'].iloc[-1]}) to {where(output)}"
    )


def resets(
    output: OutOption = None, fmt: FmtOption = None, store: StoreOption = None,
    dyad: DyadOption = DEFAULT_DYAD_TEXT,
) -> None:  # fmt: skip
    """Resets and breakdowns found in the index (start,end,kind,peak_month,size,...)."""
    df = _write_analysis_table(store, dyad, output, fmt, lambda a: a.scorecard)
    kinds = df["kind"].value_counts().to_dict()
    console.print(
        f"wrote {len(df)} regime shifts ({kinds.get('reset', 0)} resets, "
        f"{kinds.get('breakdown', 0)} breakdowns) to {where(output)}"
    )


def indicators(
    output: OutOption = None, fmt: FmtOption = None, store: StoreOption = None,
    dyad: DyadOption = DEFAULT_DYAD_TEXT,
) -> None:  # fmt: skip
    """Each indicator's loading on the index, its 95% interval and variance share
    (indicator,loading,lo,hi,variance_share,months)."""
    df = _write_analysis_table(store, dyad, output, fmt, lambda a: a.index.indicator_table())
    console.print(f"wrote {len(df)} indicators ({', '.join(df['indicator'])}) to {where(output)}")


def dyads(output: OutOption = None, fmt: FmtOption = None, store: StoreOption = None) -> None:
    """Every rival pair of the panel: pair,name,span,events,indicators,resets,breakdowns,status."""
    from resetlab.index.panel import analyse_panel
    from resetlab.tasks import rich_progress

    try:
        with open_store(store, read_only=True) as s, rich_progress("estimating the pairs") as tick:
            df = analyse_panel(s, progress=tick).table()
        write_table(df, output, fmt)
    except ResetlabError as exc:
        raise fail(exc) from exc
    ok = int((df["status"] == "ok").sum())
    console.print(f"wrote {len(df)} pairs ({ok} estimated) to {where(output)}")


def register(app: typer.Typer) -> None:
    """Add ``index``, ``resets``, ``indicators`` and ``dyads`` to the main app."""
    app.command("index")(index)
    app.command("resets")(resets)
    app.command("indicators")(indicators)
    app.command("dyads")(dyads)
