"""Rolling-origin backtest of the perspectives against naive baselines, with proper scores.

Origins every 6 months from 2005-01 to 2023-07; horizons 1 to 24 months. At each origin every
model sees only :meth:`FitData.vintage` (data before the origin; the perspectives are refitted
on it every ``budget.refit_every`` origins, and between refits use the latest posterior, fitted
on still earlier data). Forecasts are scored against the full-sample index:

- CRPS of the forecast ensemble (``scoringrules.crps_ensemble``);
- Brier score of "the index is above the reset level" 12 and 24 months on (the level:
  :func:`resetlab.fit.history.reset_level`);
- skill = 1 - CRPS / CRPS of persistence, with a circular block bootstrap interval over origins
  and the spread over seeds; where the interval covers zero, or the seeds disagree in sign,
  the verdict is "no skill claim".
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from typing import Any

import numpy as np
import pandas as pd
import scoringrules as sr

from resetlab.exceptions import ModelError
from resetlab.fit.budget import Budget, get_budget
from resetlab.fit.calibrate import Posterior, fit, forecast
from resetlab.fit.history import FitData, Vintage, history_forcing
from resetlab.model.forcing import Forcing
from resetlab.model.scenario import PerspectiveModel, Scenario

ORIGINS = pd.period_range("2005-01", "2023-07", freq="M")[::6]
HORIZON = 24
BASELINES: tuple[str, ...] = ("persistence", "climatology", "ar1", "moving-average")
BRIER_HORIZONS = (12, 24)
_ENSEMBLE = 200  # members of a baseline's ensemble


def _quantile_points(n: int) -> np.ndarray:
    return (np.arange(n) + 0.5) / n


def baseline_forecast(name: str, y: np.ndarray, horizon: int, n: int = _ENSEMBLE) -> np.ndarray:
    """A baseline's ensemble (horizon x n) from the index history ``y`` (no NaN, oldest first).

    - ``persistence``: the last value plus the history's own h-month changes;
    - ``climatology``: the history's values (quantiles), the same at every horizon;
    - ``ar1``: AR(1) fitted by least squares, normal predictive quantiles;
    - ``moving-average``: mean of the last 12 months plus the rule's own past h-month errors.

    Deterministic (quantiles, not random draws), so baselines carry no seed noise.
    """
    y = np.asarray(y, dtype=float)
    if len(y) < horizon + 24:
        raise ModelError(f"{len(y)} months of history are too few for a {horizon}-month baseline")
    q = _quantile_points(n)
    out = np.empty((horizon, n))
    if name == "climatology":
        out[:] = np.quantile(y, q)
        return out
    if name == "ar1":
        from scipy.stats import norm

        x0, x1 = y[:-1], y[1:]
        if np.ptp(x0) > 1e-12:
            phi, c = np.polyfit(x0, x1, 1)
        else:  # a constant history: nothing to regress on
            phi, c = 0.0, float(x1.mean())
        phi = float(np.clip(phi, -0.999, 0.999))
        resid = x1 - (c + phi * x0)
        s2 = float(resid.var(ddof=2))
        mu = c / (1 - phi)
        z = norm.ppf(q)
        for h in range(1, horizon + 1):
            mean = mu + phi**h * (y[-1] - mu)
            var = s2 * (1 - phi ** (2 * h)) / (1 - phi**2)
            out[h - 1] = mean + np.sqrt(var) * z
        return out
    if name == "persistence":
        for h in range(1, horizon + 1):
            out[h - 1] = y[-1] + np.quantile(y[h:] - y[:-h], q)
        return out
    if name == "moving-average":
        w = 12
        for h in range(1, horizon + 1):
            preds = np.array([y[t - w : t].mean() for t in range(w, len(y) - h + 1)])
            errs = y[w + h - 1 :] - preds
            out[h - 1] = y[-w:].mean() + np.quantile(errs, q)
        return out
    raise ModelError(f"unknown baseline {name!r} (known: {', '.join(BASELINES)})")


def crps(ensemble: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """CRPS of each row of ``ensemble`` (horizon x members) against ``truth`` (horizon)."""
    return np.asarray(sr.crps_ensemble(np.asarray(truth), np.asarray(ensemble), m_axis=-1))


def brier(ensemble: np.ndarray, truth: np.ndarray, level: float) -> np.ndarray:
    """Brier score of "above ``level``" for each row (probability = share of members)."""
    p = (np.asarray(ensemble) > level).mean(axis=-1)
    return (p - (np.asarray(truth) > level)) ** 2


def block_bootstrap_index(n: int, block: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Circular block bootstrap indices (n_boot x n).

    Written out because forecasts from neighbouring origins overlap (a 24-month forecast from
    origins 6 months apart shares 18 months), so origins must be resampled in blocks; SciPy's
    ``bootstrap`` resamples single observations only.
    """
    block = max(1, min(block, n))
    k = math.ceil(n / block)
    starts = rng.integers(0, n, size=(n_boot, k))
    idx = (starts[:, :, None] + np.arange(block)[None, None, :]) % n
    return idx.reshape(n_boot, -1)[:, :n]


def block_length(horizon: int, spacing: int = 6) -> int:
    """Origins per bootstrap block: enough that blocks barely share target months."""
    return math.ceil(horizon / spacing) + 1


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
    rows: list[dict[str, Any]] = []
    posterior: Posterior | None = None
    for i, (v, f, truth) in enumerate(zip(task.vintages, task.forcings, task.truths, strict=True)):
        if posterior is None or i % b.refit_every == 0:
            posterior = fit(task.perspective, v, task.base, budget=b, seed=task.seed + 1000 * i)
        ens = forecast(
            task.perspective, posterior, v, task.base, HORIZON,
            draws=b.draws, draw_reps=b.draw_reps, seed=task.seed + 1000 * i, forcing=f,
        )  # fmt: skip
        new = _score_rows(task.perspective.name, task.seed, v.origin, ens, truth, task.level)
        for r in new:
            r["fitted_on"] = posterior.origin
        rows += new
    return rows


def _score_rows(
    model: str, seed: int, origin: pd.Period, ens: np.ndarray, truth: np.ndarray, level: float
) -> list[dict[str, Any]]:
    c = crps(ens, truth)
    bs = brier(ens, truth, level)
    med = np.median(ens, axis=1)
    p_above = (ens > level).mean(axis=1)
    return [
        {
            "model": model,
            "seed": seed,
            "origin": str(origin),
            "horizon": h + 1,
            "target": str(origin + h),
            "truth": float(truth[h]),
            "median": float(med[h]),
            "p_above": float(p_above[h]),
            "crps": float(c[h]),
            "brier": float(bs[h]),
        }
        for h in range(len(truth))
    ]


@dataclass(frozen=True)
class Backtest:
    """Every forecast's scores (``scores``), and how they were made."""

    scores: (
        pd.DataFrame
    )  # model, seed, origin, horizon, target, truth, median, p_above, crps, brier
    level: float
    budget: str
    seeds: tuple[int, ...]
    perspectives: tuple[str, ...]

    def _per_origin(self, value: str = "crps") -> pd.DataFrame:
        """Seed-averaged ``value``: rows (model, horizon), columns origin."""
        g = self.scores.groupby(["model", "horizon", "origin"])[value].mean()
        return g.unstack("origin")

    def skill(self, *, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
        """Per model and horizon: CRPS, persistence's, skill with a 95 % interval, verdict."""
        rng = np.random.default_rng(seed)
        table = self._per_origin()
        per_seed = self.scores.groupby(["model", "seed", "horizon"])["crps"].mean()
        rows = []
        for (model, h), c in table.iterrows():
            p = table.loc[("persistence", h)].to_numpy()
            cm = c.to_numpy()
            idx = block_bootstrap_index(len(cm), block_length(int(h)), n_boot, rng)
            boot = 1.0 - cm[idx].sum(axis=1) / p[idx].sum(axis=1)
            skill = 1.0 - cm.sum() / p.sum()
            lo, hi = np.quantile(boot, [0.025, 0.975])
            seeds = [
                1.0 - per_seed[(model, sd, h)] / per_seed[("persistence", sd, h)]
                for sd in self.seeds
            ]
            rows.append(
                {
                    "model": model,
                    "horizon": int(h),
                    "crps": float(cm.mean()),
                    "crps_persistence": float(p.mean()),
                    "skill": float(skill),
                    "skill_lo": float(lo),
                    "skill_hi": float(hi),
                    "skill_seed_min": float(min(seeds)),
                    "skill_seed_max": float(max(seeds)),
                    "verdict": skill_verdict(float(lo), float(hi), min(seeds), max(seeds), model),
                }
            )
        out = pd.DataFrame(rows)
        order = {m: i for i, m in enumerate((*self.perspectives, *BASELINES))}
        out["_o"] = out["model"].map(order)
        return out.sort_values(["_o", "horizon"]).drop(columns="_o").reset_index(drop=True)

    def brier_table(self) -> pd.DataFrame:
        """Brier score of "above the reset level" at 12 and 24 months, per model."""
        s = self.scores[self.scores["horizon"].isin(BRIER_HORIZONS)]
        t = s.groupby(["model", "horizon"])["brier"].mean().unstack("horizon")
        t.columns = [f"brier_{h}" for h in t.columns]
        return t.reset_index()

    def compare(self, *, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
        """Perspectives ranked by mean CRPS (all origins and horizons, out of sample).

        ``p_best``: share of block-bootstrap resamples of origins in which it scores best;
        ``rank_seeds``: its rank under each seed separately.
        """
        rng = np.random.default_rng(seed)
        names = list(self.perspectives)
        s = self.scores[self.scores["model"].isin(names)]
        per_origin = s.groupby(["model", "origin"])["crps"].mean().unstack("origin").loc[names]
        score = per_origin.mean(axis=1)
        idx = block_bootstrap_index(per_origin.shape[1], block_length(HORIZON), n_boot, rng)
        boot = per_origin.to_numpy()[:, idx].mean(axis=2)  # models x n_boot
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
        if "null" in names:  # does any mechanism beat persistence-and-noise?
            k = names.index("null")
            diff = boot - boot[k]
            out["vs_null"] = score.to_numpy() - float(score.iloc[k])
            out["vs_null_lo"] = np.quantile(diff, 0.025, axis=1)
            out["vs_null_hi"] = np.quantile(diff, 0.975, axis=1)
        for b in BASELINES:
            out[f"vs_{b}"] = out["score"] - float(
                self.scores.loc[self.scores["model"] == b, "crps"].mean()
            )
        return out.sort_values("rank").reset_index(drop=True)

    def failures(self, events: pd.DataFrame, *, k: int = 3, horizon: int = 12) -> pd.DataFrame:
        """Each perspective's ``k`` worst forecasts at ``horizon`` and what happened then."""
        s = self.scores[(self.scores["horizon"] == horizon)]
        s = s.groupby(["model", "origin", "target"], as_index=False)[["truth", "median"]].mean()
        s["error"] = s["median"] - s["truth"]
        months = pd.PeriodIndex(
            [str(d)[:7] if len(str(d)) >= 7 else f"{d}-07" for d in events["date"]], freq="M"
        )
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


def skill_verdict(lo: float, hi: float, seed_min: float, seed_max: float, model: str) -> str:
    """``skill`` / ``worse than persistence`` / ``no skill claim`` (interval or seeds cover 0)."""
    if model == "persistence":
        return "reference"
    if lo > 0 and seed_min > 0:
        return "skill"
    if hi < 0 and seed_max < 0:
        return "worse than persistence"
    return "no skill claim"


def run_backtest(
    perspectives: dict[str, PerspectiveModel],
    data: FitData,
    base: Scenario,
    *,
    budget: str | Budget = "quick",
    seeds: tuple[int, ...] | None = None,
    origins: pd.PeriodIndex = ORIGINS,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Backtest:
    """Backtest every perspective (and the baselines) at every origin, for every seed."""
    b = get_budget(budget)
    seeds = b.seeds if seeds is None else tuple(seeds)
    vintages = tuple(data.vintage(o) for o in origins)
    forcings = tuple(history_forcing(base, v, HORIZON)[0] for v in vintages)
    truths = tuple(data.truth(pd.period_range(o, periods=HORIZON, freq="M")) for o in origins)
    if any(np.isnan(t).any() for t in truths):
        raise ModelError("the index does not cover every target month of the backtest")
    rows: list[dict[str, Any]] = []
    for name in BASELINES:
        for v, truth in zip(vintages, truths, strict=True):
            y = v.index["score"].to_numpy(dtype=float)
            ens = baseline_forecast(name, y[np.isfinite(y)], HORIZON)
            for s in seeds:
                new = _score_rows(name, s, v.origin, ens, truth, data.level)
                for r in new:
                    r["fitted_on"] = str(v.origin)
                rows += new
    tasks = [
        _Task(p, base, vintages, forcings, truths, data.level, b, s)
        for p in perspectives.values()
        for s in seeds
    ]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    if jobs == 1:
        results = []
        for t in tasks:
            results.append(_run_task(t))
            if progress:
                progress(f"{t.perspective.name} seed {t.seed}")
    else:
        # fork: workers inherit the loaded modules and need no ``__main__`` guard in scripts.
        method = "fork" if "fork" in get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context(method)) as pool:
            futures = [pool.submit(_run_task, t) for t in tasks]
            results = []
            for t, fut in zip(tasks, futures, strict=True):
                results.append(fut.result())
                if progress:
                    progress(f"{t.perspective.name} seed {t.seed}")
    for task_rows in results:
        rows += task_rows
    scores = pd.DataFrame(rows)
    return Backtest(scores, data.level, b.name, seeds, tuple(perspectives))
