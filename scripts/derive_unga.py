"""Re-derive resetlab/data/unga_agreement.csv: U.S.-Russia UN General Assembly voting agreement.

Source: Bailey, Strezhnev & Voeten (2017), "Estimating Dynamic State Preferences from United
Nations Voting Data", J. Conflict Resolution 61(2):430-456; ideal point file "All_Jun2024"
(Voeten UNGA voting Dataverse), shared/data/unga_idealpoints_voeten_jun2024. For each session
1..78 (opening 1946..2023) the row with ccode 365 (the Soviet Union to 1991, Russia after, one
Correlates of War code throughout), column USAgree: the share of that session's recorded votes
on which the two agreed. Session 19 (1964-65) held no recorded votes (the Article 19 dispute
over peacekeeping arrears) and has no row in the source; it has none here either.
Usage: python scripts/derive_unga.py [SHARED_DATA_DIR] [OUT_CSV]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from resetlab.record.builtin import write_table

FIRST_SESSION, LAST_SESSION = 1, 78
#: Sessions without recorded votes, absent from the source by design.
NO_VOTES = frozenset({19})
SOURCE = "Voeten IdealpointestimatesAll_Jun2024 (Bailey, Strezhnev & Voeten 2017)"
HEADER = (
    "# U.S.-Soviet/Russian agreement in UN General Assembly recorded votes, sessions 1-78 "
    "(1946-2023; session 19, 1964, held no recorded votes and has no row).\n"
    "# Derived by scripts/derive_unga.py from Bailey, Strezhnev & Voeten (2017), J. Conflict "
    "Resolution 61(2):430-456, ideal point estimates All_Jun2024 (Voeten UNGA voting Dataverse, "
    "hdl:1902.1/12379): row ccode==365, column USAgree.\n"
    "# session s opens in year 1945+s (session 1 in January 1946, later sessions in September); year = that opening year; "
    "ccode 365 is the Soviet Union to 1991 and Russia after. See docs/data.md.\n"
)


def derive(shared: Path) -> list[dict[str, str]]:
    """One row per session 1..78 with recorded votes: session, year, agreement (6 places), source."""
    path = shared / "unga_idealpoints_voeten_jun2024" / "IdealpointestimatesAll_Jun2024.csv"
    found: dict[int, float] = {}
    with open(path, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["ccode"] == "365" and r["USAgree"] not in ("", "NA"):
                found[int(r["session"])] = float(r["USAgree"])
    sessions = [s for s in range(FIRST_SESSION, LAST_SESSION + 1) if s not in NO_VOTES]
    missing = [s for s in sessions if s not in found]
    if missing:
        raise SystemExit(f"{path}: no ccode 365 USAgree for sessions {missing}")
    return [
        {
            "session": str(s),
            "year": str(1945 + s),
            "agreement": f"{found[s]:.6f}",
            "source": SOURCE,
        }
        for s in sessions
    ]


def write(rows: list[dict[str, str]], out: Path) -> None:
    """Write the rows with the header note."""
    write_table(rows, out, HEADER, ["session", "year", "agreement", "source"])


def main() -> None:
    repo = Path(__file__).resolve().parents[1]
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else repo.parent / "shared" / "data"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else repo / "src/resetlab/data/unga_agreement.csv"
    rows = derive(shared)
    write(rows, out)
    print(f"wrote {len(rows)} sessions to {out}")


if __name__ == "__main__":
    main()
