"""'Holds h months' (one definition): a regime that lasts, the observed months conditioned on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from resetlab.exceptions import ModelError
from resetlab.fit.hold import (
    hold_members,
    hold_probability,
    hold_shares,
    monte_carlo_se,
    months_to_forecast,
    pre_reset_level,
    stays_above,
)

START = pd.Period("2025-02", freq="M")
ORIGIN = pd.Period("2025-11", freq="M")


@settings(max_examples=60, deadline=None)
@given(
    ens=arrays(np.float64, (17, 12), elements=st.floats(-5, 5, allow_nan=False)),
    level=st.floats(-3, 3),
    observed=arrays(np.float64, st.integers(0, 9), elements=st.floats(-5, 5, allow_nan=False)),
)
def test_hold_24_is_never_more_likely_than_hold_12(
    ens: np.ndarray, level: float, observed: np.ndarray
) -> None:
    p12 = hold_probability(ens, ORIGIN, START, level, 12, observed)
    p24 = hold_probability(ens, ORIGIN, START, level, 24, observed)
    assert 0.0 <= p24 <= p12 <= 1.0
    shares = hold_shares(ens, level, (3, 10))
    assert shares["10"] is not None and shares["3"] is not None
    assert shares["10"] <= shares["3"]


def test_a_member_that_dips_once_has_not_held() -> None:
    # months 2025-11 .. 2027-02 (16): member 0 stays up, member 1 dips in 2026-05 only,
    # member 2 is below in 2026-02 but above again later (a single-month rule would count it)
    ens = np.ones((16, 3))
    ens[6, 1] = -1.0
    ens[3, 2] = -1.0
    assert (
        months_to_forecast(ORIGIN, START, 12) == 4 and months_to_forecast(ORIGIN, START, 24) == 16
    )
    assert hold_members(ens, ORIGIN, START, 0.0, 12).tolist() == [True, True, False]
    assert hold_members(ens, ORIGIN, START, 0.0, 24).tolist() == [True, False, False]
    # the observed months since the start count: a breakdown already seen ends it for all
    assert hold_probability(ens, ORIGIN, START, 0.0, 12, np.array([1.0, -0.5, 1.0])) == 0.0
    assert hold_probability(ens, ORIGIN, START, 0.0, 12, np.array([1.0, 0.5])) == pytest.approx(
        2 / 3
    )
    # a reset observed to have held 2 months holds 2 months, whatever came later
    late = pd.Period("2025-06", freq="M")
    assert hold_probability(ens, late, START, 0.0, 2, np.array([1.0, 1.0, 1.0, -1.0])) == 1.0
    assert hold_probability(ens, late, START, 0.0, 3, np.array([1.0, 1.0, 1.0, -1.0])) == 0.0
    with pytest.raises(ModelError, match="does not reach"):
        hold_members(ens[:10], ORIGIN, START, 0.0, 24)


def test_stays_above_is_a_running_condition() -> None:
    paths = np.array([[1.0, 1.0], [-1.0, 1.0], [1.0, 1.0]])
    assert stays_above(paths, 0.0).tolist() == [[True, True], [False, True], [False, True]]


def test_monte_carlo_error_counts_posterior_draws_not_members() -> None:
    held = np.repeat([True, False] * 8, 4)  # 16 draws of 4 identical members
    se = monte_carlo_se(held, 4)
    assert se == pytest.approx(np.std([1.0, 0.0] * 8, ddof=1) / 4)
    assert se > monte_carlo_se(held, 1)
    with pytest.raises(ModelError, match="clusters"):
        monte_carlo_se(held[:-1], 4)


def test_pre_reset_level_is_the_mean_of_the_regime_before() -> None:
    seg = pd.DataFrame(
        {"start": ["2019-12", "2022-01", "2025-02"], "end": ["2021-12", "2025-01", "2025-10"],
         "mean": [-1.5, -3.4, 1.6]}
    )  # fmt: skip
    assert pre_reset_level(seg, "2025-02") == -3.4
    assert pre_reset_level(seg, "2022-01") == -1.5
    with pytest.raises(ModelError, match="no regime ends in 2024-12"):
        pre_reset_level(seg, "2025-01")
