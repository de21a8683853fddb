"""Rolling-origin backtest of the perspectives against the baselines, with proper scores.

Origins from 2005-01 to 2023-07, every ``budget.origin_step`` months (the full budget: every
month; the quick budget: every 12 months); horizons 1 to 24 months. At each origin every
model sees only :meth:`FitData.vintage` (data knowable before the origin; the perspectives
are refitted on it every ``budget.refit_every`` origins, and between refits use the latest
posterior, fitted on still earlier data). Forecasts are scored against the full-sample
index, one loss per origin:

- CRPS of the forecast ensemble (``scoringrules.crps_ensemble``);
- Brier score of "the index stays above the hold level in every month up to h"
  (:mod:`resetlab.fit.hold`), the event of the outlook;
- the PIT (share of members below the truth) and whether the truth lies in the 5-95 % band.

Skill claims (:meth:`Backtest.skill`): at each horizon, each model against the **best
baseline** at that horizon (lowest mean CRPS), a Diebold-Mariano test on the per-origin CRPS
differences with a Newey-West (HAC) variance, Holm-corrected over the 24 horizons of each
model; "skill" only where the corrected p < 0.05 and the model is better. The model
confidence set (Hansen, ``arch.bootstrap.MCS``) runs over every model on the per-origin mean
CRPS. Every bootstrap is ``arch``'s, with blocks of Politis-White optimal length.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from arch.bootstrap import MCS, CircularBlockBootstrap, optimal_block_length
from statsmodels.stats.multitest import multipletests

from resetlab.exceptions import FitError
from resetlab.fit.baselines import BASELINES, baseline_forecast
from resetlab.fit.budget import Budget, get_budget
from resetlab.fit.calibrate import Posterior, fit, forecast
from resetlab.fit.history import FitData, Vintage, history_forcing
from resetlab.fit.hold import stays_above
from resetlab.model.forcing import Forcing
from resetlab.model.spec import PerspectiveModel, Scenario
from resetlab.record.conventions import event_months
from resetlab.tasks import Runner, task_context

#: Every possible origin (monthly); a budget takes every ``origin_step``-th.
ORIGINS = pd.period_range("2005-01", "2023-07", freq="M")
HORIZON = 24
#: Significance of a skill claim (after Holm) and size of the model confidence set.
ALPHA = 0.05
MCS_SIZE = 0.10
PIT_BINS = 10


def origins_for(budget: str | Budget) -> pd.PeriodIndex:
    """The backtest origins of a budget: every ``origin_step``-th month of :data:`ORIGINS`."""
    return ORIGINS[:: get_budget(budget).origin_step]


def crps(ensemble: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """CRPS of each row of ``ensemble`` (horizon x members) against ``truth`` (horizon)."""
    # imported here: scoringrules compiles its numba kernels at import (about 3 s), which
    # every command that only reads the record would otherwise pay
    import scoringrules as sr

    return np.asarray(sr.crps_ensemble(np.asarray(truth), np.asarray(ensemble), m_axis=-1))


def task_seeds(seed: int, identity: str, n: int) -> list[int]:
    """``n`` independent seeds for the origins of one task (a model under one seed).

    Spawned from a :class:`numpy.random.SeedSequence` keyed on the seed and the task's name,
    so no two tasks or origins share a stream.
    """
    root = np.random.SeedSequence(seed, spawn_key=(zlib.crc32(identity.encode()),))
    return [int(c.generate_state(1)[0]) for c in root.spawn(n)]


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class _Task:
    perspective: PerspectiveModel
    base: Scenario
    vintages: tuple[Vintage, ...]
    forcings: tuple[Forcing, ...]
    truths: tuple[np.ndarray, ...]
    level: float
    budget: Budget
    seed: int


def _run_task(task: _Task) -> list[dict[str, Any]]:
    """Fit and forecast one perspective at every origin (a picklable worker function)."""
    b = task.budget
    refit = replace(b, sampler=b.refit_sampler)
    rows: list[dict[str, Any]] = []
    posterior: Posterior | None = None
    seeds = task_seeds(task.seed, task.perspective.name, len(task.vintages))
    for i, (v, f, truth) in enumerate(zip(task.vintages, task.forcings, task.truths, strict=True)):
        if posterior is None or i % b.refit_every == 0:
            posterior = fit(task.perspective, v, task.base, budget=refit, seed=seeds[i], chains=1)
        ens = forecast(
            task.perspective, posterior, v, task.base, HORIZON,
            draws=b.draws, draw_reps=b.draw_reps, seed=seeds[i], forcing=f,
        )  # fmt: skip
        new = score_rows(task.perspective.name, task.seed, v.origin, ens, truth, task.level)
        for r in new:
            r["fitted_on"] = posterior.origin
        rows += new
    return rows


def score_rows(
    model: str, seed: int, origin: pd.Period, ens: np.ndarray, truth: np.ndarray, level: float
) -> list[dict[str, Any]]:
    """One row per horizon: the truth, the forecast's summaries and its losses."""
    ens = np.asarray(ens, dtype=float)
    truth = np.asarray(truth, dtype=float)
    c = crps(ens, truth)
    med = np.median(ens, axis=1)
    lo, hi = np.quantile(ens, [0.05, 0.95], axis=1)
    pit = (ens < truth[:, None]).mean(axis=1) + 0.5 * (ens == truth[:, None]).mean(axis=1)
    p_hold = stays_above(ens, level).mean(axis=1)
    held = np.logical_and.accumulate(truth > level)
    return [
        {
            "model": model,
            "seed": seed,
            "origin": str(origin),
            "horizon": h + 1,
            "target": str(origin + h),
            "truth": float(truth[h]),
            "median": float(med[h]),
            "lo90": float(lo[h]),
            "hi90": float(hi[h]),
            "pit": float(pit[h]),
            "crps": float(c[h]),
            "p_hold": float(p_hold[h]),
            "held": bool(held[h]),
            "brier": float((p_hold[h] - held[h]) ** 2),
        }
        for h in range(len(truth))
    ]


# --------------------------------------------------------------------------- statistics


def block_size(x: np.ndarray) -> int:
    """Politis-White optimal block length (``arch``) of the columns of ``x``, the largest."""
    x = np.asarray(x, dtype=float)
    x = x.reshape(len(x), -1)
    keep = [j for j in range(x.shape[1]) if np.ptp(x[:, j]) > 1e-12]
    if len(x) < 8 or not keep:
        return 1
    b = optimal_block_length(x[:, keep])["circular"].to_numpy(dtype=float)
    return int(np.clip(math.ceil(float(np.nanmax(b))), 1, max(1, len(x) // 2)))


def hac_lags(horizon: int, step: int, n: int) -> int:
    """Newey-West lags: the forecasts' overlap (h / origin spacing), at least the usual rule."""
    return max(math.ceil(horizon / step), math.floor(4 * (n / 100) ** (2 / 9)))


def diebold_mariano(d: np.ndarray, lags: int) -> tuple[float, float, float]:
    """DM test of mean(d) = 0 with a Newey-West variance: (statistic, two-sided p, n_eff).

    ``n_eff``: the number of independent origins with the same information, n times the
    variance of ``d`` over its long-run variance (between 1 and n).
    """
    d = np.asarray(d, dtype=float)
    n = len(d)
    if n < 3 or np.ptp(d) < 1e-12:
        return float("nan"), float("nan"), float(n)
    res = sm.OLS(d, np.ones(n)).fit(cov_type="HAC", cov_kwds={"maxlags": lags}, use_t=True)
    se2 = float(res.bse[0]) ** 2
    n_eff = float(np.clip(d.var() / se2, 1.0, n)) if se2 > 0 else float(n)
    return float(res.tvalues[0]), float(res.pvalues[0]), n_eff


def skill_verdict(model: str, baseline: bool, best: bool, p_holm: float, vs_best: float) -> str:
    """``skill`` only where the Holm-corrected DM p is below :data:`ALPHA` and the model beats
    the best baseline; ``worse than the best baseline`` for the mirror case; else ``no skill
    claim``. Baselines are ``best baseline`` or ``baseline``."""
    if baseline:
        return "best baseline" if best else "baseline"
    if np.isfinite(p_holm) and p_holm < ALPHA:
        if vs_best > 0:
            return "skill"
        if vs_best < 0:
            return "worse than the best baseline"
    return "no skill claim"


def brier_skill(brier: float, held: np.ndarray) -> tuple[float, float, float]:
    """Brier skill against a constant 0.5 and against the base rate; and the base rate.

    The base rate is the share of origins at which the event happened, over the backtest
    itself (an in-sample reference, so the skill against it is if anything understated).
    """
    o = np.asarray(held, dtype=float)
    rate = float(o.mean())
    ref_half = float(np.mean((0.5 - o) ** 2))
    ref_rate = float(np.mean((rate - o) ** 2))
    vs_half = 1.0 - brier / ref_half if ref_half > 0 else float("nan")
    vs_rate = 1.0 - brier / ref_rate if ref_rate > 0 else float("nan")
    return vs_half, vs_rate, rate


@dataclass(frozen=True)
class Backtest:
    """Every forecast's scores (``scores``), and how they were made."""

    scores: pd.DataFrame  # model, seed, origin, horizon, target, truth, median, lo90, hi90,
    # pit, crps, p_hold, held, brier, fitted_on
    level: float
    budget: str
    seeds: tuple[int, ...]
    perspectives: tuple[str, ...]
    origin_step: int = 1
    baselines: tuple[str, ...] = BASELINES

    @property
    def models(self) -> tuple[str, ...]:
        return (*self.perspectives, *self.baselines)

    @property
    def n_origins(self) -> int:
        return int(self.scores["origin"].nunique())

    def describe_origins(self) -> str:
        """The origins in words, e.g. "19 origins 2005-01..2023-01, every 12 months"."""
        o = sorted(self.scores["origin"].unique())
        every = "every month" if self.origin_step == 1 else f"every {self.origin_step} months"
        return f"{len(o)} origins {o[0]}..{o[-1]}, {every}"

    def per_origin(self, value: str = "crps") -> pd.DataFrame:
        """Seed-averaged ``value``: rows (model, horizon), columns origin."""
        g = self.scores.groupby(["model", "horizon", "origin"])[value].mean()
        return g.unstack("origin")

    def skill(self, *, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
        """Per model and horizon: CRPS, skill vs persistence (95 % block-bootstrap interval,
        spread over seeds), the best baseline, skill against it with a Diebold-Mariano test
        (HAC) Holm-corrected over horizons, the effective number of origins, the 90 %
        interval's coverage and the verdict."""
        table = self.per_origin()
        cover = (
            self.scores.assign(
                c=(self.scores["truth"] >= self.scores["lo90"])
                & (self.scores["truth"] <= self.scores["hi90"])
            )  # fmt: skip
            .groupby(["model", "horizon"])["c"]
            .mean()
        )
        per_seed = self.scores.groupby(["model", "seed", "horizon"])["crps"].mean()
        models = [m for m in self.models if m in table.index.get_level_values("model")]
        rows = []
        horizons = sorted(int(x) for x in self.scores["horizon"].unique())
        streams = np.random.SeedSequence(seed).spawn(len(horizons))  # one per horizon
        for h, stream in zip(horizons, streams, strict=True):
            sub = table.xs(h, level="horizon").loc[models]  # models x origins
            losses = sub.to_numpy().T  # origins x models
            n = losses.shape[0]
            means = losses.mean(axis=0)
            base_idx = [models.index(b) for b in self.baselines if b in models]
            best_i = base_idx[int(np.argmin(means[base_idx]))]
            pers_i = models.index("persistence")
            lo, hi = self._skill_interval(losses, pers_i, n_boot, np.random.default_rng(stream))
            lags = hac_lags(h, self.origin_step, n)
            for j, m in enumerate(models):
                dm_stat, dm_p, n_eff = diebold_mariano(losses[:, best_i] - losses[:, j], lags)
                seeds = [
                    1.0 - per_seed[(m, sd, h)] / per_seed[("persistence", sd, h)]
                    for sd in self.seeds
                ]
                rows.append(
                    {
                        "model": m,
                        "horizon": h,
                        "crps": float(means[j]),
                        "crps_persistence": float(means[pers_i]),
                        "skill": float(1.0 - means[j] / means[pers_i]),
                        "skill_lo": float(lo[j]),
                        "skill_hi": float(hi[j]),
                        "skill_seed_min": float(min(seeds)),
                        "skill_seed_max": float(max(seeds)),
                        "best_baseline": models[best_i],
                        "skill_vs_best": float(1.0 - means[j] / means[best_i]),
                        "dm_stat": dm_stat,
                        "dm_p": dm_p,
                        "n_origins": n,
                        "n_eff": n_eff,
                        "coverage90": float(cover[(m, h)]),
                    }
                )
        out = pd.DataFrame(rows)
        out["dm_p_holm"] = np.nan
        for m, idx in out.groupby("model").groups.items():
            p = out.loc[idx, "dm_p"].to_numpy(dtype=float)
            ok = np.isfinite(p)
            adj = np.full(len(p), np.nan)
            if ok.any():
                adj[ok] = multipletests(p[ok], alpha=ALPHA, method="holm")[1]
            out.loc[idx, "dm_p_holm"] = adj
            del m
        out["verdict"] = [
            skill_verdict(m, m in self.baselines, m == b, p, s)
            for m, b, p, s in zip(
                out["model"], out["best_baseline"], out["dm_p_holm"], out["skill_vs_best"],
                strict=True,
            )
        ]  # fmt: skip
        order = {m: i for i, m in enumerate(self.models)}
        out["_o"] = out["model"].map(order)
        return out.sort_values(["_o", "horizon"]).drop(columns="_o").reset_index(drop=True)

    @staticmethod
    def _skill_interval(
        losses: np.ndarray, ref: int, n_boot: int, seed: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """95 % circular block-bootstrap interval of 1 - sum(loss) / sum(loss of ``ref``)."""
        bs = CircularBlockBootstrap(block_size(losses - losses[:, [ref]]), losses, seed=seed)
        boot = np.array(
            [1.0 - x[0].sum(axis=0) / x[0][:, ref].sum() for x, _ in bs.bootstrap(n_boot)]
        )
        lo, hi = np.quantile(boot, [0.025, 0.975], axis=0)
        return lo, hi

    def mcs(self, *, n_boot: int = 1000, seed: int = 0, size: float = MCS_SIZE) -> pd.DataFrame:
        """Hansen's model confidence set over every model, on the per-origin mean CRPS.

        Columns: model, score (mean CRPS), mcs_p (the MCS p-value), in_mcs (at ``1 - size``).
        """
        s = self.scores.groupby(["model", "origin"])["crps"].mean().unstack("origin")
        models = [m for m in self.models if m in s.index]
        losses = s.loc[models].T  # origins x models
        m = MCS(
            losses, size=size, reps=n_boot, block_size=block_size(losses.to_numpy()),
            method="R", bootstrap="stationary", seed=seed,
        )  # fmt: skip
        m.compute()
        pv = m.pvalues["Pvalue"]
        return pd.DataFrame(
            {
                "model": models,
                "score": losses.mean(axis=0).to_numpy(),
                "mcs_p": [float(pv[k]) for k in models],
                "in_mcs": [k in set(m.included) for k in models],
            }
        )

    def calibration(self) -> pd.DataFrame:
        """Per model: coverage of the 90 % band, and the PIT histogram (share per tenth)."""
        rows = []
        s = self.scores
        for m in self.models:
            d = s[s["model"] == m]
            if d.empty:
                continue
            hist = np.histogram(d["pit"], bins=PIT_BINS, range=(0.0, 1.0))[0] / len(d)
            row: dict[str, Any] = {
                "model": m,
                "coverage90": float(((d["truth"] >= d["lo90"]) & (d["truth"] <= d["hi90"])).mean()),
            }
            row.update({f"pit_{k}": float(v) for k, v in enumerate(hist)})
            rows.append(row)
        return pd.DataFrame(rows)

    def hold_skill(self, horizons: tuple[int, ...]) -> pd.DataFrame:
        """Brier score and skill of "stays above the hold level for h months", per model.

        Columns per horizon h: ``brier_h``, ``brier_skill_half_h`` (against a constant 0.5),
        ``brier_skill_h`` (against the base rate), ``base_rate_h``.
        """
        s = self.scores
        out = pd.DataFrame({"model": list(self.models)})
        for h in horizons:
            d = s[s["horizon"] == h].groupby(["model", "origin"])[["brier", "held"]].mean()
            cols: dict[str, list[float]] = {k: [] for k in ("b", "half", "rate", "base")}
            for m in self.models:
                dm = d.loc[m] if m in d.index.get_level_values(0) else None
                if dm is None:
                    for k in cols:
                        cols[k].append(float("nan"))
                    continue
                bs = float(dm["brier"].mean())
                half, rate, base = brier_skill(bs, dm["held"].to_numpy())
                cols["b"].append(bs)
                cols["half"].append(half)
                cols["rate"].append(rate)
                cols["base"].append(base)
            out[f"brier_{h}"] = cols["b"]
            out[f"brier_skill_half_{h}"] = cols["half"]
            out[f"brier_skill_{h}"] = cols["rate"]
            out[f"base_rate_{h}"] = cols["base"]
        return out

    def brier_table(self) -> pd.DataFrame:
        """Brier score of "stays above the hold level" at 12 and 24 months, per model."""
        t = self.hold_skill((12, 24))
        return t[["model", "brier_12", "brier_skill_12", "brier_24", "brier_skill_24"]]

    def compare(self, *, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
        """Perspectives ranked by mean CRPS (all origins and horizons, out of sample).

        ``p_best``: share of circular block-bootstrap resamples of origins in which it scores
        best among the perspectives; ``rank_seeds``: its rank under each seed separately;
        ``in_mcs``: in the 90 % model confidence set over every model, baselines included.
        """
        names = list(self.perspectives)
        s = self.scores[self.scores["model"].isin(names)]
        per_origin = s.groupby(["model", "origin"])["crps"].mean().unstack("origin").loc[names]
        score = per_origin.mean(axis=1)
        x = per_origin.to_numpy().T  # origins x perspectives
        bs = CircularBlockBootstrap(block_size(x - x.mean(axis=1, keepdims=True)), x, seed=seed)
        boot = np.array([b[0].mean(axis=0) for b, _ in bs.bootstrap(n_boot)]).T  # models x n
        best = np.bincount(boot.argmin(axis=0), minlength=len(names)) / n_boot
        per_seed = s.groupby(["seed", "model"])["crps"].mean().unstack("model")[names]
        seed_ranks = per_seed.rank(axis=1).astype(int)
        out = pd.DataFrame(
            {
                "perspective": names,
                "score": score.to_numpy(),
                "rank": score.rank(method="min").astype(int).to_numpy(),
                "p_best": best,
                "rank_seeds": ["/".join(str(r) for r in seed_ranks[n]) for n in names],
            }
        )
        mcs = self.mcs(n_boot=n_boot, seed=seed).set_index("model")
        out["in_mcs"] = [bool(mcs.loc[n, "in_mcs"]) for n in names]
        out["mcs_p"] = [float(mcs.loc[n, "mcs_p"]) for n in names]
        if "null" in names:  # does any mechanism beat persistence-and-noise?
            k = names.index("null")
            diff = boot - boot[k]
            out["vs_null"] = score.to_numpy() - float(score.iloc[k])
            out["vs_null_lo"] = np.quantile(diff, 0.025, axis=1)
            out["vs_null_hi"] = np.quantile(diff, 0.975, axis=1)
        for b in self.baselines:
            out[f"vs_{b}"] = out["score"] - float(
                self.scores.loc[self.scores["model"] == b, "crps"].mean()
            )
        return out.sort_values("rank").reset_index(drop=True)

    def failures(self, events: pd.DataFrame, *, k: int = 3, horizon: int = 12) -> pd.DataFrame:
        """Each perspective's ``k`` worst forecasts at ``horizon`` and what happened then."""
        s = self.scores[(self.scores["horizon"] == horizon)]
        s = s.groupby(["model", "origin", "target"], as_index=False)[["truth", "median"]].mean()
        s["error"] = s["median"] - s["truth"]
        months = event_months(events["date"])
        rows = []
        for model in self.perspectives:
            m = s[s["model"] == model].copy()
            m = m.reindex(m["error"].abs().sort_values(ascending=False).index).head(k)
            for r in m.itertuples():
                t = pd.Period(r.target, freq="M")
                near = events.loc[np.asarray((months >= t - 2) & (months <= t))]
                near = near.reindex(
                    near["goldstein"].astype(float).abs().sort_values(ascending=False).index
                ).head(2)
                what = "; ".join(
                    f"{d}: {str(x)[:90]}"
                    for d, x in zip(near["date"], near["summary"], strict=True)
                )
                rows.append(
                    {
                        "perspective": model,
                        "origin": r.origin,
                        "target": r.target,
                        "truth": r.truth,
                        "median": r.median,
                        "error": r.error,
                        "events": what or "(no events in the record that quarter)",
                    }
                )
        return pd.DataFrame(rows)


def run_backtest(
    perspectives: dict[str, PerspectiveModel],
    data: FitData,
    base: Scenario,
    *,
    budget: str | Budget = "quick",
    seeds: tuple[int, ...] | None = None,
    origins: pd.PeriodIndex | None = None,
    baselines: tuple[str, ...] = BASELINES,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    runner: Runner | None = None,
) -> Backtest:
    """Backtest every perspective (and the baselines) at every origin, for every seed.

    ``origins`` default to the budget's (:func:`origins_for`); they must be evenly spaced.
    Each (perspective, seed) is one task of a :class:`resetlab.tasks.Runner`: with a
    distributed ``runner`` (workers or a scheduler) the tasks run on its Dask cluster;
    otherwise on a local cluster of ``jobs`` worker processes, started and closed here, when
    ``jobs`` is above 1 (the workers are spawned, so such a script needs an
    ``if __name__ == "__main__":`` guard), and in this process by default: the fused engine
    already spreads every model call over all cores (numba ``prange``), and on 2 cores the
    quick backtest took 62.76 s in process against 85.22 s on a 2-worker local cluster
    (``benchmarks/backtest_workers.py``, docs/benchmarks.md).
    Each task's seeds come from its own identity, so the scores are the same bit for bit
    either way.
    """
    b = get_budget(budget)
    seeds = b.seeds if seeds is None else tuple(seeds)
    origins = origins_for(b) if origins is None else pd.PeriodIndex(origins, freq="M")
    steps = np.diff(origins.asi8)
    if len(origins) < 3 or len(set(steps.tolist())) != 1:
        raise FitError("the backtest needs at least 3 evenly spaced origins")
    if "persistence" not in baselines:
        raise FitError("the baselines must include persistence (the skill reference)")
    vintages = tuple(data.vintage(o) for o in origins)
    forcings = tuple(history_forcing(base, v, HORIZON)[0] for v in vintages)
    truths = tuple(data.truth(pd.period_range(o, periods=HORIZON, freq="M")) for o in origins)
    if any(np.isnan(t).any() for t in truths):
        raise FitError("the index does not cover every target month of the backtest")
    rows: list[dict[str, Any]] = []
    for name in baselines:
        for v, truth in zip(vintages, truths, strict=True):
            ens = baseline_forecast(name, v, HORIZON)
            for s in seeds:  # deterministic: the same forecast under every seed
                new = score_rows(name, s, v.origin, ens, truth, data.level)
                for r in new:
                    r["fitted_on"] = str(v.origin)
                rows += new
    tasks = [
        _Task(p, base, vintages, forcings, truths, data.level, b, s)
        for p in perspectives.values()
        for s in seeds
    ]
    with task_context(1 if jobs is None else max(1, jobs), runner, len(tasks)) as run:
        results: list[list[dict[str, Any]]] = run.map(
            _run_task, tasks, identities=[("backtest", t.perspective.name, t.seed) for t in tasks],
            label="backtest",
            progress=(lambda done, total: progress(f"{done}/{total} tasks")) if progress else None,
        )  # fmt: skip
    for task_rows in results:
        rows += task_rows
    scores = pd.DataFrame(rows)
    return Backtest(
        scores, data.level, b.name, seeds, tuple(perspectives), int(steps[0]), tuple(baselines)
    )
