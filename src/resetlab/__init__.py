"""resetlab: measure, model and stress-test resets between rival states.

The public API is everything in :data:`__all__`; the heavy parts (statsmodels, the model, the
reader) load on first use, so ``import resetlab`` stays fast::

    import resetlab as rl
    with rl.Store.open() as store:          # builds ~/.resetlab/record.duckdb on first use
        a = rl.analyse(store)               # index, regimes, scorecard
    a.index.frame                           # month, score, sd, lo80, hi80, lo95, hi95
    result = rl.simulate("scenarios/reset-2025.yaml", members=1000, seed=1)
"""

from __future__ import annotations

import importlib
from typing import Any

from resetlab.exceptions import (
    ApiError,
    BadQuery,
    Busy,
    FitError,
    ImportFormatError,
    IndexEstimationError,
    InputError,
    MissingExtraError,
    ModelError,
    NotReady,
    Problem,
    ReaderError,
    RecordError,
    ResetlabError,
    ScenarioError,
    StoreError,
    TaskError,
)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("resetlab")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


__version__ = _version()

#: Public name -> module that defines it (loaded on first access).
_LAZY: dict[str, str] = {
    # the record
    "Store": "resetlab.record.store",
    "ImportResult": "resetlab.record.store",
    "load_event_files": "resetlab.record.builtin",
    "read_record": "resetlab.record.read",
    "builtin_record": "resetlab.record.read",
    "cameo_table": "resetlab.record.builtin",
    "read_events": "resetlab.record.importers",
    "write_events": "resetlab.record.importers",
    "import_events": "resetlab.record.importers",
    "ImportStats": "resetlab.record.importers",
    "load_treaties": "resetlab.record.treaties",
    "load_treaty_events": "resetlab.record.treaties",
    "treaty_status": "resetlab.record.treaties",
    "treaties_in_force": "resetlab.record.treaties",
    "load_elections": "resetlab.record.calendars",
    "load_leaders": "resetlab.record.calendars",
    "leader_on": "resetlab.record.calendars",
    "months_to_next_election": "resetlab.record.calendars",
    "leader_tenure_months": "resetlab.record.calendars",
    "EVENT_COLUMNS": "resetlab.record.schema",
    "PLOVER_EVENTS": "resetlab.record.schema",
    "DOMAINS": "resetlab.record.schema",
    # the index
    "Analysis": "resetlab.index.api",
    "analyse": "resetlab.index.api",
    "Observations": "resetlab.index.observations",
    "build_observations": "resetlab.index.observations",
    "IndexResult": "resetlab.index.kalman",
    "estimate_index": "resetlab.index.kalman",
    "Regimes": "resetlab.index.regimes",
    "find_regimes": "resetlab.index.regimes",
    "build_scorecard": "resetlab.index.scorecard",
    "announced_resets": "resetlab.index.scorecard",
    # the report
    "build_report": "resetlab.report.html",
    "write_report": "resetlab.report.html",
    "write_table": "resetlab.tables",
    # fit and test
    "BASELINES": "resetlab.fit",
    "BUDGETS": "resetlab.fit",
    "CLAIM_TESTS": "resetlab.fit",
    "LEVERS": "resetlab.fit",
    "ORIGINS": "resetlab.fit",
    "Backtest": "resetlab.fit",
    "Budget": "resetlab.fit",
    "ClaimResult": "resetlab.fit",
    "FitData": "resetlab.fit",
    "Outlook": "resetlab.fit",
    "Pipeline": "resetlab.fit",
    "Posterior": "resetlab.fit",
    "baseline_forecast": "resetlab.fit",
    "calibrate": "resetlab.fit",
    "forecast": "resetlab.fit",
    "levers": "resetlab.fit",
    "load_perspectives": "resetlab.fit",
    "outlook": "resetlab.fit",
    "pre_reset_level": "resetlab.fit",
    "hold_probability": "resetlab.fit",
    "run_backtest": "resetlab.fit",
    "run_claim_test": "resetlab.fit",
    # the model
    "simulate": "resetlab.model",
    "fan_chart": "resetlab.model",
    "load_scenario": "resetlab.model",
    "parse_scenario": "resetlab.model",
    "load_perspective": "resetlab.model",
    "Scenario": "resetlab.model",
    "SimulationResult": "resetlab.model",
    "MECHANISMS": "resetlab.model",
    "STRATEGIES": "resetlab.model",
    "VARIABLES": "resetlab.model",
    "run_ensemble": "resetlab.model",
    # the reader
    "read_articles": "resetlab.reader",
    "read_texts": "resetlab.reader",
    "ReaderOptions": "resetlab.reader",
}

#: Sorted as ruff sorts an ``__all__``: constants, then classes, then functions
#: (``tests/test_public_api.py`` checks it is exactly the names defined or loaded here).
__all__ = [
    "BASELINES",
    "BUDGETS",
    "CLAIM_TESTS",
    "DOMAINS",
    "EVENT_COLUMNS",
    "LEVERS",
    "MECHANISMS",
    "ORIGINS",
    "PLOVER_EVENTS",
    "STRATEGIES",
    "VARIABLES",
    "Analysis",
    "ApiError",
    "Backtest",
    "BadQuery",
    "Budget",
    "Busy",
    "ClaimResult",
    "FitData",
    "FitError",
    "ImportFormatError",
    "ImportResult",
    "ImportStats",
    "IndexEstimationError",
    "IndexResult",
    "InputError",
    "MissingExtraError",
    "ModelError",
    "NotReady",
    "Observations",
    "Outlook",
    "Pipeline",
    "Posterior",
    "Problem",
    "ReaderError",
    "ReaderOptions",
    "RecordError",
    "Regimes",
    "ResetlabError",
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "Store",
    "StoreError",
    "TaskError",
    "__version__",
    "analyse",
    "announced_resets",
    "baseline_forecast",
    "build_observations",
    "build_report",
    "build_scorecard",
    "builtin_record",
    "calibrate",
    "cameo_table",
    "estimate_index",
    "fan_chart",
    "find_regimes",
    "forecast",
    "hold_probability",
    "import_events",
    "leader_on",
    "leader_tenure_months",
    "levers",
    "load_elections",
    "load_event_files",
    "load_leaders",
    "load_perspective",
    "load_perspectives",
    "load_scenario",
    "load_treaties",
    "load_treaty_events",
    "months_to_next_election",
    "outlook",
    "parse_scenario",
    "pre_reset_level",
    "read_articles",
    "read_events",
    "read_record",
    "read_texts",
    "run_backtest",
    "run_claim_test",
    "run_ensemble",
    "simulate",
    "treaties_in_force",
    "treaty_status",
    "write_events",
    "write_report",
    "write_table",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'resetlab' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
