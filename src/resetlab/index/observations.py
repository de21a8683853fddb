"""Monthly observations of the relationship that the index is estimated from.

Indicators, each a column of one monthly frame (NaN where a month has no reading), from the
first month with events to the last (the record's whole span):

``events``        mean Goldstein weight (-10..+10) of the month's events between the two
                  actors, either direction; ``events_n`` is the (effective) number of events.
                  Month-precision events count in their month; year-precision events are
                  spread over the twelve months of their year with weight 1/12 each.
                  Monthly aggregates of large event tables (the store's ``event_months``:
                  Goldstein sum and count per month) add to their month's sum and count.
``un_agreement``  U.S.-Russia UN General Assembly voting agreement (share of votes alike,
                  Bailey-Strezhnev-Voeten), one reading per session, placed in December of
                  the year the session opens (the bulk of recorded votes falls in Oct-Dec).
``treaties``      number of arms-control treaties in force (suspension by one party counts
                  one half), from the treaty record; one reading a year (December), since
                  the monthly series repeats the same value for years and twelve identical
                  readings a year would overstate what it tells.
``contacts``      log(1 + number of high-level contacts that month): presidential and
                  Secretary of State trips to the Soviet Union/Russia or meeting its leaders
                  elsewhere, and visits of its leaders to the U.S. (Office of the Historian;
                  ``data/indicators/contacts.csv``); missing after the data end.
``incidents``     log(1 + number of U.S.-Soviet/Russian militarized incidents that month)
                  (MIE 1.0; ``data/indicators/mie_incidents.csv``); missing after 2014.
``un_debate``     tone of what each side says of the other in the UN General Debate: the mean
                  Goldstein weight of the reader's codes of the sentences of the two speeches
                  that name the other side, pooled over both speakers
                  (``data/indicators/ungdc_mentions.csv``); one reading a year, placed in
                  September, the month the General Debate opens; missing in a year where no
                  such sentence is coded.

Counts enter as log(1 + n): the variance of a count grows with its mean, and the logarithm
roughly evens it out, so that a Gaussian observation equation is a fair approximation for
counts that are mostly 0, 1 or 2 a month (see docs/index.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from resetlab.exceptions import IndexEstimationError


@dataclass(frozen=True)
class Observations:
    """The monthly indicator frame (index: ``pd.PeriodIndex`` of months)."""

    frame: pd.DataFrame
    #: The day- and month-precision event weights behind ``events``: columns month, goldstein.
    raw_events: pd.DataFrame | None = None

    @property
    def months(self) -> pd.PeriodIndex:
        return pd.PeriodIndex(self.frame.index)


def event_flow(
    events: pd.DataFrame, months: pd.PeriodIndex, monthly: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Mean Goldstein weight and effective count per month (see module docstring);
    ``monthly``: aggregates with columns month (``YYYY-MM``), goldstein_sum, n."""
    total = pd.Series(0.0, index=months)
    weight = pd.Series(0.0, index=months)
    if monthly is not None and len(monthly):
        per = pd.PeriodIndex(monthly["month"].astype(str), freq="M")
        agg = pd.DataFrame(
            {"g": monthly["goldstein_sum"].astype(float).to_numpy(),
             "n": monthly["n"].astype(float).to_numpy()},
            index=per,
        ).groupby(level=0).sum()  # fmt: skip
        total = total.add(agg["g"], fill_value=0.0).reindex(months)
        weight = weight.add(agg["n"], fill_value=0.0).reindex(months)
    if len(events):
        day = pd.to_datetime(events["day"])
        g = events["goldstein"].astype(float).to_numpy()
        prec = events["precision"].to_numpy()
        per = day.dt.to_period("M")
        exact = prec != "year"
        if exact.any():
            s = pd.DataFrame({"m": per[exact].to_numpy(), "g": g[exact]}).groupby("m")["g"]
            total = total.add(s.sum(), fill_value=0.0).reindex(months)
            weight = weight.add(s.count().astype(float), fill_value=0.0).reindex(months)
        for y, gv in zip(day[~exact].dt.year, g[~exact], strict=True):
            year_months = months[months.year == y]
            total.loc[year_months] += gv / 12.0
            weight.loc[year_months] += 1.0 / 12.0
    mean = total / weight.where(weight > 0)
    return pd.DataFrame({"events": mean, "events_n": weight}, index=months)


def un_series(unga: pd.DataFrame | None, months: pd.PeriodIndex) -> pd.Series:
    """UN agreement placed in December of each session's opening year."""
    out = pd.Series(np.nan, index=months)
    if unga is None or unga.empty:
        return out
    for year, value in zip(unga["year"].astype(int), unga["agreement"].astype(float), strict=True):
        p = pd.Period(f"{year}-12", freq="M")
        if p in out.index:
            out.loc[p] = value
    return out


def debate_series(debate: pd.DataFrame | None, months: pd.PeriodIndex) -> pd.Series:
    """Pooled tone of the two speakers' mentions of each other per year (columns year,
    coded, tone of ``ungdc_mentions.csv``: the tone is a mean over ``coded`` sentences),
    placed in September of the year."""
    out = pd.Series(np.nan, index=months)
    if debate is None or debate.empty:
        return out
    coded = pd.to_numeric(debate["coded"], errors="raise").astype(float)
    tone = pd.to_numeric(debate["tone"].replace("", np.nan), errors="raise").astype(float)
    used = coded > 0
    if tone[used].isna().any():
        raise IndexEstimationError("a UN debate row has coded sentences but no tone")
    parts = {"year": debate["year"].astype(int), "sum": coded * tone, "n": coded}
    frame = pd.DataFrame(parts)[used].groupby("year")[["sum", "n"]].sum()
    for year, total, n in zip(frame.index, frame["sum"], frame["n"], strict=True):
        p = pd.Period(f"{year}-09", freq="M")
        if p in out.index:
            out.loc[p] = total / n
    return out


def count_series(counts: pd.Series | None, months: pd.PeriodIndex) -> pd.Series:
    """log(1 + count) per month from ``counts`` (index: months as ``YYYY-MM`` or periods);
    NaN in months the counts do not cover."""
    out = pd.Series(np.nan, index=months)
    if counts is None or counts.empty:
        return out
    c = pd.Series(
        np.asarray(counts, dtype=float), index=pd.PeriodIndex(counts.index.astype(str), freq="M")
    )
    if (c < 0).any():
        raise IndexEstimationError("a monthly count is negative")
    return np.log1p(c).reindex(months)


def build_observations(
    events: pd.DataFrame,
    unga: pd.DataFrame | None = None,
    treaties: pd.Series | None = None,
    end: pd.Period | None = None,
    *,
    start: pd.Period | None = None,
    contacts: pd.Series | None = None,
    incidents: pd.Series | None = None,
    monthly: pd.DataFrame | None = None,
    un_debate: pd.DataFrame | None = None,
) -> Observations:
    """Assemble the monthly indicators from ``start`` (default: first month with events) to
    ``end`` (default: last month with events); ``contacts`` and ``incidents`` are monthly
    counts indexed by month; ``monthly`` are stored monthly event aggregates (see
    :func:`event_flow`); ``un_debate`` is the UN General Debate table (see
    :func:`debate_series`)."""
    has_monthly = monthly is not None and len(monthly) > 0
    if events.empty and not has_monthly:
        raise IndexEstimationError("no events between the two actors: nothing to estimate from")
    seen = list(pd.to_datetime(events["day"]).dt.to_period("M"))
    if has_monthly:
        seen += list(pd.PeriodIndex(monthly["month"].astype(str), freq="M"))  # type: ignore[index]
    first = min(seen)
    start = first if start is None else pd.Period(start, freq="M")
    end = max(seen) if end is None else pd.Period(end, freq="M")
    if end < start:
        raise IndexEstimationError(f"the index would end ({end}) before it starts ({start})")
    months = pd.period_range(start, end, freq="M")
    frame = event_flow(events, months, monthly)
    frame["un_agreement"] = un_series(unga, months)
    frame["treaties"] = np.nan
    if treaties is not None:
        december = months[months.month == 12]
        frame.loc[december, "treaties"] = treaties.reindex(december).astype(float).to_numpy()
    frame["contacts"] = count_series(contacts, months)
    frame["incidents"] = count_series(incidents, months)
    frame["un_debate"] = debate_series(un_debate, months)
    exact = events[events["precision"] != "year"]
    raw = pd.DataFrame(
        {
            "month": pd.to_datetime(exact["day"]).dt.to_period("M").astype(str).to_numpy(),
            "goldstein": exact["goldstein"].astype(float).to_numpy(),
        }
    )
    return Observations(frame, raw)
