"""The fused engine's own random source (``rng="kernel"``) against the NumPy engine.

The kernel source draws other numbers than NumPy, so the two engines can only agree in
distribution: two-sample Kolmogorov-Smirnov tests on the members' final states and t tests on
every month's mean relations score, for both shipped scenarios, with fixed seeds (so the test
is deterministic), and the same checks must tell apart a model whose misperception noise is
changed. Its generator and ziggurat are checked against plain-Python references.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy import stats
from test_model_fused import MONTHS, make_spec

from resetlab.exceptions import ModelError
from resetlab.model import fused
from resetlab.model.engine import ModelSpec, run_chunk, run_ensemble
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.spec import build_spec, load_scenario
from resetlab.model.state import INDEX

SCENARIOS = ("scenarios/replay-1992-2025.yaml", "scenarios/reset-2025.yaml")
FINAL = ("relations", "trust", "dispute", "coop_us", "coop_ru")
MEMBERS = 4000
#: Smallest KS p-value accepted per final-state variable.
KS_P = 1e-3
#: Largest |t| accepted for a month's mean relations score (two-sided p 6.8e-6 per month,
#: below 0.003 over the 408 months of the replay).
MAX_T = 4.5
#: Both engines' final states are rounded to this before the KS test: the NumPy and fused
#: engines differ by float32 rounding (up to 5e-5), which splits a point mass of the moves
#: (hundreds of members at 1.6e-8) into two values an ulp apart and would fail KS on its own.
ROUND = 4

M32 = 0xFFFFFFFF


def xoshiro128pp(s: list[int], n: int) -> list[int]:
    """Reference xoshiro128++ (Blackman & Vigna), plain Python integers."""
    out = []
    s0, s1, s2, s3 = s
    for _ in range(n):
        a = (s0 + s3) & M32
        out.append(((((a << 7) | (a >> 25)) & M32) + s0) & M32)
        t = (s1 << 9) & M32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 11) | (s3 >> 21)) & M32
    return out


def distance(a: np.ndarray, b: np.ndarray) -> tuple[dict[str, float], float]:
    """KS p-value per final-state variable and the largest |t| of the monthly means."""
    ks = {
        v: float(
            stats.ks_2samp(
                np.round(a[-1, INDEX[v]], ROUND), np.round(b[-1, INDEX[v]], ROUND)
            ).pvalue
        )
        for v in FINAL
    }
    r = INDEX["relations"]
    se = np.sqrt(a[:, r].var(axis=1) / a.shape[2] + b[:, r].var(axis=1) / b.shape[2])
    t = np.abs(a[:, r].mean(axis=1) - b[:, r].mean(axis=1)) / np.maximum(se, 1e-12)
    return ks, float(t.max())


@pytest.fixture(scope="module", params=SCENARIOS)
def shipped(request: pytest.FixtureRequest) -> tuple[ModelSpec, np.ndarray]:
    spec = build_spec(load_scenario(request.param))
    reference = run_chunk(spec, MEMBERS, np.random.SeedSequence(1), engine="numpy")
    return spec, reference


def test_same_distribution_as_the_numpy_engine(shipped: tuple[ModelSpec, np.ndarray]) -> None:
    spec, reference = shipped
    got = run_chunk(spec, MEMBERS, np.random.SeedSequence(2), engine="fused", rng="kernel")
    ks, t = distance(reference, got)
    assert min(ks.values()) > KS_P, ks
    assert t < MAX_T
    # Not two copies of one stream: the numbers differ from the NumPy source's.
    same_seed = run_chunk(spec, MEMBERS, np.random.SeedSequence(2), engine="fused")
    assert np.abs(same_seed - got).max() > 0.5


def test_the_check_detects_a_changed_parameter(shipped: tuple[ModelSpec, np.ndarray]) -> None:
    spec, reference = shipped
    noisier = dataclasses.replace(spec, base_noise=1.5 * spec.base_noise)
    got = run_chunk(noisier, MEMBERS, np.random.SeedSequence(2), engine="fused", rng="kernel")
    ks, t = distance(reference, got)
    assert min(ks.values()) < KS_P or t > MAX_T, (ks, t)


def test_same_seed_same_paths_other_seed_other_paths() -> None:
    spec = make_spec(tuple(MECHANISMS), noise=0.1, volatility=0.5, rate=0.05, deterministic=False)
    ss = np.random.SeedSequence(3)
    a = run_chunk(spec, 200, ss, engine="fused", rng="kernel")
    b = run_chunk(spec, 200, ss, engine="fused", rng="kernel")
    np.testing.assert_array_equal(a, b)
    c = run_chunk(spec, 200, np.random.SeedSequence(4), engine="fused", rng="kernel")
    assert np.abs(a - c).max() > 0.5
    # The ensemble spawns one seed per chunk: the same seed gives the same ensemble.
    e1 = run_ensemble(spec, 300, seed=5, chunk_size=128, record=("relations",), rng="kernel")
    e2 = run_ensemble(spec, 300, seed=5, chunk_size=128, record=("relations",), rng="kernel")
    np.testing.assert_array_equal(e1, e2)
    assert e1[:, 0, :128].std() > 0 and np.abs(e1[:, 0, :128] - e1[:, 0, 128:256]).max() > 0.5


def test_the_stochastic_mechanisms_fire() -> None:
    spec = make_spec(tuple(MECHANISMS), noise=0.15, volatility=0.6, rate=0.1, deterministic=False)
    a = run_chunk(spec, 300, np.random.SeedSequence(9), engine="fused", rng="kernel")
    assert (a[-1, INDEX["ratchet"], :] != a[-1, INDEX["ratchet"], 0]).any()
    assert (a[-1, INDEX["regime_ru"], :] == 0).any() and (a[-1, INDEX["regime_ru"], :] == 1).any()


def test_generator_is_xoshiro128pp_and_normals_its_ziggurat() -> None:
    states = np.zeros((64, 4), dtype=np.uint32)
    fused._seed_states(np.uint64(12345), 0, states)
    start = states.copy()
    z, _ = fused.kernel_draws(states, 1, 0)
    checked = 0
    for j in range(64):
        words = xoshiro128pp([int(v) for v in start[j]], 3)
        fast = [(w >> 9) < int(fused.ZIG_K[w & 0xFF]) for w in words]
        if not all(fast):
            continue  # a rare-branch draw consumes more words
        checked += 1
        for k, w in enumerate(words):
            x = np.float32(w >> 9) * fused.ZIG_W[w & 0xFF]
            assert z[0, k, j] == (-x if (w >> 8) & 1 else x)
    assert checked > 50
    # A member's states do not depend on where its block starts.
    part = np.zeros((10, 4), dtype=np.uint32)
    fused._seed_states(np.uint64(12345), 20, part)
    np.testing.assert_array_equal(part, start[20:30])


def test_ziggurat_tables_and_the_draws_distribution() -> None:
    # The top layer's area is each layer's area (Marsaglia & Tsang's closing condition).
    x1 = float(fused.ZIG_W[1]) * 2.0**23
    assert abs(x1 * (1.0 - np.exp(-0.5 * x1 * x1)) - fused._ZIG_V) < 1e-6
    states = np.zeros((50_000, 4), dtype=np.uint32)
    fused._seed_states(np.uint64(fused.kernel_key(np.random.SeedSequence(0))), 0, states)
    z, u = fused.kernel_draws(states, 8, 1)
    zz = z.ravel().astype(np.float64)
    assert stats.kstest(zz, "norm").pvalue > 1e-3
    assert stats.kstest(u.ravel(), "uniform").pvalue > 1e-3
    # The tail beyond the base layer (the rare branch) has the normal's mass: 2.6e-4.
    tail = np.mean(np.abs(zz) > fused._ZIG_R)
    expected = 2 * stats.norm.sf(fused._ZIG_R)
    assert abs(tail - expected) < 5 * np.sqrt(expected / zz.size)
    # The three normals of a month are not correlated.
    c = np.corrcoef(z[:, 0].ravel(), z[:, 1].ravel())[0, 1]
    assert abs(c) < 5 / np.sqrt(z[:, 0].size)


def test_the_kernel_source_needs_the_fused_engine() -> None:
    spec = make_spec(("m2",))
    with pytest.raises(ModelError, match="rng='kernel' draws inside the fused engine"):
        run_chunk(spec, 4, np.random.SeedSequence(0), engine="numpy", rng="kernel")
    with pytest.raises(ModelError, match="rng must be one of numpy, kernel"):
        run_chunk(spec, 4, np.random.SeedSequence(0), engine="fused", rng="philox")


def test_compact_shocks_hold_the_dense_blocks_numbers() -> None:
    spec = make_spec(tuple(MECHANISMS), rate=0.05)
    f = spec.forcing
    sampled = f.sample_shocks(300, np.random.default_rng(1))
    hits = f.shock_hits(sampled)
    dense = f.shock_block(0, MONTHS, sampled)
    rebuilt = np.broadcast_to(hits.base[:, :, None], dense.shape).copy()
    for k in range(dense.shape[1]):
        for t in range(MONTHS):
            members = hits.member[hits.ptr[k, t] : hits.ptr[k, t + 1]]
            assert (np.diff(members) > 0).all()
            rebuilt[t, k, members] = hits.value[t, k]
    np.testing.assert_array_equal(rebuilt, dense)
    assert hits.member.size == sum(len(v) for v in sampled.hits.values()) > 0
