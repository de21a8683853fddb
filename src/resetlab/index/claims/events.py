"""Event-study and mask tests: a window of months after triggers (or a calendar mask) against
the other months.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from resetlab.index.claims.data import (
    ACCESSION_PATTERN,
    ANNEXATION_PATTERN,
    INSTITUTIONS,
    RATCHET_GOLDSTEIN,
    BoolArray,
    ClaimData,
    ClaimResult,
    FloatArray,
)
from resetlab.index.claims.planting import box_after, calmed
from resetlab.index.claims.resample import (
    _after,
    _cooperative,
    _hostile,
    _ids_in,
    _mask_test,
    _month_pos,
    _monthly,
    _result,
    _volatility,
    _window_mean,
    regime_strata,
)

# -- the tests ---------------------------------------------------------------------------------


def _provoke(
    data: ClaimData,
    rng: np.random.Generator,
    resamples: int,
    *,
    triggers: pd.DataFrame,
    responses: pd.DataFrame,
    window: int,
    what: str,
) -> ClaimResult:
    t_count, t_ids = _monthly(data, triggers)
    y, _ = _monthly(data, responses)
    trig = t_count > 0
    after = _after(trig, 1, window)
    valid = np.arange(len(y)) >= window  # earlier months' own history is unknown
    s = _mask_test(
        y, after, valid, rng, resamples, block=12, min_shift=window,
        strata=regime_strata(data), plant=data.plant,
    )  # fmt: skip
    detail = (
        f"{what}/month in the {window} m after {int(trig.sum())} trigger months "
        f"({len(t_ids)} acts): {s.inside:.2f} vs {s.outside:.2f} in the other months "
        "(effect within regimes)"
    )
    return _result(s, len(t_ids), t_ids, detail)


def _western_moves(
    data: ClaimData, rng: np.random.Generator, resamples: int, window: int = 12
) -> ClaimResult:
    ev = data.events
    return _provoke(
        data, rng, resamples, triggers=_hostile(ev, data.side_a),
        responses=_hostile(ev, data.side_b), window=window,
        what=f"hostile {'/'.join(data.side_b)} acts",
    )  # fmt: skip


def _russian_moves(
    data: ClaimData, rng: np.random.Generator, resamples: int, window: int = 12
) -> ClaimResult:
    ev = data.events
    return _provoke(
        data, rng, resamples, triggers=_hostile(ev, data.side_b),
        responses=_hostile(ev, data.side_a), window=window,
        what=f"hostile {'/'.join(data.side_a)} acts",
    )  # fmt: skip


def _engagement(
    data: ClaimData, rng: np.random.Generator, resamples: int, window: int = 6
) -> ClaimResult:
    return _provoke(
        data, rng, resamples, triggers=_cooperative(data, (data.state_a,)),
        responses=_hostile(data.events, data.side_b), window=window,
        what=f"hostile {'/'.join(data.side_b)} acts",
    )  # fmt: skip


def _anomaly(score: FloatArray, half: int = 12) -> FloatArray:
    """Index minus its centred (2*half+1)-month mean: the month's departure from its era."""
    return score - _window_mean(score, -half, half)


def _election_mask(
    data: ClaimData, country: str, kinds: tuple[str, ...], first: int, last: int
) -> tuple[BoolArray, BoolArray, int]:
    """Months ``first``..``last`` months before an election; valid = the clock is known."""
    from resetlab.record.calendars import months_to_next_election

    el = data.elections[(data.elections["country"] == country) & data.elections["kind"].isin(kinds)]
    to = months_to_next_election(data.months, country, elections=el).to_numpy(dtype=float)
    valid = np.isfinite(to)
    mask = valid & (np.nan_to_num(to, nan=-1) >= first) & (np.nan_to_num(to, nan=-1) <= last)
    el_months = pd.PeriodIndex(el["day"], freq="M")
    first_m, last_m = data.months[0] + last, data.months[-1]
    n_el = int(sum(1 for m in set(el_months) if first_m <= m <= last_m))
    return mask, valid, n_el


def _election_hostility(
    data: ClaimData, rng: np.random.Generator, resamples: int, country: str, kinds: tuple[str, ...]
) -> ClaimResult:
    mask, valid, n_el = _election_mask(data, country, kinds, 1, 6)
    anom = _anomaly(data.index["score"].to_numpy(float))
    s = _mask_test(
        anom, mask, valid, rng, resamples, block=12, min_shift=12, sign=-1.0, plant=data.plant
    )
    detail = (
        f"index anomaly (vs centred 25-month mean) in the 6 months before {n_el} {country} "
        f"{'/'.join(kinds)} elections: {s.inside:+.2f} vs {s.outside:+.2f} in other months"
    )
    return _result(s, n_el, _ids_in(data, mask & valid), detail)


def _us_elections(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    return _election_hostility(data, rng, resamples, "USA", ("presidential",))


def _ru_elections(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    return _election_hostility(
        data, rng, resamples, "RUS", ("presidential", "presidential_runoff", "duma")
    )


def _toxic_at_home(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    mask, valid, n_el = _election_mask(data, "USA", ("presidential",), 1, 12)
    y, ids = _monthly(data, _cooperative(data, (data.state_a,)), valid)
    s = _mask_test(
        y, mask, valid, rng, resamples, block=12, min_shift=12, sign=-1.0,
        strata=regime_strata(data), plant=data.plant,
    )  # fmt: skip
    detail = (
        f"{data.state_a} cooperative acts toward {'/'.join(data.side_b)}/month in the 12 months "
        f"before {n_el} U.S. presidential elections: {s.inside:.2f} vs {s.outside:.2f} in other "
        "months (effect within regimes)"
    )
    return _result(s, len(ids), ids, detail)


def _institution_mask(data: ClaimData) -> BoolArray:
    months = data.months
    mask = np.zeros(len(months), dtype=bool)
    for inst in INSTITUTIONS:
        mask |= (months >= pd.Period(inst.first, "M")) & (months <= pd.Period(inst.last, "M"))
    return np.asarray(mask)


def _institutions_calm(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    y = _volatility(data.index["score"].to_numpy(float))
    mask = _institution_mask(data)
    valid = np.isfinite(y)
    s = _mask_test(
        y, mask, valid, rng, resamples, block=12, min_shift=24, sign=-1.0, plant=data.plant
    )
    detail = (
        f"mean |monthly index change| in {int((mask & valid).sum())} months with a working "
        f"commission: {s.inside:.3f} vs {s.outside:.3f} in the other months"
    )
    return _result(s, int((mask & valid).sum()), (), detail)


def _ratchets(ev: pd.DataFrame) -> pd.DataFrame:
    summary = ev["summary"].astype(str)
    extreme = ev["goldstein"] <= RATCHET_GOLDSTEIN
    accession = ev["actor"].eq("NATO") & summary.str.contains(ACCESSION_PATTERN)
    annexation = summary.str.contains(ANNEXATION_PATTERN)
    return ev[extreme | accession | annexation]


def _irreversible(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    # Leave-trigger-out: the index is re-estimated without the ratchet acts when the data
    # carries that index (``observations["without_ratchets"]``), so that the acts' own
    # Goldstein weight does not make the drop after them.
    obs = data.observations
    ltu = "without_ratchets" in obs and np.isfinite(obs["without_ratchets"]).any()
    score = (obs["without_ratchets"] if ltu else data.index["score"]).to_numpy(float)
    # Second year after minus the year before the run-up: symmetric about t, because the
    # two-sided smoother already drags the months just before an extreme act down with it.
    d = _window_mean(score, -24, -13) - _window_mean(score, 13, 24)
    valid = np.isfinite(d)
    count, ids = _monthly(data, _ratchets(data.events), valid)
    trig = count > 0
    s = _mask_test(d, trig, valid, rng, resamples, block=24, min_shift=24, plant=data.plant)
    detail = (
        f"{'index without the ratchet acts' if ltu else 'index'}, "
        f"mean over t-24..t-13 minus mean over t+13..t+24: {s.inside:+.2f} at "
        f"{int((trig & valid).sum())} ratchet months ({len(ids)} acts) vs {s.outside:+.2f} "
        "at other months"
    )
    return _result(s, len(ids), ids, detail)


def _arms_control(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    pos = _month_pos(data)
    trig = np.zeros(len(pos), dtype=bool)
    for m in data.milestones["month"]:
        if m in pos:
            trig[pos[m]] = True
    score = data.observations["events_score"].to_numpy(float)
    d = _window_mean(score, 1, 12) - _window_mean(score, -12, -1)
    valid = np.isfinite(d)
    s = _mask_test(d, trig, valid, rng, resamples, block=12, min_shift=24, plant=data.plant)
    ms = data.milestones[[m in pos and valid[pos[m]] for m in data.milestones["month"]]]
    detail = (
        f"events-only index, mean of 12 m after minus 12 m before: {s.inside:+.2f} at "
        f"{int((trig & valid).sum())} milestone months ({len(ms)} signatures/entries into "
        f"force) vs {s.outside:+.2f} at other months"
    )
    return _result(s, len(ms), (), detail)


def _honeymoon(data: ClaimData, rng: np.random.Generator, resamples: int) -> ClaimResult:
    pos = _month_pos(data)
    score = data.index["score"].to_numpy(float)
    d = _window_mean(score, 12, 12) - _window_mean(score, -1, -1)
    valid = np.isfinite(d)
    trig = np.zeros(len(pos), dtype=bool)
    names = []
    for name, m in zip(data.inaugurations["name"], data.inaugurations["month"], strict=True):
        if m in pos and valid[pos[m]]:
            trig[pos[m]] = True
            names.append(f"{name} {m}")
    s = _mask_test(d, trig, valid, rng, resamples, block=12, min_shift=13, plant=data.plant)
    detail = (
        f"index change from the month before to 12 m after the inauguration: {s.inside:+.2f} "
        f"for {len(names)} new presidents ({'; '.join(names)}) vs {s.outside:+.2f} for other "
        "months"
    )
    return _result(s, len(names), (), detail)


# -- latent shapes of the effects planted in the events (power) --------------------------------
# Each gives, for a rotation by ``shift`` months (the test's own rotation under
# ``Plant(shift, 0)``), the unit shape of the claimed effect on the latent level; the registry
# scales it so that the test measures the stated size on the latent level itself
# (:func:`~resetlab.index.claims.registry.rotation_runs`).


def _election_latent(
    country: str, kinds: tuple[str, ...]
) -> Callable[[ClaimData, int, FloatArray], FloatArray]:
    def latent(data: ClaimData, shift: int, series: FloatArray) -> FloatArray:
        del series  # the mask is calendar dates
        mask, _, _ = _election_mask(data, country, kinds, 1, 6)
        return -np.roll(mask, shift).astype(float)  # a lower level before the elections

    return latent


_us_elections_latent = _election_latent("USA", ("presidential",))
_ru_elections_latent = _election_latent("RUS", ("presidential", "presidential_runoff", "duma"))


def _institutions_latent(data: ClaimData, shift: int, series: FloatArray) -> FloatArray:
    # a calmer level while a commission works: its monthly changes shrunk in those months
    return calmed(series, np.roll(_institution_mask(data), shift).astype(float))


def _irreversible_latent(data: ClaimData, shift: int, series: FloatArray) -> FloatArray:
    del series
    count, _ = _monthly(data, _ratchets(data.events))
    return -box_after(np.roll(count > 0, shift).astype(float), 1, 24)  # two years lower


def _trigger_months(data: ClaimData, months: pd.Series) -> FloatArray:
    pos = _month_pos(data)
    trig = np.zeros(len(pos))
    for m in months:
        if m in pos:
            trig[pos[m]] = 1.0
    return trig


def _arms_control_latent(data: ClaimData, shift: int, series: FloatArray) -> FloatArray:
    del series
    trig = _trigger_months(data, data.milestones["month"])
    return box_after(np.roll(trig, shift), 1, 12)  # a year higher after a milestone


def _honeymoon_latent(data: ClaimData, shift: int, series: FloatArray) -> FloatArray:
    # the test's triggers: inaugurations whose 12 months are in the record
    valid = np.isfinite(_window_mean(series, 12, 12) - _window_mean(series, -1, -1))
    trig = _trigger_months(data, data.inaugurations["month"]) * valid
    return box_after(np.roll(trig, shift), 1, 12)  # a better first year
