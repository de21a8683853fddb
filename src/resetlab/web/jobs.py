"""Scenario runs as background jobs: validation, a bounded queue, progress, results.

Each run is one task of a :class:`resetlab.tasks.Runner` (in this process by default, or the
Dask cluster the runner is given); a small pool of ``workers`` threads only hands the runs to
the runner without blocking the request, ``workers`` at a time.

A run records only the ``relations`` variable (Goldstein units), so memory stays at
``months x members`` floats. The ensemble is split into about 20 chunks so that progress can
be reported chunk by chunk; the chunk size is part of the result (same seed, members and chunk
size give the same numbers, see :func:`resetlab.model.engine.run_ensemble`).
"""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from resetlab.exceptions import Busy, ResetlabError, ScenarioError, TaskError
from resetlab.fit.hold import HOLD_MONTHS, hold_shares
from resetlab.model.engine import run_ensemble
from resetlab.model.output import SimulationResult
from resetlab.model.spec import Scenario, build_spec, parse_scenario
from resetlab.model.state import Array
from resetlab.record.read import Record
from resetlab.tasks import Runner
from resetlab.web.settings import WebSettings

BODY = "request body"
#: What "holds" means, as the dashboard shows it (the outlook's definition).
HOLD_DEFINITION = (
    "P(holds h months): share of members whose relations stay above the starting level "
    "(initial.relations, where the relationship stood before the reset) in every month from "
    "the first to month h; the first month at or below it is the breakdown that ends the "
    "reset. The report's outlook and resetlab outlook use the same definition."
)


def scenario_from_fields(fields: dict[str, Any], perspectives_dir: Path | None) -> Scenario:
    """Check a scenario given as the JSON of its file's fields, exactly as a file would be.

    The fields go through :func:`resetlab.model.spec.parse_scenario`; problems name the
    field (``strategies.us.key``) and the file as ``request body``.
    """
    try:
        return parse_scenario(fields, BODY, perspectives_dir=perspectives_dir)
    except ScenarioError as exc:
        raise ScenarioError("the scenario does not validate", exc.problems) from None


def hold_probabilities(
    relations: Array, start_level: float, months: tuple[int, ...] = HOLD_MONTHS
) -> dict[str, float | None]:
    """P(the reset holds h months) for each h, from ``(months, members)`` relations paths.

    The definition of :mod:`resetlab.fit.hold`, the one the outlook and the report use: the
    share of members whose relations stay above ``start_level`` (the level before the
    scenario's reset) in every month from the first (month 0) to month h. None when the run
    is shorter than h + 1 months.
    """
    return hold_shares(np.asarray(relations, dtype=np.float64), start_level, months)


@dataclasses.dataclass
class Job:
    """One scenario run; mutable state guarded by :class:`JobManager`'s lock."""

    id: str
    name: str
    members: int
    seed: int
    chunk_size: int
    created: float
    status: str = "queued"
    progress: float = 0.0
    done_members: int = 0
    error: str | None = None
    result: dict[str, Any] | None = None

    def view(self) -> dict[str, Any]:
        """The job as the API returns it."""
        out: dict[str, Any] = {
            "job_id": self.id,
            "name": self.name,
            "status": self.status,
            "progress": round(self.progress, 4),
            "members": self.members,
            "seed": self.seed,
        }
        if self.error is not None:
            out["error"] = self.error
        if self.result is not None:
            out.update(self.result)
        return out


def _number(value: Any) -> float | None:
    """A rounded float, or None for NaN and infinities (which JSON cannot carry)."""
    x = float(value)
    return round(x, 4) if np.isfinite(x) else None


def _chunk_size(members: int) -> int:
    return max(1, -(-members // 20))


def summarise(result: SimulationResult, start_level: float, chunk_size: int) -> dict[str, Any]:
    """Quantiles per month of ``relations`` and the hold probabilities, as JSON-ready data."""
    q = result.quantiles()
    q = q[q["variable"] == "relations"].drop(columns="variable")
    rel = result.variable("relations")
    return {
        "variable": "relations",
        "unit": "Goldstein units",
        "start_level": start_level,
        "chunk_size": chunk_size,
        "quantiles": [
            {k: (v if k == "month" else _number(v)) for k, v in row.items()}
            for row in q.to_dict("records")
        ],
        "hold": hold_probabilities(rel, start_level),
        "hold_definition": HOLD_DEFINITION,
    }


@dataclasses.dataclass(frozen=True)
class _Simulation:
    """One run as a task: plain data, so that a Dask worker can run it too."""

    scenario: Scenario
    record: Record | None
    members: int
    seed: int
    chunk_size: int
    #: Called with each chunk's member count; only in process (None on a cluster).
    on_chunk: Callable[[int], None] | None = None


def _simulate(task: _Simulation) -> dict[str, Any]:
    """Run a scenario's ensemble and summarise it (the task a job submits)."""
    spec = build_spec(task.scenario, record=task.record)
    paths = run_ensemble(
        spec,
        task.members,
        task.seed,
        chunk_size=task.chunk_size,
        record=("relations",),
        on_chunk=task.on_chunk,
    )
    result = SimulationResult(
        name=spec.name,
        months=spec.months,
        variables=("relations",),
        paths=paths,
        seed=task.seed,
        members=task.members,
    )
    start_level = float(task.scenario.model.initial.get("relations", 0.0))
    return summarise(result, start_level, task.chunk_size)


class JobManager:
    """Runs scenarios as tasks of a :class:`resetlab.tasks.Runner`, at most ``workers`` at a
    time, and keeps the last finished jobs."""

    def __init__(
        self,
        settings: WebSettings,
        record: Callable[[], Record] | None = None,
        runner: Runner | None = None,
    ) -> None:
        self.settings = settings
        #: Gives the record a run's forcing reads (the served store's); None: the built-in one.
        self._record = record
        # A failed run is reported on its job, not tried again.
        self._runner = Runner(retries=0) if runner is None else runner
        self._pool = ThreadPoolExecutor(
            max_workers=settings.workers, thread_name_prefix="resetlab-job"
        )
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()

    def shutdown(self) -> None:
        """Stop taking jobs; running ones finish."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def active(self) -> int:
        """Jobs queued or running."""
        with self._lock:
            return sum(j.status in ("queued", "running") for j in self._jobs.values())

    def submit(self, scenario: Scenario, members: int, seed: int) -> Job:
        """Queue a run; :class:`Busy` when ``max_jobs`` are already queued or running."""
        job = Job(
            id=uuid.uuid4().hex,
            name=scenario.name,
            members=members,
            seed=seed,
            chunk_size=_chunk_size(members),
            created=time.time(),
        )
        with self._lock:
            busy = sum(j.status in ("queued", "running") for j in self._jobs.values())
            if busy >= self.settings.max_jobs:
                raise Busy(
                    f"{busy} scenario runs are queued or running (limit {self.settings.max_jobs});"
                    " try again when one has finished"
                )
            self._jobs[job.id] = job
            self._trim()
        record = None if self._record is None else self._record()
        self._pool.submit(self._run, job, scenario, record)
        return job

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The job's view, or None if unknown (or long forgotten)."""
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else job.view()

    def _trim(self) -> None:
        done = [k for k, j in self._jobs.items() if j.status in ("done", "failed")]
        for k in done[: max(0, len(self._jobs) - self.settings.keep_jobs)]:
            del self._jobs[k]

    def _run(self, job: Job, scenario: Scenario, record: Record | None = None) -> None:
        with self._lock:
            job.status = "running"

        def advance(n: int) -> None:
            with self._lock:
                job.done_members += n
                job.progress = min(0.99, job.done_members / job.members)

        task = _Simulation(
            scenario, record, job.members, job.seed, job.chunk_size,
            on_chunk=None if self._runner.distributed else advance,
        )  # fmt: skip
        try:
            (summary,) = self._runner.map(
                _simulate, [task], identities=[("scenario-run", job.id)], label="scenario-run"
            )
        except TaskError as exc:
            cause = exc.__cause__
            error = (
                str(cause)
                if isinstance(cause, ResetlabError)
                else f"{type(cause).__name__}: {cause}"
                if cause is not None
                else str(exc)
            )
            with self._lock:
                job.status, job.error = "failed", error
            return
        except ResetlabError as exc:
            with self._lock:
                job.status, job.error = "failed", str(exc)
            return
        except Exception as exc:  # a bug in a model: report it on the job, keep serving
            with self._lock:
                job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
            return
        with self._lock:
            job.result = summary
            job.progress = 1.0
            job.status = "done"
