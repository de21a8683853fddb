"""Shared machinery of the claim tests: monthly counts, windows, circular shifts, the block
bootstrap, p-values and intervals, and the generic mask and slope tests.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from arch.bootstrap import CircularBlockBootstrap

from resetlab.exceptions import ModelError
from resetlab.index.claims.data import (
    COOPERATIVE_FROM,
    HOSTILE_BELOW,
    BoolArray,
    ClaimData,
    ClaimResult,
    FloatArray,
    Plant,
)

# -- shared machinery --------------------------------------------------------------------------


def _month_pos(data: ClaimData) -> dict[pd.Period, int]:
    """Each index month's row (the index has one row per consecutive month)."""
    months = data.months
    return _positions(months[0], len(months)) if len(months) else {}


@functools.lru_cache(maxsize=64)
def _positions(first: pd.Period, n: int) -> dict[pd.Period, int]:
    # cached: every test and every rotation of every pair asks for it
    return {first + i: i for i in range(n)}


def _monthly(
    data: ClaimData, rows: pd.DataFrame, valid: BoolArray | None = None
) -> tuple[FloatArray, tuple[str, ...]]:
    """Count of ``rows`` per index month, and the ids of those counted in ``valid`` months."""
    pos = _month_pos(data)
    out = np.zeros(len(pos))
    ids = []
    for m, eid in zip(rows["month"], rows["id"], strict=True):
        i = pos.get(m) if not pd.isna(m) else None
        if i is not None:
            out[i] += 1
            if valid is None or valid[i]:
                ids.append(str(eid))
    return out, tuple(ids)


def _hostile(ev: pd.DataFrame, side: tuple[str, ...]) -> pd.DataFrame:
    return ev[ev["actor"].isin(side) & (ev["goldstein"] < HOSTILE_BELOW)]


def _cooperative(data: ClaimData, actors: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Cooperative acts between the pair's two sides, by ``actors`` (default: either side)."""
    ev, a, b = data.events, data.side_a, data.side_b
    dyad = (ev["actor"].isin(a) & ev["target"].isin(b)) | (
        ev["actor"].isin(b) & ev["target"].isin(a)
    )
    by = ev["actor"].isin(a + b if actors is None else actors)
    return ev[dyad & by & (ev["goldstein"] >= COOPERATIVE_FROM)]


def regime_strata(data: ClaimData) -> npt.NDArray[np.int64]:
    """The regime segment (0, 1, ...) of every index month, from ``data.regimes`` shifts: a
    segment runs from one shift's start to the month before the next; one stratum when the
    record has no shift. The matched-control tests compare months within a segment."""
    starts = sorted({pd.Period(str(s), "M") for s in data.regimes.get("start", [])})
    months = data.months
    out = np.zeros(len(months), dtype=np.int64)
    for s in starts:
        out += np.asarray(months >= s, dtype=np.int64)
    return out


def _window_mean(x: FloatArray, lo: int, hi: int) -> FloatArray:
    """Mean of ``x[t+lo .. t+hi]`` for every t (NaN where the window leaves the series)."""
    n = len(x)
    cs = np.concatenate([[0.0], np.cumsum(x)])
    out = np.full(n, np.nan)
    t = np.arange(n)
    ok = (t + lo >= 0) & (t + hi < n)
    out[ok] = (cs[t[ok] + hi + 1] - cs[t[ok] + lo]) / (hi - lo + 1)
    return out


def _after(trigger: BoolArray, lo: int, hi: int) -> BoolArray:
    """Months t with a trigger in t-hi .. t-lo (the trigger's window t+lo .. t+hi)."""
    n = len(trigger)
    cs = np.concatenate([[0], np.cumsum(trigger.astype(int))])
    t = np.arange(n)
    a = np.clip(t - hi, 0, n)
    b = np.clip(t - lo + 1, 0, n)
    return np.asarray((cs[b] - cs[a]) > 0)


def _shifts(rng: np.random.Generator, n: int, min_shift: int, size: int) -> npt.NDArray[np.int64]:
    lo = max(1, min(min_shift, n // 4))
    return rng.integers(lo, n - lo + 1, size=size)


def _rolled(x: npt.NDArray[Any], shifts: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
    """``x`` circularly shifted by each lag: shape (len(shifts), len(x))."""
    n = len(x)
    return x[(np.arange(n)[None, :] - shifts[:, None]) % n]


def _blocks(rng: np.random.Generator, n: int, block: int, size: int) -> npt.NDArray[np.int64]:
    """Circular block bootstrap row indices, shape (size, n), from ``arch``.

    ``arch``'s :class:`~arch.bootstrap.CircularBlockBootstrap` draws the indices (blocks of
    ``block`` months wrapping around the end); the statistic is then computed on all rows at
    once, which ``arch``'s own ``apply`` would do one resample at a time.
    """
    bs = CircularBlockBootstrap(max(1, min(block, n)), np.arange(n), seed=rng)
    return np.stack([bs.update_indices() for _ in range(size)]).astype(np.int64)


def _p_two_sided(obs: float, null: FloatArray) -> float:
    """Two-sided randomisation p-value: twice the smaller tail, with the +1 correction."""
    null = null[np.isfinite(null)]
    m = len(null)
    if m == 0 or not np.isfinite(obs):
        return 1.0
    upper = (1 + np.sum(null >= obs)) / (m + 1)
    lower = (1 + np.sum(null <= obs)) / (m + 1)
    return float(min(1.0, 2 * min(upper, lower)))


def _interval(boot: FloatArray) -> tuple[float, float]:
    boot = boot[np.isfinite(boot)]
    if len(boot) == 0:
        return float("nan"), float("nan")
    lo, hi = np.percentile(boot, [2.5, 97.5])
    return float(lo), float(hi)


def _mean_diff(
    y: FloatArray, masks: BoolArray, valid: BoolArray, strata: npt.NDArray[np.int64] | None = None
) -> FloatArray:
    """mean(y | mask) - mean(y | not mask) over valid months, per row of ``masks``.

    With ``strata`` (one label a month, same shape as ``y``): the difference within each
    stratum that has months both inside and outside the mask, averaged with weights = months
    inside (matched controls: each window month against the other months of its stratum).
    """
    y0 = np.where(valid, y, 0.0)
    a = masks & valid
    b = ~masks & valid
    with np.errstate(invalid="ignore", divide="ignore"):
        if strata is None:
            return np.asarray(
                (a * y0).sum(-1) / a.sum(-1) - (b * y0).sum(-1) / b.sum(-1), dtype=float
            )
        k = int(strata.max()) + 1 if strata.size else 1
        st = np.broadcast_to(strata, a.shape)
        lead = a.shape[:-1]
        rows = np.arange(int(np.prod(lead))).reshape(lead + (1,))
        flat = (rows * k + st).ravel()

        def by(w: BoolArray, v: FloatArray) -> FloatArray:
            sums = np.bincount(flat, weights=(w * v).ravel(), minlength=rows.size * k)
            return np.asarray(sums.reshape(lead + (k,)), dtype=float)

        ones = np.ones(a.shape)
        na, nb = by(a, ones), by(b, ones)
        diff = by(a, np.broadcast_to(y0, a.shape)) / na - by(b, np.broadcast_to(y0, a.shape)) / nb
        w = np.where((na > 0) & (nb > 0), na, 0.0)
        return np.asarray((np.nan_to_num(diff) * w).sum(-1) / w.sum(-1), dtype=float)


#: Below this standard deviation (index units, or the test's own units) an outcome is flat.
FLAT_BELOW = 1e-6


def require_variation(y: FloatArray, what: str = "the test's outcome") -> None:
    """Refuse a flat outcome: on a pair whose index the state-space fit holds constant (no
    variance in the level), every index test would give an effect of 0 with a standard error
    of 0, which a pool would take as perfectly precise evidence of no effect."""
    y = y[np.isfinite(y)]
    if len(y) < 2 or float(np.std(y)) < FLAT_BELOW:
        raise ModelError(f"{what} does not vary (a flat index): the test cannot run on it")


@dataclass(frozen=True)
class _Stat:
    effect: float
    lo: float
    hi: float
    p: float
    inside: float  # mean in the mask (or slope in the high group)
    outside: float


def _mask_test(
    y: FloatArray,
    mask: BoolArray,
    valid: BoolArray,
    rng: np.random.Generator,
    resamples: int,
    *,
    block: int,
    min_shift: int,
    sign: float = 1.0,
    strata: npt.NDArray[np.int64] | None = None,
    plant: Plant | None = None,
) -> _Stat:
    """Difference of mean ``y`` inside vs outside ``mask`` (times ``sign``), within
    ``strata`` when given (matched controls, see :func:`_mean_diff`).

    p: the mask circularly shifted against ``y`` (the strata stay with the months); interval:
    circular block bootstrap of the (mask, y, stratum) months. With ``plant``: the mask is
    rotated by ``plant.shift`` and ``plant.size`` added to ``y`` in its months (times
    ``sign``), and no interval is drawn.
    """
    valid = valid & np.isfinite(y)
    require_variation(y[valid])
    if plant is not None:
        mask = np.roll(mask, plant.shift)
        y = _planted(y, mask & valid, sign * plant.size, rng) if plant.in_events else (
            np.where(mask & valid, y + sign * plant.size, y)
        )  # fmt: skip
    if not (mask & valid).any() or not (~mask & valid).any():
        raise ModelError("the test's months are all inside or all outside its mask")
    obs = float(_mean_diff(y, mask[None, :], valid, strata)[0])
    null = sign * _mean_diff(
        y, _rolled(mask, _shifts(rng, len(y), min_shift, resamples)), valid, strata
    )
    if plant is None:
        yv, mv = y[valid], mask[valid]
        idx = _blocks(rng, len(yv), block, resamples)
        sv = None if strata is None else strata[valid][idx]
        boot = sign * _mean_diff(yv[idx], mv[idx], np.ones_like(idx, dtype=bool), sv)
        lo, hi = _interval(boot)
    else:
        lo = hi = float("nan")
    effect = sign * obs
    return _Stat(
        effect, lo, hi, _p_two_sided(effect, null),
        float(y[mask & valid].mean()), float(y[~mask & valid].mean()),
    )  # fmt: skip


def _planted(
    y: FloatArray, months: BoolArray, change: float, rng: np.random.Generator
) -> FloatArray:
    """A count outcome ``y`` with an effect of ``change`` acts a month planted as events in
    ``months``: Poisson(``change``) synthetic acts added to each, or (``change`` < 0) each of
    the months' own acts removed with probability ``-change`` / their mean count (all of them
    when there are fewer than that), so that the change is ``change`` a month in expectation."""
    if change >= 0:
        return np.where(months, y + rng.poisson(change, len(y)), y)
    counts = np.where(months, np.round(y), 0).astype(np.int64)
    mean = float(counts[months].mean()) if months.any() else 0.0
    share = min(1.0, -change / mean) if mean > 0 else 0.0
    return np.asarray(y - rng.binomial(counts, share), dtype=float)


def _slopes(x: FloatArray, y: FloatArray, w: BoolArray) -> FloatArray:
    """OLS slope of y on x over rows where w, along the last axis (broadcasting)."""
    wf = w.astype(float)
    nw = wf.sum(-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        xm = (x * wf).sum(-1, keepdims=True) / nw
        ym = (y * wf).sum(-1, keepdims=True) / nw
        return np.asarray(
            ((x - xm) * (y - ym) * wf).sum(-1) / ((x - xm) ** 2 * wf).sum(-1), dtype=float
        )


def _slope_test(
    x: FloatArray,
    y: FloatArray,
    valid: BoolArray,
    rng: np.random.Generator,
    resamples: int,
    *,
    block: int,
    min_shift: int,
    sign: float = 1.0,
    groups: BoolArray | None = None,
    plant: Plant | None = None,
) -> _Stat:
    """OLS slope of y on x (times ``sign``); with ``groups``, slope in group minus slope outside.

    p: ``x`` circularly shifted against (y, groups); interval: circular block bootstrap of the
    (x, y, group) months. With ``plant``: ``x`` is rotated by ``plant.shift`` and a slope of
    ``plant.size`` (times ``sign``; in the ``groups`` months only, when given) is added to
    ``y``, and no interval is drawn.
    """
    require_variation(y[valid & np.isfinite(y)])
    if plant is not None:
        x = np.roll(x, plant.shift)
        ok = valid & np.isfinite(y) & np.isfinite(x)
        in_g = ok if groups is None else ok & groups
        centred = np.where(in_g, x - np.nanmean(np.where(in_g, x, np.nan)), 0.0)
        y = y + sign * plant.size * centred
    valid = valid & np.isfinite(y) & np.isfinite(x)
    xf = np.nan_to_num(x)  # rolled whole, so edge months keep their own values
    x0, y0 = np.where(valid, x, 0.0), np.where(valid, y, 0.0)

    def stat(xx: FloatArray, yy: FloatArray, ww: BoolArray, gg: BoolArray | None) -> FloatArray:
        if gg is None:
            return _slopes(xx, yy, ww)
        return _slopes(xx, yy, ww & gg) - _slopes(xx, yy, ww & ~gg)

    g = groups
    obs = sign * float(stat(x0, y0, valid, g)[()])
    null = sign * stat(_rolled(xf, _shifts(rng, len(xf), min_shift, resamples)), y0, valid, g)
    if plant is None:
        xv, yv = x0[valid], y0[valid]
        gv = None if g is None else g[valid]
        idx = _blocks(rng, len(xv), block, resamples)
        ones = np.ones_like(idx, dtype=bool)
        boot = sign * stat(xv[idx], yv[idx], ones, None if gv is None else gv[idx])
        lo, hi = _interval(boot)
    else:
        lo = hi = float("nan")
    if g is None:
        inside = outside = float("nan")
    else:
        inside = float(_slopes(x0, y0, valid & g))
        outside = float(_slopes(x0, y0, valid & ~g))
    return _Stat(obs, lo, hi, _p_two_sided(obs, null), inside, outside)


def _result(s: _Stat, n_events: int, events: tuple[str, ...], detail: str) -> ClaimResult:
    return ClaimResult(
        effect=float(s.effect), ci_lo=float(s.lo), ci_hi=float(s.hi), p_value=float(s.p),
        n_events=int(n_events), events=events, detail=detail,
    )  # fmt: skip


def _ids_in(data: ClaimData, mask: BoolArray) -> tuple[str, ...]:
    months = set(data.months[mask])
    ev = data.events
    return tuple(str(i) for i, m in zip(ev["id"], ev["month"], strict=True) if m in months)


def _volatility(score: FloatArray) -> FloatArray:
    return np.concatenate([[np.nan], np.abs(np.diff(score))])
