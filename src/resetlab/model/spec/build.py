"""From a checked scenario to a runnable model: its forcing, mechanisms, strategies, spec."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from resetlab.model.base import Mechanism, Strategy
from resetlab.model.engine import ModelSpec, ScoreWeights
from resetlab.model.forcing import SHOCKS, Forcing
from resetlab.model.mechanisms import mechanism_class
from resetlab.model.spec.checks import MechanismEntry
from resetlab.model.spec.scenario import Scenario, StrategyEntry
from resetlab.model.strategies import strategy_class
from resetlab.record.read import Record


def _fill(months: pd.PeriodIndex, start: str, end: str) -> Iterator[int]:
    a, b = pd.Period(start, freq="M"), pd.Period(end, freq="M")
    for i, m in enumerate(months):
        if a <= m <= b:
            yield i


def scenario_forcing(
    scenario: Scenario,
    series: dict[str, np.ndarray] | None = None,
    record_shocks: dict[str, np.ndarray] | None = None,
    record: Record | None = None,
) -> Forcing:
    """The scenario's forcing: the record's clocks/treaties (or ``series``), plus its levers.

    ``record`` is the record the forcing reads (a store's, from
    :func:`resetlab.record.read.read_record`; default the built-in record). Pass ``series``
    (clock, tenure, leader changes, treaties) and ``record_shocks`` to run without the record
    (tests, other pairs of states).
    """
    from resetlab.model import forcing as fz

    sc = scenario.model
    months = scenario.months
    n = len(months)
    base = fz.record_series(months, record=record) if series is None else series
    s: dict[str, np.ndarray] = {k: np.zeros(n) for k in fz.SERIES}
    for k, v in base.items():
        s[k] = np.asarray(v, dtype=np.float64).copy()
    pos = {m: i for i, m in enumerate(months)}
    lv = sc.levers
    for tr in lv.tracks:
        for i in _fill(months, tr.start, tr.end):
            s["track_bureaucratic"][i] = tr.bureaucratic
            s["track_arms"][i] = tr.arms
            s["track_regional"][i] = tr.regional
    for ex in lv.exercises:
        for i in _fill(months, ex.start, ex.end):
            s["exercises"][i] = ex.level
    # Items outside the months are skipped (a checked scenario has none; a backtest
    # truncates the replay scenario before its later levers).
    for c in lv.concessions:
        if (j := pos.get(pd.Period(c.month, freq="M"))) is not None:
            s[f"concession_{c.side}"][j] += c.size
    for mv in sorted(lv.treaty_moves, key=lambda m: m.month):
        if (j := pos.get(pd.Period(mv.month, freq="M"))) is not None:
            s["treaties"][j:] = mv.value
    for r in lv.resets:
        if (j := pos.get(pd.Period(r.month, freq="M"))) is not None:
            s[f"reset_{r.side}"][j] += r.size
    shocks = {k: np.zeros(n) for k in SHOCKS}
    if sc.shocks.from_record:
        rec = fz.record_shocks(months, record) if record_shocks is None else record_shocks
        for k in SHOCKS:
            shocks[k] = np.asarray(rec[k], dtype=np.float64).copy()
    for sh in sc.shocks.scheduled:
        if (j := pos.get(pd.Period(sh.month, freq="M"))) is not None:
            shocks[sh.type][j] = min(1.0, shocks[sh.type][j] + sh.size)
    rates: dict[str, float] = {}
    sizes: dict[str, float] = {}
    if sc.shocks.rates == "record":
        history = fz.month_range("1992-01", 408)  # 1992-01 .. 2025-12
        hist = fz.record_shocks(history, record) if record_shocks is None else record_shocks
        rates, sizes = fz.estimate_rates(hist)
    elif isinstance(sc.shocks.rates, dict):
        rates = {k: v.rate for k, v in sc.shocks.rates.items()}
        sizes = {k: v.size for k, v in sc.shocks.rates.items()}
    return Forcing(months, s, shocks, rates, sizes)


def build_mechanisms(entries: dict[str, MechanismEntry]) -> tuple[Mechanism, ...]:
    """Instances of the mechanisms switched on, with their parameters; :class:`ModelError`
    for a key the registry does not know."""
    out = []
    for key, entry in entries.items():
        if entry.enabled:
            cls = mechanism_class(key)
            out.append(cls(cls.Params(**entry.params)))
    return tuple(out)


def build_strategy(entry: StrategyEntry) -> Strategy:
    """An instance of the strategy ``entry`` names; :class:`ModelError` for an unknown key."""
    cls = strategy_class(entry.key)
    return cls(cls.Params(**entry.params))


def build_spec(
    scenario: Scenario, forcing: Forcing | None = None, record: Record | None = None
) -> ModelSpec:
    """The runnable :class:`ModelSpec` of a checked scenario; its forcing from ``forcing``,
    else from ``record`` (default the built-in record, :func:`scenario_forcing`)."""
    sc = scenario.model
    return ModelSpec(
        mechanisms=build_mechanisms(scenario.mechanisms),
        strategy_us=build_strategy(sc.strategies.us),
        strategy_ru=build_strategy(sc.strategies.ru),
        observation=ScoreWeights(**sc.observation.model_dump()),
        initial=dict(sc.initial),
        forcing=scenario_forcing(scenario, record=record) if forcing is None else forcing,
        base_noise=sc.noise,
        base_volatility=sc.volatility,
        name=sc.name,
    )
