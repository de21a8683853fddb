"""Slope and correlation tests: a regressor against the index or its changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from resetlab.exceptions import ModelError
from resetlab.index.claims.data import (
    COMMON_CHALLENGE_PATTERN,
    ClaimData,
    ClaimResult,
    FloatArray,
)
from resetlab.index.claims.planting import box_after, calmed
from resetlab.index.claims.resample import (
    _blocks,
    _cooperative,
    _interval,
    _monthly,
    _result,
    _slope_test,
    _volatility,
    _window_mean,
    require_variation,
)


def _symmetric_change(score: FloatArray) -> FloatArray:
    """mean(score[t+6..t+12]) - mean(score[t-12..t-6]).

    Symmetric about t, so the smoother's own spreading of month t's events (which reaches
    both sides alike) cancels.
    """
    return _window_mean(score, 6, 12) - _window_mean(score, -12, -6)


def _without_cooperation(data: ClaimData) -> tuple[FloatArray, bool]:
    """The index without the cooperative acts (leave-trigger-out) when the data carries it,
    else the index; and whether it was the former."""
    obs = data.observations
    if "without_cooperation" in obs and np.isfinite(obs["without_cooperation"]).any():
        return obs["without_cooperation"].to_numpy(float), True
    return data.index["score"].to_numpy(float), False


def _cooperation_builds(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    score, ltu = _without_cooperation(data)
    y = _symmetric_change(score)
    valid = np.isfinite(y)
    x, ids = _monthly(data, _cooperative(data), valid)
    s = _slope_test(x, y, valid, rng, resamples, block=24, min_shift=24, plant=data.plant)
    detail = (
        f"{'index without the cooperative acts' if ltu else 'index'}: change "
        f"(mean of t+6..t+12 minus mean of t-12..t-6) per cooperative act in "
        f"month t: {s.effect:+.3f} over {int(valid.sum())} months, {len(ids)} acts"
    )
    return _result(s, len(ids), ids, detail)


def _trust_threshold(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    score, ltu = _without_cooperation(data)
    y = _symmetric_change(score)
    level = _window_mean(score, -12, -6)
    valid = np.isfinite(y) & np.isfinite(level)
    x, ids = _monthly(data, _cooperative(data), valid)
    threshold = float(np.median(level[valid]))
    high = np.where(valid, level, -np.inf) > threshold
    s = _slope_test(
        x, y, valid, rng, resamples, block=24, min_shift=24, groups=high, plant=data.plant
    )
    detail = (
        f"{'index without the cooperative acts' if ltu else 'index'}: "
        f"slope of later change on cooperative acts when the prior level (mean of "
        f"t-12..t-6) is above its median {threshold:+.2f}: {s.inside:+.3f} vs below: "
        f"{s.outside:+.3f}"
    )
    return _result(s, len(ids), ids, detail)


def _treaties_calm(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    x = data.observations["treaty_share"].to_numpy(float)
    y = _volatility(data.observations["events_score"].to_numpy(float))
    valid = np.isfinite(y)
    s = _slope_test(
        x, y, valid, rng, resamples, block=24, min_shift=24, sign=-1.0, plant=data.plant
    )
    detail = (
        f"|monthly change| of the events-only index falls by {s.effect:+.3f} from no treaty to "
        f"the most in force (slope over {int(valid.sum())} months; share "
        f"{np.nanmin(x):.2f}-{np.nanmax(x):.2f})"
    )
    return _result(s, int(valid.sum()), (), detail)


def _pearson(x: FloatArray, y: FloatArray, axis: int = -1) -> FloatArray:
    xm = x - x.mean(axis=axis, keepdims=True)
    ym = y - y.mean(axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(
            (xm * ym).sum(axis) / np.sqrt((xm**2).sum(axis) * (ym**2).sum(axis)), dtype=float
        )


def _un_years(data: ClaimData, series: FloatArray) -> pd.DataFrame:
    """Complete years of the annual mean ``series`` (``index``) and UN agreement (``un``)."""
    months = data.months
    score = pd.Series(series, index=months)
    by_year = score.groupby(months.year)
    annual = by_year.mean()[by_year.count() == 12]
    un = data.un_agreement.set_index("year")["agreement"].astype(float)
    both = pd.concat([annual.rename("index"), un.rename("un")], axis=1, join="inner").sort_index()
    if len(both) == 0:
        raise ModelError("no year with both the index and UN votes")
    return both[np.diff(both.index.to_numpy(), prepend=both.index[0] - 1) == 1]


def _un_votes(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    both = _un_years(data, data.observations["events_score"].to_numpy(float))
    if len(both) < 6:
        raise ModelError(f"only {len(both)} years with both the index and UN votes; need 6")
    dx, dy = np.diff(both["index"].to_numpy()), np.diff(both["un"].to_numpy())
    require_variation(dx, "the yearly index change")
    require_variation(dy, "the yearly UN change")
    if data.plant is not None:
        # UN changes rotated against the index, then a correlation of plant.size mixed in
        zx = (dx - dx.mean()) / dx.std()
        zy = np.roll(dy - dy.mean(), data.plant.shift % len(dy)) / dy.std()
        rho = float(np.clip(data.plant.size, -0.99, 0.99))
        dy = rho * zx + np.sqrt(1 - rho**2) * zy
    r = float(_pearson(dx, dy))
    perm = stats.permutation_test(
        (dx, dy), _pearson, permutation_type="pairings", vectorized=True,
        n_resamples=resamples, rng=rng,
    )  # fmt: skip
    if data.plant is None:
        idx = _blocks(rng, len(dx), 3, resamples)
        lo, hi = _interval(_pearson(dx[idx], dy[idx]))
    else:
        lo = hi = float("nan")
    detail = (
        f"correlation of year-on-year changes of UN agreement and the annual mean events-only "
        f"index, {int(both.index[0])}-{int(both.index[-1])} ({len(dx)} changes)"
    )
    return ClaimResult(r, lo, hi, float(perm.pvalue), len(dx), (), detail)


def _common_challenges(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    coop = _cooperative(data)
    common = coop[
        (coop["domain"] == "multilateral")
        | coop["summary"].astype(str).str.contains(COMMON_CHALLENGE_PATTERN)
    ]
    c_count, c_ids = _monthly(data, common)
    all_count, _ = _monthly(data, coop)
    score = data.index["score"].to_numpy(float)
    d = _window_mean(score, 3, 3) - _window_mean(score, 18, 18)  # gain at +3 minus gain at +18
    require_variation(d, "the index gain")
    if data.plant is not None:  # the outcome rotated against the acts, the effect planted
        d = np.roll(d, data.plant.shift) + np.where(c_count > 0, data.plant.size, 0.0)
    ok = np.isfinite(d)
    d_common = d[ok & (c_count > 0)]
    d_other = d[ok & (all_count > 0) & (c_count == 0)]
    if len(d_common) < 2 or len(d_other) < 2:
        raise ModelError("fewer than two months of common-challenge or of other cooperation")

    def diff(a: FloatArray, b: FloatArray, axis: int = -1) -> FloatArray:
        return np.asarray(np.mean(a, axis=axis) - np.mean(b, axis=axis), dtype=float)

    effect = float(diff(d_common, d_other))
    perm = stats.permutation_test(
        (d_common, d_other), diff, permutation_type="independent", vectorized=True,
        n_resamples=resamples, rng=rng,
    )  # fmt: skip
    if data.plant is None:
        ci = stats.bootstrap(
            (d_common, d_other), diff, vectorized=True, n_resamples=resamples,
            method="percentile", rng=rng,
        ).confidence_interval  # fmt: skip
        lo, hi = float(ci.low), float(ci.high)
    else:
        lo = hi = float("nan")
    ok_months = set(data.months[ok])
    used = tuple(
        i for i, m in zip(common["id"], common["month"], strict=True)
        if not pd.isna(m) and m in ok_months
    )  # fmt: skip
    detail = (
        f"index gain at +3 m minus gain at +18 m: {d_common.mean():+.2f} after "
        f"{len(d_common)} common-challenge months vs {d_other.mean():+.2f} after "
        f"{len(d_other)} other cooperative months"
    )
    return ClaimResult(effect, lo, hi, float(perm.pvalue), len(used), used, detail)


# -- latent shapes of the effects planted in the events (power; see events.py) ----------------


def _cooperation_latent(data: ClaimData, shift: int, series: FloatArray) -> FloatArray:
    del series
    x, _ = _monthly(data, _cooperative(data))
    return box_after(np.roll(x, shift), 1, 12)  # each act lifts the level for a year


def _trust_latent(data: ClaimData, shift: int, series: FloatArray) -> FloatArray:
    # as cooperation-builds, for the acts in months whose prior level is above its median
    y = _symmetric_change(series)
    level = _window_mean(series, -12, -6)
    valid = np.isfinite(y) & np.isfinite(level)
    high = np.where(valid, level, -np.inf) > float(np.median(level[valid]))
    x, _ = _monthly(data, _cooperative(data))
    return box_after(np.roll(x, shift) * high, 1, 12)


def _treaties_latent(data: ClaimData, shift: int, series: FloatArray) -> FloatArray:
    # a calmer level the larger the share in force: monthly changes shrunk by the share
    share = np.nan_to_num(data.observations["treaty_share"].to_numpy(float))
    return calmed(series, np.roll(share, shift))


def _common_latent(data: ClaimData, shift: int, series: FloatArray) -> FloatArray:
    # the test rotates its outcome by +shift, i.e. the acts' months by -shift
    del series
    coop = _cooperative(data)
    common = coop[
        (coop["domain"] == "multilateral")
        | coop["summary"].astype(str).str.contains(COMMON_CHALLENGE_PATTERN)
    ]
    c_count, _ = _monthly(data, common)
    return box_after(np.roll(c_count > 0, -shift).astype(float), 1, 12)  # a gain gone by +18


def _un_latent(data: ClaimData, shift: int, series: FloatArray) -> FloatArray:
    # yearly level steps equal to the rotated, standardised UN changes the test pairs with
    both = _un_years(data, series)
    dy = np.diff(both["un"].to_numpy())
    require_variation(dy, "the yearly UN change")
    zy = np.roll(dy - dy.mean(), shift % len(dy)) / dy.std()
    steps = pd.Series(np.r_[0.0, np.cumsum(zy)], index=both.index)
    years = data.months.year
    level = steps.reindex(range(int(years.min()), int(years.max()) + 1)).ffill().fillna(0.0)
    return np.asarray(level.loc[years].to_numpy(), dtype=float)
