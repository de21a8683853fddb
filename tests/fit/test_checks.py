"""Posterior predictive checks: the summaries, the p-values with Holm's adjustment, and the
checks of a real (tiny) posterior in the fit's JSON and the report."""

from __future__ import annotations

import numpy as np
import pytest
from fitkit import PERSPECTIVES, TINY, base, record

from resetlab.exceptions import FitError
from resetlab.fit.calibrate import fit
from resetlab.fit.checks import (
    CHECKS,
    check_summaries,
    checks_words,
    posterior_predictive,
    predictive_pvalues,
)
from resetlab.fit.likelihood import summary_names
from resetlab.fit.perspectives import load_perspectives


def test_the_checks_of_a_series_worked_by_hand() -> None:
    # up 3 months, down 4 in a row, up 1, then flat: 24 months in all
    x = np.array([0, 1, 2, 3, 2, 1, 0, -1, 0] + [0] * 15, dtype=float)
    c = dict(zip(CHECKS, check_summaries(x)[0], strict=True))
    assert c["min_level"] == -1 and c["max_level"] == 3
    assert c["max_drawdown"] == 4  # from 3 down to -1
    assert c["share_rising"] == pytest.approx(4 / 23)
    assert c["longest_decline"] == 4
    assert c["skew_change"] == pytest.approx(0.0, abs=1e-12)  # the changes are symmetric
    from scipy.stats import skew

    jumpy = np.cumsum(np.r_[0, 3, -1, -1, -1, np.zeros(20)])  # one rise, small falls
    got = dict(zip(CHECKS, check_summaries(jumpy)[0], strict=True))
    assert got["skew_change"] == pytest.approx(skew(np.diff(jumpy))) and got["skew_change"] > 0
    two = check_summaries(np.column_stack([x, -x]))
    assert two.shape == (2, len(CHECKS)) and two[1, 0] == -3 and two[1, 6] == 3


def test_the_checks_are_not_the_likelihoods_summaries() -> None:
    import pandas as pd

    months = pd.period_range("1992-01", periods=400, freq="M")
    assert not set(CHECKS) & set(summary_names(months))
    with pytest.raises(FitError, match="24"):
        check_summaries(np.zeros(10))


def test_pvalues_flag_what_lies_outside_the_replicates_and_adjust_for_seven() -> None:
    rng = np.random.default_rng(0)
    reps = rng.normal(size=(400, len(CHECKS)))
    inside = predictive_pvalues(np.zeros(len(CHECKS)), reps)
    assert not inside["flagged"].any() and (inside["p_value"] > 0.5).all()
    obs = np.zeros(len(CHECKS))
    obs[2] = 10.0  # far above every replicate
    out = predictive_pvalues(obs, reps)
    assert out.loc[2, "p_value"] == 0 and bool(out.loc[2, "flagged"])
    assert out["flagged"].sum() == 1
    assert (out["p_holm"] >= out["p_value"] - 1e-15).all()
    assert "1 of 7" in checks_words(out) and "max_drawdown" in checks_words(out)
    assert "none of the 7" in checks_words(inside)
    # a check at the edge of significance: raw p 0.02 is flagged alone but not after Holm
    edge = np.quantile(reps[:, 0], 0.99)
    one = predictive_pvalues(np.r_[edge, np.zeros(len(CHECKS) - 1)], reps)
    assert one.loc[0, "p_value"] < 0.05 and not bool(one.loc[0, "flagged"])
    with pytest.raises(FitError, match="replicates"):
        predictive_pvalues(obs, reps[:5])


def test_a_posteriors_checks_compare_the_measured_index_with_its_replicates() -> None:
    persp = load_perspectives(PERSPECTIVES, ("null",))["null"]
    post = fit(persp, record(), base(), budget=TINY, seed=0)
    table = posterior_predictive(persp, post, record(), base(), draws=8, seed=0, replicates=40)
    assert list(table["check"]) == list(CHECKS)
    assert ((table["p_value"] >= 0) & (table["p_value"] <= 1)).all()
    assert (table["rep_q05"] <= table["rep_q95"]).all()
    from resetlab.fit.calibrate import Target
    from resetlab.fit.history import history_forcing

    vintage = record().vintage()
    _, n_hist = history_forcing(base(), vintage, 1)
    measured = check_summaries(Target.of(vintage, n_hist).y)[0]
    np.testing.assert_allclose(table["observed"].to_numpy(), measured)
    from resetlab.report.fit_sections import checks_html

    html = checks_html(table)
    assert "Posterior predictive checks" in html and "max_drawdown" in html
