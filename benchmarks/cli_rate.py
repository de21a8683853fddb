"""Benchmark: the engine's and the ``resetlab simulate`` path's marginal rates on one core.

    python benchmarks/cli_rate.py --quick          # 1,000 and 4,000 members
    python benchmarks/cli_rate.py                  # 10,000 and 50,000 members

Runs ``scenarios/replay-1992-2025.yaml`` (all 36 variables recorded, as the CLI does) at two
ensemble sizes in one process pinned to one CPU core, median of 3 each. The marginal rate is
the extra member-months over the extra seconds between the two sizes, so that the fixed cost
(reading the scenario, building the forcing) is left out. "engine" is ``simulate``; "CLI" is
``simulate`` plus the per-month quantiles and the CSV that ``resetlab simulate`` writes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from resetlab.model import build_spec, load_scenario, simulate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _doc import write_section  # noqa: E402

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "replay-1992-2025.yaml"


def timings(spec: object, n: int, csv: Path, repeat: int = 3) -> tuple[float, float]:
    """Median seconds of ``simulate`` and of writing its quantiles, each run timed in turn."""
    sim, write = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = simulate(spec, members=n, seed=0)  # type: ignore[arg-type]
        t1 = time.perf_counter()
        result.write(csv)
        t2 = time.perf_counter()
        sim.append(t1 - t0)
        write.append(t2 - t1)
    return statistics.median(sim), statistics.median(write)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--write", type=Path, help="replace the rate section of this Markdown file")
    a = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    small, large = (1000, 4000) if a.quick else (10_000, 50_000)
    spec = build_spec(load_scenario(SCENARIO))
    months = len(spec.months)
    out: dict[str, float | int] = {"months": months, "small": small, "large": large}
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "q.csv"
        for n in (small, large):
            sim, write = timings(spec, n, csv)
            out[f"engine_s_{n}"] = round(sim, 3)
            out[f"cli_s_{n}"] = round(sim + write, 3)
    extra = (large - small) * months
    for path in ("engine", "cli"):
        dt = float(out[f"{path}_s_{large}"]) - float(out[f"{path}_s_{small}"])
        out[f"{path}_marginal_member_months_per_s"] = round(extra / dt) if dt > 0 else 0
    e, c = out["engine_marginal_member_months_per_s"], out["cli_marginal_member_months_per_s"]
    out["cli_over_engine_time"] = round(float(e) / float(c), 2) if c else 0.0
    if a.write:
        cmd = "python benchmarks/cli_rate.py" + (" --quick" if a.quick else "")
        write_section(
            a.write,
            "cli-rate",
            [
                "## The CLI's marginal rate",
                "",
                f"`{cmd} --write {a.write}`: the replay scenario ({months} months, all",
                f"variables recorded), {small:,} and {large:,} members, one core, median of 3.",
                "",
                "| path | marginal member-months per second |",
                "|---|---:|",
                f"| engine (`simulate`) | {e:,} |",
                f"| CLI (`simulate` + quantiles + CSV) | {c:,} |",
                "",
                f"The CLI path takes {out['cli_over_engine_time']}x the engine's time per",
                "member-month (target: within 2x).",
            ],
        )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
