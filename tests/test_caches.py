"""Tables read once and cached hand out copies: changing one does not change the next."""

from __future__ import annotations

import pandas as pd

from resetlab.record import calendars, treaties
from resetlab.record.builtin import cameo_table

MONTHS = pd.period_range("2000-01", "2012-12", freq="M")


def test_cameo_table_is_a_fresh_copy() -> None:
    first = cameo_table()
    expected = first.copy()
    first.loc[:, "goldstein"] = 0.0
    pd.testing.assert_frame_equal(cameo_table(), expected)


def test_calendar_tables_are_fresh_copies() -> None:
    clock = calendars.months_to_next_election(MONTHS, "USA")
    tenure = calendars.leader_tenure_months(MONTHS, "RUS")
    elections, leaders = calendars._elections(), calendars._leaders()
    elections.loc[:, "day"] = pd.Timestamp("1950-01-01")
    leaders.loc[:, "start_day"] = pd.Timestamp("1950-01-01")
    pd.testing.assert_series_equal(calendars.months_to_next_election(MONTHS, "USA"), clock)
    pd.testing.assert_series_equal(calendars.leader_tenure_months(MONTHS, "RUS"), tenure)


def test_treaty_tables_are_fresh_copies() -> None:
    in_force = treaties.treaties_in_force(MONTHS)
    table, events = treaties._builtin()
    events.loc[:, "status"] = "withdrawn"
    table.loc[:, "id"] = "none"
    pd.testing.assert_series_equal(treaties.treaties_in_force(MONTHS), in_force)
    assert in_force.max() > 0


def test_cached_lookup_tables_are_read_only() -> None:
    import pytest

    from resetlab.reader.events import plover_verbs
    from resetlab.record.importers.base import cameo_codes

    for table in (cameo_codes(), plover_verbs()):
        key = next(iter(table))
        with pytest.raises(TypeError):
            table[key] = table[key]  # type: ignore[index]
