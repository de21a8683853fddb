"""Count and rate tests: the share of resets that fail, against the panel's base rate."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import stats

from resetlab.exceptions import ModelError
from resetlab.index.claims.data import (
    RESET_FAIL_MONTHS,
    ClaimData,
    ClaimResult,
)


def reset_outcomes(regimes: pd.DataFrame, end: pd.Period) -> list[tuple[pd.Period, int]]:
    """Each reset's start and 1 if a breakdown shift began within :data:`RESET_FAIL_MONTHS`
    of it, 0 if it lasted that long without one; resets younger than that with no breakdown
    yet are censored and left out. ``regimes`` has ``start`` and ``kind`` columns."""
    shifts = regimes.sort_values("start")
    out = []
    for _, r in shifts[shifts["kind"] == "reset"].iterrows():
        start = pd.Period(str(r["start"]), "M")
        later = shifts[(shifts["kind"] == "breakdown") & (shifts["start"].astype(str) > str(start))]
        gap = (pd.Period(str(later["start"].iloc[0]), "M") - start).n if len(later) else None
        if gap is not None and gap <= RESET_FAIL_MONTHS:
            out.append((start, 1))
        elif (end - start).n >= RESET_FAIL_MONTHS:
            out.append((start, 0))
    return out


def base_rate(outcomes: Iterable[list[tuple[pd.Period, int]]]) -> tuple[float, int]:
    """The pooled share of failed resets over several pairs' :func:`reset_outcomes`, and n."""
    flat = [f for pair in outcomes for _, f in pair]
    if not flat:
        raise ModelError("no reset in the panel is old enough to have held or failed")
    return float(np.mean(flat)), len(flat)


def reset_fail_power(data: ClaimData, size: float, alpha: float = 0.05) -> float:
    """Exact power of the resets-fail binomial test: the chance, with this record's number of
    resets and a true failure share of base rate + ``size``, that the test rejects at
    ``alpha`` (no rotation needed: the test has no dates to rotate)."""
    outcomes = reset_outcomes(data.regimes, data.months[-1])
    m = len(outcomes)
    p0 = 0.5 if data.reset_base_rate is None else data.reset_base_rate
    if m == 0:
        return float("nan")
    p1 = float(np.clip(p0 + size, 0.0, 1.0))
    reject = np.array([stats.binomtest(k, m, p0).pvalue < alpha for k in range(m + 1)])
    return float(stats.binom.pmf(np.arange(m + 1), m, p1)[reject].sum())


def _resets_fail(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    del rng, resamples  # exact binomial test and Wilson interval: no resampling needed
    outcomes = reset_outcomes(data.regimes, data.months[-1])
    if not outcomes:
        raise ModelError("no reset in the regimes is old enough to have held or failed 48 months")
    starts = [s for s, _ in outcomes]
    k, m = sum(f for _, f in outcomes), len(outcomes)
    p0 = 0.5 if data.reset_base_rate is None else data.reset_base_rate
    if not 0 < p0 < 1:
        raise ModelError(f"the reset failure base rate must lie in (0, 1), got {p0}")
    res = stats.binomtest(k, m, p0)
    ci = res.proportion_ci(confidence_level=0.95, method="wilson")
    ev = data.events
    ids = tuple(str(i) for i, mo in zip(ev["id"], ev["month"], strict=True) if mo in set(starts))
    against = (
        "0.5 (no panel base rate given)"
        if data.reset_base_rate is None
        else f"the panel's base rate {p0:.3f}"
    )
    detail = (
        f"{k} of {m} resets ({', '.join(str(s) for s in starts)}) met a breakdown within "
        f"{RESET_FAIL_MONTHS} m (resets under {RESET_FAIL_MONTHS} m old without one left out), "
        f"against {against}; small n"
    )
    return ClaimResult(k / m - p0, ci.low - p0, ci.high - p0, float(res.pvalue), m, ids, detail)
