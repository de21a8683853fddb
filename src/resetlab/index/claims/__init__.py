"""Claims of the source articles tested directly on the record (no simulation).

Each test in :data:`CLAIM_TESTS` turns one empirical claim of an article (mechanisms M2-M21 of
the design brief) into a statistic computed on the record: the events, the monthly relations
index (Goldstein units, higher = friendlier), the regimes, the UN votes, the treaty and election
calendars. Every test returns an effect signed so that a positive value is what its ``claimed``
sentence says, a 95% resampling interval, a two-sided randomisation p-value, and the record
events it rests on.

Shared rules (applied by every test that uses them):

- *Sides*: on U.S.-Russia the U.S. side is ``USA`` and ``NATO``, the Russian side ``RUS``; on a
  panel pair its two sides by the dyad rule, the U.S. side first in a U.S. pair
  (:func:`~resetlab.index.claims.data.pair_sides`). The tests' "U.S." side is the first.
- *Hostile act*: an event with Goldstein < 0 whose actor is on that side and whose target is
  on the other (the dyad rule of :mod:`resetlab.record.dyad`): acts toward third states,
  such as Georgia 2008 or Syria, stay in the record but do not enter the claims.
- *Cooperative act*: an event with Goldstein >= 3 between the two sides (either direction),
  the threshold the model's forcing uses for cooperative shocks.
- Monthly counts use day- and month-precision events; year-precision events have no month
  in a month-level test and are left out of them (:func:`resetlab.record.conventions.test_month`).
- *Circular-shift permutation*: the trigger months (or the month mask, or the regressor) are
  rotated by a random lag against the outcome, which keeps the clustering and autocorrelation
  of both series and breaks only their alignment. It does not remove common slow trends, so a
  significant event-study effect means "co-moves at that lag", not causation.
- *Block bootstrap*: circular block bootstrap of months (Politis & Romano 1992), with blocks as
  long as the test's windows, for the 95% percentile interval.

The p-value and the interval come from different resampling schemes; :func:`verdict` asks for
both to agree before it calls a claim supported or contradicted.

Modules, one per job: :mod:`.data` (the record turned into :class:`ClaimData`), :mod:`.resample`
(shared windows, shifts, bootstrap, generic mask and slope tests), :mod:`.events` (event
studies and calendar masks), :mod:`.slopes` (slopes and correlations), :mod:`.counts` (rates:
resets fail), :mod:`.registry` (each test keyed once, with the pairs it applies to, and its
rotations for power), :mod:`.verdicts` (verdicts, pooling across pairs, multiplicity,
equivalence), :mod:`.table` (every claim on U.S.-Russia and pooled over the panel).
"""

from __future__ import annotations

from resetlab.index.claims.data import (
    INSTITUTIONS,
    ClaimData,
    ClaimResult,
    Institution,
    claim_data,
    claim_data_from_store,
)
from resetlab.index.claims.registry import (
    CLAIM_TEST_KEYS,
    CLAIM_TESTS,
    ClaimTest,
    run_claim_test,
    window_sensitivity,
)
from resetlab.index.claims.verdicts import verdict

__all__ = [
    "CLAIM_TESTS",
    "CLAIM_TEST_KEYS",
    "INSTITUTIONS",
    "ClaimData",
    "ClaimResult",
    "ClaimTest",
    "Institution",
    "claim_data",
    "claim_data_from_store",
    "run_claim_test",
    "verdict",
    "window_sensitivity",
]
