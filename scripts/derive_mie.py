"""Re-derive resetlab/data/indicators/mie_incidents.csv: U.S.-Soviet/Russian militarized incidents.

Source: Militarized Interstate Events 1.0 (Gibler & Miller 2024, "The Militarized Interstate
Confrontation Dataset, 1816-2014", Journal of Peace Research), shared/data/mie_1.0/mie-1.0.csv.
Rows with the United States (COW code 2) and the Soviet Union/Russia (365, one code throughout)
as the two states, either side initiating. Each row counts once, in its start month (the
dataset gives every U.S.-Soviet/Russian incident's start month; a few lack the day). Columns:
``incidents`` (rows starting that month) and ``max_hostility`` (highest hostility level among
them, 1-5 as coded by MIE: 1 no militarized action, 2 threat, 3 display, 4 use of force,
5 war; 0 in a month without incidents). One row per month 1946-01..2014-12, the end of the data: later months are missing,
not zero.
Usage: python scripts/derive_mie.py [SHARED_DATA_DIR] [OUT_CSV]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from resetlab.record.builtin import write_table

FIRST_YEAR, LAST_YEAR = 1946, 2014
USA, RUS = "2", "365"
HEADER = (
    "# U.S.-Soviet/Russian militarized incidents per month, 1946-2014 (data end; later months "
    "are missing, not zero).\n"
    "# Derived by scripts/derive_mie.py from Militarized Interstate Events 1.0 (Gibler & Miller "
    "2024, Journal of Peace Research; mie-1.0.csv): rows with COW codes 2 and 365 either side, "
    "counted in their start month.\n"
    "# max_hostility: highest MIE hostility level that month (2 threat, 3 display, 4 use of "
    "force, 5 war; 0 = no incident). See docs/data.md.\n"
)


def derive(shared: Path) -> list[dict[str, str]]:
    """One row per month 1946-01..2014-12: month, incidents, max_hostility."""
    path = shared / "mie_1.0" / "mie-1.0.csv"
    count: dict[str, int] = {}
    top: dict[str, int] = {}
    with open(path, encoding="utf-8") as fh:
        for line, r in enumerate(csv.DictReader(fh), start=2):
            if {r["ccode1"], r["ccode2"]} != {USA, RUS}:
                continue
            year, mon = int(r["styear"]), int(r["stmon"])
            if not FIRST_YEAR <= year <= LAST_YEAR:
                continue
            if not 1 <= mon <= 12:
                raise SystemExit(f"{path}:{line}: stmon: {r['stmon']!r} is not a month 1-12")
            level = int(r["hostlev"])
            if not 1 <= level <= 5:
                raise SystemExit(f"{path}:{line}: hostlev: {r['hostlev']!r} is not a level 1-5")
            key = f"{year:04d}-{mon:02d}"
            count[key] = count.get(key, 0) + 1
            top[key] = max(top.get(key, 0), level)
    rows = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for mon in range(1, 13):
            key = f"{year:04d}-{mon:02d}"
            rows.append(
                {
                    "month": key,
                    "incidents": str(count.get(key, 0)),
                    "max_hostility": str(top.get(key, 0)),
                }
            )
    return rows


def write(rows: list[dict[str, str]], out: Path) -> None:
    """Write the rows with the header note."""
    write_table(rows, out, HEADER, ["month", "incidents", "max_hostility"])


def main() -> None:
    repo = Path(__file__).resolve().parents[1]
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else repo.parent / "shared" / "data"
    default = repo / "src/resetlab/data/indicators/mie_incidents.csv"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else default
    rows = derive(shared)
    write(rows, out)
    total = sum(int(r["incidents"]) for r in rows)
    print(f"wrote {len(rows)} months ({total} incidents) to {out}")


if __name__ == "__main__":
    main()
