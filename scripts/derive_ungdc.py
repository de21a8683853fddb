"""Re-derive resetlab/data/indicators/ungdc_mentions.csv: how each side speaks of the other
in the UN General Debate, one row per year and speaker, 1946-2024.

Source: the UN General Debate Corpus (UNGDC; Jankin, Baturo & Dasandi, Journal of Peace
Research; Baturo, Dasandi & Mikhaylov 2017, Research & Politics), the U.S. and Soviet/Russian
speeches as copied in shared/data/ungdc_us_rus (files ``ISO3_session_year.txt``; the USSR's
speeches are filed as RUS; 1970 has no RUS speech). Only counts and weights are kept, never
the text.

Per speech:

- ``sentences``: sentences, as :func:`resetlab.reader.text.sentences_of` splits the text;
- ``mentions``: sentences naming the other side (:data:`OTHER`: the state, its capital, its
  government's seats and its leaders by name), ``share`` = mentions / sentences;
- ``coded``: mention sentences the reader codes as an act
  (:func:`resetlab.reader.events.code_sentence`: trigger phrases, then the PLOVER verb table),
  ``tone``: the mean Goldstein weight (-10..+10, the built-in CAMEO table) of those codes;
  empty where none is coded.

Usage: python scripts/derive_ungdc.py [SHARED_DATA_DIR] [OUT_CSV]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from resetlab.reader.events import code_sentence
from resetlab.reader.text import sentences_of
from resetlab.record.builtin import cameo_weights, write_table

COLUMNS = ("year", "session", "speaker", "sentences", "mentions", "share", "coded", "tone")

_LEADERS_RU = (
    "Stalin|Molotov|Vyshinsky|Malenkov|Bulganin|Khrushchev|Gromyko|Kosygin|Brezhnev|Andropov|"
    "Chernenko|Gorbachev|Shevardnadze|Yeltsin|Kozyrev|Primakov|Putin|Medvedev|Lavrov"
)
_LEADERS_US = (
    "Truman|Eisenhower|Kennedy|Nixon|Ford|Carter|Reagan|Bush|Clinton|Obama|Trump|Biden|"
    "Acheson|Dulles|Kissinger|Shultz|Baker|Albright|Kerry|Blinken"
)
#: Speaker -> pattern for a mention of the other side (case-sensitive: "US", not "us").
#: "America" is the United States except in the names of the continents and regions.
OTHER: dict[str, re.Pattern[str]] = {
    "USA": re.compile(
        rf"\b(?:Soviets?|U\.S\.S\.R\.?|USSR|Russian Federation|Russians?|Russia|Moscow|"
        rf"Kremlin|{_LEADERS_RU})\b"
    ),
    "RUS": re.compile(
        rf"\b(?:United States|U\.S\.A\.?|USA|US\b|U\.S\.|Washington|Pentagon|White House|"
        rf"(?<!Latin )(?<!Central )(?<!South )(?<!North )Americans?(?! continent)(?!s\b)|"
        rf"{_LEADERS_US})"
    ),
}
HEADER = (
    "# How the U.S. and the Soviet Union/Russia speak of each other in the UN General Debate, "
    "one row per year and speaker, 1946-2024 (the USSR's speeches as RUS; 1970 has no RUS speech).\n"
    "# sentences: sentences of the speech; mentions: sentences naming the other side; "
    "share = mentions/sentences; coded: mention sentences the reader codes as an act; "
    "tone: their mean Goldstein weight (-10..+10).\n"
    "# Derived by scripts/derive_ungdc.py from the UN General Debate Corpus (Jankin, Baturo & "
    "Dasandi, J. Peace Research; Baturo, Dasandi & Mikhaylov 2017, Research & Politics). "
    "See docs/data.md.\n"
)
_NAME = re.compile(r"^(USA|RUS)_(\d{2})_(\d{4})\.txt$")


def speech_row(text: str, speaker: str, weights: dict[str, float]) -> dict[str, str]:
    """The counts and tone of one speech by ``speaker`` (USA or RUS)."""
    pattern = OTHER[speaker]
    sents = [s.text for s in sentences_of(text)]
    hits = [s for s in sents if pattern.search(s)]
    tones = []
    for s in hits:
        code = code_sentence(s)
        if code is not None and code[1] in weights:
            tones.append(weights[code[1]])
    return {
        "sentences": str(len(sents)),
        "mentions": str(len(hits)),
        "share": f"{len(hits) / len(sents):.4f}" if sents else "",
        "coded": str(len(tones)),
        "tone": f"{sum(tones) / len(tones):.3f}" if tones else "",
    }


def derive(shared: Path) -> list[dict[str, str]]:
    """One row per speech file, in (year, speaker) order."""
    folder = shared / "ungdc_us_rus"
    weights = cameo_weights()
    rows = []
    for path in sorted(folder.glob("*.txt")):
        m = _NAME.match(path.name)
        if m is None:
            continue
        speaker, session, year = m.group(1), int(m.group(2)), int(m.group(3))
        if year != 1945 + session:
            raise SystemExit(f"{path}: session {session} does not open in {year}")
        text = path.read_text(encoding="utf-8")
        if not text.strip():
            raise SystemExit(f"{path}: empty speech")
        rows.append({"year": str(year), "session": str(session), "speaker": speaker,
                     **speech_row(text, speaker, weights)})  # fmt: skip
    if not rows:
        raise SystemExit(f"{folder}: no speech files named ISO3_session_year.txt")
    rows.sort(key=lambda r: (int(r["year"]), r["speaker"]))
    return rows


def write(rows: list[dict[str, str]], out: Path) -> None:
    """Write the rows with the header note."""
    write_table(rows, out, HEADER, COLUMNS)


def main() -> None:
    repo = Path(__file__).resolve().parents[1]
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else repo.parent / "shared" / "data"
    default = repo / "src/resetlab/data/indicators/ungdc_mentions.csv"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else default
    rows = derive(shared)
    write(rows, out)
    print(f"wrote {len(rows)} speeches ({rows[0]['year']}..{rows[-1]['year']}) to {out}")


if __name__ == "__main__":
    main()
