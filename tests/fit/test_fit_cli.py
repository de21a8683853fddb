"""The issue-6 commands and report sections, end to end on a tiny budget."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from fitkit import PERSPECTIVES, TINY
from typer.testing import CliRunner

from resetlab.cli import app
from resetlab.fit import budget as budget_module
from resetlab.fit.baselines import BASELINES
from resetlab.fit.outlook import NO_SKILL, NOT_CONVERGED, SKILL

runner = CliRunner()

COLUMNS = {
    "backtest": ["model", "horizon", "crps", "skill", "best_baseline", "skill_vs_best", "dm_stat",
                 "dm_p", "dm_p_holm", "n_origins", "n_eff", "coverage90", "verdict"],
    "compare": ["perspective", "score", "rank", "in_mcs"],
    "outlook": ["perspective", "p_hold_12", "p_hold_24", "mc_se", "brier_skill_12",
                "brier_skill_24", "verdict"],
    "levers": ["perspective", "lever", "s1", "s1_conf", "st", "st_conf", "st_lo", "st_hi", "var_y",
               "n", "s1_half", "st_half", "converged", "st_invalid", "mc_var", "smooth", "nominal",
               "screened_out"],
    "claims": ["perspective", "claim", "mechanism", "test", "scope", "n_dyads", "n_episodes",
               "effect", "ci_lo", "ci_hi", "p_value", "p_adj", "power", "power_index", "margin",
               "verdict"],
}  # fmt: skip


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two perspectives, a built store and a cache shared by the tests of this module."""
    root = tmp_path_factory.mktemp("fitcli")
    folder = root / "perspectives"
    folder.mkdir()
    for name in ("valdai-2011", "null"):
        shutil.copy(PERSPECTIVES / f"{name}.yaml", folder)
    return root


@pytest.fixture
def small(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The tiny budget standing in for ``quick``; one RESETLAB_HOME (cache) for the module."""
    monkeypatch.setitem(budget_module.BUDGETS, "quick", dataclasses.replace(TINY, name="quick"))
    monkeypatch.setenv("RESETLAB_HOME", str(workspace / "home"))
    store = workspace / "store.duckdb"
    if not store.exists():
        assert runner.invoke(app, ["record", "build", "--store", str(store)]).exit_code == 0
    return workspace / "perspectives", store


@pytest.mark.slow  # runs every fit command on the record (about two minutes)
def test_every_table_command_writes_its_columns(small: tuple[Path, Path], tmp_path: Path) -> None:
    folder, store = small
    common = ["--store", str(store), "--perspectives", str(folder), "--jobs", "1"]
    tables = {}
    for kind, cols in COLUMNS.items():
        out = tmp_path / f"{kind}.csv"
        res = runner.invoke(app, [kind, "--format", "csv", "-o", str(out), *common])
        assert res.exit_code == 0, res.output
        df = pd.read_csv(out, keep_default_na=False, na_values=[""])  # a model is called null
        assert list(df.columns) == cols, kind
        tables[kind] = df
    bt = tables["backtest"]
    assert set(bt["model"]) == {"valdai-2011", "null", *BASELINES}
    assert sorted(bt["horizon"].unique()) == list(range(1, 25))
    p = bt[bt["model"] == "persistence"]
    assert (p["skill"] == 0).all()
    assert set(bt["best_baseline"]) <= set(BASELINES)
    claim = bt[bt["verdict"] == "skill"]
    assert (claim["dm_p_holm"] < 0.05).all() and (claim["skill_vs_best"] > 0).all()
    assert set(bt.loc[bt["model"].isin(["valdai-2011", "null"]), "verdict"]) <= {
        "skill", "no skill claim", "worse than the best baseline"}  # fmt: skip
    assert (bt["n_origins"] == 19).all() and (bt["n_eff"] <= bt["n_origins"]).all()
    assert bt["coverage90"].between(0, 1).all()
    assert sorted(tables["compare"]["rank"]) == [1, 2]
    assert set(tables["compare"]["in_mcs"]) <= {True, False}
    o = tables["outlook"]
    assert o[["p_hold_12", "p_hold_24"]].stack().between(0, 1).all()
    assert (o["p_hold_24"] <= o["p_hold_12"]).all() and (o["mc_se"] >= 0).all()
    assert set(o["verdict"]) <= {SKILL, NO_SKILL, NOT_CONVERGED}
    # the tiny budget's chains cannot converge: no outlook is read from them
    assert set(o["verdict"]) == {NOT_CONVERGED}
    assert (o.loc[o["verdict"] == SKILL, ["brier_skill_12", "brier_skill_24"]] > 0).all().all()
    cl = tables["claims"]
    assert set(cl["perspective"]) == {"valdai-2011"} and len(cl) >= 2
    assert set(cl["verdict"]) <= {"supported", "contradicted", "inconclusive", "not decidable"}
    # one row a claim and scope; a panel row of a store without panel pairs has no pool
    assert list(cl["scope"]) == ["USA-RUS", "panel"] * (len(cl) // 2)
    tested = cl["p_value"].notna()
    assert (cl.loc[tested, "p_adj"] >= cl.loc[tested, "p_value"]).all()
    assert cl.loc[cl["power"].notna(), "power"].between(0, 1).all()
    assert (cl.loc[cl["power"].isna(), "verdict"] == "not decidable").all()
    assert (
        "from cache"
        in runner.invoke(app, ["compare", "-o", str(tmp_path / "c.json"), *common]).output
    )


def test_fit_command_writes_a_posterior_and_chart(small: tuple[Path, Path], tmp_path: Path) -> None:
    folder, store = small
    out, chart = tmp_path / "post.json", tmp_path / "replay.html"
    res = runner.invoke(app, ["fit", "valdai-2011", "-o", str(out), "--chart", str(chart),
                              "--until", "2015-01", "--store", str(store),
                              "--perspectives", str(folder)])  # fmt: skip
    assert res.exit_code == 0, res.output
    from resetlab.fit.calibrate import Posterior

    post = Posterior.load(out)
    assert post.origin == "2015-01" and post.perspective == "valdai-2011"
    assert "plotly" in chart.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["fit", "nobody", "-o", str(out), "--store", str(store),
                              "--perspectives", str(folder)])  # fmt: skip
    assert bad.exit_code != 0 and "valdai-2011" in bad.output
    bad = runner.invoke(
        app, ["backtest", "-o", str(out), "--budget", "huge", "--store", str(store)]
    )
    assert bad.exit_code != 0 and "quick, full" in bad.output


@pytest.mark.slow  # builds the whole report with its fit sections (about three minutes)
def test_report_has_a_section_for_each_and_names_the_budget(
    small: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, store = small
    monkeypatch.chdir(folder.parent)  # ./perspectives is the small folder
    from resetlab.report.cli import make_report

    path = make_report(tmp_path / "r.html", store, [], fit=True, budget="quick",
                       results=tmp_path / "results")  # fmt: skip
    text = path.read_text(encoding="utf-8")
    for anchor in ("claims", "calibration", "backtest", "compare", "outlook", "levers"):
        assert f"id='{anchor}'" in text, anchor
    assert text.count("(quick budget") >= 6
    assert "no skill claim" in text or "Skill over the best baseline" in text
    assert text.index("id='headline'") < text.index("id='index'")  # on the first screen
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == [
        "backtest.csv", "claims.csv", "compare.csv", "levers.csv", "outlook.csv"]  # fmt: skip


@pytest.mark.parametrize("until", ["2020-13", "2020-00", "20-01", "soon"])
def test_fit_until_must_be_a_month(until: str, tmp_path: Path) -> None:
    res = runner.invoke(app, ["fit", "null", "-o", str(tmp_path / "p.json"), "--until", until,
                              "--store", str(tmp_path / "s.duckdb")])  # fmt: skip
    assert res.exit_code == 2 and "is not a month YYYY-MM" in res.output
    assert not (tmp_path / "s.duckdb").exists()  # refused before any work


def test_fit_sampler_option(small: tuple[Path, Path], tmp_path: Path) -> None:
    folder, store = small
    out = tmp_path / "post.json"
    common = ["-o", str(out), "--store", str(store), "--perspectives", str(folder)]
    res = runner.invoke(app, ["fit", "null", "--sampler", "emcee-mcwm", *common])
    assert res.exit_code == 0, res.output
    assert "sampler: emcee-mcwm" in res.output and out.exists()
    res = runner.invoke(app, ["fit", "null", "--sampler", "emcee-crn", *common])
    assert res.exit_code == 0, res.output
    assert (
        "sampler: emcee-crn" in res.output and json.loads(out.read_text())["perspective"] == "null"
    )
    res = runner.invoke(app, ["fit", "null", "--sampler", "crn-metropolis", *common])
    assert res.exit_code == 0, res.output
    d = json.loads(out.read_text())["diagnostics"]
    assert d["sampler"] == "crn-metropolis" and d["metropolis_steps"] in (8, 16)
    assert f"then {d['metropolis_steps']} Metropolis steps of 2 walkers per chain" in res.output
    checks = json.loads(out.read_text())["posterior_predictive"]
    assert len(checks) == 7 and {"check", "p_value", "p_holm", "flagged"} <= set(checks[0])
    assert "posterior predictive checks" in res.output
    bad = runner.invoke(app, ["fit", "null", "--sampler", "gibbs", *common])
    assert bad.exit_code != 0 and "unknown sampler 'gibbs'" in bad.output


def test_fit_steps_option_sets_the_chain_length_and_burn(
    small: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, store = small
    out = tmp_path / "post.json"
    common = ["-o", str(out), "--store", str(store), "--perspectives", str(folder)]
    res = runner.invoke(app, ["fit", "null", "--steps", "8", *common])
    assert res.exit_code == 0, res.output
    d = json.loads(out.read_text())["diagnostics"]
    assert (d["steps"], d["burn"]) == (8, 4) and "steps: 8 per walker, 4 burned" in res.output
    walkers, chains = TINY.walkers, TINY.chains
    kept = len(json.loads(out.read_text())["samples"])  # finite draws after burn-in
    assert walkers * chains * 2 < kept <= walkers * chains * 4
    bad = runner.invoke(app, ["fit", "null", "--steps", "2", *common])
    assert bad.exit_code == 2 and "--steps must be at least 4" in bad.output


@pytest.mark.parametrize("command", ["backtest", "levers", "fit", "outlook", "compare"])
def test_every_heavy_command_runs_on_a_cluster_on_request(command: str, tmp_path: Path) -> None:
    text = runner.invoke(app, [command, "--help"], terminal_width=200).output
    assert "--workers" in text and "--scheduler" in text
    args = ["null", "-o", str(tmp_path / "p.json")] if command == "fit" else []
    bad = runner.invoke(app, [command, *args, "--workers", "0",
                              "--store", str(tmp_path / "s.duckdb")])  # fmt: skip
    assert bad.exit_code != 0 and "--workers must be at least 1" in bad.output
