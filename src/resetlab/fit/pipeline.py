"""Everything the fit computes, from one store and one budget, with an on-disk cache.

``Pipeline`` ties the pieces together for the CLI and the report: the record (``FitData``),
the perspectives, their posteriors on all the data, the backtest, the comparison, the
outlook, the levers and the claims. Results are cached under ``$RESETLAB_HOME/cache/fit``
keyed by everything they depend on (budget, seeds, the record, the perspective and base
scenario files, resetlab's model and fit code), so ``resetlab backtest`` followed by
``resetlab compare`` fits once. ``--no-cache`` recomputes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from resetlab.config import data_dir
from resetlab.config import home as resetlab_home
from resetlab.exceptions import ModelError
from resetlab.fit import cache as signed
from resetlab.fit.backtest import Backtest, run_backtest
from resetlab.fit.budget import Budget, get_budget
from resetlab.fit.calibrate import Posterior, fit, replay_band
from resetlab.fit.history import FitData
from resetlab.fit.hold import latest_reset
from resetlab.fit.outlook import LeverAnalysis, Outlook, levers, outlook, outlook_table
from resetlab.fit.perspectives import load_perspectives, perspectives_dir, repo_dir
from resetlab.model.spec import PerspectiveModel, Scenario, load_scenario
from resetlab.record.read import TABLES as RECORD_TABLES
from resetlab.tasks import Runner, task_context

BASE_SCENARIO = "replay-1992-2025.yaml"
T = TypeVar("T")

CLAIM_COLUMNS = (
    "perspective", "claim", "mechanism", "test", "scope", "n_dyads", "n_episodes", "effect",
    "ci_lo", "ci_hi", "p_value", "p_adj", "power", "power_index", "margin", "verdict",
)  # fmt: skip


def base_scenario_path(path: str | Path | None = None) -> Path:
    """The replay scenario every fit starts from (``scenarios/replay-1992-2025.yaml``)."""
    p = repo_dir("scenarios") / BASE_SCENARIO if path is None else Path(path)
    if not p.is_file():
        raise ModelError(f"no base replay scenario at {p}")
    return p


#: The code each result depends on (paths under ``src/resetlab``); a change re-runs only those.
_CORE = ("record", "model", "index", "fit/calibrate.py", "fit/history.py", "fit/perspectives.py",
         "fit/budget.py", "fit/hold.py", "fit/samplers.py", "fit/likelihood.py",
         "fit/observe.py")  # fmt: skip
_CODE: dict[str, tuple[str, ...]] = {
    "posterior": _CORE,
    "replay": _CORE,
    "checks": (*_CORE, "fit/checks.py"),
    "backtest": (*_CORE, "fit/backtest.py", "fit/baselines"),
    "outlook": (*_CORE, "fit/outlook.py"),
    "levers": (*_CORE, "fit/outlook.py"),
    "claims": ("index", "record", "fit/pipeline.py"),
    "resetbase": ("index", "record", "fit/pipeline.py"),
}


def _code_hash(what: str) -> str:
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for part in _CODE[what.split("-")[0]]:
        path = root / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for f in files:
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class Pipeline:
    """Lazy, cached access to every result of calibration, backtest, outlook and claims."""

    store: Any
    budget: Budget
    perspectives_path: Path | None = None
    base_path: Path | None = None
    seed: int = 0
    jobs: int | None = None
    cache: bool = True
    runner: Runner | None = None  # a Dask runner for every task (resetlab.tasks)
    #: The panel's pair analyses of this store (``analyse_panel(store).analyses``), if
    #: already made: the claims then reuse them instead of estimating every pair again.
    panel_analyses: Mapping[str, Any] | None = None
    log: Callable[[str], None] = print
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def create(cls, store: Any, budget: str | Budget = "quick", **kw: Any) -> Pipeline:
        return cls(store=store, budget=get_budget(budget), **kw)

    # ------------------------------------------------------------------ inputs

    @property
    def data(self) -> FitData:
        if "data" not in self._memo:
            self._memo["data"] = FitData.from_store(self.store)
        return self._memo["data"]  # type: ignore[no-any-return]

    @property
    def perspectives(self) -> dict[str, PerspectiveModel]:
        if "persp" not in self._memo:
            self._memo["persp"] = load_perspectives(self.perspectives_path)
        return self._memo["persp"]  # type: ignore[no-any-return]

    @property
    def base(self) -> Scenario:
        if "base" not in self._memo:
            self._memo["base"] = load_scenario(base_scenario_path(self.base_path))
        return self._memo["base"]  # type: ignore[no-any-return]

    def key(self, what: str) -> str:
        """Cache key of ``what``: a hash of everything the result reads.

        That is every column of every event in the store, the store's record tables the
        forcing reads (:data:`resetlab.record.read.TABLES`), the indicators and the index
        estimated from them, the package's data tables (treaties, elections, leaders,
        actors, CAMEO, UN agreement and the derived indicators, which the model's forcing
        reads), the perspective and base scenario files, the budget, the seed and the code.
        """
        h = hashlib.sha256()
        d = self.data
        tables = [] if d.record is None else [getattr(d.record, name) for name in RECORD_TABLES]
        for frame in (d.events, d.observations.frame, d.index, *tables):
            if frame is None:
                continue
            h.update(",".join(map(str, frame.columns)).encode())
            h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        for f in sorted(data_dir().rglob("*.csv")):
            h.update(str(f.relative_to(data_dir())).encode() + f.read_bytes())
        pdir = perspectives_dir(self.perspectives_path)
        for f in sorted(pdir.glob("*.yaml")):
            h.update(f.name.encode() + f.read_bytes())
        h.update(base_scenario_path(self.base_path).read_bytes())
        h.update(json.dumps([what, self.budget.__dict__, self.seed], default=str).encode())
        h.update(_code_hash(what).encode())
        return f"{what}-{self.budget.name}-{h.hexdigest()[:20]}"

    def _cached(self, what: str, make: Callable[[], T]) -> T:
        if what in self._memo:
            return self._memo[what]  # type: ignore[no-any-return]
        path = resetlab_home() / "cache" / "fit" / f"{self.key(what)}.bin"
        if self.cache:
            found, value = signed.read(path, self.log)
            if found:
                self._memo[what] = value
                self.log(f"{what}: from cache {path}")
                return value  # type: ignore[no-any-return]
        made = make()
        self._memo[what] = made
        if self.cache:
            signed.write(path, made)
            # older entries of the same result and budget are stale: keep the cache small
            for old in path.parent.glob(f"{what}-{self.budget.name}-*"):
                if old != path and old.name.count("-") == path.name.count("-"):
                    old.unlink(missing_ok=True)
        return made

    # ------------------------------------------------------------------ results

    def posterior(self, name: str) -> Posterior:
        """The perspective's posterior on all the data."""
        if name not in self.perspectives:
            raise ModelError(f"no perspective {name!r} (known: {', '.join(self.perspectives)})")

        def make() -> Posterior:
            with self._timed(f"fitting {name} ({self.budget.name} budget)"):
                return fit(
                    self.perspectives[name], self.data, self.base,
                    budget=self.budget, seed=self.seed, runner=self.runner,
                )  # fmt: skip

        return self._cached(f"posterior-{name}", make)

    def posteriors(self) -> dict[str, Posterior]:
        return {n: self.posterior(n) for n in self.perspectives}

    def replay(self, name: str) -> pd.DataFrame:
        """The posterior replay band of a perspective against the index."""
        b = self.budget
        return self._cached(
            f"replay-{name}",
            lambda: replay_band(
                self.perspectives[name], self.posterior(name), self.data, self.base,
                draws=b.draws, draw_reps=b.draw_reps, seed=self.seed,
            ),
        )  # fmt: skip

    def checks(self, name: str) -> pd.DataFrame:
        """Posterior predictive checks of a perspective (:mod:`resetlab.fit.checks`)."""
        from resetlab.fit.checks import posterior_predictive

        b = self.budget
        return self._cached(
            f"checks-{name}",
            lambda: posterior_predictive(
                self.perspectives[name], self.posterior(name), self.data, self.base,
                draws=b.draws, seed=self.seed,
            ),
        )  # fmt: skip

    def backtest(self) -> Backtest:
        def make() -> Backtest:
            with self._timed(
                f"backtest: {len(self.perspectives)} perspectives x {len(self.budget.seeds)} seeds"
            ):
                return run_backtest(
                    self.perspectives, self.data, self.base, budget=self.budget,
                    jobs=self.jobs, runner=self.runner,
                    progress=lambda s: self.log(f"  backtest done: {s}"),
                )  # fmt: skip

        return self._cached("backtest", make)

    def skill(self) -> pd.DataFrame:
        if "skill" not in self._memo:
            self._memo["skill"] = self.backtest().skill(n_boot=self.budget.n_boot, seed=self.seed)
        return self._memo["skill"]  # type: ignore[no-any-return]

    def compare(self) -> pd.DataFrame:
        if "compare" not in self._memo:
            bt = self.backtest()
            self._memo["compare"] = bt.compare(n_boot=self.budget.n_boot, seed=self.seed)
        return self._memo["compare"]  # type: ignore[no-any-return]

    def mcs(self) -> pd.DataFrame:
        """The 90 % model confidence set over every model (perspectives and baselines)."""
        if "mcs" not in self._memo:
            self._memo["mcs"] = self.backtest().mcs(n_boot=self.budget.n_boot, seed=self.seed)
        return self._memo["mcs"]  # type: ignore[no-any-return]

    def outlook_table(self) -> pd.DataFrame:
        """The outlook joined to the backtest's skill on the same event, with its verdict."""
        return outlook_table(self.outlook(), self.backtest())

    def peek(self, what: str) -> Any:
        """A result if it is already computed (memory or cache), else None; never computes."""
        if what in self._memo:
            return self._memo[what]
        path = resetlab_home() / "cache" / "fit" / f"{self.key(what)}.bin"
        found, value = signed.read(path, self.log)
        if not found:
            return None
        self._memo[what] = value
        return value

    def best(self) -> str:
        """The perspective ranked first out of sample (``null`` excluded)."""
        c = self.compare()
        c = c[c["perspective"] != "null"]
        return str(c["perspective"].iloc[0])

    def reset_start(self) -> pd.Period:
        from resetlab.index.api import analyse

        if "reset" not in self._memo:
            self._memo["reset"] = latest_reset(analyse(self.store).regimes.shifts)
        return self._memo["reset"]  # type: ignore[no-any-return]

    def outlook(self) -> Outlook:
        def make() -> Outlook:
            return outlook(
                self.perspectives, self.posteriors(), self.data, self.base, self.reset_start(),
                budget=self.budget, seed=self.seed,
            )  # fmt: skip

        return self._cached("outlook", make)

    def levers(self, perspective: str | None = None) -> LeverAnalysis:
        name = self.best() if perspective is None else perspective
        post = self.posterior(name)

        def make() -> LeverAnalysis:
            with self._timed(f"levers under {name}: Morris, then Sobol"):
                return levers(
                    self.perspectives[name], post, self.data, self.base, self.reset_start(),
                    budget=self.budget, seed=self.seed, progress=self._every(200, name),
                    runner=self.runner,
                )  # fmt: skip

        return self._cached(f"levers-{name}", make)

    def levers_all(self) -> dict[str, LeverAnalysis]:
        """The lever analysis under every perspective with mechanisms (not ``null``)."""
        return {n: self.levers(n) for n in self.perspectives if n != "null"}

    def reset_base_rate(self) -> tuple[float, int]:
        """The share of resets that failed within 48 months in the panel's pairs other than
        U.S.-Russia, and how many resets it rests on (resets-fail tests against it)."""
        from resetlab.exceptions import IndexEstimationError, RecordError
        from resetlab.index.api import DEFAULT_DYAD
        from resetlab.index.claims.counts import base_rate, reset_outcomes
        from resetlab.index.panel import analyse_pair, pairs

        def make() -> tuple[float, int]:
            outcomes = []
            for pair in pairs():
                if set(pair.dyad) == set(DEFAULT_DYAD):
                    continue
                try:
                    a = analyse_pair(self.store, pair.dyad)
                except (IndexEstimationError, RecordError) as exc:
                    self.log(f"reset base rate: {pair.pair} left out ({exc})")
                    continue
                end = pd.Period(str(a.index.frame["month"].iloc[-1]), "M")
                outcomes.append(reset_outcomes(a.regimes.shifts, end))
            return base_rate(outcomes)

        return self._cached("resetbase", make)

    def claims(self) -> pd.DataFrame:
        """Every perspective's claims tested on U.S.-Russia and pooled over the panel
        (:func:`resetlab.index.claims.table.claims_table`; columns: :data:`CLAIM_COLUMNS` +)."""

        def make() -> pd.DataFrame:
            from resetlab.index.claims.table import claims_table, panel_claim_data

            # one runner for the pairs' claim data and the tests (a local cluster of
            # ``jobs`` workers unless a distributed runner is given)
            with (
                self._timed("claims on every pair of the panel"),
                task_context(self.jobs, self.runner) as run,
            ):
                datas = panel_claim_data(
                    self.store, self.log, analyses=self.panel_analyses, jobs=1, runner=run
                )
                return claims_table(
                    self.perspectives, datas, resamples=self.budget.claim_resamples,
                    seed=self.seed, log=self.log, jobs=1, runner=run,
                )  # fmt: skip

        return self._cached("claims", make)

    def _every(self, step: int, name: str) -> Callable[[int, int], None]:
        """A progress callback that logs every ``step`` model runs."""

        last = [0]

        def tick(done: int, total: int) -> None:
            if done // step > last[0] // step:  # batches finish several runs at a time
                self.log(f"  levers under {name}: {done} of about {total} runs")
            last[0] = done

        return tick

    @contextmanager
    def _timed(self, what: str) -> Iterator[None]:
        import time

        t0 = time.perf_counter()
        self.log(f"{what} ...")
        yield
        self.log(f"{what}: {time.perf_counter() - t0:.1f} s")


#: The columns of each command's CSV, as the issues name them (``--format json`` has every column).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "backtest": (
        "model",
        "horizon",
        "crps",
        "skill",
        "best_baseline",
        "skill_vs_best",
        "dm_stat",
        "dm_p",
        "dm_p_holm",
        "n_origins",
        "n_eff",
        "coverage90",
        "verdict",
    ),
    "compare": ("perspective", "score", "rank", "in_mcs"),
    "outlook": (
        "perspective",
        "p_hold_12",
        "p_hold_24",
        "mc_se",
        "brier_skill_12",
        "brier_skill_24",
        "verdict",
    ),
    "levers": (
        "perspective",
        "lever",
        "s1",
        "s1_conf",
        "st",
        "st_conf",
        "st_lo",
        "st_hi",
        "var_y",
        "n",
        "s1_half",
        "st_half",
        "converged",
        "st_invalid",
        "mc_var",
        "smooth",
        "nominal",
        "screened_out",
    ),
    "claims": CLAIM_COLUMNS,
}


def table_for(kind: str, p: Pipeline, *, full: bool = False) -> pd.DataFrame:
    """The table of ``resetlab KIND``: the columns the issue names, or with ``full`` every
    column (seed spread, verdicts, Brier, quotes, the events a claim rests on)."""
    frames: dict[str, Callable[[], pd.DataFrame]] = {
        "backtest": p.skill,
        "compare": p.compare,
        "outlook": p.outlook_table,
        "levers": lambda: p.levers().table,
        "claims": p.claims,
    }
    if kind not in frames:
        raise ModelError(f"unknown table {kind!r} (known: {', '.join(frames)})")
    df = frames[kind]()
    return df if full else df[list(TABLE_COLUMNS[kind])]
