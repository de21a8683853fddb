"""The history forcing is built once per content: a kept one equals a fresh build."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from fitkit import base, record

from resetlab.fit import history
from resetlab.fit.history import clear_forcing_cache, history_forcing


def _assert_same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert a.months.equals(b.months) and a.rates == b.rates and a.sizes == b.sizes
    assert a.rates_from == b.rates_from
    for group in ("series", "shocks"):
        ga, gb = getattr(a, group), getattr(b, group)
        assert set(ga) == set(gb)
        for k in ga:
            np.testing.assert_array_equal(ga[k], gb[k], err_msg=f"{group}[{k}]")


def test_kept_forcing_equals_a_fresh_build() -> None:
    clear_forcing_cache()
    v = record().vintage("2012-01")
    built, n_built = history._build_history_forcing(base(), v, 24)
    first, n1 = history_forcing(base(), v, 24)
    # a new vintage object with the same content is a hit, not a rebuild
    again, n2 = history_forcing(base(), dataclasses.replace(v, events=v.events.copy()), 24)
    assert n_built == n1 == n2 and len(history._forcing_cache) == 1
    _assert_same(built, first)
    _assert_same(built, again)


def test_each_call_gets_its_own_arrays() -> None:
    clear_forcing_cache()
    v = record().vintage("2012-01")
    first, _ = history_forcing(base(), v, 12)
    first.series["reset_us"][:] = 99.0
    first.shocks[next(iter(first.shocks))][:] = 1.0
    second, _ = history_forcing(base(), v, 12)
    _assert_same(second, history._build_history_forcing(base(), v, 12)[0])


def test_other_content_is_another_forcing() -> None:
    clear_forcing_cache()
    data = record()
    v = data.vintage("2012-01")
    f12, n = history_forcing(base(), v, 12)
    f24, _ = history_forcing(base(), v, 24)
    assert len(f12.months) == n + 12 and len(f24.months) == n + 24
    # the same origin with one event changed: the shocks are rebuilt from the new events
    ev = v.events.copy()
    row = ev.index[ev["date"].astype(str).str.startswith("2011")][0]
    ev.loc[row, "goldstein"] = -10.0
    changed = dataclasses.replace(v, events=ev)
    key_a = history._forcing_key(base(), v, 12)
    assert history._forcing_key(base(), changed, 12) != key_a
    fresh = history._build_history_forcing(base(), changed, 12)[0]
    _assert_same(history_forcing(base(), changed, 12)[0], fresh)
    later = data.vintage("2013-01")
    assert history._forcing_key(base(), later, 12) != key_a
    assert len(history._forcing_cache) == 3
    assert pd.Period("2013-12", freq="M") == history_forcing(base(), later, 12)[0].months[-1]
