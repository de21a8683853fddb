"""Nothing not knowable at the origin reaches a backtest fit or forecast.

Knowable at an origin month: a day- or month-precision event of an earlier month, a
year-precision event of an earlier year, an indicator reading of an earlier month.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from fitkit import PERSPECTIVES, TINY, base, record

from resetlab.exceptions import ModelError
from resetlab.fit.calibrate import fit, forecast
from resetlab.fit.history import FitData, clear_forcing_cache, history_forcing, knowable_before
from resetlab.fit.perspectives import load_perspectives
from resetlab.index.observations import Observations, event_flow

ORIGIN = pd.Period("2014-07", freq="M")  # the record has year-precision events of 2014


def _unknowable(ev: pd.DataFrame, origin: pd.Period) -> np.ndarray:
    """Rows not datable before ``origin``: written out here, independent of the code tested."""
    out = []
    for d, prec in zip(ev["date"].astype(str), ev["precision"], strict=True):
        if prec == "year":  # known once the year is over
            out.append(pd.Period(f"{d[:4]}-12", freq="M") >= origin)
        else:  # day or month: known once the month is over
            out.append(pd.Period(d[:7], freq="M") >= origin)
    return np.array(out, dtype=bool)


def _poison_events(ev: pd.DataFrame, origin: pd.Period) -> pd.DataFrame:
    ev = ev.copy()
    late = _unknowable(ev, origin)
    ev.loc[late, "goldstein"] = -ev.loc[late, "goldstein"].astype(float) - 5.0
    extra = ev.loc[late].head(3).copy()
    extra["id"] = extra["id"] + "-poison"
    return pd.concat([ev, extra], ignore_index=True)


def _poisoned(data: FitData, origin: pd.Period) -> FitData:
    """The record with everything not knowable at ``origin`` changed: events (year- and
    month-precision rows whose period is not over included), indicators, index."""
    assert data.dyad_events is not None
    ev = _poison_events(data.events, origin)
    dyad = _poison_events(data.dyad_events, origin)
    f = data.observations.frame.copy()
    flow = event_flow(dyad, pd.PeriodIndex(f.index))  # the indicator as the index builds it
    f["events"], f["events_n"] = flow["events"], flow["events_n"]
    after = f.index >= origin
    f.loc[after, "events"] = 9.0
    f.loc[after, "events_n"] = 5.0
    f.loc[after & f["un_agreement"].notna(), "un_agreement"] = 0.99
    raw = data.observations.raw_events.copy()
    raw.loc[pd.PeriodIndex(raw["month"], freq="M") >= origin, "goldstein"] = 10.0
    idx = data.index.copy()
    idx.loc[pd.PeriodIndex(idx["month"], freq="M") >= origin, "score"] = 7.0
    return FitData(Observations(f, raw), ev, idx, data.level, dyad)


def test_the_poison_reaches_months_before_the_origin() -> None:
    """Year-precision events of the origin's year touch the months before it (the leak)."""
    clean, dirty = record(), _poisoned(record(), ORIGIN)
    f0, f1 = clean.observations.frame, dirty.observations.frame
    before = f0.index < ORIGIN
    assert not np.allclose(f0.loc[before, "events"], f1.loc[before, "events"], equal_nan=True)


def test_the_vintage_sees_nothing_from_the_origin_on() -> None:
    clean, dirty = record(), _poisoned(record(), ORIGIN)
    a, b = clean.vintage(ORIGIN), dirty.vintage(ORIGIN)
    pd.testing.assert_frame_equal(a.index, b.index)
    assert a.index["month"].iloc[-1] == str(ORIGIN - 1)
    pd.testing.assert_frame_equal(a.events.reset_index(drop=True), b.events.reset_index(drop=True))
    assert not _unknowable(b.events, ORIGIN).any()
    # the vintage index is re-estimated, not cut from the full-sample (smoothed) index
    full = clean.index.set_index("month")["score"]
    last = str(ORIGIN - 1)
    assert a.index.set_index("month")["score"][last] != pytest.approx(full[last], abs=1e-9)


def test_knowable_before_follows_each_precision() -> None:
    ev = pd.DataFrame(
        {
            "id": ["y", "m", "d"],
            "date": ["2014", "2014-06", "2014-06-30"],
            "precision": ["year", "month", "day"],
        }
    )
    assert knowable_before(ev, "2014-06").tolist() == [False, False, False]
    assert knowable_before(ev, "2014-07").tolist() == [False, True, True]
    assert knowable_before(ev, "2014-12").tolist() == [False, True, True]
    assert knowable_before(ev, "2015-01").tolist() == [True, True, True]
    bad = ev.assign(precision=["year", "week", "day"])
    with pytest.raises(ModelError, match="event m: date '2014-06'.*week"):
        knowable_before(bad, "2015-01")


def test_forcing_after_the_origin_knows_only_the_calendar(monkeypatch: pytest.MonkeyPatch) -> None:
    clean = record()
    f1, n1 = history_forcing(base(), clean.vintage(ORIGIN), 24)
    # change treaties and leaders from the origin on: the forecast forcing must not move
    from resetlab.record import calendars, treaties

    real_treaties, real_tenure = treaties.treaties_in_force, calendars.leader_tenure_months

    def fake_treaties(months: pd.PeriodIndex, *a: object, **k: object) -> pd.Series:
        s = real_treaties(months, *a, **k)
        return s.where(s.index < ORIGIN, 0.0)

    def fake_tenure(months: pd.PeriodIndex, country: str, *a: object, **k: object) -> pd.Series:
        s = real_tenure(months, country, *a, **k)
        return s.where(s.index < ORIGIN + 3, 0.0)  # a new leader 3 months after the origin

    monkeypatch.setattr(treaties, "treaties_in_force", fake_treaties)
    monkeypatch.setattr(calendars, "leader_tenure_months", fake_tenure)
    clear_forcing_cache()  # the patched calendars must be read, not the forcing kept from f1
    f2, n2 = history_forcing(base(), _poisoned(clean, ORIGIN).vintage(ORIGIN), 24)
    assert n1 == n2 == ORIGIN.ordinal - pd.Period("1992-01", freq="M").ordinal
    for k in f1.series:
        np.testing.assert_array_equal(f1.series[k], f2.series[k], err_msg=k)
    for k in f1.shocks:
        np.testing.assert_array_equal(f1.shocks[k], f2.shocks[k], err_msg=k)
        assert not np.any(f1.shocks[k][n1:]), "no record shocks after the origin"
    assert f1.rates == f2.rates and f1.rates_from == n1
    # levers of the replay scenario dated after the origin are gone (the 2009 reset is before)
    early, _ = history_forcing(base(), clean.vintage("2008-01"), 24)
    assert not early.series["reset_us"].any() and not early.series["track_arms"].any()


def test_fit_and_forecast_are_blind_to_later_data() -> None:
    p = load_perspectives(PERSPECTIVES, ("valdai-2011",))["valdai-2011"]
    clean, dirty = record().vintage(ORIGIN), _poisoned(record(), ORIGIN).vintage(ORIGIN)
    post1 = fit(p, clean, base(), budget=TINY, seed=3)
    post2 = fit(p, dirty, base(), budget=TINY, seed=3)
    np.testing.assert_array_equal(post1.samples, post2.samples)
    assert post1.origin == str(ORIGIN)
    kw = dict(draws=4, draw_reps=2, seed=3)
    f1 = forecast(p, post1, clean, base(), 24, **kw)
    f2 = forecast(p, post2, dirty, base(), 24, **kw)
    np.testing.assert_array_equal(f1, f2)


def test_the_fit_does_change_when_earlier_data_change() -> None:
    """The blindness above is not a fit that ignores its data."""
    p = load_perspectives(PERSPECTIVES, ("null",))["null"]
    v = record().vintage(ORIGIN)
    # a stretched index (a uniform shift would not do: the fit anchors the level to the index)
    shifted = dataclasses.replace(v, index=v.index.assign(score=2.0 * v.index["score"]))
    a = fit(p, v, base(), budget=TINY, seed=1)
    b = fit(p, shifted, base(), budget=TINY, seed=1)
    assert not np.array_equal(a.samples, b.samples)
