"""The reset scorecard: each regime shift with the events that began and ended it.

Resets are upward regime shifts of the index, breakdowns downward ones (see
:mod:`resetlab.index.regimes`). For each, the scorecard lists the most cooperative (for a
reset) or most hostile (for a breakdown) events within ``window`` months of its start, and
the events of the opposite sign within ``window`` months of its end. Resets that the record
itself announces (an event whose summary speaks of a "reset") are listed too, with the
detected shift nearest to them, so a reader sees whether the data bear the announcement out.
"""

from __future__ import annotations

import re

import pandas as pd

from resetlab.index.regimes import Regimes

WINDOW_MONTHS = 2
_RESET_RE = re.compile(r"\breset\b", re.IGNORECASE)


def _months_between(a: pd.Period, b: pd.Period) -> int:
    return (b.year - a.year) * 12 + (b.month - a.month)


def _pick(events: pd.DataFrame, centre: pd.Period, window: int, sign: int, k: int) -> list[str]:
    if events.empty:
        return []
    per = pd.to_datetime(events["day"]).dt.to_period("M")
    d = per.map(lambda p: abs(_months_between(centre, p)))
    near = events[(d <= window) & (events["goldstein"] * sign > 0)]
    near = near.assign(_w=near["goldstein"] * sign).sort_values("_w", ascending=False).head(k)
    return [f"{r.date} {r.summary} [{r.id}]" for r in near.itertuples()]


def build_scorecard(
    regimes: Regimes, events: pd.DataFrame, *, window: int = WINDOW_MONTHS, k: int = 3
) -> pd.DataFrame:
    """One row per regime shift: start, end, kind, peak, duration, size, stability, and the
    events that began and ended it (``date summary [id]``, joined by newlines)."""
    rows = []
    for s in regimes.shifts.itertuples(index=False):
        sign = 1 if s.kind == "reset" else -1
        start, end = pd.Period(s.start, "M"), pd.Period(s.end, "M")
        rows.append(
            {
                "kind": s.kind,
                "start": s.start,
                "end": s.end,
                "peak_month": s.peak_month,
                "duration_months": s.duration_months,
                "size": s.size,
                "stability": s.stability,
                "began_with": "\n".join(_pick(events, start, window, sign, k)),
                "ended_with": "\n".join(_pick(events, end + 1, window, -sign, k))
                if end + 1 <= pd.Period(regimes.segments["end"].iloc[-1], "M")
                else "(still running at the end of the data)",
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "kind", "start", "end", "peak_month", "duration_months", "size", "stability",
            "began_with", "ended_with",
        ],
    )  # fmt: skip


def announced_resets(regimes: Regimes, events: pd.DataFrame, *, window: int = 6) -> pd.DataFrame:
    """Events whose summary announces a reset, each with the nearest detected reset."""
    ann = events[events["summary"].str.contains(_RESET_RE)] if not events.empty else events
    resets = regimes.shifts[regimes.shifts["kind"] == "reset"]
    rows = []
    for e in ann.itertuples(index=False):
        p = pd.Period(str(e.day)[:7], "M")
        best, dist = None, None
        for r in resets.itertuples(index=False):
            dd = abs(_months_between(pd.Period(r.start, "M"), p))
            if dist is None or dd < dist:
                best, dist = r.start, dd
        rows.append(
            {
                "date": e.date,
                "summary": e.summary,
                "event_id": e.id,
                "nearest_detected_reset": best or "",
                "months_apart": dist if dist is not None else -1,
                "borne_out": dist is not None and dist <= window,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "date",
            "summary",
            "event_id",
            "nearest_detected_reset",
            "months_apart",
            "borne_out",
        ],
    )
