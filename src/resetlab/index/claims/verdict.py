"""Verdicts on claim tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from resetlab.exceptions import ModelError

if TYPE_CHECKING:
    pass
from resetlab.index.claims.data import (
    ClaimResult,
)


def verdict(result: ClaimResult, direction: str, alpha: float = 0.05) -> str:
    """``supported``, ``contradicted`` or ``inconclusive`` for an article's ``direction``.

    ``direction`` "+" means the article claims the test's ``claimed`` sentence, "-" its
    opposite. Supported: the 95% interval lies wholly on the article's side of 0 and p < alpha;
    contradicted: wholly on the other side and p < alpha (the same evidence rule both ways);
    otherwise inconclusive.
    """
    if direction not in ("+", "-"):
        raise ModelError(f"direction must be '+' or '-', got {direction!r}")
    sign = 1.0 if direction == "+" else -1.0
    lo, hi = sorted((sign * result.ci_lo, sign * result.ci_hi))
    if not (np.isfinite(lo) and np.isfinite(hi) and result.p_value < alpha):
        return "inconclusive"
    if lo > 0:
        return "supported"
    if hi < 0:
        return "contradicted"
    return "inconclusive"
