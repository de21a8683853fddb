"""Score the reader against a hand-labelled gold set, and make spun copies to test on.

Events match when the dyad agrees and the dates agree to the month (to the year when either
side gives only a year); claims match on (article, mechanism, asserts); stance on the label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import yaml

from resetlab.exceptions import Problem, RecordError
from resetlab.reader.pipeline import ReaderOptions, read_texts

#: The synonym-swap generator's own table (original -> replacement). It is written
#: separately from the detector's list and includes swaps the detector does not know.
SWAPS: dict[str, str] = {
    "cold": "chilly", "war": "warfare", "foreign": "overseas", "policy": "coverage",
    "friends": "mates", "security": "safety", "national": "nationwide", "office": "workplace",
    "experience": "expertise", "center": "middle", "red": "pink", "power": "energy",
    "partner": "accomplice", "toxic": "poisonous", "impossible": "inconceivable",
    "budget": "funds", "strategy": "technique", "difficult": "troublesome",
    "pressure": "stress", "government": "authorities", "important": "vital",
    "country": "nation", "countries": "nations", "attempt": "try", "agreement": "settlement",
    "threat": "menace", "issues": "points", "support": "assist", "improve": "enhance",
    "believe": "consider", "major": "main", "relationship": "rapport", "begin": "start",
    "leaders": "chiefs", "reasons": "causes", "example": "instance", "large": "giant",
    "result": "consequence", "problem": "drawback", "help": "assist", "dangerous": "harmful",
    "interests": "pursuits", "military": "navy", "new": "recent", "soft": "gentle",
    "hard": "exhausting", "global": "worldwide", "deal": "cope",
}  # fmt: skip


def unknown_swaps() -> dict[str, str]:
    """The part of :data:`SWAPS` whose replacement words the spin detector does not know."""
    from resetlab.reader.spin import SPUN_WORDS

    return {k: v for k, v in SWAPS.items() if v not in SPUN_WORDS}


def synonym_swap(
    text: str,
    rate: float = 0.8,
    seed: int | np.random.SeedSequence = 0,
    swaps: dict[str, str] | None = None,
) -> str:
    """A spun copy of ``text``: each word in ``swaps`` (default :data:`SWAPS`) replaced with
    probability ``rate``, keeping capitalisation."""
    table = SWAPS if swaps is None else swaps
    rng = np.random.default_rng(seed)

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        new = table.get(word.lower())
        if new is None or rng.random() >= rate:
            return word
        if word.isupper():
            return new.upper()
        return new[:1].upper() + new[1:] if word[:1].isupper() else new

    return re.sub(r"[A-Za-z]+", swap, text)


@dataclass(frozen=True)
class PRF:
    """Counts and precision/recall/F1."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path) -> list[dict[str, Any]]:
    """The gold articles from a YAML file; raise RecordError naming file and field if bad."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RecordError(f"{path}: not valid YAML: {exc}") from exc
    arts = doc.get("articles") if isinstance(doc, dict) else None
    if not isinstance(arts, list):
        raise RecordError("bad gold file", [Problem(str(path), None, "articles", "missing list")])
    problems = []
    for i, a in enumerate(arts):
        for field in ("file", "stance", "events", "claims"):
            if field not in a:
                problems.append(Problem(str(path), None, f"articles[{i}].{field}", "missing"))
    if problems:
        raise RecordError("bad gold file", problems)
    return arts


def same_period(a_date: str, a_prec: str, b_date: str, b_prec: str) -> bool:
    """Dates agree to the month, or to the year when either has only year precision."""
    n = 4 if "year" in (a_prec, b_prec) else 7
    return a_date[:n] == b_date[:n]


def score_events(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> tuple[PRF, int]:
    """Greedy one-to-one event matching; returns counts and how many matches share PLOVER."""
    used: set[int] = set()
    tp = plover_ok = 0
    for g in gold:
        for i, p in enumerate(pred):
            if i in used or {p["actor"], p["target"]} != {g["actor"], g["target"]}:
                continue
            if same_period(p["date"], p["precision"], str(g["date"]), g["precision"]):
                used.add(i)
                tp += 1
                plover_ok += p["plover"] == g["plover"]
                break
    return PRF(tp, len(pred) - tp, len(gold) - tp), plover_ok


def score_claims(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> PRF:
    """Claims as sets of (mechanism, asserts) pairs for one article."""
    p = {(c["mechanism"], bool(c["asserts"])) for c in pred}
    g = {(c["mechanism"], bool(c["asserts"])) for c in gold}
    return PRF(len(p & g), len(p - g), len(g - p))


def _add(a: PRF, b: PRF) -> PRF:
    return PRF(a.tp + b.tp, a.fp + b.fp, a.fn + b.fn)


def evaluate(
    gold_path: Path,
    seeds_dir: Path,
    embeddings: str = "off",
    copies: int = 3,
    seed: int = 0,
    swaps: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Every figure of the evaluation, for one embedding mode."""
    gold = load_gold(gold_path)
    texts = [(g["file"], (seeds_dir / g["file"]).read_text(encoding="utf-8")) for g in gold]
    opts = ReaderOptions(embeddings=embeddings, seed=seed)  # type: ignore[arg-type]
    empty = pd.DataFrame()
    with duckdb.connect(":memory:") as con0:
        result = read_texts(texts, con0, empty, opts)["articles"]
    ev, cl = PRF(0, 0, 0), PRF(0, 0, 0)
    plover_ok = 0
    per_article = []
    labels = ("pro", "anti", "mixed")
    stance_pairs = []
    for g, r in zip(gold, result, strict=True):
        e, ok = score_events(r["events"], g["events"])
        c = score_claims(r["claims"], g["claims"])
        ev, cl, plover_ok = _add(ev, e), _add(cl, c), plover_ok + ok
        stance_pairs.append((g["stance"], r["stance"]))
        per_article.append(
            {"file": g["file"], "events": e, "claims": c, "stance": (g["stance"], r["stance"]),
             "spun": r["spun"]}
        )  # fmt: skip
    stance_prf = {
        lab: PRF(
            sum(1 for g, p in stance_pairs if g == lab and p == lab),
            sum(1 for g, p in stance_pairs if g != lab and p == lab),
            sum(1 for g, p in stance_pairs if g == lab and p != lab),
        )
        for lab in labels
    }
    # Spun copies: originals first, then copies; a copy must be flagged and linked.
    # Spin and duplicate detection do not use embeddings, so this part runs without them.
    rules = ReaderOptions(embeddings="off", seed=seed)
    originals = [(n, t) for (n, t), g in zip(texts, gold, strict=True) if not g.get("spun")]
    with duckdb.connect(":memory:") as con:
        orig_out = read_texts(originals, con, empty, rules)["articles"]
    false_dup = sum(1 for a in orig_out if a["duplicate_of"])
    copy_seeds = np.random.SeedSequence(seed).spawn(copies)
    spun_items = [
        (f"spun{k}-{n}", synonym_swap(t, seed=copy_seeds[k], swaps=swaps))
        for k in range(copies)
        for n, t in originals
    ]
    copy_out = []
    for name, text in spun_items:
        # each copy against the originals only, so copies do not match each other
        with duckdb.connect(":memory:") as c2:
            read_texts(originals, c2, empty, rules)
            copy_out.extend(read_texts([(name, text)], c2, empty, rules)["articles"])
    # The copies read as articles: how much of each original's gold survives the spinning.
    by_file = {g["file"]: g for g in gold}
    ev_c, cl_c = PRF(0, 0, 0), PRF(0, 0, 0)
    stance_c = 0
    for a in copy_out:
        g = by_file[a["file"].split("-", 1)[1]]
        ev_c = _add(ev_c, score_events(a["events"], g["events"])[0])
        cl_c = _add(cl_c, score_claims(a["claims"], g["claims"]))
        stance_c += a["stance"] == g["stance"]
    flagged = sum(1 for a in copy_out if a["spun"])
    linked = sum(
        1 for a in copy_out if a["duplicate_of"] and a["file"].split("-", 1)[1] == a["duplicate_of"]
    )
    sims = [a["duplicate_similarity"] or 0.0 for a in copy_out]
    n_neg = len(originals)
    false_spun = sum(1 for a in orig_out if a["spun"])
    spun_gold = [r for g, r in zip(gold, result, strict=True) if g.get("spun")]
    return {
        "embeddings": result[0]["embeddings"] if result else None,
        "events": ev,
        "events_plover_agree": plover_ok,
        "claims": cl,
        "stance": stance_prf,
        "stance_accuracy": sum(g == p for g, p in stance_pairs) / len(stance_pairs),
        "per_article": per_article,
        "spun_copies": len(copy_out),
        "spun_flagged": flagged,
        "spun_seed_flagged": sum(1 for r in spun_gold if r["spun"]),
        "spun_seed_total": len(spun_gold),
        "false_spun": false_spun,
        "originals": n_neg,
        "dup_linked": linked,
        "dup_false": false_dup,
        "dup_similarity_min": min(sims) if sims else None,
        "copies_events": ev_c,
        "copies_claims": cl_c,
        "copies_stance_accuracy": stance_c / len(copy_out) if copy_out else 0.0,
        "result": result,
    }
