"""Regimes of the relationship by change-point detection, labelled resets and breakdowns.

What is segmented: the **monthly series of event weights** (Goldstein, -10..+10) between the
two actors, one row per month with events, each month weighted by its number of events
(day- and month-precision events; year-precision ones have no month). A regime is a run of
calendar months; its cost is the weighted sum of squares
``sum_m n_m * (mean_m - mu)^2`` plus the within-month sum of squares, which is exactly the
L2 (mean-shift) cost of the month's events around the regime mean ``mu``. So segmenting the
weighted monthly series is the same as segmenting the time-ordered event sequence with breaks
allowed only between months: a month of 10 events counts ten times a month of 1, as its
events would, and nothing is lost by aggregating except breaks inside a month, which a
monthly index cannot draw anyway. Given the regime, events scatter independently around its
mean, which is what a penalised mean-shift model assumes; the smoothed index would not do,
since its values are strongly autocorrelated and every penalty rule would find breaks in its
wiggles. The regimes are drawn over the index, and each regime's level is the index's mean
over its months.

How: exact optimal partitioning of the weighted monthly series (the problem PELT solves,
Jackson et al. 2005; PELT only prunes it) by dynamic programming over cumulative sums,
regimes of at least ``min_months`` calendar months and ``min_events`` events. ruptures' PELT
has no weighted cost in its compiled code and its custom costs run in Python per evaluation;
this program has as many steps as months with events, so its cost does not grow
with the number of events in those months (aggregating them is one pass).
The penalty is chosen automatically by **two-fold cross-validation** (Arlot & Celisse 2011,
"Segmentation of the mean of heteroscedastic data via cross-validation"): the events are split
into alternate halves in time order; for each penalty on a log grid, the segmentation fitted to
one half's monthly series predicts the other (each held-out event gets the mean of the regime
its month falls in), and the penalty with the smallest mean squared prediction error wins. Too
small a penalty fits noise and predicts the other half badly; too large a one misses real
shifts. The same grid gives the stability check: each break's share of penalties within a
factor of four of the chosen one whose segmentation has a break within ``tolerance`` months.

Nothing names a month: resets (upward shifts of the regime mean) and breakdowns (downward)
are whatever the data give.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from resetlab.exceptions import IndexEstimationError

MIN_REGIME_EVENTS = 5
MIN_REGIME_MONTHS = 6
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


@dataclass(frozen=True)
class MonthlySeries:
    """Months with events in time order: the month's period ordinal, its number of events and
    the sum and sum of squares of their weights."""

    ordinal: np.ndarray
    n: np.ndarray
    total: np.ndarray
    squares: np.ndarray

    @property
    def months(self) -> list[str]:
        return [str(pd.Period(ordinal=int(o), freq="M")) for o in self.ordinal]

    @property
    def n_events(self) -> int:
        return int(self.n.sum())

    def variance(self) -> float:
        """Variance of the event weights (from the sums)."""
        n = float(self.n.sum())
        mean = float(self.total.sum()) / n
        return max(float(self.squares.sum()) / n - mean**2, 0.0)


def monthly_series(ordinal: np.ndarray, goldstein: np.ndarray) -> MonthlySeries:
    """Aggregate events (their month's period ordinal and weight) to months, in one pass."""
    months, inverse = np.unique(np.asarray(ordinal, dtype=np.int64), return_inverse=True)
    y = np.asarray(goldstein, dtype=float)
    k = len(months)
    return MonthlySeries(
        ordinal=months,
        n=np.bincount(inverse, minlength=k).astype(float),
        total=np.bincount(inverse, weights=y, minlength=k),
        squares=np.bincount(inverse, weights=y * y, minlength=k),
    )


def _costs(ms: MonthlySeries, min_months: int, min_events: float, end_ordinal: int) -> np.ndarray:
    """``c[s, t]``: the L2 cost of one regime over rows ``s..t-1`` of ``ms`` (the sum of squares
    of its events around their mean), ``inf`` where the regime is too short.

    The regime spans the calendar months from row ``s``'s month to the month before row ``t``'s
    (to ``end_ordinal`` for the last) and must hold ``min_months`` months and ``min_events``
    events. The matrix does not depend on the penalty, so a sweep builds it once.
    """
    cw = np.concatenate([[0.0], np.cumsum(ms.n)])
    cs = np.concatenate([[0.0], np.cumsum(ms.total)])
    cq = np.concatenate([[0.0], np.cumsum(ms.squares)])
    edge = np.concatenate([ms.ordinal, [end_ordinal + 1]]).astype(np.int64)
    w = cw[None, :] - cw[:, None]
    s1 = cs[None, :] - cs[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = (cq[None, :] - cq[:, None]) - s1 * s1 / w
    short = (w < min_events) | (edge[None, :] - edge[:, None] < min_months)
    cost[short | ~np.isfinite(cost)] = np.inf
    return np.maximum(cost, 0.0)


def _segment_all(costs: np.ndarray, pens: np.ndarray) -> list[list[int]]:
    """For each penalty of ``pens``, the rows where a regime starts (the first excluded), by
    exact optimal partitioning with that penalty per break over the regime costs of
    :func:`_costs`; all penalties in one pass over the rows."""
    pens = np.asarray(pens, dtype=float).reshape(-1)
    k = costs.shape[0] - 1
    best = np.full((len(pens), k + 1), np.inf)
    best[:, 0] = -pens  # the first regime pays no break
    last = np.zeros((len(pens), k + 1), dtype=np.int64)
    for t in range(1, k + 1):
        total = best[:, :t] + costs[:t, t][None, :]
        j = np.argmin(total, axis=1)
        best[:, t] = total[np.arange(len(pens)), j] + pens
        last[:, t] = j
    out = []
    for p in range(len(pens)):
        starts: list[int] = []
        if np.isfinite(best[p, k]):
            t = k
            while t > 0:
                t = int(last[p, t])
                if t > 0:
                    starts.append(t)
        out.append(sorted(starts))
    return out


def _segment(costs: np.ndarray, pen: float) -> list[int]:
    """:func:`_segment_all` for one penalty."""
    return _segment_all(costs, np.array([pen]))[0]


def _segment_means(ms: MonthlySeries, starts: list[int]) -> np.ndarray:
    edges = [0, *starts, len(ms.n)]
    return np.array(
        [ms.total[a:b].sum() / ms.n[a:b].sum() for a, b in zip(edges[:-1], edges[1:], strict=True)]
    )


def _folds(seq: pd.DataFrame) -> tuple[MonthlySeries, MonthlySeries]:
    """The monthly series of the even- and odd-numbered events in time order."""
    ordinal = seq["ordinal"].to_numpy()
    y = seq["goldstein"].to_numpy(dtype=float)
    parity = np.arange(len(y)) % 2
    return (
        monthly_series(ordinal[parity == 0], y[parity == 0]),
        monthly_series(ordinal[parity == 1], y[parity == 1]),
    )


def _cv_errors(
    folds: tuple[MonthlySeries, MonthlySeries],
    costs: tuple[np.ndarray, np.ndarray],
    pens: np.ndarray,
) -> np.ndarray:
    """Two-fold (alternate events) mean squared prediction error of the segmentation, at each
    penalty of ``pens``."""
    errors = np.zeros((2, len(pens)))
    for f, ((train, test), c) in enumerate(zip((folds, folds[::-1]), costs, strict=True)):
        for p, starts in enumerate(_segment_all(c, pens)):
            means = _segment_means(train, starts)
            seg = np.searchsorted(train.ordinal[starts], test.ordinal, side="right")
            mu = means[seg]
            sse = test.squares - 2 * mu * test.total + mu * mu * test.n
            errors[f, p] = float(sse.sum() / test.n.sum())
    return errors.mean(axis=0)  # type: ignore[no-any-return]


def event_sequence(events: pd.DataFrame) -> pd.DataFrame:
    """Day- and month-precision events in time order: columns month, ordinal (the month's
    period ordinal), goldstein."""
    ev = events[events["precision"] != "year"].copy()
    ev["_day"] = pd.to_datetime(ev["day"])
    sort = ["_day", "id"] if "id" in ev else ["_day"]
    ev = ev.sort_values(sort, kind="stable")
    day = ev["_day"].dt
    return pd.DataFrame(
        {
            "month": day.to_period("M").astype(str).to_numpy(),
            # pandas' monthly period ordinal: months since 1970-01.
            "ordinal": ((day.year - 1970) * 12 + day.month - 1).to_numpy(dtype=np.int64),
            "goldstein": ev["goldstein"].astype(float).to_numpy(),
        }
    )


def penalty_sweep(
    seq: pd.DataFrame,
    *,
    min_events: int = MIN_REGIME_EVENTS,
    min_months: int = MIN_REGIME_MONTHS,
    end_ordinal: int | None = None,
    n_grid: int = N_PENALTIES,
) -> PenaltySweep:
    """Cross-validated penalty choice over a log grid (module docstring); ``seq`` as
    :func:`event_sequence` gives it, ``end_ordinal`` the last month of the span (default: the
    last month with events)."""
    ms = monthly_series(seq["ordinal"].to_numpy(), seq["goldstein"].to_numpy())
    end = int(ms.ordinal[-1]) if end_ordinal is None else int(end_ordinal)
    var = ms.variance() or 1.0
    pens = var * np.logspace(-1.0, 2.0, n_grid)
    folds = _folds(seq)
    half = max(2, min_events // 2)
    fold_costs = (_costs(folds[0], min_months, half, end), _costs(folds[1], min_months, half, end))
    cv = _cv_errors(folds, fold_costs, pens)
    # Ties (flat stretches of the error curve) go to the larger penalty: fewer breaks.
    best = int(np.flatnonzero(cv <= cv.min() + 1e-12)[-1])
    costs = _costs(ms, min_months, min_events, end)
    breaks = _segment_all(costs, pens)
    months = ms.months
    return PenaltySweep(
        penalties=pens,
        n_breaks=np.array([len(b) for b in breaks]),
        cv_error=cv,
        break_months=[[months[b] for b in bk] for bk in breaks],
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
    min_months: int = MIN_REGIME_MONTHS,
    tolerance: int = STABILITY_TOLERANCE,
    penalty: float | None = None,
) -> Regimes:
    """Regimes from the monthly series of event weights, drawn over the index (columns month,
    score).

    ``penalty`` overrides the cross-validated choice.
    """
    seq = event_sequence(events)
    if len(seq) < 2 * min_events:
        raise IndexEstimationError(
            f"only {len(seq)} dated events; need at least {2 * min_events} to find regimes"
        )
    months = list(index["month"])
    end = max(int(seq["ordinal"].iloc[-1]), pd.Period(months[-1], "M").ordinal)
    sweep = penalty_sweep(seq, min_events=min_events, min_months=min_months, end_ordinal=end)
    chosen = sweep.chosen if penalty is None else float(penalty)
    ms = monthly_series(seq["ordinal"].to_numpy(), seq["goldstein"].to_numpy())
    ev_months = ms.months
    bks = _segment(_costs(ms, min_months, min_events, end), chosen)
    score = index["score"].to_numpy(dtype=float)
    pos = {m: i for i, m in enumerate(months)}
    # A regime starts in the month of its first event.
    starts = sorted({pos[ev_months[b]] for b in bks if ev_months[b] in pos} - {0})
    edges = [0, *starts, len(months)]
    ev_ord = ms.ordinal
    seg_rows = []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        lo = pd.Period(months[a], "M").ordinal
        hi = pd.Period(months[b - 1], "M").ordinal
        in_seg = (ev_ord >= lo) & (ev_ord <= hi)
        n = float(ms.n[in_seg].sum())
        seg_rows.append(
            {
                "start": months[a],
                "end": months[b - 1],
                "mean": float(score[a:b].mean()),
                "event_mean": float(ms.total[in_seg].sum()) / n if n else np.nan,
                "n_events": int(n),
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
