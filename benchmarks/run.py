"""Benchmark: the resetlab engine against the same model as a plain Python loop and in Mesa.

    python benchmarks/run.py --quick                          # < 1 minute, JSON on the last line
    python benchmarks/run.py --full --write docs/benchmarks.md

All three run ``scenarios/reset-2025.yaml`` (21 mechanisms minus M16, forecast mode with
shocks sampled at the record's rates) in one process pinned to one CPU core, and record the
relations score of every member and month. Before timing, the script checks that they are
the same model: with noise and sampling switched off the three give the same paths (max
absolute difference reported), and with them on the same distribution (two-sample
Kolmogorov-Smirnov tests on the relations score at several months).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from mesa_model import run_mesa  # noqa: E402
from scalar_model import ScalarSpec, run_member, run_python  # noqa: E402

from resetlab.model import ModelSpec, build_spec, load_scenario, simulate  # noqa: E402
from resetlab.model.forcing import Forcing  # noqa: E402

SCENARIO = HERE.parent / "scenarios" / "reset-2025.yaml"
CHECK_MONTHS = (0, 12, 36, 59)


def deterministic(spec: ModelSpec) -> ModelSpec:
    """``spec`` without any randomness: no noise, no sampled shocks, no random mechanisms."""
    mechs = []
    for m in spec.mechanisms:
        if m.meta.key == "m10":
            m = type(m)(dataclasses.replace(m.params, hazard=0.0))
        if m.meta.key == "m18":
            m = type(m)(dataclasses.replace(m.params, change_prob=0.0))
        mechs.append(m)
    f = spec.forcing
    forcing = Forcing(f.months, f.series, f.shocks, {}, {})
    return dataclasses.replace(
        spec, mechanisms=tuple(mechs), forcing=forcing, base_noise=0.0, base_volatility=0.0
    )


def exact_gap(spec: ModelSpec) -> dict[str, float]:
    """Largest absolute difference between the three on the deterministic model."""
    import random

    from mesa_model import RelationsModel

    det = deterministic(spec)
    vec = simulate(det, members=4, seed=0, variables=("relations", "trust"))
    ss = ScalarSpec(det)
    out = {}
    for var in ("relations", "trust"):
        py = np.array(run_member(ss, random.Random(0), var))
        out[f"python_{var}"] = float(np.max(np.abs(vec.variable(var)[:, 0] - py)))
    model = RelationsModel(ss, seed=0)
    for _ in range(ss.T):
        model.step()
    out["mesa_relations"] = float(np.max(np.abs(vec.variable("relations")[:, 0] - model.path)))
    return out


def ks_checks(vec: np.ndarray, py: np.ndarray, me: np.ndarray) -> list[dict[str, float]]:
    """KS p-values of relations at each check month, for the three pairs."""
    from scipy.stats import ks_2samp

    rows = []
    for t in CHECK_MONTHS:
        rows.append(
            {
                "month": t,
                "median_resetlab": float(np.median(vec[t])),
                "median_python": float(np.median(py[:, t])),
                "median_mesa": float(np.median(me[:, t])),
                "p_resetlab_python": float(ks_2samp(vec[t], py[:, t]).pvalue),
                "p_resetlab_mesa": float(ks_2samp(vec[t], me[:, t]).pvalue),
                "p_python_mesa": float(ks_2samp(py[:, t], me[:, t]).pvalue),
            }
        )
    return rows


def pin_one_core() -> str:
    """Pin this process to one CPU core (Linux); say which."""
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity)"


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small run, under a minute")
    size.add_argument("--full", action="store_true", help="the full benchmark")
    ap.add_argument("--write", type=Path, help="write the figures as Markdown to this file")
    ap.add_argument("--seed", type=int, default=2025)
    args = ap.parse_args(argv)
    full = bool(args.full)
    n_vec, n_py, n_mesa, reps = (1_048_576, 5000, 3000, 5) if full else (131_072, 600, 400, 3)

    pinned = pin_one_core()
    spec = build_spec(load_scenario(SCENARIO))
    months = spec.forcing.horizon

    gaps = exact_gap(spec)
    simulate(spec, members=4096, seed=0, variables=("relations",))  # warm-up
    best, best_cpu = float("inf"), float("inf")
    vec = None
    for r in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        res = simulate(spec, members=n_vec, seed=args.seed + r, variables=("relations",))
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
        vec = res.variable("relations")
    assert vec is not None
    t0, c0 = time.perf_counter(), time.process_time()
    py = np.array(run_python(spec, n_py, args.seed))
    t_py, c_py = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    me = np.array(run_mesa(spec, n_mesa, args.seed))
    t_mesa, c_mesa = time.perf_counter() - t0, time.process_time() - c0

    rates = {
        "resetlab_mm_per_s": n_vec * months / best,
        "mesa_mm_per_s": n_mesa * months / t_mesa,
        "python_mm_per_s": n_py * months / t_py,
    }
    cpu_rates = {
        "resetlab_mm_per_cpu_s": n_vec * months / best_cpu,
        "mesa_mm_per_cpu_s": n_mesa * months / c_mesa,
        "python_mm_per_cpu_s": n_py * months / c_py,
    }
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    ks = ks_checks(vec, py, me)
    import mesa

    info = {
        "machine": f"{cpu_name()}, {os.cpu_count()} logical CPUs; run {pinned}",
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "mesa": mesa.__version__,
    }
    print(f"scenario {SCENARIO.name}: {months} months; {info['machine']}")
    print(f"exact check (no randomness), max |difference|: {json.dumps(gaps)}")
    for row in ks:
        print("KS " + json.dumps({k: round(v, 4) for k, v in row.items()}))
    print(
        f"resetlab {n_vec} members best of {reps}: {best:.3f} s; python {n_py} members: "
        f"{t_py:.2f} s; mesa {n_mesa} members: {t_mesa:.2f} s"
    )
    print("per CPU second: " + json.dumps({k: round(v) for k, v in cpu_rates.items()}))
    print(f"load average (1 min) at the end: {load:.2f} on {os.cpu_count()} CPUs")
    print(
        f"ratios: resetlab/mesa {rates['resetlab_mm_per_s'] / rates['mesa_mm_per_s']:.0f}x, "
        f"resetlab/python {rates['resetlab_mm_per_s'] / rates['python_mm_per_s']:.0f}x"
    )
    if args.write:
        cmd = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
        info["load average (1 min) at the end"] = f"{load:.2f} on {os.cpu_count()} CPUs"
        write_markdown(
            args.write, cmd, info, rates, cpu_rates, gaps, ks, (n_vec, n_py, n_mesa, reps), months
        )
        print(f"wrote {args.write}")
    print(json.dumps({k: round(v, 1) for k, v in rates.items()}))
    return 0


def write_markdown(path: Path, cmd: str, info: dict[str, str], rates: dict[str, float],
                   cpu: dict[str, float], gaps: dict[str, float], ks: list[dict[str, float]],
                   sizes: tuple[int, int, int, int], months: int) -> None:  # fmt: skip
    n_vec, n_py, n_mesa, reps = sizes
    r = rates
    lines = [
        "# Benchmarks: the ensemble engine against Mesa and a plain Python loop",
        "",
        f"Written by `{cmd}` (`make bench`) on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in info.items()),
        "",
        "## The model and the three implementations",
        "",
        f"All three run `scenarios/reset-2025.yaml` ({months} months, 20 of the 21 mechanisms "
        "(M16 off), reset-initiative against tit-for-tat, shocks sampled at the record's rates) "
        "and keep the relations score of every member and month:",
        "",
        "- **resetlab**: `resetlab.model.simulate`, all members of a chunk as NumPy arrays "
        "(members x variables, float32).",
        "- **python**: `benchmarks/scalar_model.py`, one member at a time, plain floats and "
        "`random.Random`.",
        "- **mesa**: `benchmarks/mesa_model.py`, one Mesa model per member, the two sides as "
        "agents (perceive, then act), the mechanisms as the same scalar functions.",
        "",
        "## Same model, same distribution",
        "",
        "With noise, sampled shocks and the random mechanisms switched off, the three give the "
        "same path; largest absolute difference over all months (float32 against float64): "
        + ", ".join(f"{k} {v:.2e}" for k, v in gaps.items())
        + ".",
        "",
        "With randomness on, each uses its own random numbers, so only the distributions can "
        "agree. Two-sample Kolmogorov-Smirnov tests on the relations score (p-values; a small "
        f"p would mean different distributions), with {n_vec} / {n_py} / {n_mesa} members:",
        "",
        "| month | median resetlab | median python | median mesa | p resetlab-python "
        "| p resetlab-mesa | p python-mesa |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {int(row['month'])} | {row['median_resetlab']:.3f} | {row['median_python']:.3f} "
            f"| {row['median_mesa']:.3f} | {row['p_resetlab_python']:.3f} "
            f"| {row['p_resetlab_mesa']:.3f} | {row['p_python_mesa']:.3f} |"
            for row in ks
        ),
        "",
        "The same checks run in the test suite "
        "(`tests/model/test_model_benchmark_equivalence.py`).",
        "",
        "## Speed (one process, one core)",
        "",
        "| implementation | members | member-months per second | resetlab is ... times faster |",
        "|---|---:|---:|---:|",
        f"| resetlab (best of {reps}) | {n_vec} | {r['resetlab_mm_per_s']:,.0f} | 1 |",
        f"| plain Python | {n_py} | {r['python_mm_per_s']:,.0f} "
        f"| {r['resetlab_mm_per_s'] / r['python_mm_per_s']:,.0f} |",
        f"| Mesa | {n_mesa} | {r['mesa_mm_per_s']:,.0f} "
        f"| {r['resetlab_mm_per_s'] / r['mesa_mm_per_s']:,.0f} |",
        "",
        "Wall-clock time on a machine shared with other work; the same runs per second of CPU "
        "time of this process (less sensitive to other processes):",
        "",
        "| implementation | member-months per CPU second | resetlab is ... times faster |",
        "|---|---:|---:|",
        f"| resetlab | {cpu['resetlab_mm_per_cpu_s']:,.0f} | 1 |",
        f"| plain Python | {cpu['python_mm_per_cpu_s']:,.0f} "
        f"| {cpu['resetlab_mm_per_cpu_s'] / cpu['python_mm_per_cpu_s']:,.0f} |",
        f"| Mesa | {cpu['mesa_mm_per_cpu_s']:,.0f} "
        f"| {cpu['resetlab_mm_per_cpu_s'] / cpu['mesa_mm_per_cpu_s']:,.0f} |",
        "",
        "Targets: at least 10 million member-months per second on one core, and at "
        "least 100 times Mesa. resetlab keeps only the relations score here, as the other two "
        "do; keeping all 36 state variables costs more (memory traffic of the output).",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    # The sections other benchmark scripts write (between <!-- name:start/end --> markers)
    # are kept, after this script's part.
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = re.findall(r"<!-- ([\w-]+):start -->.*?<!-- \1:end -->", old, flags=re.S)
    blocks = [re.search(rf"<!-- {k}:start -->.*?<!-- {k}:end -->", old, flags=re.S) for k in kept]
    lines += [b.group(0) + "\n" for b in blocks if b]
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
