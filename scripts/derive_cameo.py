"""Re-derive resetlab/data/cameo.csv from ../shared/data (CAMEO->Goldstein and CAMEO->PLOVER).

Sources:
  - CAMEO code -> Goldstein weight: icews R package 1.0.3 (Andreas Beger, MIT),
    shared/data/cameo_goldstein/cameo_goldstein_mappings.csv
  - CAMEO code -> PLOVER event/mode/context: openeventdata/PLOVER CAMEO2PLOVER-2021.txt
    (Draft 0.8, P. Schrodt, CC BY-SA 4.0), shared/data/plover/CAMEO2PLOVER-2021.txt
Usage: python scripts/derive_cameo.py [SHARED_DATA_DIR] [OUT_CSV]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HEADER = (
    "# CAMEO event codes with Goldstein weights and PLOVER event/mode/context.\n"
    "# Derived by scripts/derive_cameo.py from: icews R package 1.0.3 goldstein_mappings "
    "(A. Beger, MIT; Goldstein 1992, JCR 36(2)) and PLOVER CAMEO2PLOVER-2021.txt "
    "(Draft 0.8, P. Schrodt, CC BY-SA 4.0).\n"
)


def plover_map(path: Path) -> dict[str, tuple[str, str, str]]:
    out = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not raw[:1].isdigit() or ":" not in raw:
            continue
        code, rest = raw.split(":", 1)
        rest = rest.split("#", 1)[0]
        parts = [p.strip() for p in rest.split(",")] + ["", "", ""]
        out[code.strip()] = (parts[0], parts[1], parts[2])
    return out


def derive(shared: Path) -> list[dict[str, str]]:
    plover = plover_map(shared / "plover" / "CAMEO2PLOVER-2021.txt")
    rows = []
    with open(shared / "cameo_goldstein" / "cameo_goldstein_mappings.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            code = r["code"].strip()
            # Fall back to the parent code's PLOVER mapping (e.g. 0211 -> 021 -> 02).
            mapped = ("", "", "")
            for k in (code, code[:3], code[:2]):
                if k in plover and plover[k][0]:
                    mapped = plover[k]
                    break
            rows.append(
                {
                    "code": code,
                    "name": r["name"].strip(),
                    "goldstein": f"{float(r['goldstein']):g}",
                    "plover": mapped[0],
                    "plover_mode": mapped[1],
                    "plover_context": mapped[2],
                }
            )
    return rows


def main() -> None:
    shared = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "shared" / "data"
    )
    out = (
        Path(sys.argv[2])
        if len(sys.argv) > 2
        else Path(__file__).parents[1] / "src/resetlab/data/cameo.csv"
    )
    rows = derive(shared)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to {out}")


if __name__ == "__main__":
    main()
