"""The fused (numba) engine against the NumPy reference: same model, same numbers.

The fused engine draws the NumPy engine's random numbers in the NumPy engine's order, so the
two agree member by member to float32 rounding, with and without randomness; every
registered mechanism and strategy must have a kernel (a new one without is caught here).
"""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pytest

from resetlab.exceptions import ModelError
from resetlab.model import fused
from resetlab.model.engine import ModelSpec, ScoreWeights, resolve_engine, run_chunk, run_ensemble
from resetlab.model.forcing import SERIES, SHOCKS, Forcing, month_range
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.mechanisms.m01_inhibitors import Inhibitors
from resetlab.model.spec import build_spec, load_scenario
from resetlab.model.state import INDEX, INITIAL_VARIABLES
from resetlab.model.strategies import STRATEGIES

INITIAL = {v: 0.4 for v in INITIAL_VARIABLES} | {"relations": -1.0, "regime_ru": 1.0}
MONTHS = 60
# Float32 rounding: the kernels compute in float64 between the float32 state updates.
TOL = 5e-5


def busy_forcing(months: int = MONTHS, rate: float = 0.0) -> Forcing:
    """Every series and fixed shock moves at some point, so every kernel branch runs."""
    t = np.arange(months, dtype=np.float64)
    series = {k: np.zeros(months) for k in SERIES}
    series["clock_us"] = 47.0 - t % 48
    series["clock_ru"] = 71.0 - t % 72
    series["tenure_us"] = t % 48
    series["tenure_ru"] = t + 100.0
    series["treaties"] = np.where(t < 20, 0.8, np.where(t < 40, 0.5, 0.3))
    series["concession_us"] = np.where((t >= 10) & (t < 20), 0.1, 0.0)
    series["concession_ru"] = np.where((t >= 12) & (t < 18), 0.05, 0.0)
    series["exercises"] = np.where(t % 7 == 0, 0.4, 0.0)
    for k in ("track_bureaucratic", "track_arms", "track_regional"):
        series[k] = np.where(t > 25, 0.5, 0.0)
    series["reset_us"] = np.where(t == 15, 0.6, 0.0)
    series["reset_ru"] = np.where(t == 16, 0.3, 0.0)
    series["leader_change_us"] = np.where(t == 30, 1.0, 0.0)
    series["leader_change_ru"] = np.where((t == 5) | (t == 33), 1.0, 0.0)
    shocks = {k: np.zeros(months) for k in SHOCKS}
    shocks["hostile_us"] = np.where(t % 9 == 3, 0.5, 0.0)
    shocks["hostile_ru"] = np.where(t % 11 == 4, 0.6, 0.0)
    shocks["regional"] = np.where(t % 13 == 2, 0.7, 0.0)
    shocks["common"] = np.where(t % 17 == 6, 0.8, 0.0)
    shocks["ratchet_us"] = np.where(t == 22, 1.0, 0.0)
    shocks["ratchet_ru"] = np.where(t == 44, 1.0, 0.0)
    rates = {k: rate for k in SHOCKS} if rate else {}
    sizes = {k: 0.5 for k in SHOCKS} if rate else {}
    return Forcing(month_range("2030-01", months), series, shocks, rates, sizes, rates_from=3)


def make_spec(
    mechs: tuple[str, ...],
    us: str = "grit",
    ru: str = "tit-for-tat",
    noise: float | np.ndarray = 0.0,
    volatility: float | np.ndarray = 0.0,
    rate: float = 0.0,
    deterministic: bool = True,
) -> ModelSpec:
    """A spec of ``mechs``; ``deterministic`` sets the stochastic mechanisms' chances to 0."""
    built = []
    for k in mechs:
        cls = MECHANISMS[k]
        params = cls.Params()
        if deterministic and k == "m10":
            params = dataclasses.replace(params, hazard=0.0)
        if deterministic and k == "m18":
            params = dataclasses.replace(params, change_prob=0.0)
        built.append(cls(params))
    return ModelSpec(
        mechanisms=tuple(built),
        strategy_us=STRATEGIES[us](),
        strategy_ru=STRATEGIES[ru](),
        observation=ScoreWeights(),
        initial=INITIAL,
        forcing=busy_forcing(rate=rate),
        base_noise=noise,
        base_volatility=volatility,
    )


def both(spec: ModelSpec, members: int = 37, seed: int = 11) -> tuple[np.ndarray, np.ndarray]:
    ss = np.random.SeedSequence(seed)
    a = run_chunk(spec, members, ss, engine="numpy")
    b = run_chunk(spec, members, ss, engine="fused")
    assert a.shape == b.shape and b.dtype == np.float32
    return a, b


@pytest.mark.parametrize("key", list(MECHANISMS))
def test_every_mechanism_has_a_kernel_that_matches_its_step_without_randomness(key: str) -> None:
    cls = MECHANISMS[key]
    assert cls.kernel is not None, f"{key} has no kernel for the fused engine"
    if cls.meta.stochastic:
        assert cls.kernel_draws is not None, f"{key} does not say when its kernel draws"
    a, b = both(make_spec((key,)))
    np.testing.assert_allclose(b, a, rtol=0, atol=TOL, err_msg=key)
    # The mechanism did something the comparison could see: its columns moved.
    written = [INDEX[v] for v in cls.meta.writes]
    assert np.ptp(a[:, written, :], axis=0).max() > 1e-3, key


@pytest.mark.parametrize("key", list(STRATEGIES))
def test_every_strategy_has_a_kernel_that_matches_its_move(key: str) -> None:
    assert STRATEGIES[key].kernel is not None, f"{key} has no kernel for the fused engine"
    for us, ru in ((key, "tit-for-tat"), ("generous-tit-for-tat", key)):
        a, b = both(make_spec(tuple(MECHANISMS), us=us, ru=ru))
        np.testing.assert_allclose(b, a, rtol=0, atol=TOL, err_msg=f"{us} vs {ru}")


def test_all_mechanisms_with_every_random_source_on() -> None:
    spec = make_spec(tuple(MECHANISMS), noise=0.15, volatility=0.6, rate=0.1, deterministic=False)
    a, b = both(spec, members=300)
    np.testing.assert_allclose(b, a, rtol=0, atol=TOL)
    # The random sources were on: members differ, the stochastic mechanisms fired.
    rel = a[:, INDEX["relations"], :]
    assert rel.std(axis=1).max() > 0.1
    assert (a[-1, INDEX["ratchet"], :] != a[-1, INDEX["ratchet"], 0]).any()
    assert (a[-1, INDEX["regime_ru"], :] == 0).any() and (a[-1, INDEX["regime_ru"], :] == 1).any()


@pytest.mark.parametrize("path", ["scenarios/replay-1992-2025.yaml", "scenarios/reset-2025.yaml"])
def test_shipped_scenarios_give_the_same_paths(path: str) -> None:
    spec = build_spec(load_scenario(path))
    assert resolve_engine(spec, "auto") == "fused"
    a, b = both(spec, members=64, seed=4)
    np.testing.assert_allclose(b, a, rtol=0, atol=TOL)


def test_per_member_parameters_as_in_the_numpy_engine() -> None:
    n = 50
    rng = np.random.default_rng(0)
    spec = make_spec(tuple(MECHANISMS), noise=rng.uniform(0, 0.3, n), volatility=0.4)
    m1 = Inhibitors(Inhibitors.Params(decay=rng.uniform(0.0, 0.1, n).astype(np.float32)))
    obs = ScoreWeights(w_coop=rng.uniform(3, 9, n))
    spec = dataclasses.replace(spec, mechanisms=(m1, *spec.mechanisms[1:]), observation=obs)
    a, b = both(spec, members=n)
    np.testing.assert_allclose(b, a, rtol=0, atol=TOL)
    bad = dataclasses.replace(spec, base_noise=np.full(n + 1, 0.1))
    with pytest.raises(ModelError, match=r"base_noise: one value per member needs shape \(50,\)"):
        run_chunk(bad, n, np.random.SeedSequence(0), engine="fused")


@pytest.mark.parametrize("rng", ["numpy", "kernel"])
def test_same_numbers_whatever_the_thread_count(rng: str) -> None:
    numba = pytest.importorskip("numba")
    spec = make_spec(tuple(MECHANISMS), noise=0.1, volatility=0.5, rate=0.05, deterministic=False)
    members = 3 * fused.MEMBER_BLOCK + 17  # several blocks, so threads split them
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = run_chunk(spec, members, np.random.SeedSequence(8), engine="fused", rng=rng)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = run_chunk(spec, members, np.random.SeedSequence(8), engine="fused", rng=rng)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(one, two)
    assert one.shape[0] == MONTHS and one[:, INDEX["relations"], :].std(axis=1).max() > 0.1


def test_small_month_blocks_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = make_spec(tuple(MECHANISMS), noise=0.1, volatility=0.5, rate=0.05, deterministic=False)
    whole = run_chunk(spec, 40, np.random.SeedSequence(2), engine="fused")
    monkeypatch.setattr(fused, "BLOCK_BYTES", 1)  # one month per block
    done: list[int] = []
    blocks = run_chunk(spec, 40, np.random.SeedSequence(2), engine="fused", tick=done.append)
    np.testing.assert_array_equal(whole, blocks)
    assert done == [40] * MONTHS


def test_ensemble_recorded_subset_and_chunks() -> None:
    spec = make_spec(tuple(MECHANISMS), noise=0.1, volatility=0.5, rate=0.05, deterministic=False)
    record = ("relations", "trust", "coop_us")
    a = run_ensemble(spec, 300, seed=5, chunk_size=128, record=record, engine="numpy")
    b = run_ensemble(spec, 300, seed=5, chunk_size=128, record=record, engine="fused")
    assert b.shape == (MONTHS, 3, 300)
    np.testing.assert_allclose(b, a, rtol=0, atol=TOL)
    one = (run_chunk(spec, 1, np.random.SeedSequence(1), engine=e) for e in ("numpy", "fused"))
    np.testing.assert_allclose(*one, rtol=0, atol=TOL)
    # Chunks written into slices, one member, a whole chunk: all run one compiled driver.
    assert len(fused._drive.signatures) == 1


def test_per_member_copies_of_common_parameters_and_sampled_shocks_change_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every member reads its own row of parameters and shocks: a per-member array of equal
    values gives the common value's numbers bit for bit, and so do one-month blocks, of which
    some have sampled shocks and others only the fixed ones."""
    for us, ru in (("grit", "tit-for-tat"), ("package-deal", "reset-initiative")):
        spec = make_spec(tuple(MECHANISMS), us=us, ru=ru, noise=0.1, volatility=0.5,
                         rate=0.002, deterministic=False)  # fmt: skip
        members = fused.MEMBER_BLOCK + 9
        common = run_chunk(spec, members, np.random.SeedSequence(6), engine="fused")
        m1 = spec.mechanisms[0]
        decay = np.full(members, m1.params.decay)
        spread = dataclasses.replace(
            spec,
            base_noise=np.full(members, 0.1),
            mechanisms=(type(m1)(dataclasses.replace(m1.params, decay=decay)),
                        *spec.mechanisms[1:]),
        )  # fmt: skip
        per_member = run_chunk(spread, members, np.random.SeedSequence(6), engine="fused")
        np.testing.assert_array_equal(common, per_member)
        with monkeypatch.context() as m:
            m.setattr(fused, "BLOCK_BYTES", 1)  # one month per block
            monthly = run_chunk(spec, members, np.random.SeedSequence(6), engine="fused")
        np.testing.assert_array_equal(common, monthly)
        hits = spec.forcing.sample_shocks(members, np.random.default_rng(np.random.SeedSequence(6)))
        dense = [hits.any_in(t, t + 1) for t in range(MONTHS)]
        assert any(dense) and not all(dense)
        assert common[:, INDEX["relations"], :].std(axis=1).max() > 0.1  # noise was on
        reference = run_chunk(spec, members, np.random.SeedSequence(6), engine="numpy")
        np.testing.assert_allclose(common, reference, rtol=0, atol=TOL)


class _Custom(Inhibitors):
    """A subclass may change ``step``; the registered kernel would not follow it."""


def test_a_spec_without_kernels_falls_back_to_numpy_once_and_fused_refuses_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    spec = make_spec(("m2",))
    spec = dataclasses.replace(spec, mechanisms=(_Custom(), *spec.mechanisms))
    with caplog.at_level(logging.WARNING, logger="resetlab.model.engine"):
        assert resolve_engine(spec, "auto") == "numpy"
        assert resolve_engine(spec, "auto") == "numpy"
    assert sum("no fused kernel for m1" in r.getMessage() for r in caplog.records) <= 1
    with pytest.raises(ModelError, match="no kernel for m1"):
        run_chunk(spec, 4, np.random.SeedSequence(0), engine="fused")
    with pytest.raises(ModelError, match="engine must be one of"):
        run_chunk(spec, 4, np.random.SeedSequence(0), engine="cuda")


def test_engine_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = make_spec(("m2",))
    monkeypatch.setenv("RESETLAB_ENGINE", "numpy")
    assert resolve_engine(spec) == "numpy"
    monkeypatch.setenv("RESETLAB_ENGINE", "fused")
    assert resolve_engine(spec) == "fused"
    monkeypatch.setenv("RESETLAB_ENGINE", "gpu")
    with pytest.raises(ModelError, match="RESETLAB_ENGINE='gpu'"):
        resolve_engine(spec)


def test_driver_order_is_the_registry_stage_order() -> None:
    staged = sorted(MECHANISMS, key=lambda k: (MECHANISMS[k].meta.stage, int(k[1:])))
    assert fused.DRIVER_ORDER == tuple(staged)
    assert set(fused.STRATEGY_CODES) == set(STRATEGIES)
    assert {k for k, c in MECHANISMS.items() if c.meta.stochastic} == set(fused.DRIVER_DRAWS)
