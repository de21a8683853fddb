"""Re-derive resetlab/data/indicators/ofac_russia.csv: U.S. sanctions designations on Russia per month.

Source: a monthly panel of the U.S. Treasury OFAC Specially Designated Nationals list by
country (GitHub jeffallen13/ofac, commit 60398e31, data/ofac_panel.csv; U.S. government data,
public domain), shared/data/ofac_panel. The rows with Country == "Russia": month, designations
in force at the month's end (``levels``), ``additions`` and ``removals`` that month. 2022-04 to
2026-03 (the panel's span). A table of U.S. acts, not of the dyad's interaction: a covariate
(sanctions pressure), not one of the index's observations.
Usage: python scripts/derive_ofac.py [SHARED_DATA_DIR] [OUT_CSV]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from resetlab.record.builtin import write_table

COLUMNS = ("month", "levels", "additions", "removals")
HEADER = (
    "# U.S. OFAC Specially Designated Nationals with Russia as country, per month "
    "(designations in force at month end, additions, removals), 2022-04 to 2026-03.\n"
    "# Derived by scripts/derive_ofac.py from the monthly OFAC SDN panel by country "
    "(jeffallen13/ofac commit 60398e31, data/ofac_panel.csv; U.S. Treasury data, public domain).\n"
    "# A covariate (U.S. sanctions pressure), not an observation of the dyad. See docs/data.md.\n"
)


def derive(shared: Path) -> list[dict[str, str]]:
    """One row per month of the panel for Russia, in month order."""
    path = shared / "ofac_panel" / "ofac_panel.csv"
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line, r in enumerate(csv.DictReader(fh), start=2):
            if r["Country"] != "Russia":
                continue
            for col in ("levels", "additions", "removals"):
                if not r[col].isdigit():
                    raise SystemExit(f"{path}:{line}: {col}: {r[col]!r} is not a count")
            rows.append({"month": r["yrmon"], **{c: r[c] for c in COLUMNS[1:]}})
    rows.sort(key=lambda r: r["month"])
    if not rows:
        raise SystemExit(f"{path}: no rows with Country == 'Russia'")
    return rows


def write(rows: list[dict[str, str]], out: Path) -> None:
    """Write the rows with the header note."""
    write_table(rows, out, HEADER, COLUMNS)


def main() -> None:
    repo = Path(__file__).resolve().parents[1]
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else repo.parent / "shared" / "data"
    default = repo / "src/resetlab/data/indicators/ofac_russia.csv"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else default
    rows = derive(shared)
    write(rows, out)
    print(f"wrote {len(rows)} months ({rows[0]['month']}..{rows[-1]['month']}) to {out}")


if __name__ == "__main__":
    main()
