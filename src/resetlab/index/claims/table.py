"""The claims table: every perspective's claims tested on U.S.-Russia and pooled over the panel.

For each claim test (:data:`~resetlab.index.claims.registry.CLAIM_TESTS`) and each pair of
the panel it applies to (``ClaimTest.applies``), the test runs on the pair's own two sides,
events and index; then

- ``scope=USA-RUS``: the U.S.-Russia result;
- ``scope=panel``: the random-effects pooled effect (:func:`~.verdicts.pool`) over the
  *other* pairs it applies to, so that the two scopes are separate evidence, with the number
  of pairs, their episodes and the between-pair heterogeneity (tau^2, I^2);
- power, for every row, from planted effects at rotated dates
  (:func:`~.registry.rotation_runs`): the share of rotations where the test (for a panel
  row: the pooled test, each pair keeping its own standard error) rejects at 5%, with its
  Monte Carlo error; for a null claim the share where the equivalence test (TOST) finds an
  effect planted at 0 within the margin. ``power`` plants the effect in the events and
  measures it again (:func:`~.registry.event_planted`), ``power_index`` adds it to the
  index (the same rotations). resets-fail has no dates to rotate: its power is the exact
  binomial power (panel row: the normal approximation at the pooled standard error);
- for a null claim, ``power_margin``: the share of rotations with an effect the size of the
  margin planted in the events that the two-sided test detects (``power_margin_normal``: the
  normal approximation from the row's standard error); below
  :data:`~.verdicts.MIN_MARGIN_POWER` a passing equivalence test is not taken as support;
- ``window_grid``: for U.S.-Russia the test over its windows; for the panel each window
  pooled over the pairs (:func:`pooled_grid`, :func:`grid_resamples` resamples a pair);
- for a panel row of a test that reads an index, a sensitivity pool (``std_effect``,
  ``std_ci_lo``, ``std_ci_hi``, ``std_p_value``): every pair's effect and standard error
  divided by the sd of the index the test reads on that pair
  (:func:`~.registry.index_sd`: the leave-trigger-out index where it reads one), so that a pair whose index barely moves (small effects,
  small standard errors in index units) weighs by its evidence, not by its scale. For a null
  claim the margin is put on that scale by the U.S.-Russia index sd (``std_margin``: the
  perspectives state their margins in U.S.-Russia index units), and the equivalence must
  hold there too;
- Holm over every row of both scopes, and the verdict (:func:`~.verdicts.decide_table`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from resetlab.exceptions import IndexEstimationError, ModelError, RecordError
from resetlab.index.claims import verdicts as v
from resetlab.index.claims.counts import base_rate, reset_fail_power, reset_outcomes
from resetlab.index.claims.data import ClaimData, ClaimResult, claim_data
from resetlab.index.claims.registry import (
    CLAIM_TEST_KEYS,
    CLAIM_TESTS,
    flat_index,
    index_sd,
    rotation_runs,
    run_claim_test,
    window_sensitivity,
)
from resetlab.tasks import Runner, task_context

if TYPE_CHECKING:
    from resetlab.index.api import Analysis
    from resetlab.record.store import Store

US_RUS = "RUS-USA"
#: Resamples of each rotated test: 99 allows p = 0.01, enough to reject at 5%.
ROTATION_RESAMPLES = 99


def rotations_for(resamples: int) -> int:
    """Rotations of the power estimate for a budget of ``resamples`` per test: one per 50
    resamples, at least 20 (quick budget, 1000 resamples: 20 rotations, Monte Carlo error of
    a power near 0.5 about 0.11; full budget, 5000: 100 rotations, about 0.05)."""
    return max(20, int(resamples) // 50)


def grid_resamples(resamples: int) -> int:
    """Resamples of a panel pair's test at each window of the grid: a tenth of the budget's,
    at least 99 (p down to 0.01; quick budget: 100). Each window's pool rests on many pairs,
    so a coarser per-pair interval costs the pooled one little."""
    return max(99, int(resamples) // 10)


def pooled_grid(grids: Mapping[str, pd.DataFrame]) -> list[dict[str, float]]:
    """Each window of the pairs' grids (:func:`~.registry.window_sensitivity`) pooled over the
    pairs with the random-effects pool of the panel rows (:func:`~.verdicts.pool`, standard
    errors from each interval): ``window, effect, ci_lo, ci_hi, p_value, n_dyads, tau2``; a
    window with fewer than two usable pairs is left out."""
    frames = [g.assign(pair=k) for k, g in grids.items() if len(g)]
    if not frames:
        return []
    every = pd.concat(frames, ignore_index=True)
    out = []
    for w, g in every.groupby("window", sort=True):
        ses = [
            v.standard_error(ClaimResult(e, lo, hi, p, 0, (), ""))
            for e, lo, hi, p in zip(g["effect"], g["ci_lo"], g["ci_hi"], g["p_value"], strict=True)
        ]
        try:
            pooled = v.pool(g["effect"].to_list(), ses)
        except ModelError:
            continue
        out.append({"window": int(w), "effect": pooled.effect, "ci_lo": pooled.ci_lo,
                    "ci_hi": pooled.ci_hi, "p_value": pooled.p_value,
                    "n_dyads": pooled.n_dyads, "tau2": pooled.tau2})  # fmt: skip
    return out


def panel_claim_data(
    store: Store,
    log: Callable[[str], None] | None = None,
    *,
    analyses: Mapping[str, Analysis] | None = None,
    jobs: int | None = 1,
    runner: Runner | None = None,
) -> dict[str, ClaimData]:
    """Claim data of every pair of the panel that can be estimated, U.S.-Russia first, each
    with the reset failure base rate of the *other* pairs (resets-fail's reference).

    ``analyses`` (pair key -> :class:`~resetlab.index.api.Analysis`, as
    :func:`resetlab.index.panel.analyse_panel` gives them for the same store) saves
    estimating every pair again; pairs missing from it are analysed here. Each pair's claim
    data (its events-only and leave-trigger-out indices) is one task of a runner, as in
    :func:`claims_table` (``jobs``, ``runner``)."""
    from resetlab.index.panel import analyse_pair, pairs

    given = {} if analyses is None else dict(analyses)
    found: dict[str, tuple[Any, Analysis]] = {}
    for p in pairs():
        if p.pair in given:
            found[p.pair] = (p, given[p.pair])
            continue
        try:
            found[p.pair] = (p, analyse_pair(store, p.dyad))
        except (IndexEstimationError, RecordError) as exc:
            if log is not None:
                log(f"claims: {p.pair} left out ({str(exc).splitlines()[0]})")
    outcomes = {
        k: reset_outcomes(a.regimes.shifts, pd.Period(str(a.index.frame["month"].iloc[-1]), "M"))
        for k, (_, a) in found.items()
    }
    items = [
        (a, a.events if k != US_RUS else None, k, ("USA", "RUS") if k == US_RUS else p.dyad)
        for k, (p, a) in found.items()
    ]
    with task_context(jobs, runner, len(items)) as run:
        datas = run.map(
            _pair_claim_data, items, identities=[("claim-data", k) for k in found],
            label="claim-data",
        )  # fmt: skip
    out: dict[str, ClaimData] = {}
    for k, d in zip(found, datas, strict=True):
        try:
            rate, _ = base_rate(o for kk, o in outcomes.items() if kk != k)
        except ModelError:
            rate = None
        out[k] = replace(d, reset_base_rate=rate)
    return out


def _pair_claim_data(item: tuple[Analysis, pd.DataFrame | None, str, tuple[str, str]]) -> ClaimData:
    a, events, key, dyad = item
    return claim_data(a, events=events, pair=key, dyad=dyad)


@dataclass(frozen=True)
class _PairRun:
    """One test on one pair: its result, standard error and rotations (effects, p-values)."""

    result: ClaimResult
    se: float
    planted: tuple[np.ndarray, np.ndarray] | None  # at the test's size, planted in the index
    at_zero: tuple[np.ndarray, np.ndarray] | None  # at size 0 (null claims; both plantings)
    exact_power: float = float("nan")  # resets-fail: the exact binomial power
    scale: float = float("nan")  # sd of the index the test reads (NaN: it reads none)
    #: At the test's size, planted in the events and measured again (the same rotations).
    planted_events: tuple[np.ndarray, np.ndarray] | None = None
    #: Null claims: per margin, an effect of the margin's size planted in the events.
    at_margin: Mapping[float, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)


def _mc(power: float, rotations: int) -> float:
    return math.sqrt(power * (1 - power) / rotations) if math.isfinite(power) else float("nan")


def _pooled_power(
    runs: list[_PairRun],
    which: Callable[[_PairRun], tuple[np.ndarray, np.ndarray] | None],
    margin: float | None,
) -> tuple[float, int]:
    """Share of rotations where the pooled test rejects (directional) or the pooled TOST
    finds the effect within ``margin`` (rotations at size 0), each pair keeping its own
    standard error; ``which`` picks a pair's rotations. Returns the share and the number of
    rotations used."""
    series = [(rot, r.se) for r in runs if (rot := which(r)) is not None]
    if len(series) < 2:
        return float("nan"), 0
    n_rot = min(len(e) for (e, _), _ in series)
    hits = []
    for j in range(n_rot):
        effects = [e[j] for (e, _), _ in series]
        ses = [se for _, se in series]
        try:
            pooled = v.pool(effects, ses)
        except ModelError:
            continue
        if margin is not None:
            hits.append(v.equivalence(pooled.effect, pooled.se, margin) < 0.05)
        else:
            hits.append(pooled.p_value < 0.05)
    if not hits:
        return float("nan"), 0
    return float(np.mean(hits)), len(hits)


@dataclass(frozen=True)
class _ClaimTask:
    """One claim test on one pair, with the seed spawned for it (see :func:`claims_table`)."""

    key: str
    pair: str
    data: ClaimData
    seed: np.random.SeedSequence
    resamples: int
    rotations: int
    null: bool
    margins: tuple[float, ...]


def _run_claim_task(t: _ClaimTask) -> tuple[_PairRun | None, pd.DataFrame | None, str]:
    """The test, its power runs and its window grid on one pair; ``(None, None, reason)``
    where the test cannot run there (a flat index, a model error)."""
    test = CLAIM_TESTS[t.key]
    data = t.data
    s_test, s_rot, s_zero, s_grid, s_margin = t.seed.spawn(5)
    flat = flat_index(test, data)
    if flat is not None:
        return None, None, flat
    try:
        r = run_claim_test(t.key, data, seed=s_test, n_resamples=t.resamples)
    except ModelError as exc:
        return None, None, str(exc).splitlines()[0]
    planted = at_zero = planted_events = None
    at_margin: dict[float, tuple[np.ndarray, np.ndarray]] = {}
    exact = float("nan")
    rotations = t.rotations
    if t.key == "resets-fail":
        exact = reset_fail_power(data, test.size)
    else:
        # the same seed: both plantings use the same rotations
        planted, planted_events = (
            rotation_runs(t.key, data, size=test.size, rotations=rotations, seed=s_rot,
                          resamples=ROTATION_RESAMPLES, planting=how)
            for how in ("index", "events")
        )  # fmt: skip
        if t.null:
            at_zero = rotation_runs(t.key, data, size=0.0, rotations=rotations,
                                    seed=s_zero, resamples=ROTATION_RESAMPLES)  # fmt: skip
        for m in t.margins:
            at_margin[m] = rotation_runs(t.key, data, size=m, rotations=rotations,
                                         seed=s_margin, resamples=ROTATION_RESAMPLES,
                                         planting="events")  # fmt: skip
    run = _PairRun(
        r, v.standard_error(r), planted, at_zero, exact, index_sd(test, data),
        planted_events, at_margin,
    )  # fmt: skip
    grid = None
    if test.windows:
        # every pair's test over the window grid; the panel's with fewer resamples
        n_grid = t.resamples if t.pair == US_RUS else grid_resamples(t.resamples)
        grid = window_sensitivity(t.key, data, seed=s_grid, n_resamples=n_grid)
    return run, grid, ""


def _run_tasks(
    tasks: list[_ClaimTask],
    jobs: int | None,
    runner: Runner | None,
    log: Callable[[str], None] | None,
) -> list[tuple[_PairRun | None, pd.DataFrame | None, str]]:
    context = task_context(jobs, runner, len(tasks))
    step = max(1, len(tasks) // 10)

    def progress(done: int, total: int) -> None:
        if log is not None and (done % step == 0 or done == total):
            log(f"  claims: {done}/{total} tests on pairs done")

    # the U.S.-Russia tasks (the full window grid) are the longest: start them first
    order = sorted(range(len(tasks)), key=lambda i: tasks[i].pair != US_RUS)
    with context as run:
        done = run.map(
            _run_claim_task, [tasks[i] for i in order],
            identities=[("claims", tasks[i].key, tasks[i].pair) for i in order],
            label="claims", progress=progress,
        )  # fmt: skip
    out: list[Any] = [None] * len(tasks)
    for i, r in zip(order, done, strict=True):
        out[i] = r
    return out


def claims_table(
    perspectives: Mapping[str, Any],
    datas: Mapping[str, ClaimData],
    *,
    resamples: int,
    rotations: int | None = None,
    seed: int = 0,
    log: Callable[[str], None] | None = None,
    jobs: int | None = 1,
    runner: Runner | None = None,
) -> pd.DataFrame:
    """Every claim of ``perspectives`` (name -> perspective with ``claims``) on U.S.-Russia and
    on the panel ``datas`` (pair key -> :class:`ClaimData`, as :func:`panel_claim_data`).

    Columns: ``CLAIM_COLUMNS`` of the CLI and ``power_mc_se, rotations, tau2, i2, per_pair``
    (each pair's effect, interval, p), ``applies``, ``leave_out``, ``window_grid`` (the
    U.S.-Russia test over its windows, or the panel's pool at each window, JSON),
    ``power_margin``, ``power_margin_normal`` and the claim's text and source.

    Each (test, pair) is one task of a :class:`resetlab.tasks.Runner`: on a distributed
    ``runner``'s cluster, else on a local cluster of ``jobs`` worker processes (``None``: all
    cores), else (``jobs=1``) in this process. A task's seeds are spawned here, before any
    task runs, so the table is the same bit for bit however the tasks are run.
    """
    rotations = rotations_for(resamples) if rotations is None else int(rotations)
    wanted = {c.test for p in perspectives.values() for c in p.claims}
    nulls = {c.test for p in perspectives.values() for c in p.claims if c.direction == "0"}
    margins: dict[str, set[float]] = {}
    for p in perspectives.values():
        for c in p.claims:
            if c.direction == "0" and c.margin is not None:
                margins.setdefault(c.test, set()).add(float(c.margin))
    unknown = sorted(wanted - set(CLAIM_TESTS))
    if unknown:
        raise ModelError(f"unknown claim test(s) in the perspectives: {', '.join(unknown)}")
    roots = dict(
        zip(CLAIM_TEST_KEYS, np.random.SeedSequence(seed).spawn(len(CLAIM_TEST_KEYS)), strict=True)
    )
    pair_keys = list(datas)
    runs: dict[str, dict[str, _PairRun]] = {}
    pair_grids: dict[str, dict[str, pd.DataFrame]] = {}
    failed: dict[str, dict[str, str]] = {}
    grids: dict[str, str] = {}
    panel_grids: dict[str, str] = {}
    ref_sd: dict[str, float] = {}
    tasks: list[_ClaimTask] = []
    for key in CLAIM_TEST_KEYS:
        if key not in wanted:
            continue
        test = CLAIM_TESTS[key]
        runs[key], failed[key] = {}, {}
        ref_sd[key] = index_sd(test, datas[US_RUS]) if US_RUS in datas else float("nan")
        children = dict(zip(pair_keys, roots[key].spawn(len(pair_keys)), strict=True))
        for pk in pair_keys:
            dyad = ("USA", "RUS") if pk == US_RUS else tuple(pk.split("-"))
            if test.applies_to(dyad):  # type: ignore[arg-type]
                tasks.append(
                    _ClaimTask(key, pk, datas[pk], children[pk], resamples, rotations,
                               key in nulls, tuple(sorted(margins.get(key, ()))))
                )  # fmt: skip
    results = _run_tasks(tasks, jobs, runner, log)
    for t, (run, grid, reason) in zip(tasks, results, strict=True):
        if run is None:
            failed[t.key][t.pair] = reason
            continue
        runs[t.key][t.pair] = run
        if grid is not None:
            if t.pair == US_RUS:
                grids[t.key] = json.dumps(grid.to_dict("records"))
            else:
                pair_grids.setdefault(t.key, {})[t.pair] = grid
    for key in runs:
        if key in pair_grids:
            panel_grids[key] = json.dumps(pooled_grid(pair_grids[key]))
        if log is not None:
            log(f"claims: {key} on {len(runs[key])} pairs ({len(failed[key])} could not run)")
    rows = []
    for pname, p in perspectives.items():
        for c in p.claims:
            test = CLAIM_TESTS[c.test]
            null = c.direction == "0" and c.margin is not None
            margin = float(c.margin) if null else None
            base = {
                "perspective": pname, "claim": c.id, "mechanism": c.mechanism, "test": c.test,
                "margin": c.margin, "size": test.size, "direction": c.direction,
                "statement": c.claim, "file": c.source.file, "quote": c.source.quote,
                "method": test.method, "applies": test.applies, "leave_out": test.leave_out,
                "rotations": rotations,
            }  # fmt: skip
            rows.append({**base, **_us_rus_row(c.test, runs, failed, grids, margin, rotations)})
            rows.append(
                {**base, **_panel_row(c.test, runs, failed, margin, test.size, ref_sd[c.test]),
                 "window_grid": panel_grids.get(c.test, "[]")}
            )  # fmt: skip
    return v.decide_table(pd.DataFrame(rows))


def _us_rus_row(
    key: str,
    runs: dict[str, dict[str, _PairRun]],
    failed: dict[str, dict[str, str]],
    grids: dict[str, str],
    margin: float | None,
    rotations: int,
) -> dict[str, Any]:
    run = runs[key].get(US_RUS)
    if run is None:
        why = failed[key].get(US_RUS, "does not apply")
        return {"scope": "USA-RUS", "n_dyads": 0, "n_episodes": 0, "effect": np.nan,
                "ci_lo": np.nan, "ci_hi": np.nan, "p_value": np.nan, "p_test": np.nan,
                "power": np.nan, "power_index": np.nan, "power_mc_se": np.nan,
                "detail": f"not run: {why}", "events": "", "window_grid": "[]", "tau2": np.nan,
                "i2": np.nan, "per_pair": "[]", "power_margin": np.nan,
                "power_margin_normal": np.nan, **_NO_STD}  # fmt: skip
    r = run.result
    if key == "resets-fail":
        power, power_index, mc = run.exact_power, run.exact_power, 0.0
    elif margin is not None and run.at_zero is not None:
        # at size 0 the two plantings are the same runs
        p_rot = np.array([v.equivalence(e, run.se, margin) for e in run.at_zero[0]])
        power = power_index = v.power(p_rot)
        mc = _mc(power, int(np.isfinite(p_rot).sum()) or rotations)
    else:
        assert run.planted is not None and run.planted_events is not None
        power, power_index = v.power(run.planted_events[1]), v.power(run.planted[1])
        mc = _mc(power, int(np.isfinite(run.planted_events[1]).sum()) or rotations)
    p_value = v.equivalence(r.effect, run.se, margin) if margin is not None else r.p_value
    power_margin = power_margin_normal = np.nan
    if margin is not None:
        power_margin_normal = v.normal_power(margin, run.se)
        at_m = run.at_margin.get(margin)
        power_margin = v.power(at_m[1]) if at_m is not None else np.nan
    return {
        "scope": "USA-RUS", "n_dyads": 1, "n_episodes": r.n_events, "effect": r.effect,
        "ci_lo": r.ci_lo, "ci_hi": r.ci_hi, "p_value": p_value, "p_test": r.p_value,
        "power": power, "power_index": power_index, "power_mc_se": mc, "detail": r.detail,
        "events": " ".join(r.events), "window_grid": grids.get(key, "[]"), "tau2": np.nan,
        "i2": np.nan, "per_pair": "[]", "power_margin": power_margin,
        "power_margin_normal": power_margin_normal, **_NO_STD,
    }  # fmt: skip


#: The sensitivity columns of a row that has no sensitivity pool.
_NO_STD: dict[str, float] = {"std_effect": np.nan, "std_ci_lo": np.nan, "std_ci_hi": np.nan,
                             "std_p_value": np.nan, "std_margin": np.nan}  # fmt: skip


def _standardised(
    used: list[_PairRun], margin: float | None, ref_sd: float
) -> tuple[dict[str, float], str]:
    """The sensitivity pool: each pair's effect and standard error divided by its index sd.

    For a null claim the margin is divided by ``ref_sd`` (the U.S.-Russia index sd; the
    median of the pooled pairs' sds where U.S.-Russia is not in the data) and ``std_p_value``
    is the TOST p of the standardised pool against it; otherwise the pool's two-sided p.
    Returns the columns and a sentence for the row's detail ("" where there is no pool).
    """
    scaled = [r for r in used if math.isfinite(r.scale) and r.scale > 0]
    if len(scaled) < 2:
        return dict(_NO_STD), ""
    try:
        pooled = v.pool(
            [r.result.effect / r.scale for r in scaled], [r.se / r.scale for r in scaled]
        )
    except ModelError:
        return dict(_NO_STD), ""
    ref = ref_sd
    if not (math.isfinite(ref) and ref > 0):
        ref = float(np.median([r.scale for r in scaled]))
    std_margin = float("nan")
    p = pooled.p_value
    if margin is not None:
        std_margin = margin / ref
        p = v.equivalence(pooled.effect, pooled.se, std_margin)
    cols = {"std_effect": pooled.effect, "std_ci_lo": pooled.ci_lo, "std_ci_hi": pooled.ci_hi,
            "std_p_value": p, "std_margin": std_margin}  # fmt: skip
    text = (
        f"standardised by each pair's index sd: {pooled.effect:+.3g} [{pooled.ci_lo:+.3g}, "
        f"{pooled.ci_hi:+.3g}] index sds"
    )
    if margin is not None:
        text += f" (margin +-{std_margin:.3g} = {margin:g} / {ref:.3g}, TOST p {p:.3g})"
    return cols, text


def _panel_row(
    key: str,
    runs: dict[str, dict[str, _PairRun]],
    failed: dict[str, dict[str, str]],
    margin: float | None,
    size: float,
    ref_sd: float = float("nan"),
) -> dict[str, Any]:
    others = [(pk, r) for pk, r in runs[key].items() if pk != US_RUS]
    per_pair = json.dumps(
        [{"pair": pk, "effect": r.result.effect, "ci_lo": r.result.ci_lo,
          "ci_hi": r.result.ci_hi, "p_value": r.result.p_value, "n": r.result.n_events,
          "index_sd": r.scale}
         for pk, r in others]
    )  # fmt: skip
    empty = {"scope": "panel", "effect": np.nan, "ci_lo": np.nan, "ci_hi": np.nan,
             "p_value": np.nan, "p_test": np.nan, "power": np.nan, "power_index": np.nan,
             "power_mc_se": np.nan, "tau2": np.nan, "i2": np.nan, "events": "",
             "window_grid": "[]", "per_pair": per_pair, "power_margin": np.nan,
             "power_margin_normal": np.nan, **_NO_STD}  # fmt: skip
    n_fail = sum(1 for pk in failed[key] if pk != US_RUS)
    try:
        pooled = v.pool([r.result.effect for _, r in others], [r.se for _, r in others])
    except ModelError:
        return {**empty, "n_dyads": len(others), "n_episodes": sum(r.result.n_events for _, r in others),
                "detail": f"not pooled: {len(others)} pair(s) with a usable result "
                f"({n_fail} could not run); a meta-analysis needs 2"}  # fmt: skip
    used = [
        r for _, r in others if math.isfinite(r.se) and r.se > 0 and math.isfinite(r.result.effect)
    ]
    power_margin = power_margin_normal = np.nan
    if key == "resets-fail":
        power, n_rot = v.normal_power(size, pooled.se), 0
        power_index, mc = power, 0.0
    elif margin is not None:  # at size 0 the two plantings are the same runs
        power, n_rot = _pooled_power(used, lambda r: r.at_zero, margin)
        power_index = power
        mc = _mc(power, n_rot) if n_rot else float("nan")
    else:
        power, n_rot = _pooled_power(used, lambda r: r.planted_events, None)
        power_index, _ = _pooled_power(used, lambda r: r.planted, None)
        mc = _mc(power, n_rot) if n_rot else float("nan")
    if margin is not None:
        power_margin_normal = v.normal_power(margin, pooled.se)
        power_margin, _ = _pooled_power(used, lambda r: r.at_margin.get(margin), None)
    p_value = (
        v.equivalence(pooled.effect, pooled.se, margin) if margin is not None else pooled.p_value
    )
    std, std_text = _standardised(used, margin, ref_sd)
    detail = (
        f"random-effects (Paule-Mandel) pool of {pooled.n_dyads} pairs other than U.S.-Russia "
        f"({n_fail} could not run): {pooled.effect:+.3g} [{pooled.ci_lo:+.3g}, "
        f"{pooled.ci_hi:+.3g}], tau^2 {pooled.tau2:.3g}, I^2 {pooled.i2:.2f}"
    )
    if margin is not None:
        detail += (
            f"; power {power_margin:.2f} against an effect the margin's size planted in the events"
        )
    if std_text:
        detail += f"; {std_text}"
    return {
        **empty, "n_dyads": pooled.n_dyads, "n_episodes": sum(r.result.n_events for r in used),
        "effect": pooled.effect, "ci_lo": pooled.ci_lo, "ci_hi": pooled.ci_hi,
        "p_value": p_value, "p_test": pooled.p_value, "power": power,
        "power_index": power_index, "power_mc_se": mc, "tau2": pooled.tau2, "i2": pooled.i2,
        "detail": detail, "power_margin": power_margin,
        "power_margin_normal": power_margin_normal, **std,
    }  # fmt: skip
