"""Sampled shocks: drawn for every month at once, at their configured rates, and the same
numbers in both engines."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from resetlab.exceptions import ModelError
from resetlab.model.engine import ModelSpec, ScoreWeights, run_chunk
from resetlab.model.forcing import SHOCKS, Forcing, month_range
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.state import DTYPE, INDEX, INITIAL_VARIABLES
from resetlab.model.strategies import STRATEGIES

MONTHS = 40
FIRST = 5  # rates apply from this month on
RATES = {
    "hostile_us": 0.2,
    "hostile_ru": 0.05,
    "regional": 0.5,
    "common": 0.01,
    "ratchet_us": 1.0,
}  # ratchet_ru has no rate
SIZES = {k: 1.0 if k.startswith("ratchet") else 0.7 for k in SHOCKS}


def forcing(rates: dict[str, float] = RATES, first: int = FIRST) -> Forcing:
    months = month_range("2030-01", MONTHS)
    flat = Forcing.flat(months, {"hostile_us": 0.5, "regional": 0.1, "clock_us": 20})
    sizes = {k: SIZES[k] for k in rates}
    return Forcing(months, flat.series, flat.shocks, rates, sizes, rates_from=first)


def hit_matrix(f: Forcing, members: int, seed: int) -> dict[str, np.ndarray]:
    """Per shock type with a rate, a (months, members) boolean array of the hits."""
    s = f.sample_shocks(members, np.random.default_rng(seed))
    out = {}
    for k, pos in s.hits.items():
        m = np.zeros(MONTHS * members, dtype=bool)
        m[pos] = True
        out[k] = m.reshape(MONTHS, members)
    return out


def test_hits_come_at_their_rates_independently_and_only_after_rates_from() -> None:
    members = 4000
    hits = hit_matrix(forcing(), members, seed=1)
    assert set(hits) == set(RATES)  # no rate, no draw
    n = (MONTHS - FIRST) * members
    for k, rate in RATES.items():
        h = hits[k]
        assert not h[:FIRST].any(), k
        got = h[FIRST:].mean()
        sd = np.sqrt(rate * (1 - rate) / n)
        assert abs(got - rate) <= 5 * sd + 1e-12, (k, got, rate)
        # Every month at the rate, not some months all and others none.
        per_month = h[FIRST:].mean(axis=1)
        sd_month = np.sqrt(rate * (1 - rate) / members)
        assert np.all(np.abs(per_month - rate) <= 5 * sd_month + 1e-12), k
    # Months and shock types independent: a member hit this month is no likelier to be hit
    # next month, or by another shock type, than any other.
    a, b = hits["hostile_us"][FIRST:], hits["regional"][FIRST:]
    both_months = (a[1:] & a[:-1]).mean()
    assert abs(both_months - 0.2**2) <= 5 * np.sqrt(0.04 * 0.96 / a[1:].size)
    both_types = (a & b).mean()
    assert abs(both_types - 0.2 * 0.5) <= 5 * np.sqrt(0.1 * 0.9 / a.size)


def test_same_seed_same_hits_other_seed_other_hits() -> None:
    f = forcing()
    one, two, other = (hit_matrix(f, 300, seed) for seed in (3, 3, 4))
    for k in RATES:
        np.testing.assert_array_equal(one[k], two[k])
    assert any(not np.array_equal(one[k], other[k]) for k in RATES if RATES[k] < 1)


def test_shock_values_and_the_block_layout_agree() -> None:
    f = forcing()
    members = 50
    sampled = f.sample_shocks(members, np.random.default_rng(7))
    hits = hit_matrix(f, members, seed=7)
    block = f.shock_block(2, 30, sampled)
    assert block.shape == (28, len(SHOCKS), members)
    for t in range(2, 30):
        at = f.shocks_at(t, sampled)
        for j, k in enumerate(SHOCKS):
            fixed = float(f.shocks[k][t])
            expected = np.full(members, fixed)
            if k in hits and hits[k][t].any():
                value = at[k]
                assert isinstance(value, np.ndarray) and value.dtype == DTYPE
                expected = np.minimum(expected.astype(DTYPE) + DTYPE(SIZES[k]) * hits[k][t], 1)
            else:
                assert at[k] == fixed
            np.testing.assert_array_equal(np.broadcast_to(at[k], members), expected, err_msg=k)
            # The fused engine's block holds exactly the NumPy engine's numbers.
            np.testing.assert_array_equal(block[t - 2, j], np.broadcast_to(at[k], members))
    # A hit adds the size on top of the fixed shock, capped at 1.
    t = int(np.flatnonzero(hits["hostile_us"].any(axis=1))[0])
    assert block[t - 2, SHOCKS.index("hostile_us")].max() == 1.0  # 0.5 + 0.7, capped
    assert np.isclose(block[t - 2, SHOCKS.index("regional")].max(), 0.8)


def test_no_rates_no_draws_and_bad_member_counts_refused() -> None:
    f = forcing(rates={})
    rng = np.random.default_rng(0)
    before = rng.bit_generator.state
    s = f.sample_shocks(10, rng)
    assert not s.hits and not s.any_in(0, MONTHS)
    assert rng.bit_generator.state == before  # nothing drawn: the other streams stay put
    with pytest.raises(ModelError, match="members must be at least 1"):
        f.sample_shocks(0, rng)


def ratchet_spec(engine_rates: dict[str, float]) -> ModelSpec:
    """M10 alone with no spontaneous ratchets: the ratchet count is the ratchet shocks hit."""
    initial = {v: 0.3 for v in INITIAL_VARIABLES} | {"relations": -2.0, "regime_ru": 1.0}
    m10 = MECHANISMS["m10"]
    return ModelSpec(
        mechanisms=(m10(dataclasses.replace(m10.Params(), hazard=0.0)),),
        strategy_us=STRATEGIES["tit-for-tat"](),
        strategy_ru=STRATEGIES["tit-for-tat"](),
        observation=ScoreWeights(),
        initial=initial,
        forcing=forcing(rates=engine_rates),
        base_noise=0.1,
        base_volatility=0.5,
    )


@pytest.mark.parametrize("engine", ["numpy", "fused"])
def test_the_engines_apply_the_sampled_shocks_at_their_rates(engine: str) -> None:
    rates = {"ratchet_us": 0.03, "ratchet_ru": 0.01, "hostile_us": 0.2}
    spec = ratchet_spec(rates)
    members = 3000
    a = run_chunk(spec, members, np.random.SeedSequence(9), engine=engine)
    b = run_chunk(spec, members, np.random.SeedSequence(9), engine=engine)
    np.testing.assert_array_equal(a, b)  # same seed, same numbers
    ratchets = a[-1, INDEX["ratchet"], :].astype(np.float64)
    months = MONTHS - FIRST
    expected = months * (rates["ratchet_us"] + rates["ratchet_ru"])
    sd = np.sqrt(months * sum(r * (1 - r) for r in (0.03, 0.01)) / members)
    assert abs(ratchets.mean() - expected) <= 5 * sd
    assert np.all(a[:FIRST, INDEX["ratchet"], :] == 0)  # no ratchet before rates_from
    # The hits in the ratchet count are the ones the forcing samples from the same seed.
    hits = spec.forcing.sample_shocks(members, np.random.default_rng(np.random.SeedSequence(9)))
    count = np.zeros(members)
    for k in ("ratchet_us", "ratchet_ru"):
        np.add.at(count, hits.hits[k] % members, 1.0)
    np.testing.assert_array_equal(ratchets, count)


def test_both_engines_give_the_same_paths_with_sampled_shocks() -> None:
    spec = ratchet_spec({"ratchet_us": 0.03, "hostile_us": 0.2, "regional": 0.1})
    spec = dataclasses.replace(spec, mechanisms=tuple(MECHANISMS[k]() for k in MECHANISMS))
    ss = np.random.SeedSequence(12)
    a = run_chunk(spec, 300, ss, engine="numpy")
    b = run_chunk(spec, 300, ss, engine="fused")
    np.testing.assert_allclose(b, a, rtol=0, atol=5e-5)
    rel = a[:, INDEX["relations"], :]
    assert rel.std(axis=1).max() > 0.1
