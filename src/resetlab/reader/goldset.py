"""Score the reader on the v2 gold set (real articles it was not built on), with intervals.

Events are compared per article as sets of (month, sign) pairs (the year where the gold
gives only a year); stance over four classes; claims as sentences: a gold claim is found
when some claim the reader reports sits in the sentence holding the gold quote. Proportions
get a Wilson interval; scores pooled over articles get a percentile bootstrap over
articles, with the resampling seeded through :class:`numpy.random.SeedSequence`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import yaml

from resetlab.exceptions import Problem, RecordError

STANCES = ("pro", "anti", "mixed", "neutral")

#: Common word -> rarer synonym, the way article spinners rewrite text. Written for the
#: spin tests; the reader's own spin detection knows nothing of it.
SYNONYMS: dict[str, str] = {
    "foreign": "overseas", "policy": "coverage", "relations": "ties", "said": "acknowledged",
    "talks": "parleys", "meeting": "assembly", "leaders": "chieftains", "country": "nation",
    "countries": "nations", "new": "novel", "first": "initial", "war": "warfare",
    "agreed": "concurred", "officials": "functionaries", "president": "premier",
    "government": "authorities", "security": "safety", "support": "backing",
    "important": "momentous", "major": "paramount", "help": "assist", "nuclear": "atomic",
    "treaty": "covenant", "week": "sennight", "year": "twelvemonth", "told": "apprised",
    "began": "commenced", "end": "terminus", "people": "populace", "world": "globe",
    "state": "polity", "power": "puissance", "decision": "determination", "news": "tidings",
    "statement": "pronouncement", "plan": "scheme", "plans": "schemes", "still": "nonetheless",
    "also": "likewise", "but": "nevertheless", "more": "additional", "made": "fashioned",
    "called": "termed", "military": "martial", "against": "versus", "between": "amid",
    "cooperation": "collaboration", "relationship": "rapport", "issues": "matters",
}  # fmt: skip


def spin(text: str, seed: int, rate: float = 0.7) -> str:
    """A spun copy of ``text`` for testing spin detection: each word of :data:`SYNONYMS`
    swapped with probability ``rate`` (seeded), the header lines kept as they are."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        new = SYNONYMS.get(word.lower())
        if new is None or rng.random() >= rate:
            return word
        return new[:1].upper() + new[1:] if word[:1].isupper() else new

    head, _, body = text.partition("\n\n")  # keep the Title:/Address: lines as they are
    return head + "\n\n" + re.sub(r"[A-Za-z]+", swap, body)


def _line_of(text: str, needle: str) -> int | None:
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return i
    return None


def load_gold_v2(path: Path) -> dict[str, Any]:
    """The v2 gold document; raise RecordError naming file, line and field when it is bad."""
    text = path.read_text(encoding="utf-8")
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RecordError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("articles"), list):
        raise RecordError("bad gold file", [Problem(str(path), None, "articles", "missing list")])
    split = doc.get("split")
    problems = []
    if not isinstance(split, dict) or not {"development", "test"} <= set(split):
        problems.append(Problem(str(path), None, "split", "needs development and test lists"))
    for i, a in enumerate(doc["articles"]):
        name = a.get("file") if isinstance(a, dict) else None
        line = _line_of(text, f'file: "{name}"') if name else None
        if not isinstance(a, dict):
            problems.append(Problem(str(path), None, f"articles[{i}]", "not a mapping"))
            continue
        for field in ("file", "published", "stance", "events", "claims"):
            if field not in a:
                problems.append(Problem(str(path), line, f"articles[{i}].{field}", "missing"))
        if a.get("stance") not in STANCES:
            problems.append(
                Problem(str(path), line, f"articles[{i}].stance", f"not one of {STANCES}")
            )
        for j, ev in enumerate(a.get("events") or []):
            if ev.get("sign") not in ("+", "-"):
                problems.append(
                    Problem(str(path), line, f"articles[{i}].events[{j}].sign", "not + or -")
                )
    if problems:
        raise RecordError("bad gold file", problems)
    return doc


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of k successes in n trials (0..1 when n is 0)."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, mid - half), min(1.0, mid + half)


def bootstrap_ratio(
    num: np.ndarray, den: np.ndarray, seed: int = 0, reps: int = 2000
) -> tuple[float, float]:
    """A 95% percentile interval of sum(num)/sum(den), resampling articles."""
    n = len(num)
    if n == 0 or den.sum() == 0:
        return 0.0, 1.0
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    idx = rng.integers(0, n, size=(reps, n))
    d = den[idx].sum(axis=1)
    r = np.where(d > 0, num[idx].sum(axis=1) / np.maximum(d, 1), np.nan)
    lo, hi = np.nanpercentile(r, [2.5, 97.5])
    return float(lo), float(hi)


def _month(value: str, precision: str | None = None) -> str:
    return value[:4] if precision == "year" or len(value) == 4 else value[:7]


def event_pairs_pred(events: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(month, sign) pairs of the reader's events; year-precision events keep the year."""
    out = set()
    for e in events:
        if e.get("status") == "duplicate":
            continue
        sign = "+" if float(e["goldstein"]) > 0 else "-" if float(e["goldstein"]) < 0 else ""
        if sign:
            out.add((_month(str(e["date"]), e.get("precision")), sign))
    return out


def event_pairs_gold(events: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(month, sign) pairs of the gold events."""
    return {(str(e["month"]), str(e["sign"])) for e in events}


def match_pairs(pred: set[tuple[str, str]], gold: set[tuple[str, str]]) -> int:
    """How many gold pairs a prediction matches (a year-only pair matches its year)."""
    hits = 0
    for gm, gs in gold:
        if any(ps == gs and (pm == gm or pm[:4] == gm or gm[:4] == pm) for pm, ps in pred):
            hits += 1
    return hits


def precise_hits(pred: set[tuple[str, str]], gold: set[tuple[str, str]]) -> int:
    """How many predicted pairs match some gold pair."""
    return sum(
        1
        for pm, ps in pred
        if any(ps == gs and (pm == gm or pm[:4] == gm or gm[:4] == pm) for gm, gs in gold)
    )


@dataclass(frozen=True)
class ArticleScore:
    """The counts of one article."""

    file: str
    gold_events: int
    found_events: int
    pred_events: int
    correct_events: int
    after_publication: int
    stance: tuple[str, str]
    gold_claims: int
    found_claims: int
    pred_claims: int
    published: tuple[str, str | None]


def _sentence_with(quote: str, sentences: list[str]) -> str | None:
    for s in sentences:
        if quote in s or s in quote:
            return s
    return None


def score_article(gold: dict[str, Any], result: dict[str, Any]) -> ArticleScore:
    """Compare one read article with its gold labels."""
    gp, pp = event_pairs_gold(gold["events"]), event_pairs_pred(result["events"])
    pub = result.get("published")
    after = 0
    if pub:
        for e in result["events"]:
            d = str(e["date"])
            if d[: len(pub)] > pub[: len(d)]:
                after += 1
    claim_sents = [c["sentence"] for c in result["claims"]]
    found = sum(1 for c in gold["claims"] if _sentence_with(c["quote"], claim_sents))
    gold_sents = {c["quote"] for c in gold["claims"]}
    pred_claim_sents = set(claim_sents)
    return ArticleScore(
        file=gold["file"],
        gold_events=len(gp),
        found_events=match_pairs(pp, gp),
        pred_events=len(pp),
        correct_events=precise_hits(pp, gp),
        after_publication=after,
        stance=(gold["stance"], result["stance"]),
        gold_claims=len(gold_sents),
        found_claims=found,
        pred_claims=len(pred_claim_sents),
        published=(str(gold["published"]), pub),
    )


def _half_names(doc: dict[str, Any], half: str) -> list[str]:
    """The file names of one half; ``all`` is both halves together."""
    if half == "all":
        return [*doc["split"]["development"], *doc["split"]["test"]]
    return list(doc["split"][half])


def read_half(
    gold_path: Path, half: str, embeddings: str = "off", seed: int = 0, event_examples: bool = True
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Read the articles of one half (``development`` or ``test``); return gold and results.
    ``event_examples=False`` turns nearest-example event coding off."""
    from resetlab.reader.pipeline import ReaderOptions, _default_record, read_texts

    doc = load_gold_v2(gold_path)
    names = set(_half_names(doc, half))
    record = _default_record()
    gold = [a for a in doc["articles"] if a["file"] in names]
    base = gold_path.parent / "articles"
    texts = [(g["file"], (base / g["file"]).read_text(encoding="utf-8")) for g in gold]
    threshold = ReaderOptions.event_example_threshold if event_examples else None
    opts = ReaderOptions(
        embeddings=embeddings,  # type: ignore[arg-type]
        seed=seed,
        event_example_threshold=threshold,
    )
    results = []
    for name, text in texts:  # each on its own: the halves are not copies of each other
        with duckdb.connect(":memory:") as con:
            results.extend(read_texts([(name, text)], con, record, opts)["articles"])
    return gold, results


def summarise(scores: list[ArticleScore], seed: int = 0) -> dict[str, Any]:
    """Every figure with its interval."""
    seeds = np.random.SeedSequence(seed).spawn(3)
    s_ev_r, s_ev_p, s_cl = (int(s.generate_state(1)[0]) for s in seeds)
    ge = np.array([s.gold_events for s in scores])
    fe = np.array([s.found_events for s in scores])
    pe = np.array([s.pred_events for s in scores])
    ce = np.array([s.correct_events for s in scores])
    gc = np.array([s.gold_claims for s in scores])
    fc = np.array([s.found_claims for s in scores])
    pc = np.array([s.pred_claims for s in scores])
    n = len(scores)
    right = sum(1 for s in scores if s.stance[0] == s.stance[1])
    pub_right = sum(
        1 for s in scores if s.published[1] and s.published[0][:7] == s.published[1][:7]
    )
    after = sum(s.after_publication for s in scores)

    def ratio(a: np.ndarray, b: np.ndarray) -> float:
        return float(a.sum() / b.sum()) if b.sum() else 0.0

    return {
        "articles": n,
        "event_recall": (ratio(fe, ge), bootstrap_ratio(fe, ge, s_ev_r), int(fe.sum()), int(ge.sum())),
        "event_precision": (ratio(ce, pe), bootstrap_ratio(ce, pe, s_ev_p), int(ce.sum()), int(pe.sum())),
        "stance_accuracy": (right / n if n else 0.0, wilson(right, n), right, n),
        "claim_recall": (ratio(fc, gc), bootstrap_ratio(fc, gc, s_cl), int(fc.sum()), int(gc.sum())),
        "claim_sentences_reported": int(pc.sum()),
        "published_month_right": (pub_right / n if n else 0.0, wilson(pub_right, n), pub_right, n),
        "events_after_publication": after,
        "confusion": {
            g: {p: sum(1 for s in scores if s.stance == (g, p)) for p in STANCES} for g in STANCES
        },
    }  # fmt: skip


def evaluate_half(
    gold_path: Path, half: str, embeddings: str = "off", seed: int = 0, event_examples: bool = True
) -> tuple[dict[str, Any], list[ArticleScore]]:
    """Read one half and summarise its scores."""
    gold, results = read_half(gold_path, half, embeddings, seed, event_examples)
    scores = [score_article(g, r) for g, r in zip(gold, results, strict=True)]
    return summarise(scores, seed), scores


def evaluate_spin(
    gold_path: Path, half: str = "test", n: int = 12, seed: int = 14, min_chars: int = 900
) -> dict[str, Any]:
    """Spun copies (:func:`spin`) of ``n`` originals of one half: how many are flagged and
    linked to their original, and how many originals are wrongly flagged or linked. Each
    copy is read after all the originals, in a store of its own."""
    from resetlab.reader.pipeline import ReaderOptions, read_texts

    doc = load_gold_v2(gold_path)
    base = gold_path.parent / "articles"
    texts = [(f, (base / f).read_text(encoding="utf-8")) for f in _half_names(doc, half)]
    originals = [(f, t) for f, t in texts if len(t) > min_chars][:n]
    opts = ReaderOptions(embeddings="off", seed=seed)
    with duckdb.connect(":memory:") as con:
        first = read_texts(originals, con, pd.DataFrame(), opts)["articles"]
    false_flags = sum(1 for a in first if a["spun"] or a["duplicate_of"])
    copies = []
    for (name, text), ss in zip(originals, np.random.SeedSequence(seed).spawn(n), strict=False):
        copy = spin(text, int(ss.generate_state(1)[0]))
        with duckdb.connect(":memory:") as con:
            read_texts(originals, con, pd.DataFrame(), opts)
            (a,) = read_texts([(f"spun-{name}", copy)], con, pd.DataFrame(), opts)["articles"]
        copies.append((name, a))
    flagged = sum(1 for _, a in copies if a["spun"])
    linked = sum(1 for name, a in copies if a["duplicate_of"] == name)
    counted_twice = sum(
        1 for _, a in copies for e in a["events"] if e["status"] != "duplicate"
    )  # fmt: skip
    k = len(copies)
    return {
        "copies": k,
        "flagged": (flagged, wilson(flagged, k)),
        "linked": (linked, wilson(linked, k)),
        "originals": len(originals),
        "false_flags": (false_flags, wilson(false_flags, len(originals))),
        "events_counted_twice": counted_twice,
    }
