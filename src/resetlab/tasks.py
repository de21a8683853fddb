"""One task runner for every embarrassingly parallel part of resetlab, on dask.distributed.

A piece of work is a list of independent tasks, each with an *identity* (a tuple of strings
and numbers such as ``("backtest", "valdai-2011", "2009-01", 2)``). :meth:`Runner.map` runs
them and returns their results in the order given, whatever order they finish in.

- ``Runner()``: in this process, one task after another (no cluster, nothing to start).
- ``Runner(workers=N)``: a :class:`dask.distributed.LocalCluster` of ``N`` single-threaded
  worker processes on this machine.
- ``Runner(scheduler="tcp://HOST:PORT")`` (or ``$RESETLAB_SCHEDULER``): an existing cluster
  started with the standard ``dask scheduler`` / ``dask worker`` commands.

Seeds come from the task's identity (:func:`task_seed`), never from its position or order of
completion, so results are identical bit for bit on any number of workers and any scheduler.
A worker that dies loses only the task it was running: the scheduler runs it again elsewhere
(``retries`` further times for a task that raises).
"""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from resetlab.exceptions import ResetlabError, TaskError

T = TypeVar("T")
Identity = tuple[Hashable, ...]
#: Environment variable naming a scheduler to connect to when none is given.
SCHEDULER_ENV = "RESETLAB_SCHEDULER"


def task_seed(seed: int, identity: Identity) -> np.random.SeedSequence:
    """The seed of one task: ``SeedSequence(seed)`` spawned along a path fixed by ``identity``.

    Equivalent to ``SeedSequence(seed).spawn(...)`` with a spawn key that is a hash of the
    identity, so two tasks never share a stream and a task's stream does not depend on the
    other tasks or on when it runs.
    """
    digest = hashlib.sha256(repr(tuple(identity)).encode()).digest()
    key = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
    return np.random.SeedSequence(entropy=int(seed), spawn_key=key)


def _call(fn: Callable[..., T], item: Any) -> T:
    return fn(item)


@dataclass
class Runner:
    """Runs independent tasks in process or on a Dask cluster (see the module docstring)."""

    workers: int | None = None
    scheduler: str | None = None
    retries: int = 1
    log: Callable[[str], None] = field(default=lambda message: None, repr=False)
    _client: Any = field(default=None, init=False, repr=False)
    _cluster: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.scheduler is None and self.workers is None:
            self.scheduler = os.environ.get(SCHEDULER_ENV) or None
        if self.workers is not None and self.workers < 1:
            raise ResetlabError(f"--workers must be at least 1, got {self.workers}")
        if self.workers is not None and self.scheduler is not None:
            raise ResetlabError("give --workers (a local cluster) or --scheduler, not both")

    @property
    def distributed(self) -> bool:
        """True when tasks run on a Dask cluster rather than one by one in this process."""
        return self.workers is not None or self.scheduler is not None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Shut down the client and any local cluster this runner started."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def client(self) -> Any:
        """The ``dask.distributed.Client`` (started on first use)."""
        if self._client is None:
            from dask.distributed import Client, LocalCluster

            if self.scheduler is not None:
                try:
                    self._client = Client(self.scheduler, timeout="20s")
                except OSError as exc:
                    raise ResetlabError(
                        f"cannot reach the Dask scheduler at {self.scheduler}: {exc}"
                    ) from None
            else:
                import dask

                # The workers' statistical profiler samples every thread every 10 ms; on a few
                # local cores it costs a third of the throughput of CPU-bound tasks.
                # The cluster's own logs are silenced below CRITICAL: a task's error reaches
                # the caller through its future, and a worker's last heartbeat racing the
                # scheduler's shutdown would otherwise print a traceback after every run.
                with dask.config.set({"distributed.worker.profile.enabled": False}):
                    self._cluster = LocalCluster(
                        n_workers=self.workers, threads_per_worker=1, processes=True,
                        dashboard_address=":0", silence_logs=logging.CRITICAL,
                    )  # fmt: skip
                self._client = Client(self._cluster)
            link = getattr(self._client, "dashboard_link", None)
            if link:
                self.log(f"Dask dashboard: {link}")
        return self._client

    def map(
        self,
        fn: Callable[[Any], T],
        items: Sequence[Any],
        *,
        identities: Sequence[Identity],
        label: str = "tasks",
        progress: Callable[[int, int], None] | None = None,
    ) -> list[T]:
        """``[fn(item) for item in items]``, each item one task named by its identity.

        ``fn`` and the items must be picklable when a cluster is used (module-level
        functions and plain data). ``progress(done, total)`` is called as tasks finish.
        """
        if len(identities) != len(items):
            raise ResetlabError(f"{len(items)} items but {len(identities)} identities")
        if len(set(map(tuple, identities))) != len(identities):
            raise ResetlabError(f"{label}: two tasks share an identity")
        total = len(items)
        if not self.distributed:
            out = []
            for i, item in enumerate(items):
                out.append(self._one(fn, item, identities[i]))
                if progress is not None:
                    progress(i + 1, total)
            return out
        from dask.distributed import as_completed

        client = self.client()
        keys = [
            f"{label}-{hashlib.sha256(repr(tuple(k)).encode()).hexdigest()[:16]}"
            for k in identities
        ]
        # Each task carries its own inputs (a worker needs no shared state, so any cluster
        # runs it); dask warns of every graph over 10 MB, which a backtest task (about
        # 28 MB: its vintage's record and index) always is, so that warning is not shown.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
            futures = [
                client.submit(_call, fn, item, key=key, retries=self.retries, pure=False)
                for item, key in zip(items, keys, strict=True)
            ]
        where = {f.key: i for i, f in enumerate(futures)}
        results: list[Any] = [None] * total
        done = 0
        for fut in as_completed(futures):
            i = where[fut.key]
            if fut.status == "error":
                exc = fut.exception()
                raise TaskError(f"{label} task {tuple(identities[i])} failed: {exc}") from exc
            results[i] = fut.result()
            done += 1
            if progress is not None:
                progress(done, total)
        return results

    def _one(self, fn: Callable[[Any], T], item: Any, identity: Identity) -> T:
        last: BaseException | None = None
        for _ in range(self.retries + 1):
            try:
                return fn(item)
            except ResetlabError:
                raise
            except Exception as exc:  # a task that raises is tried again, as on a cluster
                last = exc
        raise TaskError(f"task {tuple(identity)} failed: {last}") from last


def task_context(
    jobs: int | None, runner: Runner | None, n_tasks: int | None = None
) -> AbstractContextManager[Runner]:
    """The runner to use: a distributed ``runner`` as it is, else a local cluster of ``jobs``
    workers (``None``: all cores; never more than ``n_tasks`` where given), started here and
    closed on exit, else this process."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    if n_tasks is not None:
        jobs = min(jobs, max(1, n_tasks))
    if runner is not None and runner.distributed:
        return nullcontext(runner)
    return Runner(workers=jobs) if jobs > 1 else nullcontext(runner or Runner())


def rich_progress(label: str) -> AbstractContextManager[Callable[[int, int], None]]:
    """A context giving a ``progress(done, total)`` callback drawn as a rich progress bar
    on a terminal, and nothing elsewhere."""
    import sys

    if not sys.stderr.isatty():
        return nullcontext(lambda done, total: None)
    return _bar(label)


class _bar(AbstractContextManager[Callable[[int, int], None]]):
    def __init__(self, label: str) -> None:
        from rich.progress import Progress

        self._progress = Progress(transient=True)
        self._label = label
        self._task: Any = None

    def __enter__(self) -> Callable[[int, int], None]:
        self._progress.start()

        def tick(done: int, total: int) -> None:
            if self._task is None:
                self._task = self._progress.add_task(self._label, total=total)
            self._progress.update(self._task, completed=done, total=total)

        return tick

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()


def chunks(seq: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of ``seq`` of at most ``size`` items (task batching)."""
    for i in range(0, len(seq), max(1, size)):
        yield seq[i : i + size]
