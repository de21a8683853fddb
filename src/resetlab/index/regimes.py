"""Regimes of the relations index by change-point detection, and the reset scorecard.

Change points come from ruptures' PELT search with an L2 (mean-shift) cost on the smoothed
index. The penalty is chosen automatically, BIC-style, with the index's own uncertainty as the
noise variance: ``pen = 2 * mean(sd_t^2) * log(n)``, where ``sd_t`` is the smoother's standard
deviation of month t. A break is kept only if the mean shift it explains is larger than what
the index cannot tell apart from noise at the BIC rate; the same rule applies to any dyad and any
amount of data. The stability check runs PELT over a log-spaced grid of penalties (the count
of breaks against the penalty is drawn in the report), and scores each break by the share of
grid penalties within a factor of four of the chosen one whose segmentation has a break within
``tolerance`` months of it.

No month is named anywhere: resets (upward shifts of the regime mean) and breakdowns
(downward shifts) are whatever the data give.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import ruptures as rpt

MIN_REGIME_MONTHS = 6
STABILITY_TOLERANCE = 3


@dataclass(frozen=True)
class PenaltySweep:
    """Breaks found at each penalty of the grid (for the stability chart)."""

    penalties: np.ndarray
    n_breaks: np.ndarray
    breaks: list[list[int]]
    chosen: float


@dataclass(frozen=True)
class Regimes:
    """Regime segments of the index with the shifts between them."""

    segments: pd.DataFrame  # start, end, mean, n_months
    shifts: pd.DataFrame  # start, end, kind, peak_month, size, stability, prev_mean, mean
    sweep: PenaltySweep = field(repr=False)


def _segment(signal: np.ndarray, pen: float, min_size: int) -> list[int]:
    algo = rpt.Pelt(model="l2", min_size=min_size, jump=1).fit(signal)
    return [int(b) for b in algo.predict(pen=pen)[:-1]]


def bic_penalty(sd: np.ndarray) -> float:
    """``2 * mean(sd^2) * log(n)``: BIC penalty with the index uncertainty as noise variance."""
    return float(2.0 * np.mean(np.square(sd)) * np.log(len(sd)))


def penalty_sweep(
    signal: np.ndarray, chosen: float, *, min_size: int = MIN_REGIME_MONTHS, n_grid: int = 41
) -> PenaltySweep:
    """Run PELT over penalties from chosen/30 to chosen*30 (log-spaced) for the stability check."""
    pens = np.logspace(np.log10(chosen / 30), np.log10(chosen * 30), n_grid)
    breaks = [_segment(signal.reshape(-1, 1), float(p), min_size) for p in pens]
    counts = np.array([len(b) for b in breaks])
    return PenaltySweep(penalties=pens, n_breaks=counts, breaks=breaks, chosen=chosen)


def find_regimes(
    index: pd.DataFrame,
    *,
    min_size: int = MIN_REGIME_MONTHS,
    tolerance: int = STABILITY_TOLERANCE,
    penalty: float | None = None,
) -> Regimes:
    """Segment the index (columns month, score, sd) into regimes; label shifts reset/breakdown.

    ``penalty`` overrides the automatic choice (:func:`bic_penalty`)."""
    score = index["score"].to_numpy(dtype=float)
    months = list(index["month"])
    if penalty is None:
        penalty = bic_penalty(index["sd"].to_numpy(dtype=float))
    sweep = penalty_sweep(score, penalty, min_size=min_size)
    bks = _segment(score.reshape(-1, 1), penalty, min_size)
    edges = [0, *bks, len(score)]
    segs = pd.DataFrame(
        {
            "start": [months[a] for a in edges[:-1]],
            "end": [months[b - 1] for b in edges[1:]],
            "mean": [float(score[a:b].mean()) for a, b in zip(edges[:-1], edges[1:], strict=True)],
            "n_months": [b - a for a, b in zip(edges[:-1], edges[1:], strict=True)],
        }
    )
    near = [
        k
        for k, p in enumerate(sweep.penalties)
        if sweep.chosen / 4 <= p <= sweep.chosen * 4
    ]
    rows = []
    for k, b in enumerate(bks):
        a, c = edges[k + 1], edges[k + 2]
        prev_mean, mean = float(segs["mean"][k]), float(segs["mean"][k + 1])
        kind = "reset" if mean > prev_mean else "breakdown"
        seg = score[a:c]
        extreme = int(np.argmax(seg) if kind == "reset" else np.argmin(seg))
        stable = np.mean(
            [any(abs(x - b) <= tolerance for x in sweep.breaks[g]) for g in near]
        ) if near else 0.0
        rows.append(
            {
                "start": months[b],
                "end": months[c - 1],
                "kind": kind,
                "peak_month": months[a + extreme],
                "size": mean - prev_mean,
                "stability": float(stable),
                "prev_mean": prev_mean,
                "mean": mean,
                "duration_months": c - a,
            }
        )
    shifts = pd.DataFrame(
        rows,
        columns=[
            "start", "end", "kind", "peak_month", "size", "stability", "prev_mean", "mean",
            "duration_months",
        ],
    )  # fmt: skip
    return Regimes(segments=segs, shifts=shifts, sweep=sweep)
