"""Verdicts on claim tests: one test's verdict, pooling across pairs, multiplicity, equivalence.

- :func:`verdict`: one test on one record, from its interval and unadjusted p.
- :func:`pool`: a random-effects meta-analysis of per-pair effects (statsmodels
  ``combine_effects`` with the Paule-Mandel between-pair variance: with a handful of pairs and
  unequal standard errors it is less biased towards zero than DerSimonian-Laird), reporting the
  between-pair heterogeneity tau^2 and I^2.
- :func:`holm`: Holm's step-down adjustment of every p-value in a report (statsmodels
  ``multipletests``); it controls the family-wise error without assuming independence.
- :func:`equivalence`: two one-sided tests (TOST) that an effect lies within ``+-margin``,
  the test of a null claim ("X makes no difference").
- :func:`power`: the share of planted effects a test detects; :func:`normal_power` (and
  :func:`equivalence_power` for a TOST) its normal approximation from a standard error.
- :func:`decide`: the report's verdict from the adjusted p and the power;
  :func:`equivalence_doubt` why a null claim's equivalence is not claimed although its TOST
  passes (too little power against an effect the margin's size, or an equivalence that rests
  on the scale of barely moving indices).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.multitest import multipletests

from resetlab.exceptions import ModelError
from resetlab.index.claims.data import ClaimResult

#: Verdicts of the report, in the order the report lists them.
VERDICTS: tuple[str, ...] = ("supported", "contradicted", "inconclusive", "not decidable")
#: Below this power a test cannot decide the claim with this record.
MIN_POWER = 0.5
_Z975 = float(stats.norm.ppf(0.975))
#: A null claim is supported only where the same test, at its standard error, would detect an
#: effect the size of the margin at least this often (two-sided, 5%): otherwise "within the
#: margin" is what an insensitive test finds whatever the truth.
MIN_MARGIN_POWER = 0.8


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


def standard_error(result: ClaimResult) -> float:
    """The standard error implied by a result's 95% interval (half-width / 1.96)."""
    width = result.ci_hi - result.ci_lo
    if not (np.isfinite(width) and width > 0):
        return float("nan")
    return float(width / (2 * _Z975))


@dataclass(frozen=True)
class Pooled:
    """A random-effects pooled effect across pairs, with its between-pair heterogeneity."""

    effect: float
    ci_lo: float
    ci_hi: float
    se: float
    p_value: float
    tau2: float
    i2: float
    n_dyads: int


def pool(effects: Sequence[float], ses: Sequence[float]) -> Pooled:
    """Random-effects (Paule-Mandel) meta-analysis of per-pair ``effects`` with standard ``ses``.

    Pairs whose effect or standard error is not finite and positive are left out; at least two
    pairs must remain. p is the two-sided normal test of the pooled effect against 0.
    """
    eff = np.asarray(effects, dtype=float)
    se = np.asarray(ses, dtype=float)
    if eff.shape != se.shape:
        raise ModelError(f"pool: {len(eff)} effects but {len(se)} standard errors")
    ok = np.isfinite(eff) & np.isfinite(se) & (se > 0)
    if ok.sum() < 2:
        raise ModelError(f"pool: {int(ok.sum())} usable pairs; a meta-analysis needs at least 2")
    with np.errstate(divide="ignore", invalid="ignore"):  # I^2 of identical effects is 0/0
        res = combine_effects(eff[ok], se[ok] ** 2, method_re="pm")
    i2 = float(res.i2)
    mean = float(res.mean_effect_re)
    sd = float(res.sd_eff_w_re)
    p = float(2 * stats.norm.sf(abs(mean) / sd)) if sd > 0 else float("nan")
    return Pooled(
        effect=mean,
        ci_lo=mean - _Z975 * sd,
        ci_hi=mean + _Z975 * sd,
        se=sd,
        p_value=p,
        tau2=float(res.tau2),
        i2=max(0.0, i2) if np.isfinite(i2) else 0.0,
        n_dyads=int(ok.sum()),
    )


def holm(p_values: Sequence[float]) -> npt.NDArray[np.float64]:
    """Holm-adjusted p-values; NaN entries stay NaN and do not count as tests."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="holm")[1]
    return out


def equivalence(effect: float, se: float, margin: float) -> float:
    """TOST p-value that ``effect`` lies within ``(-margin, margin)`` (normal approximation).

    The larger of the two one-sided p-values (H0: effect <= -margin; H0: effect >= margin);
    small p means "within the margin".
    """
    if not (margin > 0):
        raise ModelError(f"equivalence margin must be positive, got {margin}")
    if not (np.isfinite(effect) and np.isfinite(se) and se > 0):
        return float("nan")
    p_low = float(stats.norm.sf((effect + margin) / se))
    p_high = float(stats.norm.cdf((effect - margin) / se))
    return max(p_low, p_high)


def normal_power(size: float, se: float, alpha: float = 0.05) -> float:
    """Power of a two-sided normal test at level ``alpha`` for a true effect ``size``."""
    if not (np.isfinite(se) and se > 0):
        return float("nan")
    z = float(stats.norm.ppf(1 - alpha / 2))
    d = abs(size) / se
    return float(stats.norm.sf(z - d) + stats.norm.cdf(-z - d))


def power(p_values: Sequence[float] | npt.ArrayLike, alpha: float = 0.05) -> float:
    """Share of p-values below ``alpha``: the power from tests on planted effects."""
    p = np.asarray(p_values, dtype=float)
    p = p[np.isfinite(p)]
    if len(p) == 0:
        return float("nan")
    return float(np.mean(p < alpha))


def equivalence_power(margin: float, se: float, alpha: float = 0.05) -> float:
    """Power of the TOST at level ``alpha`` when the true effect is 0 (normal approximation)."""
    if not (margin > 0 and np.isfinite(se) and se > 0):
        return float("nan")
    z = float(stats.norm.ppf(1 - alpha))
    return float(max(0.0, 2 * stats.norm.cdf(margin / se - z) - 1))


def decide(
    ci_lo: float,
    ci_hi: float,
    p_adj: float,
    power_: float,
    direction: str,
    *,
    margin: float | None = None,
    alpha: float = 0.05,
) -> str:
    """The report's verdict: one of :data:`VERDICTS`.

    - power below :data:`MIN_POWER` (or unknown): ``not decidable``;
    - direction "+" or "-": supported / contradicted when the Holm-adjusted ``p_adj`` < alpha
      and the interval lies on the article's / the other side of 0, else inconclusive;
    - direction "0" (a null claim; ``p_adj`` is then the adjusted TOST p): supported when
      ``p_adj`` < alpha (the effect is within ``+-margin``), contradicted when the interval
      lies wholly outside the margin, else inconclusive.
    """
    if direction not in ("+", "-", "0"):
        raise ModelError(f"direction must be '+', '-' or '0', got {direction!r}")
    if not (math.isfinite(power_) and power_ >= MIN_POWER):
        return "not decidable"
    finite = all(math.isfinite(v) for v in (ci_lo, ci_hi))
    if direction == "0":
        if margin is None or not margin > 0:
            raise ModelError("a null claim (direction '0') needs a positive margin")
        if math.isfinite(p_adj) and p_adj < alpha:
            return "supported"
        if finite and (ci_lo > margin or ci_hi < -margin):
            return "contradicted"
        return "inconclusive"
    if not (finite and math.isfinite(p_adj) and p_adj < alpha):
        return "inconclusive"
    sign = 1.0 if direction == "+" else -1.0
    lo, hi = sorted((sign * ci_lo, sign * ci_hi))
    if lo > 0:
        return "supported"
    if hi < 0:
        return "contradicted"
    return "inconclusive"


def equivalence_doubt(power_margin: float, std_p: float = float("nan"),
                      alpha: float = 0.05) -> str | None:  # fmt: skip
    """Why a null claim whose TOST passes is still not supported, or None.

    ``power_margin``: the power of the two-sided test at a true effect of the margin's size
    (the table's: the share of rotations with that effect planted in the events that the test
    detects; :func:`normal_power` gives it from a standard error); below :data:`MIN_MARGIN_POWER` the
    test could not tell an effect that large from none. ``std_p``: the TOST p of the
    sensitivity pool, every pair's effect and standard error divided by its index sd (NaN
    where the test reads no index or the row is one pair); at or above ``alpha`` the
    equivalence holds only on the pairs' own index scales, where pairs whose index barely
    moves have tiny effects and tiny standard errors and dominate the pool by them.
    """
    if not (math.isfinite(power_margin) and power_margin >= MIN_MARGIN_POWER):
        return (
            f"equivalence not claimed: power {power_margin:.2f} against an effect the size of "
            f"the margin (needs {MIN_MARGIN_POWER})"
        )
    if math.isfinite(std_p) and std_p >= alpha:
        return (
            "equivalence not claimed: with each pair's effect standardised by its index sd the "
            f"pooled effect is not within the margin (TOST p {std_p:.3g})"
        )
    return None


def decide_table(rows: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Add ``p_adj`` (Holm over every row: every claim of the report, every scope) and
    ``verdict`` (:func:`decide`) to a claims table.

    Needs the columns ``p_value`` (for a null claim, its TOST p), ``ci_lo``, ``ci_hi``,
    ``power``, ``direction`` and ``margin``. Where the table has ``power_margin`` (and
    ``std_p_value``), a null claim's *supported* is kept only if :func:`equivalence_doubt`
    has no objection; otherwise the row is *inconclusive* and its ``detail`` says why.
    """
    missing = [c for c in ("p_value", "ci_lo", "ci_hi", "power", "direction", "margin")
               if c not in rows.columns]  # fmt: skip
    if missing:
        raise ModelError(f"claims table lacks column(s) {', '.join(missing)}")
    out = rows.copy()
    out["p_adj"] = holm(out["p_value"].to_numpy(float))
    out["verdict"] = [
        decide(
            float(r.ci_lo),
            float(r.ci_hi),
            float(r.p_adj),
            float(r.power),
            str(r.direction),
            margin=None if pd.isna(r.margin) else float(r.margin),
            alpha=alpha,
        )  # fmt: skip
        for r in out.itertuples()
    ]
    if "power_margin" in out.columns:
        std_p = out["std_p_value"] if "std_p_value" in out.columns else pd.Series(np.nan, out.index)
        for i in out.index[(out["verdict"] == "supported") & (out["direction"] == "0")]:
            why = equivalence_doubt(float(out.at[i, "power_margin"]), float(std_p[i]), alpha)
            if why is not None:
                out.at[i, "verdict"] = "inconclusive"
                if "detail" in out.columns:
                    out.at[i, "detail"] = f"{out.at[i, 'detail']}; {why}"
    return out
