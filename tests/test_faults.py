"""Fault injection: an import killed with SIGKILL at a random point leaves the store exactly
as it was before the import or exactly as it is after it, never in between."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from resetlab.record.schema import EVENT_COLUMNS
from resetlab.record.store import Store

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

SRC = Path(__file__).resolve().parents[1] / "src"

_IMPORT = """
import sys
from resetlab.record.importers import read_events
from resetlab.record.store import Store
store = Store.open(sys.argv[1], build=False)
frame = read_events(sys.argv[2], "csv")
print("read", flush=True)
store.import_events(frame, file=sys.argv[2], fmt="csv")
store.close()
print("done", flush=True)
"""


def _write_events(path: Path, n: int, start: int) -> None:
    rows = []
    for i in range(start, start + n):
        row = dict.fromkeys(EVENT_COLUMNS, "")
        row.update(
            id=f"ev-{i:07d}", date=f"{2000 + i % 20}-0{1 + i % 9}-1{i % 10}", precision="day",
            actor="USA", target="RUS", plover="CONSULT", goldstein="1", domain="diplomatic",
            summary=f"Synthetic fault-test event {i} about talks", source_publication="Wire",
            source_title=f"Story {i}", date_checked="false",
        )  # fmt: skip
        rows.append(row)
    pd.DataFrame(rows, columns=list(EVENT_COLUMNS)).to_csv(path, index=False)


def _snapshot(path: Path) -> tuple[list[tuple[object, ...]], ...]:
    """Every row of the store's tables (the import time left out), in a fixed order."""
    with Store.open(path, build=False, read_only=True) as s:
        con = s.con
        events = con.execute("SELECT * EXCLUDE (origin) FROM events ORDER BY id").fetchall()
        sources = con.execute(
            "SELECT event_id, publication, title, date, url FROM sources ORDER BY ALL"
        ).fetchall()
        imports = con.execute(
            "SELECT file, format, added, merged FROM imports ORDER BY ALL"
        ).fetchall()
    return events, sources, imports


def _run(store: Path, csv: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    return subprocess.Popen(
        [sys.executable, "-c", _IMPORT, str(store), str(csv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _campaign(tmp_path: Path, kills: int, rows: int, seed: int) -> dict[str, int]:
    base = tmp_path / "base.duckdb"
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    _write_events(first, 200, 0)
    _write_events(second, rows, 100)  # 100 rows merge into the first file's events
    proc = _run(base, first)
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    before = _snapshot(base)

    reference = tmp_path / "reference.duckdb"
    shutil.copy(base, reference)
    started = time.perf_counter()
    proc = _run(reference, second)
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    took = time.perf_counter() - started
    after = _snapshot(reference)
    assert after != before

    outcome = {"before": 0, "after": 0}
    for child in np.random.SeedSequence(seed).spawn(kills):
        rng = np.random.default_rng(child)
        victim = tmp_path / "victim.duckdb"
        for leftover in tmp_path.glob("victim.duckdb*"):
            leftover.unlink()
        shutil.copy(base, victim)
        proc = _run(victim, second)
        time.sleep(float(rng.uniform(0.0, took * 1.1)))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        state = _snapshot(victim)
        assert state in (before, after), "the store is neither as before nor as after the import"
        outcome["before" if state == before else "after"] += 1
    return outcome


@pytest.mark.slow
def test_an_import_killed_at_random_points_leaves_the_store_before_or_after(
    tmp_path: Path,
) -> None:
    outcome = _campaign(tmp_path, kills=4, rows=3000, seed=15)
    assert sum(outcome.values()) == 4


@pytest.mark.slow
def test_many_kills_of_a_large_import(tmp_path: Path) -> None:
    outcome = _campaign(tmp_path, kills=28, rows=20_000, seed=1515)
    assert sum(outcome.values()) == 28
