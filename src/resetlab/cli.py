"""The ``resetlab`` command line (typer). Areas add their commands through ``register(app)``."""

from __future__ import annotations

import importlib
import sys

import typer

from resetlab._cli import print_error
from resetlab.exceptions import ResetlabError

app = typer.Typer(
    name="resetlab",
    help="Measure, model and stress-test resets between rival states (U.S.-Russia built in).",
    no_args_is_help=True,
    add_completion=False,
)

#: Modules that add commands to the app: each has ``register(app: typer.Typer) -> None``.
COMMAND_MODULES: tuple[str, ...] = (
    "resetlab.record.cli",
    "resetlab.index.cli",
    "resetlab.report.cli",
    "resetlab.model.cli",
    "resetlab.reader.cli",
    "resetlab.web.cli",
    "resetlab.fit.cli",
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Entry point of the ``resetlab`` script.

    A :class:`ResetlabError` that a command did not report itself is reported here the same
    way (``resetlab._cli``: one escaped line, status 2 bad input / 1 failure), never as a
    traceback.
    """
    try:
        app()
    except ResetlabError as exc:
        print_error(exc)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
