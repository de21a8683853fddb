"""The lever analysis: the reset move as a switch, nominal values, Sobol indices and their check."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fitkit import PERSPECTIVES, TINY, base, record
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami

from resetlab.exceptions import FitError
from resetlab.fit.calibrate import Posterior, fit
from resetlab.fit.history import history_forcing
from resetlab.fit.outlook import (
    LEVERS,
    LeverAnalysis,
    applied,
    lever_forcing,
    levers,
    nominal_values,
    sobol_indices,
)
from resetlab.fit.perspectives import load_perspectives
from resetlab.model.forcing import Forcing, month_range

NAMES = [lv.name for lv in LEVERS]


def _problem(k: int) -> dict[str, object]:
    return {"num_vars": k, "names": [f"x{i + 1}" for i in range(k)], "bounds": [[0.0, 1.0]] * k}


# --------------------------------------------------------------------------- indices from Y


def test_ishigami_indices_match_the_analytic_values_and_converge() -> None:
    # Ishigami (a = 7, b = 0.1) on [-pi, pi]^3: S1 = (0.3139, 0.4424, 0), ST = (0.5576,
    # 0.4424, 0.2437) (Saltelli et al. 2008, Global Sensitivity Analysis, section 2.9)
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    n = 2048
    X = sobol_sample.sample(problem, n, calc_second_order=False, seed=1)
    t = sobol_indices(problem, Ishigami.evaluate(X), n, seed=1).set_index("lever")
    np.testing.assert_allclose(t["s1"], [0.3139, 0.4424, 0.0], atol=0.05)
    np.testing.assert_allclose(t["st"], [0.5576, 0.4424, 0.2437], atol=0.05)
    assert t["converged"].all() and not t["st_invalid"].any()
    assert (t["st_conf"] > 0).all() and (t["st_half_conf"] >= t["st_conf"] * 0.5).all()


def test_a_linear_model_gets_its_shares_and_a_dummy_gets_zero() -> None:
    problem = _problem(3)
    n = 256
    X = sobol_sample.sample(problem, n, calc_second_order=False, seed=0)
    y = 2.0 * X[:, 0] + X[:, 1]  # x3 does nothing: Var = 4/12 + 1/12, shares 0.8 and 0.2
    t = sobol_indices(problem, y, n).set_index("lever")
    np.testing.assert_allclose(t.loc[["x1", "x2"], "st"], [0.8, 0.2], atol=0.05)
    np.testing.assert_allclose(t.loc[["x1", "x2"], "s1"], [0.8, 0.2], atol=0.05)
    assert t.loc["x3", "st"] == pytest.approx(0.0, abs=1e-12)
    assert t.loc["x3", "s1"] == pytest.approx(0.0, abs=1e-12)
    assert t["converged"].all()


def test_the_half_sample_check_flags_an_output_that_changes_between_halves() -> None:
    problem = _problem(3)
    n = 256
    X = sobol_sample.sample(problem, n, calc_second_order=False, seed=0)
    first = (n // 2) * (3 + 2)  # the rows of the first n/2 base points
    y = np.where(np.arange(len(X)) < first, X[:, 0], X[:, 1])
    t = sobol_indices(problem, y, n).set_index("lever")
    assert t.loc["x1", "st_half"] == pytest.approx(1.0, abs=0.05)
    assert t.loc["x1", "st"] < 0.8  # the full sample mixes the two halves
    assert not t.loc["x1", "converged"] and not t.loc["x2", "converged"]
    assert t.loc["x3", "converged"]  # x3 moves nothing in either half


def test_a_flat_output_has_zero_indices_and_bad_samples_are_refused() -> None:
    problem = _problem(2)
    t = sobol_indices(problem, np.full(8 * 4, 0.5), 8)
    assert (t[["s1", "st", "s1_half", "st_half"]] == 0).all().all() and t["converged"].all()
    with pytest.raises(FitError, match="not a Saltelli sample of 8"):
        sobol_indices(problem, np.zeros(30), 8)
    with pytest.raises(FitError, match="not finite"):
        sobol_indices(problem, np.r_[np.zeros(31), np.nan], 8)


# --------------------------------------------------------------------------- levers as applied


def test_the_reset_move_is_a_switch_and_its_size_needs_it() -> None:
    f = Forcing.flat(month_range("2025-01", 20), {"treaties": 0.4})
    i = {n: k for k, n in enumerate(NAMES)}
    row = np.array([lv.nominal if lv.nominal is not None else 0.4 for lv in LEVERS])
    row[i["reset_size"]], row[i["reset_timing"]] = 0.7, 2.4
    for u, moved in ((0.0, False), (0.49, False), (0.5, True), (1.0, True)):
        row[i["reset_move"]] = u
        g = lever_forcing(f, 10, row)
        assert g.series["reset_us"].sum() == pytest.approx(0.7 if moved else 0.0)
        if moved:
            assert g.series["reset_us"][12] == pytest.approx(0.7)
    a = applied(np.array([row, np.r_[row[:7], 0.2, row[8:]]]))
    assert list(a[:, i["reset_move"]]) == [1.0, 0.0] and a[0, i["reset_timing"]] == 2.0
    with pytest.raises(FitError, match="9 lever values for 10"):
        lever_forcing(f, 10, row[:9])
    # a move timed past the forcing's last month cannot act inside the hold window: left out
    late = row.copy()
    late[i["reset_timing"]] = 12.0
    assert not lever_forcing(f, 10, late).series["reset_us"].any()
    # a window too short for the concessions and treaties is refused
    short = Forcing.flat(month_range("2025-01", 12), {"treaties": 0.4})
    with pytest.raises(FitError, match="no month 13"):
        lever_forcing(short, 10, row)


def test_nominal_values_are_stated_and_the_treaty_share_is_the_origins() -> None:
    data = record()
    v = data.vintage()
    forcing, n_hist = history_forcing(base(), v, 16)
    nominal = nominal_values(forcing, n_hist)
    for lv, x in zip(LEVERS, nominal, strict=True):
        assert lv.low <= x <= lv.high and "nominal" in lv.description
        if lv.nominal is not None:
            assert x == lv.nominal
    assert nominal[NAMES.index("treaties")] == forcing.series["treaties"][n_hist - 1] > 0
    # at its nominal values no lever changes the forecast's forcing
    g = lever_forcing(forcing, n_hist, nominal)
    for k, s in forcing.series.items():
        np.testing.assert_array_equal(g.series[k], s, err_msg=k)


# --------------------------------------------------------------------------- the analysis


@pytest.fixture(scope="module")
def deyermond() -> tuple[object, Posterior, LeverAnalysis]:
    """The tiny-budget analysis under a perspective with M19 (reset moves) and without M5,
    M9, M11 or M12 (no channel for tracks, exercises, concessions or treaties)."""
    p = load_perspectives(PERSPECTIVES, ("deyermond-2024",))["deyermond-2024"]
    post = fit(p, record(), base(), budget=TINY, seed=0)
    la = levers(p, post, record(), base(), "2025-02", budget=TINY, seed=0)
    return p, post, la


def test_levers_samples_the_switch_both_ways_and_holds_the_rest_at_nominal(
    deyermond: tuple[object, Posterior, LeverAnalysis],
) -> None:
    _, _, la = deyermond
    s, t = la.samples, la.table.set_index("lever")
    assert s is not None and set(s["stage"]) == {"morris", "sobol", "nominal"}
    assert la.runs == len(s) and s["p"].between(0, 1).all()
    sobol = s[s["stage"] == "sobol"]
    assert len(sobol) == TINY.sobol_n * (int((~t["screened_out"]).sum()) + 2)
    # Morris samples every lever, so the switch takes both values there; the Sobol sample
    # samples it too where screening kept it (what screening keeps depends on the record).
    assert set(s[s["stage"] == "morris"]["reset_move"]) == {0.0, 1.0}
    if not t.loc["reset_move", "screened_out"]:
        assert set(sobol["reset_move"]) == {0.0, 1.0}
    out = t.index[t["screened_out"]]
    assert len(out) > 0
    for lever in out:
        assert (sobol[lever] == t.loc[lever, "nominal"]).all(), lever
    nominal = s[s["stage"] == "nominal"].iloc[0]
    for lever in NAMES:
        assert nominal[lever] == pytest.approx(t.loc[lever, "nominal"]), lever
    assert la.base_p == nominal["p"]


def test_levers_without_a_channel_move_nothing(
    deyermond: tuple[object, Posterior, LeverAnalysis],
) -> None:
    _, _, la = deyermond
    t = la.table.set_index("lever")
    for lever in ("track_bureaucratic", "track_arms", "exercises", "concession_us", "treaties"):
        assert t.loc[lever, "mu_star"] == 0.0, lever
        assert t.loc[lever, "screened_out"] or t.loc[lever, "st"] == pytest.approx(0.0), lever


def test_levers_reports_variance_noise_and_the_check(
    deyermond: tuple[object, Posterior, LeverAnalysis],
) -> None:
    _, _, la = deyermond
    t = la.table
    sobol = la.samples[la.samples["stage"] == "sobol"]  # type: ignore[index]
    p = sobol["p"].to_numpy()
    assert t["var_y"].iloc[0] == pytest.approx(np.var(p, ddof=1))
    assert t["mc_var"].iloc[0] == pytest.approx(np.mean(p * (1 - p)) / la.members)
    assert la.members == TINY.lever_members
    assert (t["n"] == TINY.sobol_n).all() and (t["n_half"] == TINY.sobol_n // 2).all()
    assert t["smooth"].iloc[0] == (la.mc_var < 0.1 * la.var_y)
    kept = t[~t["screened_out"]]
    assert kept[["s1", "st", "s1_half", "st_half"]].notna().all().all()
    assert la.converged == bool(kept["converged"].all())
    words = la.words()
    assert f"N/2 = {TINY.sobol_n // 2}" in words and ("smooth" in words)


def test_levers_do_not_depend_on_the_batching(
    deyermond: tuple[object, Posterior, LeverAnalysis],
) -> None:
    p, post, la = deyermond
    small = dataclasses.replace(TINY, lever_batch=5)
    again = levers(p, post, record(), base(), "2025-02", budget=small, seed=0)  # type: ignore[arg-type]
    assert la.samples is not None and again.samples is not None
    pd.testing.assert_frame_equal(la.samples, again.samples)
    pd.testing.assert_frame_equal(la.table, again.table)


def test_levers_refuse_a_sobol_size_that_is_not_a_power_of_two(
    deyermond: tuple[object, Posterior, LeverAnalysis],
) -> None:
    p, post, _ = deyermond
    bad = dataclasses.replace(TINY, sobol_n=6)
    with pytest.raises(FitError, match="sobol_n = 6"):
        levers(p, post, record(), base(), "2025-02", budget=bad)  # type: ignore[arg-type]


def test_the_report_section_says_quick_look_and_the_check(
    deyermond: tuple[object, Posterior, LeverAnalysis],
) -> None:
    from resetlab.report.fit_sections import levers_section

    _, _, la = deyermond
    html = levers_section({"deyermond-2024": la}, "deyermond-2024").html_after
    assert "A quick look" in html and f"N = {TINY.sobol_n}" in html
    verdict = "passed under every perspective" if la.converged else "passed under 0 of 1"
    assert verdict in html
    assert "nominal" in html and la.words().split(";")[0] in html
    full = dataclasses.replace(la, budget="full")
    assert "A quick look" not in levers_section({"deyermond-2024": full}, "x").html_after
    assert "fail the convergence diagnostics" not in html
    failing = levers_section({"deyermond-2024": la}, "x", {"deyermond-2024": "R-hat 2.1"})
    assert failing.html_after.index("fail the convergence diagnostics</b> (deyermond-2024)") < (
        failing.html_after.index("Per perspective")
    )


def test_screened_out_levers_have_no_verdict_and_the_csv_keeps_it_empty(
    deyermond: tuple[object, Posterior, LeverAnalysis], tmp_path: Path
) -> None:
    from resetlab.tables import write_table

    _, _, la = deyermond
    t = la.table
    assert t.loc[t["screened_out"], "converged"].isna().all()
    assert t.loc[~t["screened_out"], "converged"].notna().all()
    path = tmp_path / "levers.csv"
    write_table(t.drop(columns="description"), path, "csv")
    back = pd.read_csv(path)
    assert back.loc[back["screened_out"], "converged"].isna().all()
