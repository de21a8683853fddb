"""What every ``resetlab`` command shares: the one error printer, the store and dyad options.

Errors
------
A command catches :class:`~resetlab.exceptions.ResetlabError` and raises ``fail(exc)``:

* the message is printed on stderr as ``error: ...``, every character of it as written
  (``rich.markup.escape``: a ``[tag]`` in a file name, a CAMEO value or a JSON key is shown,
  never read as markup), and never with a traceback;
* the exit status is the error's ``exit_code``: **2** for bad input that the user can fix
  (a file that does not validate, an unknown option value, a path that cannot be used),
  **1** for a failure of the run itself (a store locked by another process, a full disk).

:func:`os_error` turns an ``OSError`` on a path the user gave (an output file in a folder
that cannot be written) into the same kind of one-line error, status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from resetlab.exceptions import InputError, ResetlabError

if TYPE_CHECKING:
    from resetlab.record.store import Store

console = Console(stderr=True)

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="DuckDB file (default: $RESETLAB_HOME/record.duckdb)."),
]

DyadOption = Annotated[
    str | None, typer.Option("--dyad", help="Two different actor codes, e.g. USA,RUS.")
]


def print_error(exc: BaseException) -> None:
    """Print ``error: <message>`` on stderr, the message escaped (shown exactly as written)."""
    console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)


def fail(exc: ResetlabError) -> typer.Exit:
    """Print a resetlab error (see :func:`print_error`) and return the exit to raise.

    The status is ``exc.exit_code``: 2 for bad input, 1 for a failure.
    """
    print_error(exc)
    return typer.Exit(code=exc.exit_code)


def os_error(exc: OSError, what: str) -> InputError:
    """An :class:`InputError` for an ``OSError`` met while doing ``what`` (e.g. ``"write
    out.csv"``): one line naming the path and the system's reason."""
    where = f" ({exc.filename})" if exc.filename else ""
    return InputError(f"cannot {what}: {exc.strerror or exc}{where}")


def say(text: str) -> None:
    """Print a status line on stderr; ``text`` is shown as written (no markup)."""
    console.print(escape(text), highlight=False, soft_wrap=True)


def open_store(path: Path | None, *, read_only: bool = False) -> Store:
    """The record store at ``path`` (default under ``RESETLAB_HOME``).

    ``read_only`` for commands that only read, so that they can run beside each other.
    """
    from resetlab.record.store import Store

    return Store.open(path, read_only=read_only)


def parse_dyad(text: str | None) -> tuple[str, str] | None:
    """``"USA,RUS"`` -> ``("USA", "RUS")``; None for None or "".

    Raises :class:`InputError` (exit 2) unless it is two different codes of the actors table
    (``actors.csv``) or of :data:`~resetlab.record.schema.ORGANISATIONS`.
    """
    from resetlab.record.schema import ORGANISATIONS, is_actor

    if text is None or not text.strip():
        return None
    parts = [p.strip().upper() for p in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise InputError(f"--dyad needs two actor codes like USA,RUS, got {text!r}")
    unknown = [p for p in parts if not is_actor(p)]
    if unknown:
        raise InputError(
            f"--dyad {text!r}: {', '.join(unknown)} is not a code of the actors table "
            f"(ISO 3166-1 alpha-3, see actors.csv) or one of {', '.join(ORGANISATIONS)}"
        )
    if parts[0] == parts[1]:
        raise InputError(f"--dyad {text!r} names the same actor twice; give two different ones")
    return parts[0], parts[1]


__all__ = [
    "DyadOption",
    "StoreOption",
    "console",
    "fail",
    "open_store",
    "os_error",
    "parse_dyad",
    "print_error",
    "say",
]
