"""Every error resetlab raises on purpose.

Catch :class:`ResetlabError` to catch them all::

    ResetlabError
     +-- InputError           an argument, option or path given that cannot be used
     +-- RecordError          bad or conflicting facts in the record (file, line, field)
     |    +-- ImportFormatError   a file that cannot be read as the format it claims
     +-- StoreError           the embedded store is missing, locked, full or not a record store
     +-- IndexEstimationError the relations index cannot be estimated from what is there
     +-- ScenarioError        a scenario or perspective file that does not validate
     +-- ModelError           an unknown mechanism/strategy key or inconsistent model state
     |    +-- FitError            a fit, backtest or forecast that cannot be made from its data
     +-- ReaderError          an article that cannot be read
     +-- MissingExtraError    an optional dependency is not installed (says which extra)
     +-- TaskError            a task of the task runner failed on every try
     +-- ApiError             a web request answered with an HTTP status and a JSON detail
     +-- BadQuery             a web query parameter with a bad value (the API answers 422)
     +-- NotReady             the web app's index is still being estimated (503)
     +-- Busy                 the web app has too many scenario runs queued or running (429)

Errors that concern rows of a file carry a list of :class:`Problem` (``file:line: field:
message``) so that a user sees every bad row at once, not just the first.

Each class has an ``exit_code``, the status the command line exits with when it reports the
error: 2 for bad input (a file, argument or option the user can fix), 1 for a failure of
the run itself (a locked or full store, a model that cannot be estimated).
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one row of one file."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}"


class ResetlabError(Exception):
    """Base class of every error resetlab raises on purpose."""

    #: Status of the command line reporting this error: 2 bad input, 1 failure.
    exit_code: int = 1


class InputError(ResetlabError):
    """An argument, option or path given to resetlab that cannot be used (says what to fix)."""

    exit_code = 2


class _ProblemsError(ResetlabError):
    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems: list[Problem] = list(problems or [])
        if self.problems:
            shown = "\n".join(f"  {p}" for p in self.problems[:50])
            more = len(self.problems) - 50
            if more > 0:
                shown += f"\n  ... and {more} more"
            message = f"{message}\n{shown}"
        super().__init__(message)


class RecordError(_ProblemsError):
    """Bad or conflicting facts in the record; lists every bad row as file:line: field: what."""

    exit_code = 2


class ImportFormatError(RecordError):
    """A file that cannot be read as the format it claims to be."""


class StoreError(ResetlabError):
    """The embedded store is missing, locked, full or not a record store.

    ``exit_code`` is 1 (a failure: locked, full) unless given as 2 for a store path the user
    can fix (a file that is not a record store, a folder that cannot hold one).
    """

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class IndexEstimationError(ResetlabError):
    """The relations index cannot be estimated from the data available."""


class ScenarioError(_ProblemsError):
    """A scenario or perspective file that does not validate (file, line, field)."""

    exit_code = 2


class ModelError(ResetlabError):
    """Unknown mechanism or strategy key, or inconsistent model state."""


class FitError(ModelError):
    """A fit, backtest or forecast that cannot be made: too little history, an origin or
    budget outside what the record allows, a posterior or baseline that does not fit.

    A :class:`ModelError`, so code that catches model errors catches fit errors too.
    """


class ReaderError(ResetlabError):
    """An article that cannot be read."""

    exit_code = 2


class MissingExtraError(ResetlabError, ImportError):
    """An optional dependency is missing; the message says which extra installs it."""

    exit_code = 2

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"{module!r} is not installed; install it with: pip install 'resetlab[{extra}]'"
        )
        self.module = module
        self.extra = extra


class TaskError(ResetlabError):
    """A task failed on every try; says which task (its identity) and why."""


class ApiError(ResetlabError):
    """A web request answered with ``status`` and a JSON ``detail`` (and optional problems)."""

    def __init__(self, status: int, detail: str, problems: list[Problem] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.problems = list(problems or [])


class BadQuery(ResetlabError):
    """A query parameter of the web API with a bad value (the API answers 422)."""

    exit_code = 2


class NotReady(ResetlabError):
    """The web app's relations index is still being estimated (the API answers 503)."""


class Busy(ResetlabError):
    """Too many scenario runs of the web app queued or running (the API answers 429)."""


__all__ = [
    "ApiError",
    "BadQuery",
    "Busy",
    "FitError",
    "ImportFormatError",
    "IndexEstimationError",
    "InputError",
    "MissingExtraError",
    "ModelError",
    "NotReady",
    "Problem",
    "ReaderError",
    "RecordError",
    "ResetlabError",
    "ScenarioError",
    "StoreError",
    "TaskError",
]
