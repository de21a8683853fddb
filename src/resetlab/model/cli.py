"""``resetlab simulate SCENARIO --members N --seed S -o FILE``."""

from __future__ import annotations

from pathlib import Path

import typer

from resetlab._cli import fail
from resetlab.exceptions import ResetlabError


def register(app: typer.Typer) -> None:
    """Add the ``simulate`` command to ``app``."""

    @app.command("simulate")
    def simulate_cmd(
        scenario: Path = typer.Argument(..., help="scenario YAML file", exists=False),
        members: int = typer.Option(1000, "--members", "-n", help="ensemble members"),
        seed: int = typer.Option(0, "--seed", "-s", help="random seed (same seed, same numbers)"),
        output: Path = typer.Option(..., "--output", "-o", help="output .csv or .parquet"),
        paths: bool = typer.Option(False, "--paths", help="write every member's tidy path"),
        progress: bool = typer.Option(True, "--progress/--no-progress", help="progress bar"),
        engine: str | None = typer.Option(
            None,
            "--engine",
            help="auto (default: fused where every mechanism has a kernel), numpy or fused; "
            "RESETLAB_ENGINE sets the default",
        ),
    ) -> None:
        """Run an ensemble of a scenario; write per-month quantiles and means (or paths)."""
        from resetlab.model.api import simulate

        try:
            result = simulate(
                scenario, members=members, seed=seed, progress=progress, engine=engine
            )
            result.write(output, paths=paths)
        except ResetlabError as exc:
            raise fail(exc) from None
        what = "member paths" if paths else "quantiles"
        typer.echo(f"wrote {what} of {result.name} ({members} members, seed {seed}) to {output}")
