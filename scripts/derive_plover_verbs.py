"""Derive the reader's PLOVER verb table from the PLOVER gold-standard coded sentences.

Reads ``PLOVER_GSR_CAMEO.txt`` (Open Event Data Alliance, PLOVER repository; see
../shared/data/plover/README.md) and writes ``src/resetlab/reader/plover_verbs.py`` (a
Python table, so that it ships with the package): for
each head verb of a coded event phrase ("expelled diplomats" -> "expelled"), the PLOVER
category it is most often coded as, how often, and the CAMEO code that stands for that
category in ``src/resetlab/data/cameo.csv`` (for the Goldstein weight). Auxiliaries and
reporting verbs ("will", "said", "announced") are skipped to reach the head verb; verbs
coded as more than one category keep the majority only when it holds at least two thirds.

Usage: python scripts/derive_plover_verbs.py [--gsr FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GSR = REPO.parent / "shared" / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"
OUT = REPO / "src" / "resetlab" / "reader" / "plover_verbs.py"

#: Words skipped before the head verb of an event phrase.
SKIP = frozenset(
    "will would may might could can shall should must to not no has have had be been is are "
    "was were said says announced confirmed plans planned decided agreed also further "
    "formally officially reportedly publicly again ... ..".split()
)
#: The CAMEO code that stands for each PLOVER category (its weight is the Goldstein score).
CATEGORY_CODE = {
    "AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070",
    "CONCEDE": "080", "RETREAT": "087", "INVESTIGATE": "090", "DEMAND": "100",
    "DISAPPROVE": "111", "ACCUSE": "112", "REJECT": "120", "THREATEN": "130",
    "PROTEST": "140", "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170",
    "ASSAULT": "180", "FIGHT": "190",
}  # fmt: skip


def head_verb(event_text: str) -> str | None:
    """The first word of an event phrase that is not an auxiliary or reporting verb."""
    for w in re.findall(r"[a-z][a-z'-]+", event_text.lower()):
        if w not in SKIP:
            return w
    return None


def derive(gsr: Path) -> list[dict[str, str]]:
    """The table rows, sorted by verb."""
    records = json.loads(gsr.read_text(encoding="utf-8"))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        cat = r.get("event")
        if cat not in CATEGORY_CODE:
            continue
        verb = head_verb(str(r.get("eventText") or ""))
        if verb:
            counts[verb][cat] += 1
    rows = []
    for verb in sorted(counts):
        cat, n = counts[verb].most_common(1)[0]
        total = sum(counts[verb].values())
        if 3 * n < 2 * total:
            continue
        rows.append({"verb": verb, "plover": cat, "count": str(n), "cameo": CATEGORY_CODE[cat]})
    return rows


def render(rows: list[dict[str, str]]) -> str:
    """The Python module holding the table."""
    lines = [
        '"""Head verbs of the PLOVER gold-standard coded event phrases (generated: do not edit).',
        "",
        "Written by scripts/derive_plover_verbs.py from PLOVER_GSR_CAMEO.txt (Open Event Data",
        "Alliance, PLOVER). Each row: verb, PLOVER category, times coded so, CAMEO code.",
        '"""',
        "",
        "ROWS: tuple[tuple[str, str, int, str], ...] = (",
    ]
    lines += [f'    ("{r["verb"]}", "{r["plover"]}", {r["count"]}, "{r["cameo"]}"),' for r in rows]
    lines.append(")")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--gsr", type=Path, default=GSR)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    rows = derive(args.gsr)
    args.out.write_text(render(rows), encoding="utf-8")
    print(f"wrote {len(rows)} verbs to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
