"""A date for an article that gives none, from the record of events it reports.

Many stored pages carry no publication date, and their "Thursday" and "last week" cannot be
resolved. When the article's lead reports a happening the record has, the record's date is
a good estimate of when the article was written. The lead's triggered sentences are
compared with the summaries of the record's U.S.-Russia events by TF-IDF cosine (word
unigrams and bigrams, scikit-learn), among the record events that fall in the terms of the
presidents the article names with their title ("President Bush", "President Vladimir
Putin"); each sentence votes for the month of its best match, weighted by the cosine, and
the month with the strongest vote wins if that vote reaches ``min_vote``. The estimate is
the latest record date in that month among the sentences' best matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from resetlab.reader.gazetteer import RUS, TERMS, USA
from resetlab.reader.text import Sentence

#: A president named with a title: the article is written during (or about) that term.
_TITLED = re.compile(
    r"\b(?:President|Presidents|Prime Minister|leader)\s+(?:[A-Z][\w.]*\s+){0,3}?"
    r"(Bush|Clinton|Obama|Trump|Biden|Putin|Medvedev|Yeltsin|Gorbachev)\b"
)
_GORBACHEV = (date(1985, 3, 11), date(1991, 12, 26))
_FAR = date(2100, 1, 1)


@dataclass(frozen=True)
class DateEstimate:
    """An estimated date for an article, the record event it rests on, and the vote."""

    date: date
    record_id: str
    vote: float


def term_windows(text: str) -> dict[str, list[tuple[date, date]]]:
    """Per side, the terms of office of the presidents the text names with a title."""
    names = set(_TITLED.findall(text))
    wins: dict[str, list[tuple[date, date]]] = {}
    for t in TERMS:
        if t.role == "president" and t.person.split()[-1] in names:
            wins.setdefault(t.state, []).append((t.start, t.end or _FAR))
    if "Gorbachev" in names:
        wins.setdefault(RUS, []).append(_GORBACHEV)
    return wins


def _as_date(value: str) -> date:
    if len(value) >= 10:
        return date.fromisoformat(value[:10])
    if len(value) == 7:
        return date(int(value[:4]), int(value[5:7]), 15)
    return date(int(value[:4]), 6, 30)


_INDEX: dict[tuple[int, int], tuple[Any, Any, pd.DataFrame]] = {}


def _index(record: pd.DataFrame) -> tuple[Any, Any, pd.DataFrame]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    key = (id(record), len(record))
    if key not in _INDEX:
        pair = record[
            [
                ({str(a), str(t)} == {USA, RUS})
                for a, t in zip(record["actor"], record["target"], strict=True)
            ]
        ].reset_index(drop=True)
        vec = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True)
        mat = vec.fit_transform(pair["summary"].astype(str))
        _INDEX[key] = (vec, mat, pair)
    return _INDEX[key]


def estimate_date(
    sentences: tuple[Sentence, ...],
    record: pd.DataFrame,
    lead: int = 6,
    per_article: int = 3,
    min_sim: float = 0.15,
    min_vote: float = 0.25,
) -> DateEstimate | None:
    """The estimated date of an undated article, or None when the record gives no clear one.

    ``lead`` sentences are searched for up to ``per_article`` with a strong event trigger.
    """
    from resetlab.reader.events import _trigger_near

    if record.empty or "summary" not in record.columns or not sentences:
        return None
    picked = []
    for s in sentences[:lead]:
        trig = _trigger_near(s.text, 0)
        if trig is not None and trig[0].strong:
            picked.append(s.text)
    picked = picked[:per_article]
    if not picked:
        return None
    vec, mat, pair = _index(record)
    if pair.empty:
        return None
    wins = term_windows(" ".join(s.text for s in sentences))
    dates = [str(d) for d in pair["date"]]
    ok = np.ones(len(dates), dtype=bool)
    if wins:
        parsed = [_as_date(d) for d in dates]
        ok = np.array([all(any(a <= d < b for a, b in w) for w in wins.values()) for d in parsed])
    sims = (vec.transform(picked) @ mat.T).toarray() * ok
    votes: dict[str, float] = {}
    best_of: dict[str, tuple[str, int]] = {}
    for row in sims:
        i = int(row.argmax())
        if row[i] < min_sim:
            continue
        month = dates[i][:7]
        votes[month] = votes.get(month, 0.0) + float(row[i])
        if month not in best_of or dates[i] > best_of[month][0]:
            best_of[month] = (dates[i], i)
    if not votes:
        return None
    month, vote = max(votes.items(), key=lambda kv: (kv[1], kv[0]))
    if vote < min_vote:
        return None
    value, i = best_of[month]
    return DateEstimate(_as_date(value), str(pair["id"].iloc[i]), round(vote, 3))
