"""Near-duplicate detection: word shingles and MinHash signatures.

Text is normalised (lower case, words only) after spun phrases are mapped back, cut into
overlapping word k-grams, and summarised by a MinHash signature whose agreement rate
estimates the Jaccard similarity of two articles' shingle sets.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from resetlab.exceptions import InputError

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX = np.uint64((1 << 32) - 1)


@dataclass(frozen=True)
class MinHasher:
    """MinHash over ``num_perm`` seeded hash functions ``(a*x + b) mod p`` on 32-bit ids."""

    num_perm: int = 128
    shingle_words: int = 3
    seed: int = 0

    def _params(self) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
        rng = np.random.default_rng(self.seed)
        a = rng.integers(1, (1 << 31) - 1, size=self.num_perm, dtype=np.uint64)
        b = rng.integers(0, (1 << 31) - 1, size=self.num_perm, dtype=np.uint64)
        return a, b

    def shingles(self, text: str) -> set[int]:
        """32-bit ids of the article's word k-grams."""
        words = re.findall(r"[a-z0-9]+", text.lower())
        k = self.shingle_words
        grams = {" ".join(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}
        return {
            int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little")
            for g in grams
            if g
        }

    def signature(self, text: str) -> npt.NDArray[np.uint64]:
        """The MinHash signature of a text (``num_perm`` unsigned 64-bit values)."""
        ids = np.fromiter(self.shingles(text), dtype=np.uint64)
        if ids.size == 0:
            return np.full(self.num_perm, _MAX, dtype=np.uint64)
        a, b = self._params()
        # (a*x + b) mod p with a, x < 2^32 stays below 2^64.
        hashed = (np.outer(a, ids) + b[:, None]) % _MERSENNE
        return (hashed & _MAX).min(axis=1).astype(np.uint64)


def similarity(sig_a: npt.NDArray[np.uint64], sig_b: npt.NDArray[np.uint64]) -> float:
    """Estimated Jaccard similarity: the share of signature positions that agree."""
    if sig_a.shape != sig_b.shape:
        raise InputError("signatures of different lengths cannot be compared")
    return float(np.mean(sig_a == sig_b))


def jaccard(a: set[int], b: set[int]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    return len(a & b) / len(a | b) if a or b else 1.0
