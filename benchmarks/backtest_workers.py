"""Benchmark: the backtest in this process and on a local Dask cluster of 2 workers.

    python benchmarks/backtest_workers.py --quick     # tiny budget, 2 perspectives, 2 seeds
    python benchmarks/backtest_workers.py             # the quick budget, every perspective

Both runs score the same tasks with the same seeds; the script checks that the scores are
identical bit for bit and reports the wall time of each (the cluster's start-up included)
and the speed-up. The tiny budget is the one of ``tests/fit/fitkit.py``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "fit"))

from fitkit import PERSPECTIVES, TINY, base, record  # noqa: E402

from resetlab.fit.backtest import run_backtest  # noqa: E402
from resetlab.fit.perspectives import load_perspectives  # noqa: E402
from resetlab.tasks import Runner  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))
from _doc import write_section  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--write", type=Path, help="replace the scaling section of this Markdown file")
    a = ap.parse_args()
    if a.quick:
        ps = load_perspectives(PERSPECTIVES, names=("null", "valdai-2011"))
        budget: object = dataclasses.replace(TINY, seeds=(0, 1), origin_step=48)
    else:
        ps = load_perspectives(PERSPECTIVES)
        budget = "quick"
    data, scenario = record(), base()
    t0 = time.perf_counter()
    serial = run_backtest(ps, data, scenario, budget=budget, jobs=1)  # type: ignore[arg-type]
    t1 = time.perf_counter()
    with Runner(workers=2) as runner:
        clustered = run_backtest(ps, data, scenario, budget=budget, runner=runner)  # type: ignore[arg-type]
    t2 = time.perf_counter()
    key = ["model", "seed", "origin", "horizon"]
    pd.testing.assert_frame_equal(
        serial.scores.sort_values(key).reset_index(drop=True),
        clustered.scores.sort_values(key).reset_index(drop=True),
        check_exact=True,
    )
    out = {
        "budget": "tiny" if a.quick else "quick", "perspectives": len(ps),
        "workers_1_s": round(t1 - t0, 2), "workers_2_s": round(t2 - t1, 2),
        "speedup": round((t1 - t0) / (t2 - t1), 2), "identical": True,
    }  # fmt: skip
    if a.write:
        cmd = "python benchmarks/backtest_workers.py" + (" --quick" if a.quick else "")
        write_section(
            a.write,
            "backtest-workers",
            [
                "## The backtest on 1 and 2 local workers",
                "",
                f"`{cmd} --write {a.write}`: {out['budget']} budget, {len(ps)} perspectives;",
                "wall time including the LocalCluster's start-up; scores identical bit for bit.",
                "",
                "| workers | seconds |",
                "|---:|---:|",
                f"| 1 (in process) | {out['workers_1_s']} |",
                f"| 2 (LocalCluster) | {out['workers_2_s']} |",
                "",
                f"Speed-up {out['speedup']}x.",
            ],
        )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
