"""The vectorised engine: seeds, chunks, shapes, and system-level behaviour."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resetlab.exceptions import ModelError
from resetlab.model import simulate
from resetlab.model.engine import ModelSpec, ScoreWeights, run_chunk, run_ensemble
from resetlab.model.forcing import SHOCKS, Forcing, estimate_rates, month_range, shocks_from_events
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.state import INDEX, INITIAL_VARIABLES, VARIABLES
from resetlab.model.strategies import STRATEGIES

INITIAL = {v: 0.3 for v in INITIAL_VARIABLES} | {"relations": -2.0, "regime_ru": 1.0}


def spec(
    mechs: tuple[str, ...] = tuple(MECHANISMS),
    us: str = "grit",
    ru: str = "tit-for-tat",
    months: int = 24,
    rates: float = 0.1,
    noise: float = 0.1,
    treaties: float = 0.5,
) -> ModelSpec:
    m = month_range("2030-01", months)
    f = Forcing.flat(m, {"clock_us": 20, "clock_ru": 40, "treaties": treaties})
    f = Forcing(f.months, f.series, f.shocks, {k: rates for k in SHOCKS}, {k: 0.5 for k in SHOCKS})
    return ModelSpec(
        mechanisms=tuple(MECHANISMS[k]() for k in mechs),
        strategy_us=STRATEGIES[us](),
        strategy_ru=STRATEGIES[ru](),
        observation=ScoreWeights(),
        initial=INITIAL,
        forcing=f,
        base_noise=noise,
        base_volatility=0.5,
    )


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    s = spec()
    a = simulate(s, members=300, seed=5, chunk_size=128)
    b = simulate(s, members=300, seed=5, chunk_size=128)
    c = simulate(s, members=300, seed=6, chunk_size=128)
    np.testing.assert_array_equal(a.paths, b.paths)
    assert not np.array_equal(a.paths, c.paths)


def test_chunks_are_independent() -> None:
    s = spec()
    full = run_ensemble(s, 300, seed=3, chunk_size=128)
    seeds = np.random.SeedSequence(3).spawn(3)
    second = run_chunk(s, 128, seeds[1])
    np.testing.assert_array_equal(full[:, :, 128:256], second)


def test_shapes_and_recorded_subset() -> None:
    s = spec(months=12)
    r = simulate(s, members=50, seed=1, variables=("relations", "trust"))
    assert r.paths.shape == (12, 2, 50)
    assert r.variable("relations").shape == (12, 50)
    with pytest.raises(ModelError, match="not recorded"):
        r.variable("dispute")
    with pytest.raises(ModelError, match="unknown variables"):
        simulate(s, members=5, seed=1, variables=("nope",))
    with pytest.raises(ModelError, match="members"):
        simulate(s, members=0, seed=1)


def test_relations_on_goldstein_scale_and_state_in_range() -> None:
    r = simulate(spec(months=36), members=200, seed=2)
    rel = r.variable("relations")
    assert rel.min() >= -10 and rel.max() <= 10
    for name in ("trust", "grievance", "dispute", "coop_us", "coop_ru", "ties", "compat"):
        val = r.variable(name)
        assert val.min() >= 0 and val.max() <= 1, name


def test_cooperation_pays_on_the_observable_score() -> None:
    mechs = ("m4", "m14")
    nice = simulate(spec(mechs, "tit-for-tat", "tit-for-tat", rates=0), members=100, seed=1)
    mean = simulate(spec(mechs, "hardline", "hardline", rates=0), members=100, seed=1)
    assert nice.variable("relations")[-1].mean() > mean.variable("relations")[-1].mean() + 2


def test_m12_treaties_lower_the_misread_rate_in_the_engine() -> None:
    def misread(treaties: float) -> float:
        r = simulate(spec(("m12",), "hardline", "hardline", treaties=treaties, rates=0,
                          noise=0.3), members=400, seed=4)  # fmt: skip
        seen = r.variable("seen_us")[1:]
        actual = r.variable("coop_ru")[:-1]
        return float(np.mean(np.abs(seen - actual) > 0.1))

    assert misread(1.0) < misread(0.0)


def test_m16_in_the_engine_detente_never_starts_below_threshold() -> None:
    s = spec(("m16",), "reset-initiative", "generous-tit-for-tat", rates=0)
    init = dict(INITIAL) | {"trust": 0.05}
    s = ModelSpec(s.mechanisms, s.strategy_us, s.strategy_ru, s.observation, init, s.forcing,
                  s.base_noise, s.base_volatility)  # fmt: skip
    r = simulate(s, members=50, seed=0)
    assert r.variable("coop_us").max() <= 0.2 + 1e-6
    s4 = ModelSpec((MECHANISMS["m4"](),), s.strategy_us, s.strategy_ru, s.observation, init,
                   s.forcing, s.base_noise, s.base_volatility)  # fmt: skip
    r4 = simulate(s4, members=50, seed=0)
    assert r4.variable("trust")[-1].mean() > 0.05  # M4: trust grows without a threshold


def test_forcing_validation() -> None:
    m = month_range("2030-01", 3)
    f = Forcing.flat(m, {})
    with pytest.raises(ModelError, match="shape"):
        f.with_series("treaties", np.zeros(4))
    with pytest.raises(ModelError, match="unknown"):
        Forcing.flat(m, {"bogus": 1.0})
    with pytest.raises(ModelError, match="probability"):
        Forcing(m, f.series, f.shocks, {"hostile_us": 2.0}, {"hostile_us": 0.5})


def test_shocks_from_events_rule_and_rates() -> None:
    events = pd.DataFrame(
        {
            "date": ["2030-01-05", "2030-01-20", "2030-02", "2030-03-01", "2030-03-02"],
            "actor": ["USA", "RUS", "RUS", "RUS", "NATO"],
            "target": ["RUS", "USA", "USA", "USA", "RUS"],
            "goldstein": ["-5", "-10", "-6", "4", "-2"],
            "domain": ["military", "military", "regional", "multilateral", "diplomatic"],
        }
    )
    m = month_range("2030-01", 3)
    s = shocks_from_events(events, m)
    assert s["hostile_us"].tolist() == [0.5, 0.0, 0.2]
    assert s["hostile_ru"].tolist() == [1.0, 0.0, 0.0]
    assert s["ratchet_ru"].tolist() == [1.0, 0.0, 0.0]
    assert s["regional"].tolist() == [0.0, 0.6, 0.0]
    assert s["common"].tolist() == [0.0, 0.0, 0.4]
    rates, sizes = estimate_rates(s)
    assert rates["hostile_us"] == pytest.approx(2 / 3) and sizes["hostile_us"] == pytest.approx(
        0.35
    )


def test_third_party_rows_never_reach_the_shocks() -> None:
    # Russia against Ukraine, the U.S. in Syria, NATO against Serbia, the UN against Russia:
    # all outside the U.S.-Russia dyad, however hostile.
    third = pd.DataFrame(
        {
            "date": ["2030-01-05", "2030-01-06", "2030-02-01", "2030-03-01"],
            "actor": ["RUS", "USA", "NATO", "UN"],
            "target": ["UKR", "SYR", "SRB", "RUS"],
            "goldstein": ["-10", "-10", "-10", "-5"],
            "domain": ["military", "military", "regional", "multilateral"],
        }
    )
    m = month_range("2030-01", 3)
    s = shocks_from_events(third, m)
    assert all(not v.any() for v in s.values())
    # The same rows between the two sides do reach them.
    inside = third.assign(target=["USA", "RUS", "RUS", "USA"], actor=["RUS", "USA", "NATO", "RUS"])
    s = shocks_from_events(inside, m)
    assert s["ratchet_ru"][0] == 1.0 and s["ratchet_us"][0] == 1.0 and s["regional"][1] == 1.0


def test_variables_documented() -> None:
    assert len(VARIABLES) == len(INDEX) and "relations" in VARIABLES


def test_spec_picklable_and_not_modified_by_a_run() -> None:
    import pickle

    s = spec(months=12)
    before = {k: v.copy() for k, v in s.forcing.series.items()}
    clone = pickle.loads(pickle.dumps(s))
    a = run_chunk(s, 20, np.random.SeedSequence(1))
    b = run_chunk(clone, 20, np.random.SeedSequence(1))
    np.testing.assert_array_equal(a, b)
    for k, v in s.forcing.series.items():
        np.testing.assert_array_equal(v, before[k])
