"""The record's conventions, defined once: which month an event falls in, the two sides of
the modelled dyad, the Goldstein thresholds of the shock rule and the claim tests, and how the
treaty count becomes a share.

- :func:`event_month`: a day- or month-precision event falls in its month; a year-precision
  event (``YYYY``) is placed in July of its year, the middle of the year it is known for.
  That placement suits yearly sums and the model's forcing; a *month-level* test (the claim
  tests' event studies and monthly counts, where a July trigger would claim a month it does not
  know) uses :func:`test_month` instead, which gives a year-precision event no month.
- :data:`US_SIDE` / :data:`RU_SIDE`: the actors on each side of the U.S.-Russia dyad by the
  dyad rule of :mod:`resetlab.record.dyad` (NATO on the U.S. side).
- A *hostile* act has Goldstein below :data:`HOSTILE_BELOW`; a *cooperative* act has
  Goldstein at or above :data:`COOPERATIVE_FROM`; a *ratchet* (the most extreme acts, e.g. a
  use of force) has Goldstein at or below :data:`RATCHET_AT`.
- :func:`treaty_share`: agreements in force divided by the peak count of a reference span
  (the record's, or a backtest vintage's months before its origin); 0 stays 0.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import pandas as pd

from resetlab.record.dyad import DEFAULT_DYAD
from resetlab.record.dyad import side as dyad_side

#: Month given to a year-precision event.
YEAR_EVENT_MONTH = 7
#: Goldstein below this: a hostile act.
HOSTILE_BELOW = 0.0
#: Goldstein at or above this: a cooperative act.
COOPERATIVE_FROM = 3.0
#: Goldstein at or below this: a ratchet (the most extreme acts).
RATCHET_AT = -9.0

#: The modelled dyad: its first member is the "us" side, the second the "ru" side.
MODEL_DYAD = DEFAULT_DYAD
US_SIDE: tuple[str, ...] = tuple(sorted(dyad_side(MODEL_DYAD[0], MODEL_DYAD[1])))
RU_SIDE: tuple[str, ...] = tuple(sorted(dyad_side(MODEL_DYAD[1], MODEL_DYAD[0])))


def event_month(date: object) -> pd.Period:
    """The month an event dated ``date`` (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) falls in."""
    text = str(date)
    return pd.Period(text[:7] if len(text) >= 7 else f"{text}-{YEAR_EVENT_MONTH:02d}", freq="M")


def test_month(date: object, precision: object) -> pd.Period | None:
    """The month a month-level test may use for an event: :func:`event_month` of ``date``
    for day- and month-precision events, None for a year-precision one (its month is not
    known, and July would put it in the trigger or outcome windows of one arbitrary month)."""
    if str(precision) == "year" or len(str(date)) < 7:
        return None
    return event_month(date)


def event_months(dates: Iterable[object]) -> pd.PeriodIndex:
    """:func:`event_month` of each date."""
    return pd.PeriodIndex([event_month(d) for d in dates], freq="M")


def treaty_share(in_force: npt.ArrayLike, peak: float) -> npt.NDArray[np.float64]:
    """Agreements in force as a share of ``peak`` (unchanged where the peak is 0)."""
    raw = np.asarray(in_force, dtype=np.float64)
    return raw / peak if peak > 0 else raw.copy()


__all__ = [
    "COOPERATIVE_FROM",
    "HOSTILE_BELOW",
    "MODEL_DYAD",
    "RATCHET_AT",
    "RU_SIDE",
    "US_SIDE",
    "YEAR_EVENT_MONTH",
    "event_month",
    "event_months",
    "test_month",
    "treaty_share",
]
