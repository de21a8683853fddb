"""The task runner: same results in process and on a local Dask cluster; a killed worker
loses only its task."""

from __future__ import annotations

import os
import signal
import sys
import time

import cloudpickle
import numpy as np
import pytest

from resetlab.exceptions import ResetlabError
from resetlab.tasks import Runner, TaskError, task_seed

cloudpickle.register_pickle_by_value(sys.modules[__name__])


def draw(item: tuple[int, tuple[str, int]]) -> np.ndarray:
    seed, identity = item
    rng = np.random.default_rng(task_seed(seed, identity))
    return rng.standard_normal(5)


def slow_draw(item: tuple[int, tuple[str, int]]) -> np.ndarray:
    time.sleep(0.4)
    return draw(item)


def fail_on_three(i: int) -> int:
    if i == 3:
        raise RuntimeError("three is bad")
    return i


IDS = [("origin", i) for i in range(12)]


def test_seeds_come_from_identity_not_order() -> None:
    a = np.random.default_rng(task_seed(1, ("x", 1))).random()
    b = np.random.default_rng(task_seed(1, ("x", 2))).random()
    c = np.random.default_rng(task_seed(2, ("x", 1))).random()
    assert len({a, b, c}) == 3
    assert a == np.random.default_rng(task_seed(1, ("x", 1))).random()


def test_in_process_keeps_order_and_reports_progress() -> None:
    seen: list[tuple[int, int]] = []
    out = Runner().map(
        draw, [(0, k) for k in IDS], identities=IDS, progress=lambda d, t: seen.append((d, t))
    )
    rev = Runner().map(draw, [(0, k) for k in IDS[::-1]], identities=IDS[::-1])
    for x, y in zip(out, rev[::-1], strict=True):
        np.testing.assert_array_equal(x, y)
    assert seen[-1] == (12, 12)


def test_failures_name_the_task_and_identities_are_unique() -> None:
    with pytest.raises(TaskError, match=r"\('n', 3\)"):
        Runner(retries=0).map(
            fail_on_three, list(range(5)), identities=[("n", i) for i in range(5)]
        )
    with pytest.raises(ResetlabError, match="share an identity"):
        Runner().map(draw, [1, 2], identities=[("a",), ("a",)])
    with pytest.raises(ResetlabError, match="not both"):
        Runner(workers=2, scheduler="tcp://127.0.0.1:1")


@pytest.mark.slow
def test_local_cluster_is_bit_identical_and_survives_a_killed_worker() -> None:
    items = [(7, k) for k in IDS]
    serial = Runner().map(slow_draw, items, identities=IDS)
    with Runner(workers=2) as runner:
        client = runner.client()
        client.wait_for_workers(2, timeout=60)
        pids = list(client.run(os.getpid).values())
        killed: list[int] = []

        def kill_once(done: int, total: int) -> None:
            if done == 2 and not killed:  # tasks are running on both workers now
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        out = runner.map(slow_draw, items, identities=IDS, label="kill", progress=kill_once)
    assert killed, "no worker was killed"
    for x, y in zip(serial, out, strict=True):
        np.testing.assert_array_equal(x, y)
