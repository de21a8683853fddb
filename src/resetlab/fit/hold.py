""" "The reset holds h months", defined once for the outlook, the backtest, report and dashboard.

A reset that began in month ``start`` holds ``h`` months if the index stays above the
reset's own pre-reset level in every month from ``start`` to ``start + h``: the first month
at or below that level is the breakdown that ends it. The pre-reset level is the mean index
of the regime the reset lifted the relationship out of (:func:`pre_reset_level`). Months
already observed are conditioned on: if the index has already fallen to the level, the
reset has not held, whatever the forecast says; the forecast covers only the months not
yet observed.

Why not the record's own regime rule run on each simulated path: that rule segments the
monthly series of event weights, weighted by each month's events
(:mod:`resetlab.index.regimes`), and a simulated
member is an index path with no events, so there is nothing to segment; a change-point fit
on a smoothed path would find breaks in its wiggles, which is why the record does not use
the index either. Falling back to where the relationship stood before the reset is the
plain reading of "the reset is over".

Because every later month adds a condition, P(holds 24) <= P(holds 12) for any ensemble.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resetlab.exceptions import FitError

HOLD_MONTHS: tuple[int, ...] = (12, 24)


def latest_reset(shifts: pd.DataFrame) -> pd.Period:
    """The first month of the latest reset the regimes found (2025-02 on the built-in record)."""
    resets = shifts[shifts["kind"] == "reset"]
    if resets.empty:
        raise FitError("the regimes include no reset")
    return pd.Period(str(resets["start"].iloc[-1]), freq="M")


def pre_reset_level(segments: pd.DataFrame, start: pd.Period | str) -> float:
    """Mean index of the regime segment that ends the month before ``start``."""
    s = pd.Period(start, freq="M")
    ends = pd.PeriodIndex(segments["end"].astype(str), freq="M")
    before = segments.loc[np.asarray(ends == s - 1)]
    if before.empty:
        raise FitError(f"no regime ends in {s - 1}: the reset of {s} has no pre-reset level")
    return float(before["mean"].iloc[0])


def stays_above(paths: np.ndarray, level: float) -> np.ndarray:
    """``held[i, j]``: member ``j`` is above ``level`` in every month ``0..i`` (months x members)."""
    return np.logical_and.accumulate(np.asarray(paths, dtype=float) > level, axis=0)


def months_to_forecast(origin: pd.Period, start: pd.Period, h: int) -> int:
    """How many forecast months (from ``origin``) the event "holds ``h`` months" needs."""
    return max(0, int((start + h).ordinal - origin.ordinal) + 1)


def hold_members(
    ens: np.ndarray,
    origin: pd.Period | str,
    start: pd.Period | str,
    level: float,
    h: int,
    observed: np.ndarray | None = None,
) -> np.ndarray:
    """Per member: does the reset begun ``start`` hold ``h`` months (a boolean vector)?

    ``ens``: forecast months from ``origin`` on (months x members); ``observed``: the index
    in the months from ``start`` to ``origin - 1`` (already known; only those up to
    ``start + h`` count).
    """
    o, s = pd.Period(origin, freq="M"), pd.Period(start, freq="M")
    ens = np.asarray(ens, dtype=float)
    n = months_to_forecast(o, s, h)
    if n > ens.shape[0]:
        raise FitError(f"a {ens.shape[0]}-month forecast from {o} does not reach {s + h}")
    seen = np.asarray([] if observed is None else observed, dtype=float)[: h + 1]
    if len(seen) and not np.all(seen > level):
        return np.zeros(ens.shape[1], dtype=bool)  # already broken down: not held
    if n == 0:
        return np.ones(ens.shape[1], dtype=bool)
    return stays_above(ens[:n], level)[-1]


def hold_probability(
    ens: np.ndarray,
    origin: pd.Period | str,
    start: pd.Period | str,
    level: float,
    h: int,
    observed: np.ndarray | None = None,
) -> float:
    """P(the reset begun ``start`` holds ``h`` months): the share of members it holds for."""
    return float(hold_members(ens, origin, start, level, h, observed).mean())


def monte_carlo_se(held: np.ndarray, cluster: int = 1) -> float:
    """Standard error of a share of members, members grouped in clusters of ``cluster``.

    The members of one posterior draw share its parameters, so the share is averaged per
    draw and the error is that of a mean of independent draws.
    """
    x = np.asarray(held, dtype=float)
    k = max(1, int(cluster))
    if len(x) % k:
        raise FitError(f"{len(x)} members do not split into clusters of {k}")
    per = x.reshape(-1, k).mean(axis=1)
    if len(per) < 2:
        return float("nan")
    return float(per.std(ddof=1) / np.sqrt(len(per)))


def hold_shares(
    paths: np.ndarray, level: float, months: tuple[int, ...] = HOLD_MONTHS
) -> dict[str, float | None]:
    """P(holds h) for a run that starts at the reset (month 0 = the start), for each ``h``.

    None where the run is shorter than ``h + 1`` months.
    """
    paths = np.asarray(paths, dtype=float)
    held = stays_above(paths, level)
    return {str(h): (float(held[h].mean()) if paths.shape[0] > h else None) for h in months}
