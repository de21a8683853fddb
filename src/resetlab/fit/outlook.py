"""Outlook for the latest reset, with its skill, and which levers move it (Morris, then Sobol).

"Holds ``h`` months" is :mod:`resetlab.fit.hold`'s: the index stays above the reset's own
pre-reset level in every month from the reset's start to ``start + h``, the months already
observed conditioned on. The probability is the share of forecast members (posterior draws
x members) for which it holds, with a Monte Carlo standard error over posterior draws.
Forecasts start from the last observed month and know only what the backtest's forecasts
know (:mod:`resetlab.fit.history`). :func:`outlook_table` joins each probability to the
Brier skill of the same event in the backtest and says, in words computed from those
numbers, whether to read it as a forecast or as a scenario.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from resetlab.exceptions import ModelError
from resetlab.fit.budget import Budget, get_budget
from resetlab.fit.calibrate import Posterior, forecast
from resetlab.fit.history import FitData, Vintage, history_forcing
from resetlab.fit.hold import (
    HOLD_MONTHS,
    hold_members,
    hold_probability,
    latest_reset,
    monte_carlo_se,
    months_to_forecast,
)
from resetlab.model.forcing import Forcing
from resetlab.model.spec import PerspectiveModel, Scenario

if TYPE_CHECKING:
    from resetlab.fit.backtest import Backtest

NO_SKILL = "no skill: read as a scenario, not a forecast"
SKILL = "forecast: skill on this event in the backtest"

__all__ = ["HOLD_MONTHS", "Outlook", "hold_probability", "latest_reset", "outlook", "outlook_table"]


@dataclass(frozen=True)
class Outlook:
    """Per perspective: P(holds 12 / 24 months), their errors, and the forecast fan."""

    table: pd.DataFrame  # perspective, p_hold_12, p_hold_24, mc_se_12, mc_se_24, members
    fans: pd.DataFrame  # perspective, month, q05, q25, q50, q75, q95
    reset_start: str
    level: float  # the pre-reset level
    budget: str
    origin: str = ""  # first forecast month
    observed: tuple[float, ...] = ()  # the index from the reset's start to the last month


def _horizon(origin: pd.Period, reset_start: pd.Period) -> int:
    end = reset_start + max(HOLD_MONTHS)
    if end < origin:
        raise ModelError(f"the reset of {reset_start} is over {max(HOLD_MONTHS)} months old")
    return int(end.ordinal - origin.ordinal) + 1


def _observed(vintage: Vintage, start: pd.Period) -> np.ndarray:
    idx = vintage.index
    m = pd.PeriodIndex(idx["month"], freq="M")
    return idx.loc[np.asarray(m >= start), "score"].to_numpy(dtype=float)


def outlook(
    perspectives: dict[str, PerspectiveModel],
    posteriors: dict[str, Posterior],
    data: FitData,
    base: Scenario,
    reset_start: pd.Period | str,
    *,
    budget: str | Budget = "quick",
    seed: int = 0,
) -> Outlook:
    """P(the reset holds 12 and 24 months) under each perspective's posterior."""
    b = get_budget(budget)
    start = pd.Period(reset_start, freq="M")
    vintage = data.vintage()
    horizon = _horizon(vintage.origin, start)
    forcing, _ = history_forcing(base, vintage, horizon)
    observed = _observed(vintage, start)
    rows, fans = [], []
    months = pd.period_range(vintage.origin, periods=horizon, freq="M")
    for name, p in perspectives.items():
        ens = forecast(
            p, posteriors[name], vintage, base, horizon,
            draws=b.draws, draw_reps=b.draw_reps, seed=seed, forcing=forcing,
        )  # fmt: skip
        row: dict[str, object] = {"perspective": name}
        for h in HOLD_MONTHS:
            held = hold_members(ens, vintage.origin, start, data.level, h, observed)
            row[f"p_hold_{h}"] = float(held.mean())
            row[f"mc_se_{h}"] = monte_carlo_se(held, b.draw_reps)
        row["members"] = ens.shape[1]
        rows.append(row)
        q = np.quantile(ens, [0.05, 0.25, 0.5, 0.75, 0.95], axis=1)
        fans.append(
            pd.DataFrame(
                {
                    "perspective": name,
                    "month": [str(m) for m in months],
                    "q05": q[0],
                    "q25": q[1],
                    "q50": q[2],
                    "q75": q[3],
                    "q95": q[4],
                }
            )
        )
    return Outlook(
        pd.DataFrame(rows), pd.concat(fans, ignore_index=True), str(start), data.level, b.name,
        str(vintage.origin), tuple(map(float, observed)),
    )  # fmt: skip


def event_horizons(o: Outlook, max_horizon: int = 24) -> dict[int, int]:
    """For each hold length, the backtest horizon of the same event: the forecast months
    it needs from the outlook's origin (at least 1, at most ``max_horizon``)."""
    origin, start = pd.Period(o.origin, freq="M"), pd.Period(o.reset_start, freq="M")
    return {
        h: int(np.clip(months_to_forecast(origin, start, h), 1, max_horizon)) for h in HOLD_MONTHS
    }


def outlook_words(row: dict[str, object] | pd.Series) -> str:
    """The verdict on one perspective's outlook, from its numbers."""
    parts = []
    for h in HOLD_MONTHS:
        p, se = float(row[f"p_hold_{h}"]), float(row[f"mc_se_{h}"])  # type: ignore[arg-type]
        parts.append(f"P(holds {h} months) {p:.2f} \u00b1 {se:.2f}")
    skills = [float(row[f"brier_skill_{h}"]) for h in HOLD_MONTHS]  # type: ignore[arg-type]
    halves = [float(row[f"brier_skill_half_{h}"]) for h in HOLD_MONTHS]  # type: ignore[arg-type]
    bits = ", ".join(
        f"{h} months: {s:+.2f} vs the base rate, {hs:+.2f} vs 0.5"
        for h, s, hs in zip(HOLD_MONTHS, skills, halves, strict=True)
    )
    each = "; ".join(f"{h} months: {row[f'verdict_{h}']}" for h in HOLD_MONTHS)
    return (
        f"{'; '.join(parts)}. Brier skill on this event in the backtest ({bits}). "
        f"{each}. Overall: {row['verdict']}."
    )


def outlook_verdict(skills: list[float]) -> str:
    """:data:`SKILL` only where every Brier skill given (e.g. both references) is > 0."""
    ok = all(np.isfinite(s) and s > 0 for s in skills)
    return SKILL if ok else NO_SKILL


def outlook_table(o: Outlook, bt: Backtest) -> pd.DataFrame:
    """The outlook with the Brier skill of the same event in the backtest, and the verdict.

    Columns: perspective, p_hold_12, p_hold_24, mc_se (the larger of the two), mc_se_12,
    mc_se_24, brier_skill_12/24 (against the base rate), brier_skill_half_12/24 (against
    a constant 0.5), base_rate_12/24, horizon_12/24 (the backtest horizon of the event),
    verdict_12/24 (each horizon's), verdict (a forecast only where both are), words.
    """
    hz = event_horizons(o)
    hs = bt.hold_skill(tuple(sorted(set(hz.values())))).set_index("model")
    t = o.table.copy()
    t["mc_se"] = t[[f"mc_se_{h}" for h in HOLD_MONTHS]].max(axis=1)
    for h, bh in hz.items():
        t[f"horizon_{h}"] = bh
        for col in ("brier_skill", "brier_skill_half", "base_rate"):
            t[f"{col}_{h}"] = [
                float(hs.loc[p, f"{col}_{bh}"]) if p in hs.index else float("nan")
                for p in t["perspective"]
            ]
    for h in HOLD_MONTHS:
        t[f"verdict_{h}"] = [
            outlook_verdict([float(r[f"brier_skill_{h}"]), float(r[f"brier_skill_half_{h}"])])
            for _, r in t.iterrows()
        ]
    t["verdict"] = [
        SKILL if all(r[f"verdict_{h}"] == SKILL for h in HOLD_MONTHS) else NO_SKILL
        for _, r in t.iterrows()
    ]
    t["words"] = [outlook_words(r) for _, r in t.iterrows()]
    return t


# --------------------------------------------------------------------------- levers


@dataclass(frozen=True)
class Lever:
    """A lever of the outlook: its range and what it sets from the forecast origin on."""

    name: str
    low: float
    high: float
    description: str


LEVERS: tuple[Lever, ...] = (
    Lever("track_bureaucratic", 0.0, 1.0, "M5 day-to-day bureaucratic cooperation, every month"),
    Lever("track_arms", 0.0, 1.0, "M5 arms control reducing deterrence, every month"),
    Lever("track_regional", 0.0, 1.0, "M5 dialogue on the regions around Russia, every month"),
    Lever("concession_us", 0.0, 1.0, "M11 U.S. concession (package item), third month"),
    Lever("concession_ru", 0.0, 1.0, "M11 Russian concession (package item), third month"),
    Lever("treaties", 0.0, 1.0, "M12 share of treaties in force from the fourth month"),
    Lever("exercises", 0.0, 1.0, "M9 level of NATO exercises near Russia, every month"),
    Lever("reset_size", 0.0, 1.0, "M19 size of a U.S. reset move (0: none)"),
    Lever("reset_timing", 0.0, 12.0, "M7/M20/M21 month (from the origin) of that reset move"),
)
_LEVER_INDEX = {lv.name: i for i, lv in enumerate(LEVERS)}


def lever_forcing(forcing: Forcing, n_hist: int, values: np.ndarray) -> Forcing:
    """``forcing`` with the levers set to ``values`` (order of :data:`LEVERS`) after history."""
    s = {k: np.asarray(v, dtype=np.float64).copy() for k, v in forcing.series.items()}
    v = dict(zip((lv.name for lv in LEVERS), map(float, values), strict=True))
    for k in ("track_bureaucratic", "track_arms", "track_regional", "exercises"):
        s[k][n_hist:] = v[k]
    for side in ("us", "ru"):
        s[f"concession_{side}"][n_hist + 2] += v[f"concession_{side}"]
    s["treaties"][n_hist + 3 :] = v["treaties"]
    s["reset_us"][n_hist + int(round(v["reset_timing"]))] += v["reset_size"]
    return Forcing(
        forcing.months, s, dict(forcing.shocks), dict(forcing.rates), dict(forcing.sizes),
        forcing.rates_from,
    )  # fmt: skip


@dataclass(frozen=True)
class LeverAnalysis:
    """Morris screening of every lever, then Sobol indices of those kept, for P(hold 24)."""

    perspective: str
    table: pd.DataFrame  # perspective, lever, s1, s1_conf, st, st_conf, st_lo, st_hi,
    # var_y, n, mu_star, screened_out
    runs: int
    budget: str
    base_p: float  # P(hold 24) with every lever at its low end (no tracks, concessions,
    # exercises or reset move; no treaties in force from the fourth month)


def levers(
    perspective: PerspectiveModel,
    posterior: Posterior,
    data: FitData,
    base: Scenario,
    reset_start: pd.Period | str,
    *,
    budget: str | Budget = "quick",
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> LeverAnalysis:
    """Which levers move P(the reset holds 24 months) most, under one perspective.

    Every lever setting runs the same posterior draws with the same random numbers, so the
    differences come from the levers. Morris (``mu_star``) screens; levers with
    ``mu_star`` under 5 % of the largest are left out of the Sobol step (at least three kept).
    """
    b = get_budget(budget)
    start = pd.Period(reset_start, freq="M")
    vintage = data.vintage()
    horizon = _horizon(vintage.origin, start)
    forcing, n_hist = history_forcing(base, vintage, horizon)
    draws = max(1, b.lever_members // 4)
    rng = np.random.default_rng(seed)
    fixed = Posterior(
        posterior.perspective, posterior.names, posterior.draws(rng, draws),
        np.zeros(draws), posterior.origin, posterior.budget, posterior.seed,
        posterior.acceptance, posterior.n_months,
    )  # fmt: skip
    h_max = max(HOLD_MONTHS)
    observed = _observed(vintage, start)
    done = [0]

    def evaluate(X: np.ndarray, total: int) -> np.ndarray:
        out = np.empty(len(X))
        for i, row in enumerate(X):
            f = lever_forcing(forcing, n_hist, row)
            ens = forecast(
                perspective, fixed, vintage, base, horizon,
                draws=draws, draw_reps=4, seed=seed, forcing=f,
            )  # fmt: skip
            out[i] = hold_probability(ens, vintage.origin, start, data.level, h_max, observed)
            done[0] += 1
            if progress is not None:
                progress(done[0], total)
        return out

    def problem(names: list[str]) -> dict[str, object]:
        sel = [LEVERS[_LEVER_INDEX[n]] for n in names]
        return {
            "num_vars": len(sel),
            "names": names,
            "bounds": [[lv.low, lv.high] for lv in sel],
        }

    names = [lv.name for lv in LEVERS]
    pm = problem(names)
    Xm = morris_sample.sample(pm, N=b.morris_trajectories, num_levels=4, seed=seed)
    kept_guess = len(names)
    total = len(Xm) + b.sobol_n * (kept_guess + 2)
    Ym = evaluate(Xm, total)
    mo = morris_analyze.analyze(pm, Xm, Ym, num_levels=4, seed=seed)
    mu_star = np.asarray(mo["mu_star"], dtype=float)
    order = np.argsort(-mu_star)
    cut = 0.05 * float(mu_star.max()) if mu_star.max() > 0 else np.inf
    kept = [names[i] for i in order if mu_star[i] >= cut]
    for i in order:
        if len(kept) >= 3:
            break
        if names[i] not in kept:
            kept.append(names[i])
    kept = [n for n in names if n in kept]
    ps = problem(kept)
    Xs_kept = sobol_sample.sample(ps, b.sobol_n, calc_second_order=False, seed=seed)
    Xs = np.tile([lv.low for lv in LEVERS], (len(Xs_kept), 1)).astype(float)
    for j, n in enumerate(kept):
        Xs[:, _LEVER_INDEX[n]] = Xs_kept[:, j]
    total = len(Xm) + len(Xs)
    Ys = evaluate(Xs, total)
    flat = float(np.ptp(Ys)) == 0.0  # no lever moves the probability: every index is 0
    si = (
        None
        if flat
        else sobol_analyze.analyze(ps, Ys, calc_second_order=False, num_resamples=200, seed=seed)
    )
    var_y = float(np.var(Ys, ddof=1)) if len(Ys) > 1 else 0.0
    rows = []
    for i, n in enumerate(names):
        if n in kept:
            j = kept.index(n)
            s1, s1c, st, stc = (
                (0.0, 0.0, 0.0, 0.0)
                if si is None
                else tuple(float(si[k][j]) for k in ("S1", "S1_conf", "ST", "ST_conf"))
            )
        else:
            s1 = s1c = st = stc = float("nan")
        rows.append(
            {
                "perspective": perspective.name,
                "lever": n,
                "s1": s1,
                "s1_conf": s1c,
                "st": st,
                "st_conf": stc,
                "st_lo": st - stc,  # SALib's bootstrap 95 % interval
                "st_hi": st + stc,
                "var_y": var_y,  # variance of P(hold 24) over the Sobol sample
                "n": b.sobol_n,  # Saltelli base sample size
                "mu_star": float(mu_star[i]),
                "screened_out": n not in kept,
                "description": LEVERS[i].description,
            }
        )
    base_p = float(evaluate(np.array([[lv.low for lv in LEVERS]]), total + 1)[0])
    table = pd.DataFrame(rows).sort_values("st", ascending=False, na_position="last")
    return LeverAnalysis(perspective.name, table.reset_index(drop=True), done[0], b.name, base_p)
