"""Benchmark: regime finding against the number of events in the same months.

    python benchmarks/regimes_scale.py                      # 2k .. 64k events, print the table
    python benchmarks/regimes_scale.py --write docs/benchmarks.md

Synthetic events over 1946-01 .. 2025-12 (960 months) around a path with four level shifts,
at 2,000 to 64,000 events (every month has events from 4,000 on). The regimes are found on the
monthly series (``resetlab.index.regimes``), so once every month has events, more events add
only the one pass that aggregates them: the table shows the time per doubling. Each size runs
``--repeat`` times (median).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from resetlab.index.regimes import find_regimes

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _doc import write_section  # noqa: E402

MONTHS = pd.period_range("1946-01", "2025-12", freq="M")


def synthetic(n_events: int, seed: np.random.SeedSequence) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    truth = np.repeat([1.0, -3.0, 2.0, -2.0, 3.0], len(MONTHS) // 5)
    # every month first (once there are enough events), the rest uniformly
    base = np.arange(len(MONTHS)) if n_events >= len(MONTHS) else np.zeros(0, dtype=int)
    extra = rng.integers(0, len(MONTHS), n_events - len(base))
    month = np.sort(np.concatenate([base, extra]))
    day = MONTHS.to_timestamp()[month] + pd.Timedelta(days=14)
    return pd.DataFrame({
        "id": [f"e{i}" for i in range(n_events)], "day": day, "precision": "day",
        "goldstein": np.clip(truth[month] + rng.normal(0, 3.0, n_events), -10, 10),
    })  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 4000, 8000, 16000, 32000, 64000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--write", type=Path, help="replace the regimes section of this Markdown file")
    args = ap.parse_args()
    index = pd.DataFrame({"month": [str(m) for m in MONTHS], "score": 0.0})
    rows = []
    for n, ss in zip(
        args.sizes, np.random.SeedSequence(args.seed).spawn(len(args.sizes)), strict=True
    ):
        ev = synthetic(n, ss)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            reg = find_regimes(index, ev)
            times.append(time.perf_counter() - t)
        months = int(pd.DatetimeIndex(ev["day"]).to_period("M").nunique())
        rows.append((n, months, statistics.median(times), len(reg.shifts)))
    lines = [
        "| events | months with events | regimes found in (s, median) | x per doubling | shifts |",
        "|---|---|---|---|---|",
    ]
    for i, (n, months, t, shifts) in enumerate(rows):
        ratio = f"{t / rows[i - 1][2]:.2f}" if i else "-"
        lines.append(f"| {n:,} | {months} | {t:.3f} | {ratio} | {shifts} |")
    cmd = f"python benchmarks/regimes_scale.py --sizes {' '.join(map(str, args.sizes))}"
    lines += ["", f"Command: `{cmd} --repeat {args.repeat}`."]
    print("\n".join(lines))
    if args.write:
        write_section(
            args.write, "regimes", ["## Regime finding against the number of events", "", *lines]
        )


if __name__ == "__main__":
    main()
