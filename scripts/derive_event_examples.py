"""Derive the reader's bank of labelled event sentences for nearest-example event coding.

Two sources:

- the PLOVER gold-standard coded sentences, ``PLOVER_GSR_CAMEO.txt`` (Open Event Data
  Alliance, PLOVER repository, CC BY-SA 4.0; see ../shared/data/plover/README.txt): each
  sentence with its PLOVER category, mapped to the CAMEO code that stands for the category
  (the same map as ``scripts/derive_plover_verbs.py``), and its source actors' codes;
- the development gold set ``tests/gold/reader_gold_v2.yaml``: each event quote with its
  sign from the gold file and the CAMEO code and acting side given for it below
  (:data:`V2_CODES`, assigned by hand from the quote and the sentence holding it; the
  derivation stops if a gold event has no code here or its code's Goldstein sign is not
  the gold sign).

The PLOVER type and Goldstein weight of every row come from the built-in CAMEO table
(``src/resetlab/data/cameo.csv``), as for the reader's verb patterns. The table is written
as a Python module, ``src/resetlab/reader/event_example_rows.py``, so that it ships with
the package (as ``plover_verbs.py`` does).

Usage: python scripts/derive_event_examples.py [--gsr FILE] [--gold FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GSR = REPO.parent / "shared" / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"
GOLD = REPO / "tests" / "gold" / "reader_gold_v2.yaml"
OUT = REPO / "src" / "resetlab" / "reader" / "event_example_rows.py"

sys.path.insert(0, str(Path(__file__).resolve().parent))
from derive_plover_verbs import CATEGORY_CODE  # noqa: E402

#: (file, start of the gold quote) -> (CAMEO code, acting side) for the v2 gold events.
#: Codes follow the reader's verb patterns: 040 consult (meetings, summits, calls),
#: 057 sign a formal agreement, 030 express intent to cooperate (pledges, the "reset"),
#: 036 express intent to meet, 070 provide aid, 111 criticize, 112 accuse, 120 reject
#: (treaty withdrawal), 125 reject a meeting, 163 impose sanctions, 166 expel.
V2_CODES: dict[tuple[str, str], tuple[str, str]] = {
    ("001.txt", "said farewell Thursday"): ("040", "USA+RUS"),
    ("001.txt", "the strategic arms treaty signed"): ("057", "USA+RUS"),
    ("002.txt", "opened his first summit"): ("040", "USA"),
    ("003.txt", "cemented a partnership"): ("030", "USA+RUS"),
    ("004.txt", "Yesterday the United States finally"): ("070", "USA"),
    ("005.txt", "arrived in Helsinki Thursday"): ("040", "USA+RUS"),
    ("005.txt", "a Kremlin spokesman blasted"): ("111", "RUS"),
    ("006.txt", "Clinton also said Yeltsin agreed"): ("030", "RUS"),
    ("006.txt", "Clinton said Yeltsin had made clear"): ("111", "RUS"),
    ("007.txt", "the Helsinki summit between"): ("040", "USA+RUS"),
    ("008.txt", "Russia: NATO strikes hurting"): ("111", "RUS"),
    ("009.txt", "President Bush withdrew from"): ("120", "USA"),
    ("010.txt", "informed leaders of Congress"): ("120", "USA"),
    ("011.txt", "pledging to cut Russia's stockpile"): ("030", "RUS"),
    ("011.txt", "Mr Putin criticised"): ("111", "RUS"),
    ("012.txt", "The United States will withdraw"): ("120", "USA"),
    ("013.txt", "President Bush telephoned"): ("040", "USA"),
    ("013.txt", "Mr. Bush announced earlier"): ("120", "USA"),
    ("014.txt", "have signed a treaty committing"): ("057", "USA+RUS"),
    ("015.txt", "signed a landmark treaty on Friday"): ("057", "USA+RUS"),
    ("016.txt", "In February 2007, Putin stood"): ("112", "RUS"),
    ("017.txt", "pledged to reset relations"): ("030", "USA+RUS"),
    ("018.txt", "pressed the reset button"): ("030", "USA+RUS"),
    ("018.txt", "in a speech in Munich last month"): ("030", "USA"),
    ("019.txt", "on Friday presented her Russian"): ("030", "USA"),
    ("019.txt", "attacked U.S. recognition"): ("111", "RUS"),
    ("020.txt", "as they pushed the reset button"): ("030", "USA+RUS"),
    ("021.txt", "on Thursday signed the biggest"): ("057", "USA+RUS"),
    ("022.txt", "President Obama on Wednesday called"): ("125", "USA"),
    ("024.txt", "President Barack Obama on Monday froze"): ("163", "USA"),
    ("025.txt", "slapping sanctions on 11"): ("163", "USA"),
    ("025.txt", "who talked with Putin"): ("040", "USA"),
    ("026.txt", "directly sanctioned 11"): ("163", "USA"),
    ("027.txt", "Mr. Obama came into office in 2009"): ("030", "USA"),
    ("028.txt", "Six years ago this past weekend"): ("030", "USA"),
    ("029.txt", "topped off by the Russian"): ("112", "RUS"),
    ("030.txt", "President Barack Obama Thursday ordered"): ("166", "USA"),
    ("031.txt", "has imposed sanctions"): ("163", "USA"),
    ("031.txt", "Russia's alleged interference"): ("112", "RUS"),
    ("032.txt", "On August 2, the United States"): ("120", "USA"),
    ("033.txt", "On February 1, 2019"): ("120", "USA"),
    ("034.txt", "is suspending its obligations"): ("120", "USA"),
    ("035.txt", "the two leaders' three-plus hours"): ("040", "USA+RUS"),
    ("036.txt", "Putin shortly announced"): ("030", "USA+RUS"),
    ("037.txt", "met in Geneva, Switzerland"): ("040", "USA+RUS"),
    ("038.txt", "will hold their first summit"): ("036", "USA+RUS"),
    ("039.txt", "Russia and the U.S. agreed Tuesday"): ("030", "USA+RUS"),
    ("040.txt", "met with Russian Foreign Minister"): ("040", "USA"),
    ("041.txt", "signed a landmark treaty today"): ("057", "USA+RUS"),
    ("041.txt", "overshadowed by U.S. accusations"): ("112", "USA"),
    ("042.txt", "today signed a nuclear"): ("057", "USA+RUS"),
    ("043.txt", "ended their Helsinki summit"): ("040", "USA+RUS"),
    ("043.txt", "Yeltsin repeated that"): ("111", "RUS"),
    ("044.txt", "President Clinton and Boris Yeltsin"): ("040", "USA+RUS"),
    ("045.txt", "Clinton said following a summit"): ("040", "USA+RUS"),
    ("045.txt", '"We believe that the eastward'): ("111", "RUS"),
    ("046.txt", "has cancelled a bilateral meeting"): ("125", "USA"),
    ("047.txt", "In December, the US Congress"): ("163", "USA"),
    ("049.txt", "two-and-a-half-hour meeting"): ("040", "USA+RUS"),
    ("050.txt", "the amicable official meeting"): ("040", "USA+RUS"),
}

Row = tuple[str, str, str, str, float, str, str]


def _cameo() -> dict[str, tuple[str, float]]:
    """CAMEO code -> (PLOVER type, Goldstein weight) from the built-in table."""
    sys.path.insert(0, str(REPO / "src"))
    from resetlab.record.builtin import cameo_table

    t = cameo_table()
    return {
        str(c): (str(p) if isinstance(p, str) else "", float(g))
        for c, p, g in zip(t["code"], t["plover"], t["goldstein"], strict=True)
    }


def derive_gsr(gsr: Path, cameo: dict[str, tuple[str, float]]) -> list[Row]:
    """(origin, reference, CAMEO, PLOVER, Goldstein, acting side, sentence) per coded
    sentence of the PLOVER gold standard, in file order."""
    out: list[Row] = []
    for r in json.loads(gsr.read_text(encoding="utf-8")):
        cat, text = r.get("event"), str(r.get("text") or "").strip()
        if cat not in CATEGORY_CODE or not text:
            continue
        code = CATEGORY_CODE[cat]
        plover, weight = cameo[code]
        src = r.get("source") or []
        actor = "+".join(dict.fromkeys(str(a.get("code") or "?") for a in src)) or "?"
        out.append(("plover-gsr", str(r["id"]), code, plover or cat, weight, actor, text))
    return out


def derive_v2(gold: Path, cameo: dict[str, tuple[str, float]]) -> list[Row]:
    """The same columns for every event of the development gold set, in file order."""
    import yaml

    doc = yaml.safe_load(gold.read_text(encoding="utf-8"))
    out: list[Row] = []
    problems = []
    for a in doc["articles"]:
        for j, ev in enumerate(a.get("events") or []):
            quote = str(ev["quote"])
            keys = [k for k in V2_CODES if k[0] == a["file"] and quote.startswith(k[1])]
            if len(keys) != 1:
                problems.append(f"{gold}: {a['file']} events[{j}]: {len(keys)} codes for {quote!r}")
                continue
            code, actor = V2_CODES[keys[0]]
            plover, weight = cameo[code]
            if (weight > 0) != (ev["sign"] == "+") or weight == 0:
                problems.append(f"{gold}: {a['file']} events[{j}]: code {code} has Goldstein "
                                f"{weight}, gold sign {ev['sign']}")  # fmt: skip
                continue
            out.append(("v2", str(a["file"]), code, plover, weight, actor, quote))
    if problems:
        raise SystemExit("\n".join(problems))
    return out


def derive(gsr: Path = GSR, gold: Path = GOLD) -> list[Row]:
    """Every row of the table: the PLOVER gold standard first, then the v2 gold events."""
    cameo = _cameo()
    return derive_gsr(gsr, cameo) + derive_v2(gold, cameo)


def render(rows: list[Row]) -> str:
    """The Python module holding the table."""
    lines = [
        '"""Labelled event sentences for nearest-example event coding (generated: do not edit).',
        "",
        "Written by scripts/derive_event_examples.py. Rows with origin ``plover-gsr`` are the",
        "coded sentences of the PLOVER gold standard (PLOVER_GSR_CAMEO.txt, Open Event Data",
        "Alliance, https://github.com/openeventdata/PLOVER; licensed under CC BY-SA 4.0, and",
        "so are these rows); rows with origin ``v2`` are the event quotes of the development",
        "gold set tests/gold/reader_gold_v2.yaml (reference: the article file). Each row:",
        "origin, reference, CAMEO code, PLOVER type and Goldstein weight (built-in CAMEO",
        "table), the acting side (actor codes; ``USA+RUS`` where both act), the text.",
        '"""',
        "",
        "ROWS: tuple[tuple[str, str, str, str, float, str, str], ...] = (",
    ]
    lines += [f"    {r!r}," for r in rows]
    lines.append(")  # fmt: skip")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--gsr", type=Path, default=GSR)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    rows = derive(args.gsr, args.gold)
    args.out.write_text(render(rows), encoding="utf-8")
    n_v2 = sum(1 for r in rows if r[0] == "v2")
    print(f"wrote {len(rows)} examples ({len(rows) - n_v2} PLOVER, {n_v2} v2) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
