"""The resetlab model written the ordinary way: one member at a time, plain Python floats.

Same equations, same order and same parameters as :mod:`resetlab.model` (the mechanism
parameter dataclasses and the forcing arrays are read from the same ``ModelSpec``), but
scalar code in a loop with :mod:`random`. Used by the plain-Python and the Mesa benchmark and
by the test that the three give the same distribution. Keep it in step with the mechanisms:
``tests/model/test_model_benchmark_equivalence.py`` fails when they drift apart.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from resetlab.model.engine import ModelSpec
from resetlab.model.forcing import SHOCKS
from resetlab.model.state import VARIABLES

State = dict[str, float]
Ctx = dict[str, float]


def clip(v: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return lo if v < lo else hi if v > hi else v


# ----------------------------------------------------------------------------- mechanisms


def m1(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    hostile = clip(c["hostile_us"] + c["hostile_ru"])
    g = s["grievance"]
    g_new = clip(g * (1 - p.decay) + p.gain * hostile * (1 - g))
    s["grievance"] = g_new
    s["trust"] = clip(s["trust"] * (1 - p.drag * (g_new + p.values_gap)))
    s["coop_us"] = min(s["coop_us"], 1 - p.security_weight * s["threat_us"])
    s["coop_ru"] = min(s["coop_ru"], 1 - p.security_weight * s["threat_ru"])


def m2(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    target = 1 / (1 + math.exp(-(s["relations"] - p.midpoint) / p.scale))
    s["multilateral"] += p.rate * (target - s["multilateral"])


def m3(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    trust, dispute, regional = s["trust"], s["dispute"], c["regional"]
    distrust = 1 - trust
    du, dr = s["deter_us"], s["deter_ru"]
    pressure = (dispute + regional) * distrust
    deter_mean = 0.5 * (du + dr)
    new_dispute = (
        dispute
        + p.feed * deter_mean * distrust * (1 - dispute)
        + p.regional_gain * regional * (1 - dispute)
        - p.dispute_decay * dispute
    )
    s["deter_us"] = clip(du + p.arm * pressure * (1 - du) - p.deter_decay * du)
    s["deter_ru"] = clip(dr + p.arm * pressure * (1 - dr) - p.deter_decay * dr)
    s["dispute"] = clip(new_dispute)
    s["trust"] = trust * (1 - p.erode * deter_mean)


def m4(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    cu, cr, t = s["coop_us"], s["coop_ru"], s["trust"]
    s["trust"] = clip(t + p.gain * min(cu, cr) * (1 - t) - p.loss * abs(cu - cr) * t)


def m5(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    s["ties"] += p.rate_bureaucratic * c["track_bureaucratic"] * (1 - s["ties"])
    arms = 1 - p.rate_arms * c["track_arms"]
    s["deter_us"] *= arms
    s["deter_ru"] *= arms
    s["dispute"] *= 1 - p.rate_regional * c["track_regional"]


def m6(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    i = s["interest"]
    decayed = p.floor + (i - p.floor) * (1 - p.decay)
    s["interest"] = clip(decayed + p.boost * c["common"] * (1 - i))


def m7(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    season = 1.0 if (s["clock_us"] < p.window or s["clock_ru"] < p.window) else 0.0
    e = s["expect"]
    e_new = e + p.rate * (clip((s["relations"] + 10) / 20) - e)
    cap = 1 - p.halt * season
    lift = p.prophecy * (e_new - 0.5)
    s["coop_us"] = clip(min(s["coop_us"], cap) + lift)
    s["coop_ru"] = clip(min(s["coop_ru"], cap) + lift)
    s["expect"] = e_new
    s["volatility"] *= 1 + p.vol_add * season


def m8(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    prov = clip(c["exercises"] + c["hostile_us"] + c["hostile_ru"])
    r = s["restraint"]
    r_new = clip(r + p.build * (1 - prov) * (1 - r) - p.erode * prov * r)
    s["restraint"] = r_new
    s["deter_us"] *= 1 - p.wither * r_new
    s["deter_ru"] *= 1 - p.wither * r_new


def m9(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    tu, tr, du, dr = s["threat_us"], s["threat_ru"], s["deter_us"], s["deter_ru"]
    us_moves = c["hostile_us"] + c["exercises"] + 0.5 * du + 0.2 * s["align_us"]
    ru_moves = c["hostile_ru"] + 0.5 * dr
    tu_new = clip(tu + p.react_us * ru_moves * (1 - tu) - p.fatigue * tu)
    tr_new = clip(tr + p.react_ru * us_moves * (1 - tr) - p.fatigue * tr)
    s["threat_us"], s["threat_ru"] = tu_new, tr_new
    s["deter_us"] = clip(du + p.arm * tu_new * (1 - du) - p.relax * du)
    s["deter_ru"] = clip(dr + p.arm * tr_new * (1 - dr) - p.relax * dr)


def m10(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    spontaneous = 1.0 if (rnd.random() < p.hazard and s["dispute"] > p.threshold) else 0.0
    s["ratchet"] += c["ratchet_us"] + c["ratchet_ru"] + spontaneous
    s["grievance"] = max(s["grievance"], min(p.floor * s["ratchet"], 1.0))


def m11(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    cu, cr = s["conc_us"], s["conc_ru"]
    gain = min(p.value * cr - p.cost * cu, p.value * cu - p.cost * cr)
    pkg = clip(s["package"] * (1 - p.decay) + gain, -1.0, 1.0)
    good, bad = max(pkg, 0.0), max(-pkg, 0.0)
    s["package"] = pkg
    s["dispute"] *= 1 - p.relief * good
    s["trust"] += p.relief * good * (1 - s["trust"])
    s["grievance"] += p.sour * bad * (1 - s["grievance"])


def m12(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    drop = max(0.0, c["treaties_prev"] - c["treaties"])
    s["noise"] *= 1 - p.info * s["treaties"]
    s["threat_us"] += p.suspicion * drop * (1 - s["threat_us"])
    s["threat_ru"] += p.suspicion * drop * (1 - s["threat_ru"])


def m13(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    s["china"] += p.growth * (1 - s["china"])
    s["interest"] = clip(s["interest"] + p.pull * s["china"])


def m14(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    ties = s["ties"]
    s["ties"] = ties * (1 - p.decay) + p.build * min(s["coop_us"], s["coop_ru"]) * (1 - ties)
    s["volatility"] *= 1 - p.damp * ties
    s["noise"] *= 1 - p.damp_noise * ties


def m15(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    compat = clip(p.base + p.w_interest * s["interest"] - s["align_penalty"])
    cap = min(compat / p.needed, 1.0)
    s["compat"] = compat
    s["coop_us"] = min(s["coop_us"], cap)
    s["coop_ru"] = min(s["coop_ru"], cap)


def m16(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    if s["trust"] < p.threshold:
        s["coop_us"] = min(s["coop_us"], p.cap)
        s["coop_ru"] = min(s["coop_ru"], p.cap)


def m17(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    d, au, ar = s["dispute"], s["align_us"], s["align_ru"]
    s["align_us"] = clip(au + p.drift * (d + s["threat_us"]) * (1 - au) - p.fade * au)
    s["align_ru"] = clip(ar + p.drift * (d + s["threat_ru"]) * (1 - ar) - p.fade * ar)
    s["align_penalty"] = p.weight * 0.5 * (s["align_us"] + s["align_ru"])


def m18(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    if c["leader_change_ru"] > 0 and rnd.random() < p.change_prob * c["leader_change_ru"]:
        s["regime_ru"] = 0.0
    gap = max(s["seen_ru"] - s["coop_ru"], 0.0)
    s["coop_ru"] = clip(s["coop_ru"] - p.exploit * s["regime_ru"] * gap)


def m19(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    size = c["reset_us"] + c["reset_ru"]
    s["reset_age"] = 0.0 if size > 0 else s["reset_age"] + 1
    lift = p.honeymoon * math.exp(-s["reset_age"] / p.tau)
    s["expect"] = clip(s["expect"] + p.boost * size)
    s["coop_us"] = clip(s["coop_us"] + lift)
    s["coop_ru"] = clip(s["coop_ru"] + lift)


def m20(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    iu = 1 / (1 + (s["clock_us"] + p.w_tenure * s["tenure_us"]) / p.scale)
    ir = 1 / (1 + (s["clock_ru"] + p.w_tenure * s["tenure_ru"]) / p.scale)
    s["conc_us"] = clip(s["conc_us"] * (1 + p.pressure * (iu - ir)))
    s["conc_ru"] = clip(s["conc_ru"] * (1 + p.pressure * (ir - iu)))


def m21(s: State, c: Ctx, p: Any, rnd: random.Random) -> None:
    near = 1.0 if s["clock_us"] < p.window else 0.0
    cost = clip(p.toxicity * (1 + p.boost * near))
    s["domcost_us"] = cost
    s["coop_us"] = min(s["coop_us"], 1 - cost)


SCALAR: dict[str, Callable[[State, Ctx, Any, random.Random], None]] = {
    f"m{i}": f
    for i, f in enumerate(
        (m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18,
         m19, m20, m21),
        start=1,
    )
}  # fmt: skip


# ----------------------------------------------------------------------------- strategies


def strategy_move(key: str, p: Any, t: int, own: float, seen: float, mem: list[float],
                  lever: float) -> float:  # fmt: skip
    """One side's move; updates ``mem`` in place (the ordinary way)."""
    if key == "tit-for-tat":
        return p.initial if t == 0 else clip(seen)
    if key == "generous-tit-for-tat":
        return p.initial if t == 0 else clip(p.generosity + (1 - p.generosity) * seen)
    if key == "hardline":
        return p.level
    if key == "reset-initiative":
        if t == int(p.month):
            return p.size
        return p.initial if t == 0 else clip(seen)
    if key == "grit":
        if t == 0:
            return p.initial
        active = mem[0] > 0 and seen >= own - p.step - p.tolerance - 1e-6
        mem[0] = 1.0 if active else 0.0
        return min(own + p.step, p.ceiling) if active else clip(seen)
    if key == "package-deal":
        mem[0] += lever
        mine = min(p.base + mem[0], 1.0)
        other = mine if t == 0 else clip(seen)
        return clip((1 - p.reciprocity) * mine + p.reciprocity * other)
    raise KeyError(key)


def initial_memory(key: str) -> list[float]:
    return [1.0] if key == "grit" else [0.0]


# ----------------------------------------------------------------------------- one member


class ScalarSpec:
    """What the scalar loop needs from a :class:`ModelSpec`, as plain Python objects."""

    def __init__(self, spec: ModelSpec) -> None:
        f = spec.forcing
        self.T = f.horizon
        self.series = {k: [float(v) for v in f.series[k]] for k in f.series}
        self.shocks = {k: [float(v) for v in f.shocks[k]] for k in SHOCKS}
        self.rates = dict(f.rates)
        self.sizes = dict(f.sizes)
        self.stages = [
            [(SCALAR[m.meta.key], m.params) for m in spec.ordered(stage)] for stage in (0, 1, 2)
        ]
        self.us = (spec.strategy_us.meta.key, spec.strategy_us.params)
        self.ru = (spec.strategy_ru.meta.key, spec.strategy_ru.params)
        self.obs = spec.observation
        self.initial = dict(spec.initial)
        self.noise = spec.base_noise
        self.vol = spec.base_volatility


def new_member(ss: ScalarSpec) -> State:
    s = {v: 0.0 for v in VARIABLES}
    s.update(ss.initial)
    if "reset_age" not in ss.initial:
        s["reset_age"] = 1000.0
    return s


def month_context(ss: ScalarSpec, t: int, rnd: random.Random) -> Ctx:
    c = {k: v[t] for k, v in ss.series.items()}
    c["treaties_prev"] = ss.series["treaties"][t - 1] if t > 0 else ss.series["treaties"][0]
    for k in SHOCKS:
        v = ss.shocks[k][t]
        rate = ss.rates.get(k, 0.0)
        if rate > 0 and rnd.random() < rate:
            v = min(v + ss.sizes[k], 1.0)
        c[k] = v
    return c


def force(ss: ScalarSpec, s: State, c: Ctx) -> None:
    for k in ("treaties", "clock_us", "clock_ru", "tenure_us", "tenure_ru"):
        s[k] = c[k]
    s["conc_us"], s["conc_ru"] = c["concession_us"], c["concession_ru"]
    s["noise"], s["volatility"] = ss.noise, ss.vol


def observe(ss: ScalarSpec, s: State, c: Ctx, rnd: random.Random) -> None:
    o = ss.obs
    rel = (
        o.offset
        + o.w_coop * 0.5 * (s["coop_us"] + s["coop_ru"])
        + o.w_trust * s["trust"]
        - o.w_dispute * s["dispute"]
        - o.w_threat * 0.5 * (s["threat_us"] + s["threat_ru"])
        - o.w_shock * (c["hostile_us"] + c["hostile_ru"])
        + s["volatility"] * rnd.gauss(0.0, 1.0)
    )
    s["relations"] = clip(rel, -10.0, 10.0)


def run_member(ss: ScalarSpec, rnd: random.Random, record: str = "relations") -> list[float]:
    """One member's path of ``record``: the plain-Python loop."""
    s = new_member(ss)
    mem_us, mem_ru = initial_memory(ss.us[0]), initial_memory(ss.ru[0])
    out = []
    for t in range(ss.T):
        c = month_context(ss, t, rnd)
        force(ss, s, c)
        for fn, p in ss.stages[0]:
            fn(s, c, p, rnd)
        s["seen_us"] = clip(s["coop_ru"] + s["noise"] * rnd.gauss(0.0, 1.0))
        s["seen_ru"] = clip(s["coop_us"] + s["noise"] * rnd.gauss(0.0, 1.0))
        cu = strategy_move(ss.us[0], ss.us[1], t, s["coop_us"], s["seen_us"], mem_us, s["conc_us"])
        cr = strategy_move(ss.ru[0], ss.ru[1], t, s["coop_ru"], s["seen_ru"], mem_ru, s["conc_ru"])
        s["coop_us"], s["coop_ru"] = cu, cr
        for fn, p in ss.stages[1]:
            fn(s, c, p, rnd)
        for fn, p in ss.stages[2]:
            fn(s, c, p, rnd)
        observe(ss, s, c, rnd)
        out.append(s[record])
    return out


def run_python(
    spec: ModelSpec, members: int, seed: int, record: str = "relations"
) -> list[list[float]]:
    """All members with the plain-Python loop: ``[member][month]``."""
    ss = ScalarSpec(spec)
    rnd = random.Random(seed)
    return [run_member(ss, rnd, record) for _ in range(members)]
