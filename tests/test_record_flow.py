"""The record flows one way: what a store holds (built-in and imported) reaches the index,
the model's forcing and the fit's history forcing; the built-in default is the same record."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from resetlab.exceptions import StoreError
from resetlab.model import forcing as fz
from resetlab.model.spec import load_scenario, scenario_forcing
from resetlab.record.conventions import event_month, event_months, treaty_share
from resetlab.record.read import builtin_record, read_record
from resetlab.record.schema import EVENT_COLUMNS
from resetlab.record.store import Store

ROOT = Path(__file__).resolve().parents[1]
MONTHS = fz.month_range("1999-01", 48)


def synthetic_strike(month: pd.Period) -> pd.DataFrame:
    """A synthetic (not factual) Russian use of force against the U.S. in ``month``."""
    row = {c: "" for c in EVENT_COLUMNS}
    row.update(
        id="test-synthetic-strike", date=f"{month}-15", precision="day", actor="RUS",
        target="USA", plover="ASSAULT", cameo="190", goldstein="-10", domain="military",
        summary="Synthetic test row: a use of force", source_publication="Test",
        source_title="Synthetic", date_checked="false",
    )  # fmt: skip
    df = pd.DataFrame([row])
    df["line"] = ["2"]
    return df


@pytest.fixture(scope="module")
def built() -> Store:
    store = Store.open(":memory:", build=True)
    yield store
    store.close()


def quiet_month(shocks: dict[str, np.ndarray]) -> int:
    """A month of MONTHS with no Russian ratchet and a small hostile shock."""
    ok = np.flatnonzero((shocks["ratchet_ru"] == 0) & (shocks["hostile_ru"] < 0.5))
    assert len(ok), "no quiet month to plant the event in"
    return int(ok[0])


def test_builtin_default_is_the_built_store_record(built: Store) -> None:
    rec = read_record(built)
    for k, v in fz.record_series(MONTHS).items():
        np.testing.assert_array_equal(v, fz.record_series(MONTHS, record=rec)[k], err_msg=k)
    for k, v in fz.record_shocks(MONTHS).items():
        np.testing.assert_array_equal(v, fz.record_shocks(MONTHS, rec)[k], err_msg=k)


def test_an_imported_event_reaches_the_forcing() -> None:
    with Store.open(":memory:", build=True) as store:
        before = fz.record_shocks(MONTHS, read_record(store))
        i = quiet_month(before)
        store.import_events(synthetic_strike(MONTHS[i]), file="mine.csv", fmt="csv")
        record = read_record(store)
        after = fz.record_shocks(MONTHS, record)
        assert after["ratchet_ru"][i] == 1.0 and before["ratchet_ru"][i] == 0.0
        assert after["hostile_ru"][i] == pytest.approx(min(1.0, before["hostile_ru"][i] + 1.0))
        others = np.arange(len(MONTHS)) != i
        np.testing.assert_array_equal(after["ratchet_ru"][others], before["ratchet_ru"][others])
        # and the simulation's forcing built from the scenario and that record
        sc = load_scenario(ROOT / "scenarios" / "replay-1992-2025.yaml")
        j = sc.months.get_loc(MONTHS[i])
        f_before = scenario_forcing(sc)
        f_after = scenario_forcing(sc, record=record)
        assert f_after.shocks["ratchet_ru"][j] == 1.0 != f_before.shocks["ratchet_ru"][j]


def test_the_store_s_tables_reach_the_series(built: Store) -> None:
    rec = read_record(built)
    assert rec.leaders is not None
    changed = rec.copy()
    assert changed.leaders is not None
    usa = changed.leaders["country"] == "USA"
    # Every U.S. term starting a year earlier changes the tenure count, so the table is read.
    changed.leaders.loc[usa, "start_day"] -= pd.DateOffset(years=1)
    a = fz.record_series(MONTHS, record=rec)["tenure_us"]
    b = fz.record_series(MONTHS, record=changed)["tenure_us"]
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(a, fz.record_series(MONTHS, record=rec)["tenure_us"])


def test_a_store_without_the_builtin_tables_says_so() -> None:
    with Store.open(":memory:", build=False) as store:
        rec = read_record(store)
        assert rec.elections is None
        with pytest.raises(StoreError, match="elections"):
            fz.record_series(MONTHS, record=rec)


def test_builtin_record_hands_out_copies() -> None:
    first = builtin_record()
    first.events.loc[:, "goldstein"] = 99.0
    assert first.leaders is not None
    first.leaders.loc[:, "name"] = "nobody"
    again = builtin_record()
    assert (again.events["goldstein"] != 99.0).all()
    assert again.leaders is not None and (again.leaders["name"] != "nobody").all()


def test_event_month_convention() -> None:
    assert event_month("2014-03-18") == pd.Period("2014-03", freq="M")
    assert event_month("2014-03") == pd.Period("2014-03", freq="M")
    assert event_month("2014") == pd.Period("2014-07", freq="M")
    assert list(event_months(["2001", "2002-02-02"]).astype(str)) == ["2001-07", "2002-02"]
    np.testing.assert_allclose(treaty_share([0.0, 2.0, 4.0], 4.0), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(treaty_share([0.0, 0.0], 0.0), [0.0, 0.0])


def test_too_short_a_history_is_a_fit_error() -> None:
    from resetlab.exceptions import FitError
    from resetlab.fit.history import REPLAY_START, Vintage, history_forcing

    sc = load_scenario(ROOT / "scenarios" / "replay-1992-2025.yaml")
    early = Vintage(REPLAY_START + 6, pd.DataFrame(), pd.DataFrame())
    with pytest.raises(FitError, match="less than a year of history"):
        history_forcing(sc, early, 12)
