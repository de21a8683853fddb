"""Nearest-example event coding: a sentence no verb pattern codes takes the type and sign
of the labelled event sentence it most resembles.

The examples (:mod:`event_example_rows`, written by ``scripts/derive_event_examples.py``)
are the coded sentences of the PLOVER gold standard and the event quotes of the
development gold set v2. Sentences are compared by TF-IDF cosine (scikit-learn) of their
content words: the names of the two sides, dates, weekdays, numbers and stop words are
taken out first, so that what is compared is what was done, not who did it or when.
Words the examples never use still count in a sentence's norm, so a long sentence that
shares one rare word with an example is not taken for that example.

An article is never matched with the examples labelled in its own file (``exclude``), so
figures on the development set are leave-one-article-out. :data:`THRESHOLD` was chosen by
:func:`sweep` on the development set only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any

import numpy as np
import numpy.typing as npt

from resetlab.reader.dates import find_dates
from resetlab.reader.gazetteer import side_mentions

#: The cosine at or above which a sentence is coded like its nearest example (chosen by
#: :func:`sweep` on the development set, leave-one-article-out).
THRESHOLD = 0.4

_WEEKDAYS_MONTHS = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December|yesterday|today|"
    r"tomorrow|week|month|year)s?\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    # scikit-learn comes with the reader extra: imported on first use, so that importing the
    # package (every CLI command) does not need it
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | {"president", "said", "says", "officials", "official"}


def content_text(text: str) -> str:
    """The words of a sentence that say what happened, lower-cased: the two sides' names,
    dates, weekdays, months, numbers and stop words taken out."""
    spans = [(m.start, m.end) for m in side_mentions(text)]
    spans += [(d.start, d.end) for d in find_dates(text)]
    out = text
    for s, e in sorted(spans, reverse=True):
        out = out[:s] + " " + out[e:]
    out = _WEEKDAYS_MONTHS.sub(" ", out)
    words = re.findall(r"[a-z]+", out.lower())
    stop = _stop_words()
    return " ".join(w for w in words if w not in stop and len(w) > 1)


@dataclass(frozen=True)
class ExampleMatch:
    """The nearest labelled example of a sentence and its cosine."""

    origin: str
    reference: str
    cameo: str
    plover: str
    goldstein: float
    actor: str
    text: str
    similarity: float


class ExampleBank:
    """The labelled event sentences as TF-IDF vectors of the character 3-5-grams of their
    content words (so "exchanged" meets "exchange"; no stemmer needed)."""

    def __init__(self, rows: Sequence[tuple[str, str, str, str, float, str, str]]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not rows:
            raise ValueError("an example bank needs at least one example")
        self.rows = tuple(rows)
        self._vec = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, norm=None
        )
        mat = self._vec.fit_transform([content_text(r[6]) for r in self.rows])
        dense = np.asarray(mat.todense(), dtype=np.float64)
        norms = np.linalg.norm(dense, axis=1)
        self._ex = dense / np.where(norms > 0, norms, 1.0)[:, None]
        self._analyse = self._vec.build_analyzer()
        self._vocab = self._vec.vocabulary_
        # a term no example uses gets the weight of the rarest term seen
        self._idf_unseen = float(np.max(self._vec.idf_))
        self._refs = np.array([PurePath(r[1]).name for r in self.rows])

    def similarities(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Cosine of each text with each example (rows: texts). The norm of a text counts
        the terms no example has, at the weight of the rarest term seen."""
        if not texts:
            return np.zeros((0, len(self.rows)))
        content = [content_text(t) for t in texts]
        q = np.asarray(self._vec.transform(content).todense(), dtype=np.float64)
        unseen = np.zeros(len(texts))
        for i, t in enumerate(content):
            counts: dict[str, int] = {}
            for term in self._analyse(t):
                if term not in self._vocab:
                    counts[term] = counts.get(term, 0) + 1
            unseen[i] = sum((1.0 + np.log(c)) ** 2 for c in counts.values())
        norm = np.sqrt((q**2).sum(axis=1) + unseen * self._idf_unseen**2)
        return (q @ self._ex.T) / np.where(norm > 0, norm, 1.0)[:, None]

    def nearest(
        self, texts: Sequence[str], exclude: str | None = None
    ) -> list[ExampleMatch | None]:
        """The nearest example of each text, leaving out the examples labelled in the file
        ``exclude`` (compared by file name); None where no example shares a term."""
        sims = self.similarities(texts)
        if exclude is not None:
            sims[:, self._refs == PurePath(exclude).name] = -1.0
        out: list[ExampleMatch | None] = []
        for row in sims:
            i = int(np.argmax(row)) if row.size else 0
            if not row.size or row[i] <= 0:
                out.append(None)
                continue
            o, ref, cameo, plover, gold, actor, text = self.rows[i]
            out.append(ExampleMatch(o, ref, cameo, plover, gold, actor, text, float(row[i])))
        return out


@lru_cache(maxsize=1)
def default_bank() -> ExampleBank:
    """The bank of the shipped examples (built once per process)."""
    from resetlab.reader.event_example_rows import ROWS

    return ExampleBank(ROWS)


def code_by_example(
    sentence: str,
    exclude: str | None = None,
    threshold: float = THRESHOLD,
    bank: ExampleBank | None = None,
) -> ExampleMatch | None:
    """The nearest example of a sentence when its cosine is at least ``threshold``."""
    (match,) = (bank or default_bank()).nearest([sentence], exclude)
    return match if match is not None and match.similarity >= threshold else None


def sweep(
    gold_path: Path,
    thresholds: Sequence[float] = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7),
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Two development figures per threshold (the first row: without example coding), each
    article with its own examples left out:

    - ``recall``/``precision``/``f1``: the reader's event (month, sign) pairs on the gold
      set. The articles are read once with every example candidate kept (threshold 0); a
      threshold drops the candidates below it, which leaves every other event as it was.
    - ``coded``/``coded_right``: of the sentences holding the gold event quotes, how many
      have their nearest example at or above the threshold, and how many of those get the
      gold sign from it: how the step codes a happening, were no verb pattern to know it.
    """
    import duckdb

    from resetlab.reader.goldset import (
        _half_names,
        event_pairs_gold,
        event_pairs_pred,
        load_gold_v2,
        match_pairs,
        precise_hits,
    )
    from resetlab.reader.pipeline import ReaderOptions, _default_record, read_texts
    from resetlab.reader.text import parse_article

    doc = load_gold_v2(gold_path)
    names = set(_half_names(doc, "all"))
    gold = [a for a in doc["articles"] if a["file"] in names]
    base = gold_path.parent / "articles"
    opts = ReaderOptions(embeddings="off", seed=seed, event_example_threshold=0.0)
    record = _default_record()
    bank = default_bank()
    results = []
    nearest: list[tuple[float, bool]] = []
    for g in gold:
        text = (base / g["file"]).read_text(encoding="utf-8")
        with duckdb.connect(":memory:") as con:
            results.extend(read_texts([(g["file"], text)], con, record, opts)["articles"])
        sentences = [s.text for s in parse_article(g["file"], text, None, {}).sentences]
        for ev in g["events"]:
            held = next((s for s in sentences if ev["quote"] in s), str(ev["quote"]))
            (m,) = bank.nearest([held], exclude=g["file"])
            if m is not None:
                nearest.append((m.similarity, (m.goldstein > 0) == (ev["sign"] == "+")))
    out = []
    for t in (None, *thresholds):
        fe = ge = ce = pe = added = 0
        for g, r in zip(gold, results, strict=True):
            evs = [
                e for e in r["events"]
                if e["coded_by"] != "example" or (t is not None and e["example_similarity"] >= t)
            ]  # fmt: skip
            added += sum(1 for e in evs if e["coded_by"] == "example")
            gp, pp = event_pairs_gold(g["events"]), event_pairs_pred(evs)
            fe, ge = fe + match_pairs(pp, gp), ge + len(gp)
            ce, pe = ce + precise_hits(pp, gp), pe + len(pp)
        rec, prec = fe / ge if ge else 0.0, ce / pe if pe else 0.0
        f1 = 2 * rec * prec / (rec + prec) if rec + prec else 0.0
        above = [ok for sim, ok in nearest if t is not None and sim >= t]
        out.append({"threshold": t, "recall": rec, "found": fe, "gold": ge, "precision": prec,
                    "correct": ce, "predicted": pe, "f1": f1, "example_events": added,
                    "coded": len(above), "coded_right": sum(above)})  # fmt: skip
    return out


def choose_threshold(rows: list[dict[str, Any]], min_sign_agreement: float = 0.9) -> float:
    """The lowest threshold of a :func:`sweep` at which the reader's development event
    precision and recall are no lower than without example coding, and the nearest
    example gives the gold sign to at least ``min_sign_agreement`` of the gold event
    sentences it codes."""
    base = rows[0]
    for r in rows[1:]:
        if r["precision"] < base["precision"] or r["recall"] < base["recall"]:
            continue
        if r["coded"] and r["coded_right"] / r["coded"] >= min_sign_agreement:
            return float(r["threshold"])
    raise ValueError("no threshold of the sweep keeps the development figures")
