"""The dashboard's scenario runs are tasks of the task runner, with the same numbers."""

from __future__ import annotations

import time
from typing import Any

from resetlab.tasks import Runner
from resetlab.web.jobs import JobManager, _chunk_size, _simulate, _Simulation, scenario_from_fields
from resetlab.web.settings import WebSettings

from .support import SCENARIOS


class RecordingRunner(Runner):
    """A runner that notes the identities of the tasks it is given."""

    calls: list[list[tuple[object, ...]]]

    def map(self, fn: Any, items: Any, *, identities: Any, **kw: Any) -> Any:
        self.calls.append([tuple(i) for i in identities])
        return super().map(fn, items, identities=identities, **kw)


def test_runs_are_tasks_of_the_runner(reset_2025: dict[str, Any]) -> None:
    runner = RecordingRunner(retries=0)
    runner.calls = []
    jobs = JobManager(WebSettings(scenarios_dir=SCENARIOS, workers=1, max_jobs=2), runner=runner)
    scenario = scenario_from_fields(reset_2025, None)
    try:
        job = jobs.submit(scenario, members=60, seed=3)
        deadline = time.monotonic() + 120
        while (view := jobs.get(job.id)) is not None and view["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, "the run did not finish"
            time.sleep(0.05)
    finally:
        jobs.shutdown()
    assert view is not None and view["status"] == "done", view
    assert runner.calls == [[("scenario-run", job.id)]]
    direct = _simulate(_Simulation(scenario, None, 60, 3, _chunk_size(60)))
    assert view["quantiles"] == direct["quantiles"] and view["hold"] == direct["hold"]
