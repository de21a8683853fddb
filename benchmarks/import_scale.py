"""Benchmark: the dyad's monthly aggregates of a GDELT-like Parquet file, against a plain
DuckDB query over the same file.

    python benchmarks/import_scale.py --rows 2000000                  # bench-quick
    python benchmarks/import_scale.py --rows 50000000 --write docs/benchmarks.md

The file (columns date as YYYYMMDD integer, actor1, actor2, cameo, goldstein; 30 years,
five countries, so about 8% of rows are U.S.-Russia) is generated on the fly by DuckDB in a
temporary folder and removed afterwards. Each path runs three times; the median is reported.
The aggregate runs with DuckDB's memory limit at its default (see
``resetlab.record.importers.parquet.MEMORY_LIMIT``); the peak resident memory of this process is
reported after each path.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from resetlab.record.importers.parquet import MEMORY_LIMIT, aggregate_events

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _doc import write_section  # noqa: E402

PLAIN = """
SELECT actor1, date // 100 AS ym, sum(goldstein), count(*) FROM read_parquet('{path}')
WHERE (actor1 = 'USA' AND actor2 = 'RUS') OR (actor1 = 'RUS' AND actor2 = 'USA')
GROUP BY ALL
"""


def generate(path: Path, rows: int) -> None:
    duckdb.sql(
        f"""COPY (SELECT
            (19900101 + (i % 30) * 10000 + ((i // 30) % 12) * 100 + (i % 28))::INTEGER AS date,
            ['USA', 'RUS', 'CHN', 'FRA', 'DEU'][1 + (hash(i) % 5)::INT] AS actor1,
            ['USA', 'RUS', 'CHN', 'FRA', 'DEU'][1 + (hash(i + 7) % 5)::INT] AS actor2,
            lpad(((hash(i + 3) % 20) + 1)::VARCHAR, 2, '0') AS cameo,
            round(((hash(i + 11) % 201)::DOUBLE - 100) / 10, 1) AS goldstein
        FROM range({rows}) t(i)) TO '{path}' (FORMAT parquet)"""
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def timed(fn: object, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--write", type=Path, help="replace the import section of this Markdown file")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gdelt_like.parquet"
        t0 = time.perf_counter()
        generate(path, a.rows)
        gen_s = time.perf_counter() - t0
        size_mb = path.stat().st_size / 1e6
        plain_s = timed(lambda: duckdb.connect().execute(PLAIN.format(path=path)).fetchall())
        plain_mb = peak_mb()
        frame, n = aggregate_events(path, "gdelt2", ("USA", "RUS"))
        agg_s = timed(lambda: aggregate_events(path, "gdelt2", ("USA", "RUS")))
        agg_mb = peak_mb()
    out = {
        "rows": n, "file_mb": round(size_mb, 1), "generate_s": round(gen_s, 2),
        "plain_duckdb_s": round(plain_s, 3), "aggregate_s": round(agg_s, 3),
        "ratio": round(agg_s / plain_s, 2), "dyad_rows": int(frame["n"].sum()),
        "month_rows": len(frame), "peak_rss_mb_after_plain": round(plain_mb, 1),
        "peak_rss_mb_after_aggregate": round(agg_mb, 1), "memory_limit": MEMORY_LIMIT,
    }  # fmt: skip
    if a.write:
        cmd = f"python benchmarks/import_scale.py --rows {a.rows} --write {a.write}"
        write_section(
            a.write,
            "import-scale",
            [
                "## Event tables at GDELT scale",
                "",
                f"`{cmd}`: a synthetic GDELT-like Parquet file of {n:,} rows ({size_mb:.0f} MB),",
                "the U.S.-Russia monthly Goldstein aggregates (median of 3).",
                "",
                "| path | seconds | peak RSS of the process (MB) |",
                "|---|---:|---:|",
                f"| plain DuckDB query | {plain_s:.3f} | {plain_mb:.0f} |",
                f"| `record import --aggregate monthly` (aggregate_events) | {agg_s:.3f} "
                f"| {agg_mb:.0f} |",
                "",
                f"Ratio {agg_s / plain_s:.2f} (target <= 2). DuckDB's memory limit for the scan:",
                f"{MEMORY_LIMIT}; the result is {len(frame)} month-direction rows.",
            ],
        )
    print(json.dumps(out), file=sys.stdout)


if __name__ == "__main__":
    main()
