"""Posterior predictive checks on summaries of the index that the likelihood does not use.

The synthetic likelihood (:mod:`resetlab.fit.likelihood`) scores era means, the level's
spread and autocorrelation, the spread of monthly and 12-month changes, the lag-1
autocorrelation of changes and the last year's mean. A posterior fitted to those can still
miss the shape of the history in ways none of them measures; these checks ask whether the
measured index looks like a draw from the posterior's simulated indexes on seven other
features (Gelman, Meng & Stern 1996, *Statistica Sinica* 6, on posterior predictive
p-values): how low and how high the level went, the deepest fall from a running maximum,
the share of months the level rose, the skewness and lag-3 autocorrelation of monthly
changes, and the longest run of months in a row that the level fell.

Each check's two-sided p-value is ``2 min(P(rep > obs) + P(rep = obs) / 2, ...)`` over the
replicates (mid-p for the discrete ones), with its Monte Carlo error, and Holm's adjustment
over the seven (``statsmodels.stats.multitest.multipletests``). Posterior predictive
p-values are conservative (they use the data twice), so a flagged check is a misfit worth
reading, and an unflagged one is weak evidence of fit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from resetlab.exceptions import FitError
from resetlab.fit.calibrate import Posterior, replay_index
from resetlab.fit.history import FitData
from resetlab.model.spec import PerspectiveModel, Scenario

#: The checks, in the order of :func:`check_summaries`' columns, and what each measures.
CHECKS: dict[str, str] = {
    "min_level": "lowest month of the index",
    "max_level": "highest month of the index",
    "max_drawdown": "deepest fall from a running maximum",
    "share_rising": "share of months the level rose",
    "skew_change": "skewness of monthly changes",
    "acf3_change": "lag-3 autocorrelation of monthly changes",
    "longest_decline": "longest run of months the level fell",
}

#: Holm-adjusted p-value below which a check is flagged.
ALPHA = 0.05
#: Simulated indexes behind the p-values, at least (their Monte Carlo error is
#: ``sqrt(p (1 - p) / n)``: 0.014 at p = 0.05).
REPLICATES = 256


def _longest_run(falls: np.ndarray) -> np.ndarray:
    """Longest run of True down each column of ``falls`` (months x series)."""
    run = np.zeros(falls.shape[1])
    best = np.zeros(falls.shape[1])
    for row in falls:
        run = np.where(row, run + 1, 0)
        best = np.maximum(best, run)
    return best


def check_summaries(index: np.ndarray) -> np.ndarray:
    """Series x :data:`CHECKS` of ``index`` (months x series, or one series)."""
    x = np.asarray(index, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.shape[0] < 24 or not np.isfinite(x).all():
        raise FitError(f"checks need at least 24 finite months, got {x.shape[0]}")
    dx = np.diff(x, axis=0)
    d = dx - dx.mean(axis=0)
    sd = dx.std(axis=0)
    safe = np.where(sd > 0, sd, np.inf)
    skew = (d**3).mean(axis=0) / safe**3
    den = (d * d).sum(axis=0)
    acf3 = (d[3:] * d[:-3]).sum(axis=0) / np.where(den > 0, den, np.inf)
    return np.column_stack(
        [
            x.min(axis=0),
            x.max(axis=0),
            (np.maximum.accumulate(x, axis=0) - x).max(axis=0),
            (dx > 0).mean(axis=0),
            skew,
            acf3,
            _longest_run(dx < 0),
        ]
    )


def predictive_pvalues(observed: np.ndarray, replicates: np.ndarray) -> pd.DataFrame:
    """One row per check: the observed value, the replicates' 5/50/95 % quantiles, the
    two-sided mid-p value, its Monte Carlo error, Holm's adjusted p and whether it is
    flagged (adjusted p < :data:`ALPHA`). ``observed``: the checks; ``replicates``: reps x
    checks."""
    obs = np.asarray(observed, dtype=float)
    rep = np.asarray(replicates, dtype=float)
    if rep.ndim != 2 or rep.shape[1] != len(obs) or rep.shape[0] < 20:
        raise FitError(f"need >= 20 replicates of {len(obs)} checks, got shape {rep.shape}")
    upper = (rep > obs).mean(axis=0) + 0.5 * (rep == obs).mean(axis=0)
    p = np.minimum(1.0, 2.0 * np.minimum(upper, 1.0 - upper))
    mc_se = np.sqrt(np.maximum(p * (1.0 - p), 0.0) / rep.shape[0])
    adjusted = multipletests(p, method="holm")[1]
    q = np.quantile(rep, [0.05, 0.5, 0.95], axis=0)
    return pd.DataFrame(
        {
            "check": list(CHECKS)[: len(obs)],
            "observed": obs,
            "rep_q05": q[0],
            "rep_q50": q[1],
            "rep_q95": q[2],
            "p_value": p,
            "mc_se": mc_se,
            "p_holm": adjusted,
            "flagged": adjusted < ALPHA,
        }
    )


def posterior_predictive(
    perspective: PerspectiveModel,
    posterior: Posterior,
    data: FitData,
    base: Scenario,
    *,
    draws: int,
    seed: int,
    replicates: int = REPLICATES,
) -> pd.DataFrame:
    """:func:`predictive_pvalues` of the measured index against the posterior's simulated
    indexes (:func:`resetlab.fit.calibrate.replay_index`): ``draws`` posterior draws, each
    simulated often enough for ``replicates`` series in all."""
    reps = -(-replicates // draws)
    target, _, idx = replay_index(
        perspective, posterior, data, base, draws=draws, draw_reps=reps, seed=seed
    )
    return predictive_pvalues(check_summaries(target.y)[0], check_summaries(idx))


def checks_words(table: pd.DataFrame) -> str:
    """One sentence on the checks, computed from their numbers."""
    flagged = table[table["flagged"]]
    n = len(table)
    if flagged.empty:
        return (
            f"none of the {n} posterior predictive checks flags a misfit (Holm-adjusted p "
            f">= {ALPHA})"
        )
    parts = [
        f"{r.check} (observed {r.observed:.3g}, replicates' 90 % range {r.rep_q05:.3g} to "
        f"{r.rep_q95:.3g}, Holm p {r.p_holm:.3g})"
        for r in flagged.itertuples()
    ]
    return f"{len(flagged)} of {n} posterior predictive checks flag a misfit: " + "; ".join(parts)


def to_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The table as JSON-ready rows."""
    out: list[dict[str, Any]] = []
    for r in table.to_dict(orient="records"):
        out.append({k: (bool(v) if k == "flagged" else v) for k, v in r.items()})
    return out
