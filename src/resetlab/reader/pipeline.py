"""Read articles end to end: text, spin check, duplicates, events, claims, stance, store."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from resetlab.reader.claims import extract_claims, extract_stance, filed_as_opinion
from resetlab.reader.dedup import MinHasher, similarity
from resetlab.reader.embed import Embedder, EmbeddingMode, load_embedder
from resetlab.reader.event_examples import THRESHOLD as EXAMPLE_THRESHOLD
from resetlab.reader.events import ReadEvent, extract_events
from resetlab.reader.record_dating import estimate_date
from resetlab.reader.spin import detect_spin, spun_copy
from resetlab.reader.store import ensure_schema, rows
from resetlab.reader.text import clean_markdown, load_file, parse_article


@dataclass(frozen=True)
class ReaderOptions:
    """Settings of one read.

    ``published`` anchors relative dates when the text has no date; ``embeddings`` is
    ``auto`` (use the model if installed), ``on`` (require it) or ``off`` (rules only);
    ``duplicate_threshold`` is the estimated Jaccard similarity of word 3-gram shingles above
    which an article is a copy of one read before; ``seed`` fixes the MinHash functions.
    """

    published: date | None = None
    embeddings: EmbeddingMode = "auto"
    duplicate_threshold: float = 0.3
    min_spun_phrases: int = 2
    num_perm: int = 128
    match_threshold: float = 0.2
    seed: int = 0
    #: Cosine for nearest-example event coding (:mod:`event_examples`); None turns it off.
    event_example_threshold: float | None = EXAMPLE_THRESHOLD


_STOP = frozenset(
    "the a an of and to in on for with by from that this was were is are be as at it its "
    "their his her they he she which who has have had not but or".split()
)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 2}


def _period(value: str, precision: str) -> str:
    return value[:4] if precision == "year" else value[:7]


def wording_similarity(sentence: str, summary: str, embedder: Embedder | None = None) -> float:
    """Overlap coefficient of content words (shared / the smaller set), or, with the model,
    embedding cosine less 0.3 when that is higher."""
    a, b = _words(sentence), _words(summary)
    score = len(a & b) / min(len(a), len(b)) if a and b else 0.0
    if embedder is not None:
        v = embedder.encode([sentence, summary])
        score = max(score, float(v[0] @ v[1]) - 0.3)
    return score


def match_record(
    event: ReadEvent, record: pd.DataFrame, threshold: float, embedder: Embedder | None = None
) -> str | None:
    """The id of the record event this one restates, or None.

    Candidates share the dyad (either way round) and the month (the year when either date is
    year-only), and their wording must be similar (:func:`wording_similarity`): at least
    ``threshold`` when the PLOVER type agrees, ``1.5 * threshold`` for a year-only date.
    A record event on the exact same day with another PLOVER type also matches if any
    content word is shared (coders differ: a treaty withdrawal is REJECT to one, SANCTION
    to another). The most similar candidate wins; on a tie, the one of the same type.
    """
    if record.empty:
        return None
    best: tuple[float, bool, str] | None = None
    for row in record.itertuples(index=False):
        rdate, rprec = str(row.date), str(row.precision)
        coarse = "year" if "year" in (rprec, event.precision) else "month"
        if _period(rdate, coarse) != _period(event.date, coarse):
            continue
        if {str(row.actor), str(row.target)} != {event.actor, event.target}:
            continue
        same_day = rprec == event.precision == "day" and rdate == event.date
        same_type = str(row.plover) == event.plover
        if same_type:
            need = 1.5 * threshold if coarse == "year" else threshold
        elif same_day:
            need = 0.25 * threshold
        else:
            continue
        score = wording_similarity(event.sentence, str(row.summary), embedder)
        if score >= need and (best is None or (score, same_type) > best[:2]):
            best = (score, same_type, str(row.id))
    return best[2] if best else None


@lru_cache(maxsize=1)
def _default_record() -> pd.DataFrame:
    from resetlab.record.builtin import load_event_files

    return load_event_files()


def read_articles(
    paths: list[Path],
    con: duckdb.DuckDBPyConnection | None = None,
    record: pd.DataFrame | None = None,
    options: ReaderOptions | None = None,
) -> dict[str, Any]:
    """Read files (.txt, .md, .html) and return the ``{"articles": [...]}`` document."""
    items = []
    for p in paths:
        raw, meta = load_file(Path(p))
        items.append((str(p), raw, meta))
    return _read(items, con, record, options or ReaderOptions())


def read_texts(
    texts: list[tuple[str, str]],
    con: duckdb.DuckDBPyConnection | None = None,
    record: pd.DataFrame | None = None,
    options: ReaderOptions | None = None,
) -> dict[str, Any]:
    """Like :func:`read_articles` for ``(name, text)`` pairs already in memory."""
    return _read([(n, t, {}) for n, t in texts], con, record, options or ReaderOptions())


def _read(
    items: list[tuple[str, str, dict[str, str | None]]],
    con: duckdb.DuckDBPyConnection | None,
    record: pd.DataFrame | None,
    options: ReaderOptions,
) -> dict[str, Any]:
    con = con if con is not None else duckdb.connect(":memory:")
    ensure_schema(con)
    record = _default_record() if record is None else record
    embedder = load_embedder(options.embeddings)
    hasher = MinHasher(num_perm=options.num_perm, seed=options.seed)
    out = []
    for name, raw, meta in items:
        out.append(_read_one(name, raw, meta, con, record, options, embedder, hasher))
    return {"articles": out}


def _read_one(
    name: str,
    raw: str,
    meta: dict[str, str | None],
    con: duckdb.DuckDBPyConnection,
    record: pd.DataFrame,
    options: ReaderOptions,
    embedder: Embedder | None,
    hasher: MinHasher,
) -> dict[str, Any]:
    spin = detect_spin(clean_markdown(raw), options.min_spun_phrases)
    article = parse_article(name, spin.restored, options.published, meta)
    norm = " ".join(re.findall(r"[a-z0-9]+", article.text.lower()))
    art_id = hashlib.sha1(norm.encode()).hexdigest()[:16]
    sig = hasher.signature(article.text)
    duplicate_of, dup_id, dup_sim, dup_text = None, None, 0.0, ""
    for prev in rows(con, "SELECT id, file, signature, duplicate_of_id, text FROM reader_articles"):
        if prev["id"] == art_id and prev["file"] == name:
            continue
        if prev["duplicate_of_id"] == art_id:  # a copy of this very article, read later
            continue
        prev_sig = np.asarray(prev["signature"], dtype=np.uint64)
        if prev_sig.shape != sig.shape:
            continue
        sim = 1.0 if prev["id"] == art_id else similarity(sig, prev_sig)
        if sim >= options.duplicate_threshold and sim > dup_sim:
            duplicate_of, dup_id, dup_sim = prev["file"], prev["id"], sim
            dup_text = str(prev["text"] or "")
    # A near-duplicate whose own words are rarer than those of the text it copies is a spun
    # copy (word frequencies, no phrase list); a text with no near-duplicate can only be
    # judged by the phrase list of known spinner swaps.
    spun_words: list[str] = []
    if duplicate_of:
        spun, choice = spun_copy(clean_markdown(raw), dup_text)
        if choice is None:
            spun = spin.spun
        else:
            spun_words = list(choice.rarer) if spun else []
    else:
        spun = spin.spun
    estimate = None
    if article.published is None:
        estimate = estimate_date(article.sentences, record)
    events = extract_events(
        article.sentences,
        article.published or (estimate.date if estimate else None),
        options.event_example_threshold,
        exclude_examples=name,
    )
    claims = extract_claims(article.sentences, embedder, exclude_examples=name)
    opinion = filed_as_opinion(article.address, article.sentences)
    stance = extract_stance(article.sentences, embedder, opinion=opinion)
    published = article.published.isoformat() if article.published else None

    accepted = pd.DataFrame(
        rows(con, "SELECT id, date, precision, actor, target, plover, sentence AS summary "
             "FROM reader_events WHERE status = 'accepted' AND article_id <> ?", [art_id])
    )  # fmt: skip
    old_status = {
        r["id"]: r["status"]
        for r in rows(con, "SELECT id, status FROM reader_events WHERE article_id = ?", [art_id])
    }
    ev_out = []
    con.execute("DELETE FROM reader_events WHERE article_id = ?", [art_id])
    for k, ev in enumerate(events):
        rec = match_record(ev, record, options.match_threshold, embedder)
        if rec is None and not accepted.empty:
            rec = match_record(ev, accepted, options.match_threshold, embedder)
        ev_id = f"read-{art_id[:10]}-{ev.sentence_index:03d}-{k}"
        status = "duplicate" if duplicate_of else "matched" if rec else "pending"
        if old_status.get(ev_id) in ("accepted", "rejected") and status == "pending":
            status = old_status[ev_id]
        con.execute(
            "INSERT INTO reader_events (id, article_id, file, date, precision, actor, target, "
            "plover, cameo, goldstein, sentence, confidence, record_id, status, source_title, "
            "source_publication, source_date, coded_by, example, example_similarity) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [ev_id, art_id, name, ev.date, ev.precision, ev.actor, ev.target, ev.plover, ev.cameo,
             ev.goldstein, ev.sentence, ev.confidence, rec, status, article.title,
             article.outlet, published, ev.coded_by, ev.example, ev.example_similarity],
        )  # fmt: skip
        ev_out.append(
            {
                "id": ev_id, "date": ev.date, "precision": ev.precision, "actor": ev.actor,
                "target": ev.target, "plover": ev.plover, "cameo": ev.cameo,
                "goldstein": ev.goldstein, "sentence": ev.sentence,
                "confidence": ev.confidence, "record_id": rec, "status": status,
                "coded_by": ev.coded_by, "example": ev.example,
                "example_similarity": ev.example_similarity,
            }
        )  # fmt: skip
    con.execute("DELETE FROM reader_claims WHERE article_id = ?", [art_id])
    for c in claims:
        con.execute(
            "INSERT INTO reader_claims VALUES (?,?,?,?,?)",
            [art_id, c.mechanism, c.asserts, c.sentence, c.confidence],
        )
    con.execute("DELETE FROM reader_articles WHERE id = ?", [art_id])
    con.execute(
        "INSERT INTO reader_articles (id, file, title, outlet, author, published, stance, spun, "
        "duplicate_of, duplicate_of_id, signature, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [art_id, name, article.title, article.outlet, article.author, published, stance.stance,
         spun, duplicate_of, dup_id, [int(x) for x in sig], article.text],
    )  # fmt: skip
    return {
        "file": name,
        "id": art_id,
        "title": article.title,
        "outlet": article.outlet,
        "author": article.author,
        "published": published,
        "published_estimate": (
            {
                "date": estimate.date.isoformat(),
                "record_id": estimate.record_id,
                "vote": estimate.vote,
            }
            if estimate
            else None
        ),  # fmt: skip
        "stance": stance.stance,
        "stance_pro_share": stance.pro_share,
        "stance_sentences": list(stance.sentences),
        "spun": spun,
        "spun_phrases": [{"found": p.found, "original": p.original} for p in spin.phrases],
        "spun_rare_words": spun_words,
        "duplicate_of": duplicate_of,
        "duplicate_similarity": round(dup_sim, 3) if duplicate_of else None,
        "embeddings": embedder.name if embedder is not None else None,
        "events": ev_out,
        "claims": [
            {
                "mechanism": c.mechanism,
                "asserts": c.asserts,
                "sentence": c.sentence,
                "confidence": c.confidence,
                "method": c.method,
            }
            for c in claims
        ],  # fmt: skip
    }
