"""Fit and test: claims on the record, calibration, backtests, comparison, outlook, levers.

::

    import resetlab as rl
    with rl.Store.open() as store:
        p = rl.Pipeline.create(store, "quick")   # or "full" (docs/fit.md)
        p.claims()          # each article's claims tested on the record
        p.posterior("carpenter-2019").summary()
        p.skill()           # backtest: skill vs the best baseline (DM, Holm), verdicts
        p.compare()         # perspectives ranked out of sample
        p.outlook().table   # P(the 2025-02 reset holds 12 / 24 months)
        p.levers().table    # Sobol indices of the levers
"""

from resetlab.fit.backtest import ORIGINS, Backtest, run_backtest
from resetlab.fit.baselines import BASELINES, baseline_forecast
from resetlab.fit.budget import BUDGETS, Budget
from resetlab.fit.calibrate import Posterior, forecast
from resetlab.fit.calibrate import fit as calibrate
from resetlab.fit.history import FitData
from resetlab.fit.hold import hold_probability, pre_reset_level
from resetlab.fit.outlook import LEVERS, Outlook, levers, outlook
from resetlab.fit.perspectives import load_perspectives
from resetlab.fit.pipeline import Pipeline
from resetlab.index.claims import CLAIM_TESTS, ClaimResult, run_claim_test

__all__ = [
    "BASELINES",
    "BUDGETS",
    "CLAIM_TESTS",
    "LEVERS",
    "ORIGINS",
    "Backtest",
    "Budget",
    "ClaimResult",
    "FitData",
    "Outlook",
    "Pipeline",
    "Posterior",
    "baseline_forecast",
    "calibrate",
    "forecast",
    "hold_probability",
    "levers",
    "load_perspectives",
    "outlook",
    "pre_reset_level",
    "run_backtest",
    "run_claim_test",
]
