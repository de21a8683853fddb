"""Regimes of the relationship by change-point detection, labelled resets and breakdowns.

What is segmented: the time-ordered sequence of event weights (Goldstein, -10..+10) between
the two actors, one value per event (day- and month-precision events; ties broken by id).
Given the regime, events scatter independently around its mean, which is what a mean-shift
change-point model with a penalty assumes; the smoothed index would not do, since its values
are strongly autocorrelated and every penalty rule would find breaks in its wiggles. The
regimes are drawn over the index, and each regime's level is the index's mean over its months.

How: ruptures' PELT with an L2 (mean-shift) cost (``KernelCPD`` with the linear kernel), regimes of at least ``min_events`` events.
The penalty is chosen automatically by **two-fold cross-validation** (Arlot & Celisse 2011,
"Segmentation of the mean of heteroscedastic data via cross-validation"): the events are split
into alternate halves; for each penalty on a log grid, the segmentation fitted to one half
predicts the other (each held-out event gets the mean of the regime it falls in), and the
penalty with the smallest mean squared prediction error wins. Too small a penalty fits noise
and predicts the other half badly; too large a one misses real shifts. The same grid gives
the stability check: each break's share of penalties within a factor of four of the chosen
one whose segmentation has a break within ``tolerance`` months.

Nothing names a month: resets (upward shifts of the regime mean) and breakdowns (downward)
are whatever the data give.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import ruptures as rpt

from resetlab.exceptions import IndexEstimationError

MIN_REGIME_EVENTS = 5
STABILITY_TOLERANCE = 3
N_PENALTIES = 41


@dataclass(frozen=True)
class PenaltySweep:
    """Breaks and cross-validation error at each penalty of the grid."""

    penalties: np.ndarray
    n_breaks: np.ndarray
    cv_error: np.ndarray
    break_months: list[list[str]]
    chosen: float


@dataclass(frozen=True)
class Regimes:
    """Regime segments with the shifts between them."""

    segments: pd.DataFrame  # start, end, mean (index), event_mean, n_events, n_months
    shifts: (
        pd.DataFrame
    )  # start, end, kind, peak_month, size, stability, prev_mean, mean, duration_months
    sweep: PenaltySweep = field(repr=False)


def _segment(y: np.ndarray, pen: float, min_size: int) -> list[int]:
    if len(y) < 2 * min_size:
        return []
    # KernelCPD with the linear kernel is exactly PELT with the L2 cost, in ruptures' C code
    # (same breaks, about 1000 times faster than rpt.Pelt(model="l2")).
    algo = rpt.KernelCPD(kernel="linear", min_size=min_size, jump=1).fit(y.reshape(-1, 1))
    return [int(b) for b in algo.predict(pen=pen)[:-1]]


def _cv_error(y: np.ndarray, pen: float, min_size: int) -> float:
    """Two-fold (alternate events) mean squared prediction error of the segmentation."""
    pos = np.arange(len(y))
    errors = []
    for parity in (0, 1):
        train = pos[pos % 2 == parity]
        test = pos[pos % 2 != parity]
        ytr = y[train]
        edges = [0, *_segment(ytr, pen, max(2, min_size // 2)), len(ytr)]
        means = np.array([ytr[a:b].mean() for a, b in zip(edges[:-1], edges[1:], strict=True)])
        nearest = np.clip(np.searchsorted(train, test) - 1, 0, len(train) - 1)
        seg = np.searchsorted(np.asarray(edges[1:]), nearest, side="right")
        errors.append(float(np.mean((y[test] - means[seg]) ** 2)))
    return float(np.mean(errors))


def event_sequence(events: pd.DataFrame) -> pd.DataFrame:
    """Day- and month-precision events in time order: columns month, goldstein."""
    ev = events[events["precision"] != "year"].copy()
    ev["_day"] = pd.to_datetime(ev["day"])
    sort = ["_day", "id"] if "id" in ev else ["_day"]
    ev = ev.sort_values(sort, kind="stable")
    return pd.DataFrame(
        {
            "month": ev["_day"].dt.to_period("M").astype(str).to_numpy(),
            "goldstein": ev["goldstein"].astype(float).to_numpy(),
        }
    )


def penalty_sweep(
    seq: pd.DataFrame, *, min_events: int = MIN_REGIME_EVENTS, n_grid: int = N_PENALTIES
) -> PenaltySweep:
    """Cross-validated penalty choice over a log grid (module docstring)."""
    y = seq["goldstein"].to_numpy(dtype=float)
    var = float(np.var(y)) or 1.0
    pens = var * np.logspace(-1.0, 2.0, n_grid)
    cv = np.array([_cv_error(y, float(p), min_events) for p in pens])
    # Ties (flat stretches of the error curve) go to the larger penalty: fewer breaks.
    best = int(np.flatnonzero(cv <= cv.min() + 1e-12)[-1])
    breaks = [_segment(y, float(p), min_events) for p in pens]
    months = seq["month"].to_numpy()
    return PenaltySweep(
        penalties=pens,
        n_breaks=np.array([len(b) for b in breaks]),
        cv_error=cv,
        break_months=[[str(months[b]) for b in bk] for bk in breaks],
        chosen=float(pens[best]),
    )


def _months_apart(a: str, b: str) -> int:
    pa, pb = pd.Period(a, "M"), pd.Period(b, "M")
    return abs((pa.year - pb.year) * 12 + pa.month - pb.month)


def find_regimes(
    index: pd.DataFrame,
    events: pd.DataFrame,
    *,
    min_events: int = MIN_REGIME_EVENTS,
    tolerance: int = STABILITY_TOLERANCE,
    penalty: float | None = None,
) -> Regimes:
    """Regimes from the event sequence, drawn over the index (columns month, score).

    ``penalty`` overrides the cross-validated choice.
    """
    seq = event_sequence(events)
    if len(seq) < 2 * min_events:
        raise IndexEstimationError(
            f"only {len(seq)} dated events; need at least {2 * min_events} to find regimes"
        )
    sweep = penalty_sweep(seq, min_events=min_events)
    chosen = sweep.chosen if penalty is None else float(penalty)
    y = seq["goldstein"].to_numpy(dtype=float)
    bks = _segment(y, chosen, min_events)
    months = list(index["month"])
    score = index["score"].to_numpy(dtype=float)
    pos = {m: i for i, m in enumerate(months)}
    # A regime starts in the month of its first event (several breaks in one month merge).
    starts = sorted({pos[seq["month"].iloc[b]] for b in bks if seq["month"].iloc[b] in pos} - {0})
    edges = [0, *starts, len(months)]
    seg_rows = []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        in_seg = (seq["month"] >= months[a]) & (seq["month"] <= months[b - 1])
        seg_rows.append(
            {
                "start": months[a],
                "end": months[b - 1],
                "mean": float(score[a:b].mean()),
                "event_mean": float(seq.loc[in_seg, "goldstein"].mean())
                if in_seg.any()
                else np.nan,
                "n_events": int(in_seg.sum()),
                "n_months": b - a,
            }
        )
    segs = pd.DataFrame(
        seg_rows, columns=["start", "end", "mean", "event_mean", "n_events", "n_months"]
    )
    near = [k for k, p in enumerate(sweep.penalties) if chosen / 4 <= p <= chosen * 4]
    rows = []
    for k in range(1, len(segs)):
        prev, cur = segs.iloc[k - 1], segs.iloc[k]
        a, b = edges[k], edges[k + 1]
        kind = "reset" if cur["event_mean"] > prev["event_mean"] else "breakdown"
        seg = score[a:b]
        extreme = int(np.argmax(seg) if kind == "reset" else np.argmin(seg))
        stable = (
            float(np.mean([any(_months_apart(x, cur["start"]) <= tolerance
                               for x in sweep.break_months[g]) for g in near]))
            if near else 0.0
        )  # fmt: skip
        rows.append(
            {
                "start": cur["start"],
                "end": cur["end"],
                "kind": kind,
                "peak_month": months[a + extreme],
                "size": float(cur["event_mean"] - prev["event_mean"]),
                "stability": stable,
                "prev_mean": float(prev["event_mean"]),
                "mean": float(cur["event_mean"]),
                "duration_months": b - a,
            }
        )
    shifts = pd.DataFrame(
        rows,
        columns=["start", "end", "kind", "peak_month", "size", "stability", "prev_mean", "mean",
                 "duration_months"],
    )  # fmt: skip
    sweep = PenaltySweep(
        sweep.penalties, sweep.n_breaks, sweep.cv_error, sweep.break_months, chosen
    )
    return Regimes(segments=segs, shifts=shifts, sweep=sweep)
