"""No data from the origin on reaches a backtest fit or forecast (issue 6, section 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fitkit import PERSPECTIVES, TINY, base, record

from resetlab.fit.calibrate import fit, forecast
from resetlab.fit.history import FitData, event_months, history_forcing
from resetlab.fit.perspectives import load_perspectives
from resetlab.index.observations import Observations

ORIGIN = pd.Period("2010-07", freq="M")


def _poisoned(data: FitData, origin: pd.Period) -> FitData:
    """The record with everything from ``origin`` on changed: events, indicators, index."""
    ev = data.events.copy()
    late = np.asarray(event_months(ev) >= origin)
    ev.loc[late, "goldstein"] = -ev.loc[late, "goldstein"].astype(float) - 5.0
    extra = ev.loc[late].head(3).copy()
    extra["id"] = extra["id"] + "-poison"
    ev = pd.concat([ev, extra], ignore_index=True)
    f = data.observations.frame.copy()
    after = f.index >= origin
    f.loc[after, "events"] = 9.0
    f.loc[after, "events_n"] = 5.0
    f.loc[after & f["un_agreement"].notna(), "un_agreement"] = 0.99
    raw = data.observations.raw_events.copy()
    raw.loc[pd.PeriodIndex(raw["month"], freq="M") >= origin, "goldstein"] = 10.0
    idx = data.index.copy()
    idx.loc[pd.PeriodIndex(idx["month"], freq="M") >= origin, "score"] = 7.0
    return FitData(Observations(f, raw), ev, idx, data.level)


def test_the_vintage_sees_nothing_from_the_origin_on() -> None:
    clean, dirty = record(), _poisoned(record(), ORIGIN)
    a, b = clean.vintage(ORIGIN), dirty.vintage(ORIGIN)
    pd.testing.assert_frame_equal(a.index, b.index)
    assert a.index["month"].iloc[-1] == str(ORIGIN - 1)
    pd.testing.assert_frame_equal(
        a.events.reset_index(drop=True), b.events.reset_index(drop=True)
    )
    # the vintage index is re-estimated, not cut from the full-sample (smoothed) index
    full = clean.index.set_index("month")["score"]
    last = str(ORIGIN - 1)
    assert a.index.set_index("month")["score"][last] != pytest.approx(full[last], abs=1e-9)


def test_forcing_after_the_origin_knows_only_the_calendar(monkeypatch: pytest.MonkeyPatch) -> None:
    clean = record()
    f1, n1 = history_forcing(base(), clean.vintage(ORIGIN), 24)
    # change treaties and leaders from the origin on: the forecast forcing must not move
    from resetlab.record import calendars, treaties

    real_treaties, real_tenure = treaties.treaties_in_force, calendars.leader_tenure_months

    def fake_treaties(months: pd.PeriodIndex, *a: object, **k: object) -> pd.Series:
        s = real_treaties(months, *a, **k)
        return s.where(s.index < ORIGIN, 0.0)

    def fake_tenure(months: pd.PeriodIndex, country: str) -> pd.Series:
        s = real_tenure(months, country)
        return s.where(s.index < ORIGIN + 3, 0.0)  # a new leader 3 months after the origin

    monkeypatch.setattr(treaties, "treaties_in_force", fake_treaties)
    monkeypatch.setattr(calendars, "leader_tenure_months", fake_tenure)
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
    shifted = type(v)(v.origin, v.index.assign(score=v.index["score"] + 3.0), v.events)
    a = fit(p, v, base(), budget=TINY, seed=1)
    b = fit(p, shifted, base(), budget=TINY, seed=1)
    assert not np.array_equal(a.samples, b.samples)
