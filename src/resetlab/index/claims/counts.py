"""Count and rate tests: the share of resets that fail."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from resetlab.exceptions import ModelError

if TYPE_CHECKING:
    pass
from resetlab.index.claims.data import (
    RESET_FAIL_MONTHS,
    ClaimData,
    ClaimResult,
)


def _resets_fail(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    del rng, n  # exact binomial test and Wilson interval: no resampling needed
    shifts = data.regimes.sort_values("start")
    end = data.months[-1]
    fails, starts = [], []
    for _, r in shifts[shifts["kind"] == "reset"].iterrows():
        start = pd.Period(str(r["start"]), "M")
        later = shifts[(shifts["kind"] == "breakdown") & (shifts["start"].astype(str) > str(start))]
        gap = (pd.Period(str(later["start"].iloc[0]), "M") - start).n if len(later) else None
        if gap is not None and gap <= RESET_FAIL_MONTHS:
            fails.append(1)
        elif (end - start).n >= RESET_FAIL_MONTHS:
            fails.append(0)
        else:
            continue  # censored: not yet 48 months old and no breakdown yet
        starts.append(start)
    if not fails:
        raise ModelError("no reset in the regimes is old enough to have held or failed 48 months")
    k, m = int(sum(fails)), len(fails)
    res = stats.binomtest(k, m, 0.5)
    ci = res.proportion_ci(confidence_level=0.95, method="wilson")
    ev = data.events
    ids = tuple(str(i) for i, mo in zip(ev["id"], ev["month"], strict=True) if mo in set(starts))
    detail = (
        f"{k} of {m} resets ({', '.join(str(s) for s in starts)}) met a breakdown within "
        f"{RESET_FAIL_MONTHS} m (resets under {RESET_FAIL_MONTHS} m old without one left out); "
        "small n"
    )
    return ClaimResult(k / m - 0.5, ci.low - 0.5, ci.high - 0.5, float(res.pvalue), m, ids, detail)
