"""Re-derive resetlab/data/events/derived-gsdb-cow.csv from ../shared/data (sanctions and MIDs).

Sources:
  - Global Sanctions Data Base v3 (Felbermayr et al. 2020; Syropoulos et al. 2022),
    shared/data/gsdb_v3/GSDB_V3.csv: every case with the U.S. sanctioning Russia/USSR or
    Russia sanctioning the U.S., begin year 1991 or later -> one SANCTION event (CAMEO 163) at
    year precision (GSDB gives years only).
  - Gibler-Miller-Little MID 2.2.1 (Gibler, Miller & Little 2016) for disputes to 2010 and
    COW MID 5 (Palmer et al. 2021) for U.S.-Russia disputes after 2010, via the peacesciencer
    R package 1.2.9 (shared/data/peacesciencer_us_rus): one event per side that took a
    militarized action (hiact > 0) in a U.S.-Russia directed dispute, coded by its highest action.
A GSDB case listed in resetlab/data/gsdb_links.csv is the same act as the dated hand-compiled
event(s) named there and is left out, so that each sanctions package is counted once.
Usage: python scripts/derive_gsdb_cow.py [SHARED_DATA_DIR] [OUT_CSV]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from resetlab.record.builtin import write_table

EVENT_COLUMNS = (
    "id", "date", "precision", "actor", "target", "plover", "plover_mode", "plover_context",
    "cameo", "goldstein", "domain", "summary",
    "source_publication", "source_title", "source_date", "source_url", "date_checked",
    "source2_publication", "source2_title", "source2_date", "source2_url",
)  # fmt: skip

HEADER = (
    "# U.S.-Russia sanctions cases and militarized interstate disputes, 1991 onwards, as events.\n"
    "# Derived by scripts/derive_gsdb_cow.py from: Global Sanctions Data Base v3 (Felbermayr, "
    "Kirilakha, Syropoulos, Yalcin & Yotov 2020, European Economic Review 129; Syropoulos et al. "
    "2022); Gibler-Miller-Little MID 2.2.1 (Gibler, Miller & Little 2016, ISQ 60(4)); COW MID 5 "
    "(Palmer et al. 2021, CMPS 39(4)); via peacesciencer 1.2.9 (S. Miller, GPL-2).\n"
    "# Facts only (dates, parties, action levels); see docs/data.md. Dates at the precision the "
    "dataset gives.\n"
)

GSDB_PUB = "Global Sanctions Data Base v3 (Felbermayr et al. 2020; Syropoulos et al. 2022)"
GSDB_URL = "https://www.globalsanctionsdatabase.com/"
GML_PUB = "Gibler-Miller-Little MID data 2.2.1 (Gibler, Miller & Little 2016)"
GML_URL = "https://dmgibler.people.ua.edu/mid-data.html"
COW_PUB = "Correlates of War MID data 5.0 (Palmer et al. 2021)"
COW_URL = "https://correlatesofwar.org/data-sets/mids/"

CCODE = {2: "USA", 365: "RUS"}
NAMES = {"United States": "USA", "Russia": "RUS", "Soviet Union": "RUS"}

#: COW/GML highest action (hiact) -> (CAMEO code, words); levels 1-6 threats, 7-12 displays,
#: 13-17 uses of force, 18-21 war (COW MID 5 codebook).
HIACT: dict[int, tuple[str, str]] = {
    1: ("138", "threat to use force"),
    2: ("138", "threat to blockade"),
    3: ("138", "threat to occupy territory"),
    4: ("138", "threat to declare war"),
    5: ("138", "threat to use CBR weapons"),
    6: ("138", "threat to join war"),
    7: ("150", "show of force"),
    8: ("152", "alert"),
    9: ("152", "nuclear alert"),
    10: ("154", "mobilization"),
    11: ("154", "fortify border"),
    12: ("150", "border violation"),
    13: ("191", "blockade"),
    14: ("192", "occupation of territory"),
    15: ("171", "seizure"),
    16: ("190", "attack"),
    17: ("190", "clash"),
    18: ("190", "declaration of war"),
    19: ("190", "use of CBR weapons"),
    20: ("190", "begin interstate war"),
    21: ("190", "join interstate war"),
}


def cameo_rows(repo: Path) -> dict[str, dict[str, str]]:
    """The project's CAMEO table (code -> row), for Goldstein weights and PLOVER mappings."""
    with open(repo / "src/resetlab/data/cameo.csv", encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return {r["code"]: r for r in csv.DictReader(lines)}


def links(repo: Path) -> dict[str, list[str]]:
    """GSDB case id -> the hand-compiled event ids it duplicates (resetlab/data/gsdb_links.csv)."""
    with open(repo / "src/resetlab/data/gsdb_links.csv", encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    out: dict[str, list[str]] = {}
    for line, r in enumerate(csv.DictReader(lines), start=2):
        ids = [i.strip() for i in r["event_ids"].split(";") if i.strip()]
        if not r["case_id"] or not ids or not r["reason"]:
            raise ValueError(f"gsdb_links.csv:{line}: case_id, event_ids and reason are required")
        if r["case_id"] in out:
            raise ValueError(f"gsdb_links.csv:{line}: case_id {r['case_id']} listed twice")
        out[r["case_id"]] = ids
    return out


def _num(text: str) -> int:
    return int(float(text)) if text not in ("", "NA") else -9


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _event(**fields: str) -> dict[str, str]:
    row = dict.fromkeys(EVENT_COLUMNS, "")
    row.update(fields)
    return row


def sanction_cases(shared: Path) -> list[tuple[tuple[str, str], dict[str, str]]]:
    """GSDB cases between the U.S. and Russia/USSR (either direction) beginning 1991 or later."""
    out = []
    for r in _read(shared / "gsdb_v3" / "GSDB_V3.csv"):
        targets = [s.strip() for s in r["sanctioned_state"].split(",")]
        senders = [s.strip() for s in r["sanctioning_state"].split(",")]
        pair = None
        if "United States" in senders and ({"Russia", "Soviet Union"} & set(targets)):
            pair = ("USA", "RUS")
        elif "Russia" in senders and "United States" in targets:
            pair = ("RUS", "USA")
        if pair is not None and int(r["begin"]) >= 1991:
            out.append((pair, r))
    return out


def sanctions(
    shared: Path, cameo: dict[str, dict[str, str]], linked: dict[str, list[str]]
) -> list[dict[str, str]]:
    """One event per GSDB case that no dated hand-compiled event already covers."""
    out = []
    for pair, r in sanction_cases(shared):
        if r["case_id"] in linked:
            continue
        kinds = [
            k for k in ("trade", "arms", "military", "financial", "travel", "other") if r[k] == "1"
        ]
        end = "ongoing in 2022" if "ongoing" in r["success"] else f"ended {r['end']}"
        summary = (
            f"{r['sanctioning_state']} impose sanctions on {r['sanctioned_state']} "
            f"(GSDB case {r['case_id']}: {', '.join(kinds) or 'unspecified'} sanctions; "
            f"objective {r['objective'].replace(',', ', ')}; {end})"
        )
        c = cameo["163"]
        out.append(
            _event(
                id=f"{r['begin']}-gsdb-{r['case_id']}-{pair[0].lower()}-{pair[1].lower()}",
                date=r["begin"],
                precision="year",
                actor=pair[0],
                target=pair[1],
                plover=c["plover"],
                plover_mode=c["plover_mode"],
                plover_context=c["plover_context"],
                cameo="163",
                goldstein=c["goldstein"],
                domain="economic",
                summary=summary,
                source_publication=GSDB_PUB,
                source_title=f"GSDB v3 case {r['case_id']}: {r['sanctioning_state']} on "
                f"{r['sanctioned_state']}, {r['begin']}-{r['end']}",
                source_url=GSDB_URL,
                date_checked="true",
            )
        )
    return out


def _mid_event(
    dispnum: int,
    actor: str,
    target: str,
    hiact: int,
    hostlev: int,
    date: str,
    precision: str,
    pub: str,
    url: str,
    cameo: dict[str, dict[str, str]],
) -> dict[str, str]:
    code, words = HIACT[hiact]
    c = cameo[code]
    plover = c["plover"] or cameo[code[:2]]["plover"]
    return _event(
        id=f"{date}-mid-{dispnum}-{actor.lower()}-{target.lower()}",
        date=date,
        precision=precision,
        actor=actor,
        target=target,
        plover=plover,
        plover_mode=c["plover_mode"],
        plover_context=c["plover_context"],
        cameo=code,
        goldstein=c["goldstein"],
        domain="military",
        summary=(
            f"Militarized interstate dispute {dispnum}: {actor} highest action against {target} "
            f"'{words}' (hiact {hiact}, hostility level {hostlev} of 5)"
        ),
        source_publication=pub,
        source_title=f"MID {dispnum}, {actor}-{target} directed dispute",
        source_url=url,
        date_checked="true",
    )


def disputes(shared: Path, cameo: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """U.S.-Russia MIDs from 1991: GML 2.2.1 to 2010 (day dates), COW MID 5 after (month/year)."""
    ps = shared / "peacesciencer_us_rus"
    out = []
    gml = [r for r in _read(ps / "gml_dirdisp_us_rus.csv") if _num(r["year"]) >= 1991]
    parts = {
        (_num(p["dispnum"]), _num(p["ccode"])): p
        for p in _read(ps / "gml_part_us_rus_disputes.csv")
    }
    seen: set[tuple[int, int]] = set()
    gml_disps = set()
    for r in sorted(gml, key=lambda r: (_num(r["dispnum"]), _num(r["year"]))):
        d, c1, c2 = _num(r["dispnum"]), _num(r["ccode1"]), _num(r["ccode2"])
        gml_disps.add(d)
        hiact = _num(r["hiact1"])
        if hiact <= 0 or (d, c1) in seen:
            continue
        seen.add((d, c1))
        p = parts[(d, c1)]
        y, m, day = _num(p["styear"]), _num(p["stmon"]), _num(p["stday"])
        if day > 0:
            date, prec = f"{y:04d}-{m:02d}-{day:02d}", "day"
        elif m > 0:
            date, prec = f"{y:04d}-{m:02d}", "month"
        else:
            date, prec = f"{y:04d}", "year"
        out.append(
            _mid_event(d, CCODE[c1], CCODE[c2], hiact, _num(r["hostlev1"]), date, prec,
                       GML_PUB, GML_URL, cameo)
        )  # fmt: skip
    cow = [r for r in _read(ps / "cow_mid_dirdisps_us_rus.csv") if _num(r["year"]) >= 1991]
    starts = {_num(r["dispnum"]): r for r in _read(ps / "cow_mid_disps_us_rus_disputes.csv")}
    for r in sorted(cow, key=lambda r: (_num(r["dispnum"]), _num(r["year"]))):
        d, c1, c2 = _num(r["dispnum"]), _num(r["ccode1"]), _num(r["ccode2"])
        hiact = _num(r["hiact1"])
        if d in gml_disps or hiact <= 0 or (d, c1) in seen:
            continue
        seen.add((d, c1))
        year = _num(r["year"])
        s = starts[d]
        # The dispute's start month is the dyad's only when the dyad began in the start year.
        if _num(s["styear"]) == year and _num(s["stmon"]) > 0:
            date, prec = f"{year:04d}-{_num(s['stmon']):02d}", "month"
        else:
            date, prec = f"{year:04d}", "year"
        out.append(
            _mid_event(d, CCODE[c1], CCODE[c2], hiact, _num(r["hostlev1"]), date, prec,
                       COW_PUB, COW_URL, cameo)
        )  # fmt: skip
    return out


def derive(shared: Path, repo: Path) -> list[dict[str, str]]:
    """All derived event rows, sorted by date then id."""
    cameo = cameo_rows(repo)
    rows = sanctions(shared, cameo, links(repo)) + disputes(shared, cameo)
    return sorted(rows, key=lambda r: (r["date"], r["id"]))


def write(rows: list[dict[str, str]], out: Path) -> None:
    """Write the rows with the header note, in the project's event column order."""
    write_table(rows, out, HEADER, EVENT_COLUMNS)


def main() -> None:
    repo = Path(__file__).resolve().parents[1]
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else repo.parent / "shared" / "data"
    out = (
        Path(sys.argv[2])
        if len(sys.argv) > 2
        else repo / "src/resetlab/data/events/derived-gsdb-cow.csv"
    )
    rows = derive(shared, repo)
    write(rows, out)
    print(f"wrote {len(rows)} events to {out}")


if __name__ == "__main__":
    main()
