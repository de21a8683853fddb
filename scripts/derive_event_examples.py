"""Derive the reader's bank of labelled event sentences for nearest-example event coding.

Two sources:

- the PLOVER gold-standard coded sentences, ``PLOVER_GSR_CAMEO.txt`` (Open Event Data
  Alliance, PLOVER repository, CC BY-SA 4.0; see ../shared/data/plover/README.txt): each
  sentence with its PLOVER category, mapped to the CAMEO code that stands for the category
  (the same map as ``scripts/derive_plover_verbs.py``), and its source actors' codes;
- the development gold sets ``tests/gold/reader_gold_v2.yaml`` and
  ``tests/gold/reader_gold_v3.yaml``: each event quote with its sign from the gold file
  and the CAMEO code and acting side given for it below (:data:`V2_CODES`,
  :data:`V3_CODES`, assigned by hand from the quote and the sentence holding it; the
  derivation stops if a gold event has no code here or its code's Goldstein sign is not
  the gold sign). The test set (v4) is never a source.

The PLOVER type and Goldstein weight of every row come from the built-in CAMEO table
(``src/resetlab/data/cameo.csv``), as for the reader's verb patterns. The table is written
as a Python module, ``src/resetlab/reader/event_example_rows.py``, so that it ships with
the package (as ``plover_verbs.py`` does).

Usage: python scripts/derive_event_examples.py [--gsr FILE] [--gold FILE FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GSR = REPO.parent / "shared" / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"
GOLD = REPO / "tests" / "gold" / "reader_gold_v2.yaml"
GOLD_V3 = REPO / "tests" / "gold" / "reader_gold_v3.yaml"
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

#: The same for the v3 gold events; besides the codes above: 042 make a visit, 060 engage
#: in material cooperation (transit), 0841 return or release persons (prisoner and spy
#: exchanges), 160 reduce relations (a retaliatory ban), 174 is not used (expulsions of
#: diplomats are 166 as in v2). Granting asylum against the other side's request is coded
#: 120 reject.
V3_CODES: dict[tuple[str, str], tuple[str, str]] = {
    ("051.txt", "agreeing to sharp cuts"): ("057", "USA+RUS"),
    ("051.txt", "Consistent with the goal set at Malta"): ("040", "USA+RUS"),
    ("052.txt", "on Saturday proclaimed a new era"): ("030", "USA+RUS"),
    ("053.txt", "Yeltsin agreed that Russia will soon join"): ("030", "RUS"),
    ("053.txt", "Yeltsin made clear that Russia intends"): ("120", "RUS"),
    ("054.txt", "today signed agreements on arms control"): ("057", "USA+RUS"),
    ("055.txt", "Putin yesterday spurned"): ("120", "RUS"),
    ("055.txt", "agreed to create an early warning center"): ("030", "USA+RUS"),
    ("056.txt", "Powell on Wednesday ordered 50"): ("166", "USA"),
    ("057.txt", "the United States Thursday ordered four"): ("166", "USA"),
    ("058.txt", "demanded that Russia end"): ("111", "USA"),
    ("059.txt", "signing Saturday of a cease-fire plan"): ("057", "RUS"),
    ("059.txt", "Russia needs to honor that agreement"): ("111", "USA"),
    ("060.txt", "signed an agreement Monday"): ("057", "USA+RUS"),
    ("060.txt", "the United States began shipping"): ("060", "USA+RUS"),
    ("061.txt", "the United States and Russia on Friday orchestrated"): ("0841", "USA+RUS"),
    ("062.txt", "The whirlwind exchange took place"): ("0841", "USA+RUS"),
    ("063.txt", "has signed into law a bill banning"): ("160", "RUS"),
    ("063.txt", "Earlier this month the US Congress adopted"): ("163", "USA"),
    ("064.txt", "Russia granted temporary asylum"): ("120", "RUS"),
    ("065.txt", "In a 2009 visit to Moscow"): ("042", "USA"),
    ("068.txt", "the United States will have to cut its diplomatic staff"): ("166", "RUS"),
    ("069.txt", "He said war against Iraq"): ("111", "RUS"),
    ("069.txt", "In a telephone conversation with President Bush"): ("040", "RUS"),
    ("069.txt", "postponed indefinitely a vote"): ("120", "RUS"),
    ("071.txt", "traveled to Helsinki"): ("042", "USA"),
    ("071.txt", "Mueller indicted 12"): ("112", "USA"),
    ("072.txt", "agreed Tuesday to extend"): ("057", "USA+RUS"),
    ("073.txt", "Russia would halt participation"): ("120", "RUS"),
    ("073.txt", "On-site inspections were supposed"): ("120", "RUS"),
    ("073.txt", "before tabling negotiations"): ("125", "RUS"),
    ("073.txt", "Russia and the United States had signed"): ("057", "USA+RUS"),
    ("074.txt", "were released from Russian custody"): ("0841", "RUS"),
    ("075.txt", "This year, the United States withdrew"): ("120", "USA"),
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


def derive_v2(
    gold: Path,
    cameo: dict[str, tuple[str, float]],
    codes: dict[tuple[str, str], tuple[str, str]] = V2_CODES,
    origin: str = "v2",
) -> list[Row]:
    """The same columns for every event of a development gold set (``codes`` its hand
    codes, ``origin`` its name in the table), in file order."""
    import yaml

    doc = yaml.safe_load(gold.read_text(encoding="utf-8"))
    out: list[Row] = []
    problems = []
    for a in doc["articles"]:
        for j, ev in enumerate(a.get("events") or []):
            quote = str(ev["quote"])
            keys = [k for k in codes if k[0] == a["file"] and quote.startswith(k[1])]
            if len(keys) != 1:
                problems.append(f"{gold}: {a['file']} events[{j}]: {len(keys)} codes for {quote!r}")
                continue
            code, actor = codes[keys[0]]
            plover, weight = cameo[code]
            if (weight > 0) != (ev["sign"] == "+") or weight == 0:
                problems.append(f"{gold}: {a['file']} events[{j}]: code {code} has Goldstein "
                                f"{weight}, gold sign {ev['sign']}")  # fmt: skip
                continue
            out.append((origin, str(a["file"]), code, plover, weight, actor, quote))
    if problems:
        raise SystemExit("\n".join(problems))
    return out


def derive(gsr: Path = GSR, gold: Path = GOLD, gold_v3: Path = GOLD_V3) -> list[Row]:
    """Every row of the table: the PLOVER gold standard first, then the v2 and the v3 gold
    events."""
    cameo = _cameo()
    return (
        derive_gsr(gsr, cameo) + derive_v2(gold, cameo) + derive_v2(gold_v3, cameo, V3_CODES, "v3")
    )


def render(rows: list[Row]) -> str:
    """The Python module holding the table."""
    lines = [
        '"""Labelled event sentences for nearest-example event coding (generated: do not edit).',
        "",
        "Written by scripts/derive_event_examples.py. Rows with origin ``plover-gsr`` are the",
        "coded sentences of the PLOVER gold standard (PLOVER_GSR_CAMEO.txt, Open Event Data",
        "Alliance, https://github.com/openeventdata/PLOVER; licensed under CC BY-SA 4.0, and",
        "so are these rows); rows with origin ``v2`` and ``v3`` are the event quotes of the",
        "development gold sets tests/gold/reader_gold_v2.yaml and reader_gold_v3.yaml",
        "(reference: the article file). Each row:",
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
    ap.add_argument("--gold", type=Path, nargs=2, default=[GOLD, GOLD_V3])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    rows = derive(args.gsr, *args.gold)
    args.out.write_text(render(rows), encoding="utf-8")
    n_v2 = sum(1 for r in rows if r[0] == "v2")
    n_v3 = sum(1 for r in rows if r[0] == "v3")
    print(f"wrote {len(rows)} examples ({len(rows) - n_v2 - n_v3} PLOVER, {n_v2} v2, "
          f"{n_v3} v3) to {args.out}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
