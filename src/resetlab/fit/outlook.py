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
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from resetlab.exceptions import FitError, ModelError
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
from resetlab.tasks import Runner, task_seed

if TYPE_CHECKING:
    from resetlab.fit.backtest import Backtest

NO_SKILL = "no skill: read as a scenario, not a forecast"
SKILL = "forecast: skill on this event in the backtest"
#: The verdict where the posterior fails the convergence diagnostics: nothing is drawn from it.
NOT_CONVERGED = "no outlook: the posterior fails the convergence diagnostics"

__all__ = [
    "HOLD_MONTHS",
    "LEVERS",
    "LeverAnalysis",
    "Outlook",
    "hold_probability",
    "latest_reset",
    "lever_forcing",
    "levers",
    "outlook",
    "outlook_table",
    "sobol_indices",
]


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
        row["converged"] = posteriors[name].converged
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
    verdict_12/24 (each horizon's), verdict (a forecast only where both are and the
    posterior passed its convergence diagnostics, else :data:`NOT_CONVERGED`), words.
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
        NOT_CONVERGED
        if not r.get("converged", False)
        else SKILL
        if all(r[f"verdict_{h}"] == SKILL for h in HOLD_MONTHS)
        else NO_SKILL
        for _, r in t.iterrows()
    ]
    t["words"] = [outlook_words(r) for _, r in t.iterrows()]
    return t


# --------------------------------------------------------------------------- levers


@dataclass(frozen=True)
class Lever:
    """A lever of the outlook: its range, its nominal value and what it sets from the origin on.

    ``nominal`` is the value the lever keeps when it is not varied (screened out, or the base
    setting): the policy the outlook's own forecast assumes. ``None`` means "the value the
    forecast holds it at": the forcing series of the same name in the last observed month.
    A ``switch`` is a discrete factor (on or off); a lever ``given`` a switch acts only when
    that switch is on.
    """

    name: str
    low: float
    high: float
    nominal: float | None
    description: str
    switch: bool = False
    given: str | None = None

    def value(self, x: float) -> float:
        """The value applied for a sampled ``x`` in ``[low, high]``: a switch is on (1.0) in the
        upper half of its range and off (0.0) in the lower, so a uniform draw is a fair coin."""
        if self.switch:
            return 1.0 if x >= 0.5 * (self.low + self.high) else 0.0
        return float(x)


#: The levers, with the nominal setting the outlook assumes from the origin on: no track,
#: concession, exercise or new reset move (the history the posteriors are fitted on has
#: none of them after 2010, and :func:`resetlab.fit.history.history_forcing` sets none after
#: the origin) and the treaty share as it stands at the origin.
LEVERS: tuple[Lever, ...] = (
    Lever("track_bureaucratic", 0.0, 1.0, 0.0,
          "M5 day-to-day bureaucratic cooperation, every month (nominal: none)"),
    Lever("track_arms", 0.0, 1.0, 0.0,
          "M5 arms control reducing deterrence, every month (nominal: none)"),
    Lever("track_regional", 0.0, 1.0, 0.0,
          "M5 dialogue on the regions around Russia, every month (nominal: none)"),
    Lever("concession_us", 0.0, 1.0, 0.0,
          "M11 U.S. concession (package item), third month (nominal: none)"),
    Lever("concession_ru", 0.0, 1.0, 0.0,
          "M11 Russian concession (package item), third month (nominal: none)"),
    Lever("treaties", 0.0, 1.0, None,
          "M12 share of treaties in force from the fourth month (nominal: the share at the "
          "origin, as the outlook holds it)"),
    Lever("exercises", 0.0, 1.0, 0.0,
          "M9 level of NATO exercises near Russia, every month (nominal: none)"),
    Lever("reset_move", 0.0, 1.0, 0.0,
          "M19 whether the U.S. makes a new reset move (a switch; nominal: no move)", switch=True),
    Lever("reset_size", 0.1, 1.0, 1.0,
          "M19 size of that move, only with a move (nominal: 1, a full reset)",
          given="reset_move"),
    Lever("reset_timing", 0.0, 12.0, 0.0,
          "M7/M20/M21 month (from the origin) of that move, only with a move (nominal: 0)",
          given="reset_move"),
)  # fmt: skip
_LEVER_INDEX = {lv.name: i for i, lv in enumerate(LEVERS)}
#: The share of Var(Y) the Monte Carlo error of Y may reach for Y to count as smooth.
SMOOTH_SHARE = 0.1


def nominal_values(forcing: Forcing, n_hist: int) -> np.ndarray:
    """Each lever's nominal value (order of :data:`LEVERS`), ``None`` resolved from ``forcing``:
    the series of the lever's name in month ``n_hist - 1``, the last observed one."""
    out = np.empty(len(LEVERS))
    for i, lv in enumerate(LEVERS):
        if lv.nominal is not None:
            out[i] = lv.nominal
            continue
        if lv.name not in forcing.series or not 0 < n_hist <= forcing.horizon:
            raise FitError(f"lever {lv.name}: no {lv.name} series in month {n_hist - 1}")
        out[i] = float(np.asarray(forcing.series[lv.name])[n_hist - 1])
        if not lv.low <= out[i] <= lv.high:
            raise FitError(f"lever {lv.name}: nominal {out[i]:g} outside [{lv.low:g}, {lv.high:g}]")
    return out


def lever_forcing(forcing: Forcing, n_hist: int, values: np.ndarray) -> Forcing:
    """``forcing`` with the levers set to ``values`` (order of :data:`LEVERS`) after history.

    The reset move adds ``reset_size`` to the U.S. reset series in month ``reset_timing``
    (rounded) after the origin, and only if the ``reset_move`` switch is on. A move that
    would fall after the forcing's last month (the hold window ends first) cannot change
    anything inside the window and is left out.
    """
    vals = np.asarray(values, dtype=float)
    if vals.shape != (len(LEVERS),):
        raise FitError(f"{vals.size} lever values for {len(LEVERS)} levers")
    v = {lv.name: lv.value(x) for lv, x in zip(LEVERS, vals, strict=True)}
    timing = int(round(v["reset_timing"]))
    if not 0 <= n_hist + 3 < forcing.horizon or timing < 0:
        raise FitError(
            f"a {forcing.horizon}-month forcing has no month {n_hist + max(3, timing)} "
            "for the levers"
        )
    s = {k: np.asarray(a, dtype=np.float64).copy() for k, a in forcing.series.items()}
    for k in ("track_bureaucratic", "track_arms", "track_regional", "exercises"):
        s[k][n_hist:] = v[k]
    for side in ("us", "ru"):
        s[f"concession_{side}"][n_hist + 2] += v[f"concession_{side}"]
    s["treaties"][n_hist + 3 :] = v["treaties"]
    if v["reset_move"] and n_hist + timing < forcing.horizon:
        s["reset_us"][n_hist + timing] += v["reset_size"]
    return Forcing(
        forcing.months, s, dict(forcing.shocks), dict(forcing.rates), dict(forcing.sizes),
        forcing.rates_from,
    )  # fmt: skip


def applied(X: np.ndarray) -> np.ndarray:
    """Sampled lever rows as applied: switches as 0/1, the move's month rounded."""
    X = np.atleast_2d(np.asarray(X, dtype=float))
    out = np.array([[lv.value(x) for lv, x in zip(LEVERS, row, strict=True)] for row in X])
    out[:, _LEVER_INDEX["reset_timing"]] = np.round(out[:, _LEVER_INDEX["reset_timing"]])
    return out


def sobol_indices(
    problem: dict[str, Any], y: np.ndarray, n: int, *, seed: int = 0, resamples: int = 200
) -> pd.DataFrame:
    """First-order and total Sobol indices from a Saltelli sample (SALib, no second order),
    at base size ``n`` and, as a convergence check, at ``n // 2``.

    The sample's rows come in blocks of ``k + 2`` per base point (SALib's layout), and the
    first ``n / 2`` base points of a Sobol sequence are a sample of their own, so the first
    half of ``y`` gives the indices at ``n / 2`` without another run. Columns: ``lever``,
    ``s1``, ``s1_conf``, ``st``, ``st_conf`` (SALib's bootstrap 95 % half-widths), the same
    at ``n / 2`` (``*_half``), ``converged`` (both ``n / 2`` estimates lie inside the
    ``n``-sample's 95 % intervals) and ``st_invalid`` (an ST whose whole interval lies above
    1 or below 0: the estimator, not the model, speaks). An output with no variance gets
    every index 0 (nothing to share out), converged.
    """
    names = list(problem["names"])
    k = len(names)
    y = np.asarray(y, dtype=float)
    if n < 2 or len(y) != n * (k + 2):
        raise FitError(f"{len(y)} outputs are not a Saltelli sample of {n} x ({k} + 2)")
    if not np.all(np.isfinite(y)):
        raise FitError("the Sobol outputs include values that are not finite")
    half = n // 2
    cols = ("s1", "s1_conf", "st", "st_conf")
    # SALib seeds its bootstrap only for a truthy seed: spawn one that is never 0
    boot = int(np.random.SeedSequence(seed).generate_state(1, np.uint64)[0] | 1)
    if float(np.ptp(y)) == 0.0:
        est = {c: np.zeros(k) for c in cols}
        est_half = dict(est)
    else:
        keys = ("S1", "S1_conf", "ST", "ST_conf")

        def run(yy: np.ndarray) -> dict[str, np.ndarray]:
            if float(np.ptp(yy)) == 0.0:
                return {c: np.zeros(k) for c in cols}
            si = sobol_analyze.analyze(
                problem, yy, calc_second_order=False, num_resamples=resamples, seed=boot
            )
            return {c: np.asarray(si[kk], dtype=float) for c, kk in zip(cols, keys, strict=True)}

        est = run(y)
        est_half = run(y[: half * (k + 2)])
    t = pd.DataFrame({"lever": names, **est})
    for c in cols:
        t[f"{c.split('_')[0]}_half" + ("_conf" if c.endswith("conf") else "")] = est_half[c]

    def inside(a: np.ndarray, b: np.ndarray, conf: np.ndarray) -> np.ndarray:
        return np.asarray(np.abs(a - b) <= conf, dtype=bool)

    t["converged"] = inside(t["s1_half"], t["s1"], t["s1_conf"]) & inside(
        t["st_half"], t["st"], t["st_conf"]
    )
    t["st_invalid"] = (t["st"] - t["st_conf"] > 1.0) | (t["st"] + t["st_conf"] < 0.0)
    return t


@dataclass(frozen=True)
class _LeverJob:
    """What every lever setting of one analysis shares (picklable: it travels to workers)."""

    perspective: PerspectiveModel
    posterior: Posterior  # the fixed posterior draws every setting runs
    vintage: Vintage
    base: Scenario
    forcing: Forcing
    n_hist: int
    horizon: int
    start: str
    level: float
    observed: tuple[float, ...]
    draw_reps: int
    seed: int  # the members' seed, the same for every setting (common random numbers)


def _hold_batch(item: tuple[_LeverJob, np.ndarray]) -> np.ndarray:
    """P(hold 24) for each lever row of a batch: one forecast ensemble per row."""
    job, rows = item
    out = np.empty(len(rows))
    observed = np.asarray(job.observed, dtype=float)
    for i, row in enumerate(rows):
        ens = forecast(
            job.perspective, job.posterior, job.vintage, job.base, job.horizon,
            draws=len(job.posterior.samples), draw_reps=job.draw_reps, seed=job.seed,
            forcing=lever_forcing(job.forcing, job.n_hist, row),
        )  # fmt: skip
        out[i] = hold_probability(
            ens, job.vintage.origin, job.start, job.level, max(HOLD_MONTHS), observed
        )
    return out


@dataclass(frozen=True)
class LeverAnalysis:
    """Morris screening of every lever, then Sobol indices of those kept, for P(hold 24)."""

    perspective: str
    table: pd.DataFrame  # one row per lever; columns in the docstring of :func:`levers`
    runs: int
    budget: str
    base_p: float  # P(hold 24) with every lever at its nominal value
    n: int = 0  # Saltelli base sample size
    var_y: float = float("nan")  # Var(P(hold 24)) over the Sobol sample
    mc_var: float = float("nan")  # mean Monte Carlo variance of each P(hold 24)
    members: int = 0  # forecast members behind each P(hold 24)
    samples: pd.DataFrame | None = None  # every evaluated row: stage, the levers as applied, p

    @property
    def converged(self) -> bool:
        """Whether every kept lever's indices at N/2 and N agree within their intervals."""
        kept = self.table[~self.table["screened_out"]]
        return bool(len(kept) and kept["converged"].astype(bool).all())

    @property
    def smooth(self) -> bool:
        """Whether the Monte Carlo variance of Y is under :data:`SMOOTH_SHARE` of Var(Y)."""
        return bool(self.var_y > 0 and self.mc_var < SMOOTH_SHARE * self.var_y)

    def words(self) -> str:
        """The verdict on the analysis, in words computed from its numbers."""
        kept = self.table[~self.table["screened_out"]]
        bad = [str(x) for x in kept.loc[~kept["converged"].astype(bool), "lever"]]
        invalid = [str(x) for x in kept.loc[kept["st_invalid"].astype(bool), "lever"]]
        conv = (
            f"the indices at N/2 = {self.n // 2} and N = {self.n} agree within their intervals "
            "for every kept lever"
            if not bad
            else f"the indices at N/2 = {self.n // 2} and N = {self.n} disagree for "
            f"{', '.join(bad)}: not converged"
        )
        ratio = self.mc_var / self.var_y if self.var_y > 0 else float("inf")
        smooth = (
            f"Var(Y) = {self.var_y:.3g} against a Monte Carlo variance of Y of "
            f"{self.mc_var:.3g} ({self.members} members a setting; ratio {ratio:.2g}): "
            + ("smooth enough" if self.smooth else "NOT smooth: the indices share out noise")
        )
        flag = (
            f"; ST outside [0, 1] beyond its interval for {', '.join(invalid)} (estimator error)"
            if invalid
            else ""
        )
        return f"{conv}; {smooth}{flag}."


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
    runner: Runner | None = None,
) -> LeverAnalysis:
    """Which levers move P(the reset holds 24 months) most, under one perspective.

    Y is P(hold 24) over ``budget.lever_members`` forecast members (posterior draws drawn
    once, 4 members each). Every setting runs the same draws with the same random numbers,
    so differences come from the levers. Morris (``mu_star``, 4 levels) screens every lever;
    levers with ``mu_star`` under 5 % of the largest are left out of the Sobol step (at least
    three kept) and held at their **nominal** values (:data:`LEVERS`); the others get Sobol
    first-order and total indices from a Saltelli sample of base size ``budget.sobol_n``
    (SALib, no second order), checked against the same indices at half that size
    (:func:`sobol_indices`).

    The reset move is a **discrete factor**: a uniform draw mapped to on/off at the middle of
    its range, so every sampler (Morris' 4-level grid, Saltelli's Sobol sequence) gives a
    fair coin with the sample design unchanged. The Sobol estimators need only independent
    inputs, of any distribution, so the switch's indices are those of a Bernoulli(1/2)
    factor and the variance decomposition stays one decomposition that adds up. Sobol
    analyses conditional on each setting would give two decompositions that do not add up
    and would cost twice the runs. The move's size and month act only with a move: their
    total indices include that interaction (ST above S1).

    Lever settings run as tasks of ``runner`` (in this process when None) in batches of
    ``budget.lever_batch``; the members' seed is one for the whole analysis, spawned from
    ``seed`` by :func:`resetlab.tasks.task_seed`, so results do not depend on the batching
    or on the number of workers.

    Table columns: perspective, lever, s1, s1_conf, st, st_conf, st_lo, st_hi (ST -/+ its
    95 % half-width), var_y, n, s1_half, st_half, n_half, converged, st_invalid (both empty
    for a screened-out lever), mc_var (the mean over the Sobol settings of p(1-p)/members),
    smooth, nominal, screened_out, mu_star, description.
    """
    b = get_budget(budget)
    if b.sobol_n < 2 or b.sobol_n & (b.sobol_n - 1):
        raise FitError(f"budget {b.name}: sobol_n = {b.sobol_n} is not a power of 2 >= 2")
    start = pd.Period(reset_start, freq="M")
    vintage = data.vintage()
    horizon = _horizon(vintage.origin, start)
    forcing, n_hist = history_forcing(base, vintage, horizon)
    nominal = nominal_values(forcing, n_hist)
    draw_reps = 4
    draws = max(1, b.lever_members // draw_reps)
    members = draws * draw_reps
    ss = task_seed(seed, ("levers", perspective.name))
    draw_seed, member_seed = (int(s.generate_state(1)[0]) for s in ss.spawn(2))
    rng = np.random.default_rng(draw_seed)
    fixed = Posterior(
        posterior.perspective, posterior.names, posterior.draws(rng, draws),
        np.zeros(draws), posterior.origin, posterior.budget, posterior.seed,
        posterior.acceptance, posterior.n_months,
    )  # fmt: skip
    job = _LeverJob(
        perspective, fixed, vintage, base, forcing, n_hist, horizon, str(start), data.level,
        tuple(map(float, _observed(vintage, start))), draw_reps, member_seed,
    )  # fmt: skip
    run = runner if runner is not None else Runner()
    stages: list[tuple[str, np.ndarray, np.ndarray]] = []
    names = [lv.name for lv in LEVERS]

    def evaluate(stage: str, X: np.ndarray, done: int, total: int) -> np.ndarray:
        size = max(1, b.lever_batch)
        batches = [X[i : i + size] for i in range(0, len(X), size)]
        ticks = None
        if progress is not None:

            def ticks(k: int, _: int) -> None:
                progress(done + min(k * size, len(X)), total)

        parts = run.map(
            _hold_batch, [(job, rows) for rows in batches],
            identities=[("levers", perspective.name, stage, i * size)
                        for i in range(len(batches))],
            label=f"levers-{perspective.name}-{stage}", progress=ticks,
        )  # fmt: skip
        y = np.concatenate(parts) if parts else np.empty(0)
        stages.append((stage, X, y))
        return y

    def problem(sel: list[str]) -> dict[str, Any]:
        return {
            "num_vars": len(sel),
            "names": sel,
            "bounds": [[LEVERS[_LEVER_INDEX[n]].low, LEVERS[_LEVER_INDEX[n]].high] for n in sel],
        }

    pm = problem(names)
    Xm = morris_sample.sample(pm, N=b.morris_trajectories, num_levels=4, seed=seed)
    total = len(Xm) + b.sobol_n * (len(names) + 2) + 1
    Ym = evaluate("morris", Xm, 0, total)
    mo = morris_analyze.analyze(pm, Xm, Ym, num_levels=4, seed=seed)
    mu_star = np.nan_to_num(np.asarray(mo["mu_star"], dtype=float))
    order = np.argsort(-mu_star, kind="stable")
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
    Xs = np.tile(nominal, (len(Xs_kept), 1))
    for j, n in enumerate(kept):
        Xs[:, _LEVER_INDEX[n]] = Xs_kept[:, j]
    total = len(Xm) + len(Xs) + 1
    Ys = evaluate("sobol", Xs, len(Xm), total)
    base_p = float(evaluate("nominal", nominal[None, :], len(Xm) + len(Xs), total)[0])
    si = sobol_indices(ps, Ys, b.sobol_n, seed=seed).set_index("lever")
    var_y = float(np.var(Ys, ddof=1)) if len(Ys) > 1 else 0.0
    mc_var = float(np.mean(Ys * (1.0 - Ys)) / members)
    smooth = bool(var_y > 0 and mc_var < SMOOTH_SHARE * var_y)
    rows = []
    nan = float("nan")
    for i, n in enumerate(names):
        r = si.loc[n] if n in kept else None
        row: dict[str, object] = {"perspective": perspective.name, "lever": n}
        for c in ("s1", "s1_conf", "st", "st_conf"):
            row[c] = nan if r is None else float(r[c])
        row["st_lo"] = nan if r is None else float(r["st"] - r["st_conf"])
        row["st_hi"] = nan if r is None else float(r["st"] + r["st_conf"])
        row["var_y"] = var_y  # variance of P(hold 24) over the Sobol sample
        row["n"] = b.sobol_n  # Saltelli base sample size
        row["s1_half"] = nan if r is None else float(r["s1_half"])
        row["st_half"] = nan if r is None else float(r["st_half"])
        row["n_half"] = b.sobol_n // 2
        row["converged"] = None if r is None else bool(r["converged"])  # empty: no indices
        row["st_invalid"] = None if r is None else bool(r["st_invalid"])
        row["mc_var"] = mc_var
        row["smooth"] = smooth
        row["nominal"] = float(nominal[i])
        row["screened_out"] = n not in kept
        row["mu_star"] = float(mu_star[i])
        row["description"] = LEVERS[i].description
        rows.append(row)
    table = pd.DataFrame(rows).astype({"converged": "boolean", "st_invalid": "boolean"})
    table = table.sort_values("st", ascending=False, na_position="last")
    samples = pd.concat(
        [
            pd.DataFrame(applied(X), columns=names).assign(stage=stage, p=y)
            for stage, X, y in stages
        ],
        ignore_index=True,
    )
    return LeverAnalysis(
        perspective.name, table.reset_index(drop=True), len(samples), b.name, base_p,
        b.sobol_n, var_y, mc_var, members, samples,
    )  # fmt: skip
