"""The vectorised engine, the plain-Python loop and the Mesa model are the same model.

Exact: with noise, sampled shocks and random mechanisms off, the three give the same paths
(float32 against float64). Distribution: with randomness on, two-sample Kolmogorov-Smirnov
tests on the relations score at several months do not reject equality (fixed seeds, so the
test is deterministic).
"""

from __future__ import annotations

import importlib
import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from resetlab.model import build_spec, load_scenario, simulate

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench() -> tuple[ModuleType, ModuleType, ModuleType]:
    pytest.importorskip("mesa")
    folder = str(REPO / "benchmarks")
    sys.path.insert(0, folder)  # benchmarks/ is a folder of scripts, not a package
    try:
        spec = importlib.util.spec_from_file_location("resetlab_bench_run", f"{folder}/run.py")
        assert spec is not None and spec.loader is not None
        run = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(run)
        return importlib.import_module("scalar_model"), importlib.import_module("mesa_model"), run
    finally:
        while folder in sys.path:
            sys.path.remove(folder)


@pytest.fixture(scope="module")
def spec():  # type: ignore[no-untyped-def]
    return build_spec(load_scenario(REPO / "scenarios" / "reset-2025.yaml"))


def test_exact_without_randomness(bench, spec) -> None:  # type: ignore[no-untyped-def]
    scalar, mesa_model, run = bench
    det = run.deterministic(spec)
    vec = simulate(det, members=3, seed=0, variables=("relations", "trust", "coop_ru"))
    ss = scalar.ScalarSpec(det)
    for var in ("relations", "trust", "coop_ru"):
        py = np.array(scalar.run_member(ss, random.Random(1), var))
        np.testing.assert_allclose(vec.variable(var)[:, 1], py, atol=1e-4)
    model = mesa_model.RelationsModel(ss, seed=0)
    for _ in range(ss.T):
        model.step()
    np.testing.assert_allclose(vec.variable("relations")[:, 2], model.path, atol=1e-4)
    assert np.ptp(vec.variable("relations")[:, 0]) > 0.5  # the path moves: not a trivial match


def test_same_distribution_with_randomness(bench, spec) -> None:  # type: ignore[no-untyped-def]
    from scipy.stats import ks_2samp

    scalar, mesa_model, _ = bench
    vec = simulate(spec, members=4000, seed=11, variables=("relations",)).variable("relations")
    py = np.array(scalar.run_python(spec, 300, 12))
    me = np.array(mesa_model.run_mesa(spec, 150, 13))
    for t in (6, 30, 59):
        assert ks_2samp(vec[t], py[:, t]).pvalue > 0.001
        assert ks_2samp(vec[t], me[:, t]).pvalue > 0.001
        assert abs(np.median(vec[t]) - np.median(py[:, t])) < 0.3


def test_the_check_can_fail(bench, spec) -> None:  # type: ignore[no-untyped-def]
    """A model that differs by one parameter is told apart by the same KS test."""
    import dataclasses

    from scipy.stats import ks_2samp

    scalar, _, _ = bench
    vec = simulate(spec, members=4000, seed=11, variables=("relations",)).variable("relations")
    other = dataclasses.replace(
        spec, observation=dataclasses.replace(spec.observation, offset=-4.5)
    )
    py = np.array(scalar.run_python(other, 300, 12))
    assert ks_2samp(vec[30], py[:, 30]).pvalue < 0.001
