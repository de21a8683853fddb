"""The pipeline's prefetch (one task per perspective) gives what one-by-one calls give."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fitkit import PERSPECTIVES, TINY

from resetlab.fit.pipeline import Pipeline
from resetlab.record.store import Store


def _two(tmp_path: Path) -> Path:
    folder = tmp_path / "perspectives"
    folder.mkdir()
    for name in ("null", "valdai-2011"):
        shutil.copy(PERSPECTIVES / f"{name}.yaml", folder)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_prefetch_matches_the_one_by_one_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setenv("RESETLAB_HOME", str(tmp_path / "home"))
    folder = _two(tmp_path)
    with Store.open(":memory:", build=True) as s:
        one = Pipeline.create(s, TINY, perspectives_path=folder, cache=False, log=lambda m: None)
        said: list[str] = []
        pre = Pipeline.create(
            s, TINY, perspectives_path=folder, cache=False, jobs=jobs, log=said.append
        )
        pre.prefetch()
        fitting = [m for m in said if m.startswith("fitting ") and m.endswith("...")]
        assert len(fitting) == 1 and "null" in fitting[0] and "valdai-2011" in fitting[0]
        for name in ("null", "valdai-2011"):
            a, b = one.posterior(name), pre._memo[f"posterior-{name}"]
            np.testing.assert_array_equal(a.samples, b.samples)
            np.testing.assert_array_equal(a.log_prob, b.log_prob)
            assert a.diagnostics == b.diagnostics
        assert "levers-null" not in pre._memo  # the null perspective has no levers
        la, lb = one.levers("valdai-2011"), pre._memo["levers-valdai-2011"]
        pd.testing.assert_frame_equal(la.table, lb.table, check_exact=True)
        assert la.base_p == lb.base_p

        # everything is there now: a second prefetch starts no task at all
        def refuse(*args: object, **kw: object) -> None:
            raise AssertionError("prefetch ran tasks for results it already had")

        monkeypatch.setattr("resetlab.index.claims.table.task_context", refuse)
        pre.prefetch()
