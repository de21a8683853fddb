"""``resetlab serve``: the dashboard and JSON API on http://127.0.0.1:8765 by default."""

from __future__ import annotations

from pathlib import Path

import typer

from resetlab._cli import fail, print_error
from resetlab.exceptions import InputError
from resetlab.web.settings import DEFAULT_PORT, LOOPBACK


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to ``app``."""

    @app.command("serve")
    def serve(
        host: str = typer.Option(LOOPBACK, help="address to bind (loopback unless told)"),
        port: int = typer.Option(DEFAULT_PORT, min=1, max=65535, help="port"),
        token: str | None = typer.Option(
            None, help="allow importing events through the web with this token (8+ characters)"
        ),
        store: Path | None = typer.Option(None, help="store file (default: $RESETLAB_HOME)"),
        scenarios: Path | None = typer.Option(
            None, help="folder of scenario files offered (default: ./scenarios)"
        ),
        perspectives: Path | None = typer.Option(None, help="folder of perspective files"),
        seed: int = typer.Option(0, help="seed of runs that give none"),
        workers: int = typer.Option(2, min=1, max=64, help="scenario runs at the same time"),
        max_members: int = typer.Option(5000, min=1, help="largest ensemble a run may ask"),
        max_jobs: int = typer.Option(8, min=1, help="runs queued or running at most"),
    ) -> None:
        """Serve the dashboard and the JSON API (OpenAPI at /docs); read-only without --token."""
        try:
            import uvicorn

            from resetlab.web.app import create_app
            from resetlab.web.settings import WebSettings
        except ImportError as exc:
            from resetlab.exceptions import MissingExtraError

            raise fail(MissingExtraError(exc.name or "fastapi", "web")) from exc
        try:
            settings = WebSettings(
                store_path=store,
                scenarios_dir=scenarios,
                perspectives_dir=perspectives,
                token=token,
                seed=seed,
                workers=workers,
                max_members=max_members,
                default_members=min(500, max_members),
                max_jobs=max_jobs,
            )
        except InputError as exc:
            print_error(exc)
            raise typer.Exit(code=2) from None
        if host not in (LOOPBACK, "localhost", "::1"):
            typer.echo(f"warning: serving on {host}, reachable beyond this machine", err=True)
        mode = "read-only" if token is None else "imports allowed with the token"
        typer.echo(f"resetlab dashboard on http://{host}:{port}/ ({mode}); Ctrl-C stops it")
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
