"""Behaviour of each mechanism in isolation."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from resetlab.model.base import Context
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.state import INDEX, N_VARIABLES

RNG = np.random.default_rng(0)


def state(n: int = 1, **values: float) -> np.ndarray:
    """A state of ``n`` identical members: every variable 0.5 unless given."""
    x = np.full((n, N_VARIABLES), 0.5, dtype=np.float32, order="F")
    x[:, INDEX["clock_us"]] = 24
    x[:, INDEX["clock_ru"]] = 36
    x[:, INDEX["relations"]] = 0.0
    x[:, INDEX["ratchet"]] = 0
    x[:, INDEX["reset_age"]] = 100
    x[:, INDEX["reset_size"]] = 0.0
    for name, v in values.items():
        x[:, INDEX[name]] = v
    return x


def step(key: str, x: np.ndarray, ctx: Context | None = None, seed: int = 0, **params: float):
    cls = MECHANISMS[key]
    m = cls(cls.Params(**params)) if params else cls()
    out = m.step(x, ctx or Context(t=1), np.random.default_rng(seed))
    new = x.copy()
    for col, values in out.items():
        new[:, col] = values
    return new


def v(x: np.ndarray, name: str) -> float:
    return float(x[0, INDEX[name]])


def run(key: str, x: np.ndarray, months: int, ctx: Context | None = None) -> np.ndarray:
    for _ in range(months):
        x = step(key, x, ctx)
    return x


def test_m1_security_trumps_and_grievance_remembers() -> None:
    calm = step("m1", state(threat_us=0.0, coop_us=1.0))
    tense = step("m1", state(threat_us=0.9, coop_us=1.0))
    assert v(tense, "coop_us") < v(calm, "coop_us")
    hit = step("m1", state(grievance=0.2), Context(t=1, hostile_ru=0.8))
    assert v(hit, "grievance") > 0.2
    later = run("m1", hit, 24)  # memory is slow: still above where it started after 2 years
    assert v(later, "grievance") > 0.2 * 0.99**24


def test_m2_multilateral_follows_relations() -> None:
    good = run("m2", state(relations=4.0, multilateral=0.5), 60)
    bad = run("m2", state(relations=-8.0, multilateral=0.5), 60)
    assert v(good, "multilateral") > 0.9 > 0.1 > v(bad, "multilateral")


def test_m3_regional_shock_raises_deterrence_which_raises_disputes() -> None:
    low_trust = {"trust": 0.05, "dispute": 0.2, "deter_us": 0.3, "deter_ru": 0.3}
    quiet = step("m3", state(**low_trust))
    shocked = step("m3", state(**low_trust), Context(t=1, regional=1.0))
    assert v(shocked, "deter_us") > v(quiet, "deter_us")
    assert v(shocked, "deter_ru") > v(quiet, "deter_ru")
    more_deterrence = step("m3", state(**{**low_trust, "deter_us": 0.9, "deter_ru": 0.9}))
    assert v(more_deterrence, "dispute") > v(quiet, "dispute")
    trusting = step("m3", state(**{**low_trust, "trust": 0.95}), Context(t=1, regional=1.0))
    assert v(trusting, "deter_us") < v(shocked, "deter_us")  # trust breaks the circle


@settings(max_examples=30, deadline=None)
@given(st.floats(0.0, 0.99))
def test_m4_mutual_cooperation_grows_trust_from_any_level(trust: float) -> None:
    x = step("m4", state(trust=trust, coop_us=1.0, coop_ru=1.0))
    assert v(x, "trust") > np.float32(trust)


def test_m4_one_sided_cooperation_erodes_trust() -> None:
    x = step("m4", state(trust=0.5, coop_us=1.0, coop_ru=0.0))
    assert v(x, "trust") < 0.5


def test_m5_tracks_act_only_when_pursued() -> None:
    x0 = state(ties=0.2, deter_us=0.8, deter_ru=0.8, dispute=0.8)
    idle = step("m5", x0)
    np.testing.assert_array_equal(idle, x0)
    busy = step("m5", x0, Context(t=1, track_bureaucratic=1, track_arms=1, track_regional=1))
    assert v(busy, "ties") > 0.2 and v(busy, "deter_us") < 0.8 and v(busy, "dispute") < 0.8


def test_m6_common_challenges_are_short_lived() -> None:
    x = step("m6", state(interest=0.1), Context(t=1, common=1.0))
    assert v(x, "interest") > 0.5
    x = run("m6", x, 24)
    assert v(x, "interest") < 0.12  # back near the floor within two years


def test_m7_election_season_caps_cooperation_and_adds_volatility() -> None:
    far = step("m7", state(clock_us=30, clock_ru=30, coop_us=1.0, expect=0.5))
    near = step("m7", state(clock_us=2, clock_ru=30, coop_us=1.0, expect=0.5))
    assert v(near, "coop_us") < v(far, "coop_us")
    assert v(near, "volatility") > v(far, "volatility")
    gloom = run("m7", state(relations=-9.0, expect=0.2, coop_us=0.5, coop_ru=0.5), 12)
    hope = run("m7", state(relations=5.0, expect=0.8, coop_us=0.5, coop_ru=0.5), 12)
    assert v(gloom, "coop_us") < 0.5 < v(hope, "coop_us")  # self-fulfilling prophecy


def test_m8_restraint_withers_deterrence() -> None:
    x = run("m8", state(restraint=0.0, deter_us=0.8, deter_ru=0.8), 60)
    assert v(x, "restraint") > 0.5 and v(x, "deter_us") < 0.8
    provoked = step("m8", x, Context(t=1, exercises=1.0))
    assert v(provoked, "restraint") < v(x, "restraint")


def test_m9_action_reaction() -> None:
    x0 = state(threat_us=0.2, threat_ru=0.2)
    quiet = step("m9", x0)
    nato = step("m9", x0, Context(t=1, hostile_us=1.0))
    meddling = step("m9", x0, Context(t=1, hostile_ru=1.0))
    assert v(nato, "threat_ru") > v(quiet, "threat_ru")
    assert v(nato, "threat_us") == v(quiet, "threat_us")
    assert v(meddling, "threat_us") > v(quiet, "threat_us")
    assert v(nato, "deter_ru") > v(quiet, "deter_ru")


def test_m10_ratchets_never_walk_back() -> None:
    x = state(n=200, dispute=0.95, grievance=0.0)
    ratchets = [x[:, INDEX["ratchet"]].copy()]
    for i in range(50):
        ctx = Context(t=i, ratchet_ru=1.0 if i == 3 else 0.0)
        out = MECHANISMS["m10"]().step(x, ctx, np.random.default_rng(i))
        for col, val in out.items():
            x[:, col] = val
        x[:, INDEX["grievance"]] *= 0.5  # something else tries to heal the grievance
        out = MECHANISMS["m10"]().step(x, Context(t=i), np.random.default_rng(1000 + i))
        for col, val in out.items():
            x[:, col] = val
        ratchets.append(x[:, INDEX["ratchet"]].copy())
    assert all(np.all(b >= a) for a, b in zip(ratchets, ratchets[1:], strict=False))
    assert np.all(x[:, INDEX["grievance"]] >= 0.1 - 1e-6)  # floor from the forced ratchet


def test_m11_package_holds_only_if_both_gain() -> None:
    both = step("m11", state(conc_us=0.2, conc_ru=0.2, package=0.0, trust=0.3, grievance=0.3))
    one = step("m11", state(conc_us=0.2, conc_ru=0.0, package=0.0, trust=0.3, grievance=0.3))
    assert v(both, "package") > 0 and v(both, "trust") > 0.3
    assert v(one, "package") < 0 and v(one, "grievance") > 0.3 and abs(v(one, "trust") - 0.3) < 1e-6


def test_m12_treaties_lower_misreading_and_abandonment_breeds_suspicion() -> None:
    with_treaties = step("m12", state(noise=0.2, treaties=1.0))
    without = step("m12", state(noise=0.2, treaties=0.0))
    assert v(with_treaties, "noise") < v(without, "noise") == np.float32(0.2)
    abandoned = step("m12", state(threat_us=0.2), Context(t=1, treaties=0.2, treaties_prev=0.8))
    assert v(abandoned, "threat_us") > 0.2


def test_m13_third_power_pressure_grows_and_pulls_interest() -> None:
    x = run("m13", state(china=0.1, interest=0.3), 24)
    assert v(x, "china") > 0.1 and v(x, "interest") > 0.3
    neg = step("m13", state(china=0.5, interest=0.3), pull=-0.05, growth=0.0)
    assert v(neg, "interest") < 0.3


def test_m14_institutions_take_the_drama_out() -> None:
    tied = step("m14", state(ties=1.0, volatility=1.0, noise=0.2))
    untied = step("m14", state(ties=0.0, volatility=1.0, noise=0.2))
    assert v(tied, "volatility") < v(untied, "volatility") == 1.0
    assert v(tied, "noise") < v(untied, "noise")


def test_m15_no_compatible_interests_no_cooperation() -> None:
    x = step("m15", state(interest=0.0, align_penalty=0.5, coop_us=0.9, coop_ru=0.9))
    assert v(x, "compat") == 0.0 and v(x, "coop_us") == 0.0 and v(x, "coop_ru") == 0.0
    y = step("m15", state(interest=1.0, align_penalty=0.0, coop_us=0.9, coop_ru=0.9))
    assert v(y, "coop_us") == np.float32(0.9)


def test_m16_below_threshold_detente_cannot_start() -> None:
    below = step("m16", state(trust=0.1, coop_us=0.9, coop_ru=0.9), threshold=0.2, cap=0.2)
    above = step("m16", state(trust=0.3, coop_us=0.9, coop_ru=0.9), threshold=0.2, cap=0.2)
    assert v(below, "coop_us") <= 0.2 + 1e-6 and v(below, "coop_ru") <= 0.2 + 1e-6
    assert v(above, "coop_us") == np.float32(0.9)


def test_m17_alignment_grows_with_disputes_and_costs_compatibility() -> None:
    hot = run("m17", state(dispute=1.0, align_us=0.1, align_ru=0.1), 24)
    cold = run(
        "m17", state(dispute=0.0, threat_us=0.0, threat_ru=0.0, align_us=0.1, align_ru=0.1), 24
    )
    assert v(hot, "align_us") > v(cold, "align_us")
    assert v(hot, "align_penalty") > v(cold, "align_penalty")


def test_m18_engagement_exploited_until_a_reset_inside_russia() -> None:
    x = state(regime_ru=1.0, seen_ru=0.9, coop_ru=0.3)
    exploited = step("m18", x)
    assert v(exploited, "coop_ru") < 0.3
    other = step("m18", state(regime_ru=0.0, seen_ru=0.9, coop_ru=0.3))
    assert v(other, "coop_ru") == np.float32(0.3)
    changed = step("m18", x, Context(t=1, leader_change_ru=1.0), change_prob=1.0, exploit=0.5)
    assert v(changed, "regime_ru") == 0.0


def test_m19_reset_lifts_then_fades() -> None:
    x = step("m19", state(coop_us=0.2, coop_ru=0.2, expect=0.3), Context(t=1, reset_us=1.0))
    assert v(x, "reset_age") == 0 and v(x, "expect") > 0.3 and v(x, "coop_us") > 0.4
    assert v(x, "reset_size") == 1.0
    later = state(coop_us=0.2, coop_ru=0.2, reset_age=36, reset_size=1.0)
    assert 0.2 < v(step("m19", later), "coop_us") < v(x, "coop_us")


def test_m19_lift_scales_with_the_reset_size() -> None:
    base = dict(coop_us=0.2, coop_ru=0.2, expect=0.3, reset_size=0.0)
    none = step("m19", state(**base), Context(t=1))
    lifts = []
    for size in (0.001, 0.1, 0.5):
        x = step("m19", state(**base), Context(t=1, reset_us=size))
        lifts.append(v(x, "coop_us") - 0.2)
    assert v(none, "coop_us") == np.float32(0.2)  # no reset, no lift
    assert lifts[0] < 0.001 and lifts[0] < lifts[1] < lifts[2]
    assert np.isclose(lifts[2], 5 * lifts[1], rtol=1e-3)  # proportional to size


def test_m19_long_ago_reset_stays_out_of_subnormals() -> None:
    x = step("m19", state(coop_us=0.2, reset_age=1000.0, reset_size=1.0), tau=3.0)
    assert v(x, "coop_us") >= 0.2
    lift = 0.3 * np.exp(np.float32(-min(1001.0, 40 * 3.0) / 3.0))
    assert np.isfinite(lift) and lift > np.finfo(np.float64).tiny


def test_m20_shorter_clock_concedes_more() -> None:
    x = step("m20", state(clock_us=6, clock_ru=60, tenure_us=12, tenure_ru=240,
                          conc_us=0.2, conc_ru=0.2))  # fmt: skip
    assert v(x, "conc_us") > v(x, "conc_ru")
    y = step("m20", state(clock_us=60, clock_ru=6, tenure_us=0, tenure_ru=0,
                          conc_us=0.2, conc_ru=0.2))  # fmt: skip
    assert v(y, "conc_ru") > v(y, "conc_us")


def test_m21_russia_policy_toxic_at_home() -> None:
    near = step("m21", state(clock_us=3, coop_us=1.0))
    far = step("m21", state(clock_us=30, coop_us=1.0))
    assert v(near, "coop_us") < v(far, "coop_us") < 1.0
    assert v(near, "domcost_us") > v(far, "domcost_us")
