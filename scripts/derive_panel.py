"""Re-derive the panel's indicator tables (resetlab/data/panel/*.csv) for every pair in pairs.csv.

Sources (shared/data; each folder's README gives origin, commit and terms):
- UN General Assembly ideal points: Bailey, Strezhnev & Voeten (2017), J. Conflict Resolution
  61(2):430-456, "All_Jun2024" (Voeten UNGA voting Dataverse, hdl:1902.1/12379). Per pair and
  session: the absolute difference of the two ideal points (``IdealPointAll``); year = 1945 +
  session (the September the session opens).
- Militarized Interstate Events 1.0: Gibler & Miller (2024), J. Peace Research. Per pair and
  month of an incident's start: incidents in either direction and their highest hostility
  level (1-5). Incidents with an unknown start month (-9) are counted in the year table only.
  MIE ends in 2014: later months are missing, not zero.
- Militarized interstate disputes: Gibler, Miller & Little (2016) MID 2.2.1 dyad-years
  (``gml_mid_ddydisps``), via peacesciencer 1.2.9 (S. Miller, GPL-2): per pair and year, any
  dispute ongoing, any begun, the highest hostility level (either side).
- Alliances: ATOP 5 (Leeds et al. 2002) dyad-years via peacesciencer: per pair and year, the
  obligations in force (defense, offense, neutrality, non-aggression, consultation).
- Rivalries: Thompson & Dreyer (2012) and the TSS list, via peacesciencer: every spell of each pair.

Facts only (codes, dates, counts, levels). Usage:
    python scripts/derive_panel.py [SHARED_DATA_DIR] [OUT_DIR]
(defaults: ../shared/data and src/resetlab/data/panel). The pairs come from OUT_DIR/pairs.csv.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CITE = {
    "un_distance": (
        "# UN General Assembly ideal-point distance per pair and session (|a - b|, IdealPointAll).\n"
        "# Derived by scripts/derive_panel.py from Bailey, Strezhnev & Voeten (2017), J. Conflict "
        "Resolution 61(2):430-456, ideal points All_Jun2024 (Voeten UNGA voting Dataverse, "
        "hdl:1902.1/12379). year = 1945 + session.\n"
    ),
    "mie_months": (
        "# Militarized interstate events per pair and start month (either direction), with the highest hostility level (1-5).\n"
        "# Derived by scripts/derive_panel.py from MIE 1.0: Gibler & Miller (2024), J. Peace Research. Months "
        "without a row, up to 2014-12, had no incident; MIE ends in 2014.\n"
    ),
    "mid_years": (
        "# Militarized interstate disputes per pair and year: ongoing, begun, highest hostility level (either side).\n"
        "# Derived by scripts/derive_panel.py from Gibler, Miller & Little (2016) MID 2.2.1 dyad-years "
        "(gml_mid_ddydisps) via peacesciencer 1.2.9 (S. Miller, GPL-2). Years without a row, 1946-2010, had no dispute.\n"
    ),
    "atop_years": (
        "# Alliance obligations in force per pair and year (1 = in force).\n"
        "# Derived by scripts/derive_panel.py from ATOP 5 (Leeds, Ritter, Mitchell & Long 2002) dyad-years "
        "via peacesciencer 1.2.9 (S. Miller, GPL-2). Years without a row had no alliance.\n"
    ),
    "rivalries": (
        "# Strategic rivalry spells of each pair in the panel (list: td = Thompson & Dreyer 2012; tss = the TSS list).\n"
        "# Derived by scripts/derive_panel.py from peacesciencer 1.2.9 (S. Miller, GPL-2) td_rivalries and "
        "tss_rivalries. A pair with no row is in the panel for its well-known thaws, not as a listed rivalry.\n"
    ),
}
COLUMNS = {
    "un_distance": ("pair", "session", "year", "distance"),
    "mie_months": ("pair", "month", "incidents", "max_hostility"),
    "mid_years": ("pair", "year", "ongoing", "onset", "hostility"),
    "atop_years": ("pair", "year", "defense", "offense", "neutral", "nonagg", "consul"),
    "rivalries": ("pair", "list", "name", "start", "end"),
}
FIRST_YEAR = 1946


def read_pairs(out: Path) -> dict[tuple[int, int], str]:
    """``{(cow_a, cow_b): pair}`` with both orders, from ``out/pairs.csv``."""
    with open(out / "pairs.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    found: dict[tuple[int, int], str] = {}
    for r in rows:
        a, b = int(r["cow_a"]), int(r["cow_b"])
        found[(a, b)] = found[(b, a)] = r["pair"]
    return found


def _int(text: str) -> int:
    return int(float(text))


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def un_distance(shared: Path, pairs: dict[tuple[int, int], str]) -> list[dict[str, str]]:
    path = shared / "unga_idealpoints_voeten_jun2024" / "IdealpointestimatesAll_Jun2024.csv"
    ideal: dict[tuple[int, int], float] = {}
    for r in _rows(path):
        if r["IdealPointAll"] not in ("", "NA"):
            ideal[(int(r["ccode"]), int(r["session"]))] = float(r["IdealPointAll"])
    sessions = sorted({s for _, s in ideal})
    out = []
    for (a, b), pair in sorted(pairs.items(), key=lambda kv: kv[1]):
        if a > b:
            continue
        for s in sessions:
            if (a, s) in ideal and (b, s) in ideal:
                d = abs(ideal[(a, s)] - ideal[(b, s)])
                out.append({"pair": pair, "session": str(s), "year": str(1945 + s),
                            "distance": f"{d:.6f}"})  # fmt: skip
    return sorted(out, key=lambda r: (r["pair"], int(r["session"])))


def mie_months(shared: Path, pairs: dict[tuple[int, int], str]) -> list[dict[str, str]]:
    count: dict[tuple[str, str], int] = defaultdict(int)
    level: dict[tuple[str, str], int] = defaultdict(int)
    for r in _rows(shared / "mie_1.0" / "mie-1.0.csv"):
        key = (_int(r["ccode1"]), _int(r["ccode2"]))
        year, month = _int(r["styear"]), _int(r["stmon"])
        if key not in pairs or year < FIRST_YEAR or not 1 <= month <= 12:
            continue
        k = (pairs[key], f"{year:04d}-{month:02d}")
        count[k] += 1
        level[k] = max(level[k], _int(r["hostlev"]))
    return [
        {
            "pair": p,
            "month": m,
            "incidents": str(count[(p, m)]),
            "max_hostility": str(level[(p, m)]),
        }
        for p, m in sorted(count)
    ]


def mid_years(shared: Path, pairs: dict[tuple[int, int], str]) -> list[dict[str, str]]:
    seen: dict[tuple[str, int], list[int]] = {}
    for r in _rows(shared / "peacesciencer_full" / "gml_mid_ddydisps.csv"):
        key = (_int(r["ccode1"]), _int(r["ccode2"]))
        year = _int(r["year"])
        if key not in pairs or year < FIRST_YEAR:
            continue
        k = (pairs[key], year)
        old = seen.get(k, [0, 0, 0])
        seen[k] = [
            max(old[0], _int(r["gmlmidongoing"])),
            max(old[1], _int(r["gmlmidonset"])),
            max(old[2], _int(r["hostlev1"]), _int(r["hostlev2"])),
        ]
    return [
        {
            "pair": p,
            "year": str(y),
            "ongoing": str(v[0]),
            "onset": str(v[1]),
            "hostility": str(v[2]),
        }
        for (p, y), v in sorted(seen.items())
    ]


def atop_years(shared: Path, pairs: dict[tuple[int, int], str]) -> list[dict[str, str]]:
    names = ("defense", "offense", "neutral", "nonagg", "consul")
    seen: dict[tuple[str, int], list[int]] = {}
    for r in _rows(shared / "peacesciencer_full" / "atop_alliance.csv"):
        key = (_int(r["ccode1"]), _int(r["ccode2"]))
        year = _int(r["year"])
        if key not in pairs or year < FIRST_YEAR:
            continue
        k = (pairs[key], year)
        old = seen.get(k, [0] * len(names))
        seen[k] = [max(o, _int(r[f"atop_{n}"])) for o, n in zip(old, names, strict=True)]
    return [
        {"pair": p, "year": str(y), **{n: str(x) for n, x in zip(names, v, strict=True)}}
        for (p, y), v in sorted(seen.items())
        if any(v)
    ]


def rivalries(shared: Path, pairs: dict[tuple[int, int], str]) -> list[dict[str, str]]:
    out = []
    lists = (("td", "td_rivalries.csv", "rivalryname", "styear", "endyear"),
             ("tss", "tss_rivalries.csv", "rivalry", "start", "end"))  # fmt: skip
    for tag, fname, name, start, end in lists:
        for r in _rows(shared / "peacesciencer_full" / fname):
            key = (_int(r["ccode1"]), _int(r["ccode2"]))
            if key in pairs and _int(r[end]) >= FIRST_YEAR:
                out.append({"pair": pairs[key], "list": tag, "name": r[name],
                            "start": str(_int(r[start])), "end": str(_int(r[end]))})  # fmt: skip
    return sorted(out, key=lambda r: (r["pair"], r["list"], int(r["start"])))


DERIVE = {
    "un_distance": un_distance,
    "mie_months": mie_months,
    "mid_years": mid_years,
    "atop_years": atop_years,
    "rivalries": rivalries,
}


def derive(shared: Path, out: Path) -> dict[str, list[dict[str, str]]]:
    """Every panel table as rows of strings, keyed by table name."""
    pairs = read_pairs(out)
    return {name: make(shared, pairs) for name, make in DERIVE.items()}


def write(tables: dict[str, list[dict[str, str]]], out: Path) -> None:
    for name, rows in tables.items():
        with open(out / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            fh.write(CITE[name])
            w = csv.DictWriter(fh, fieldnames=list(COLUMNS[name]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)


def main(argv: list[str]) -> None:
    shared = Path(argv[1]) if len(argv) > 1 else REPO.parent / "shared" / "data"
    out = Path(argv[2]) if len(argv) > 2 else REPO / "src" / "resetlab" / "data" / "panel"
    tables = derive(shared, out)
    write(tables, out)
    for name, rows in tables.items():
        print(f"{out / name}.csv: {len(rows)} rows")


if __name__ == "__main__":
    main(sys.argv)
