"""Claims of the source articles tested directly on the record (no simulation).

Each test in :data:`CLAIM_TESTS` turns one empirical claim of an article (mechanisms M2-M21 of
the design brief) into a statistic computed on the record: the events, the monthly relations
index (Goldstein units, higher = friendlier), the regimes, the UN votes, the treaty and election
calendars. Every test returns an effect signed so that a positive value is what its ``claimed``
sentence says, a 95% resampling interval, a two-sided randomisation p-value, and the record
events it rests on.

Shared rules (applied by every test that uses them):

- *Sides*: the U.S. side is ``USA`` and ``NATO``; the Russian side is ``RUS``.
- *Hostile act*: an event with Goldstein < 0 whose actor is on that side and whose target is
  on the other (the dyad rule of :mod:`resetlab.record.dyad`): acts toward third states,
  such as Georgia 2008 or Syria, stay in the record but do not enter the claims.
- *Cooperative act*: an event with Goldstein >= 3 between the two sides (either direction),
  the threshold the model's forcing uses for cooperative shocks.
- Monthly counts use day- and month-precision events; the 13 year-precision events have no
  month and are left out of them.
- *Circular-shift permutation*: the trigger months (or the month mask, or the regressor) are
  rotated by a random lag against the outcome, which keeps the clustering and autocorrelation
  of both series and breaks only their alignment. It does not remove common slow trends, so a
  significant event-study effect means "co-moves at that lag", not causation.
- *Block bootstrap*: circular block bootstrap of months (Politis & Romano 1992), with blocks as
  long as the test's windows, for the 95% percentile interval.

The p-value and the interval come from different resampling schemes; :func:`verdict` asks for
both to agree before it calls a claim supported or contradicted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from resetlab.exceptions import ModelError

if TYPE_CHECKING:
    from resetlab.index.api import Analysis
    from resetlab.record.store import Store

CLAIM_TEST_KEYS: tuple[str, ...] = (
    "western-moves-provoke",
    "russian-moves-provoke",
    "cooperation-builds",
    "trust-threshold",
    "engagement-exploited",
    "us-election-hostility",
    "ru-election-hostility",
    "toxic-at-home",
    "treaties-calm",
    "institutions-calm",
    "un-votes-track",
    "common-challenges-fade",
    "resets-fail",
    "irreversible-moves",
    "arms-control-warms",
    "new-president-honeymoon",
)

US_SIDE: tuple[str, ...] = ("USA", "NATO")
RU_SIDE: tuple[str, ...] = ("RUS",)
HOSTILE_BELOW = 0.0
COOPERATIVE_FROM = 3.0
RATCHET_GOLDSTEIN = -9.0
#: Accession to NATO (by NATO, toward Russia) and annexation/recognition of seized territory
#: (by Russia): the irreversible moves of article 002, found in the record by their summaries.
ACCESSION_PATTERN = re.compile(r"\bjoin(?:s|ed)? NATO\b|NATO's \d+(?:st|nd|rd|th) member")
ANNEXATION_PATTERN = re.compile(
    r"\bincorporat\w* Crimea|\brecogni[sz]\w* Abkhazia|\bannexation of four", re.IGNORECASE
)
#: Cooperation on common challenges (M6): multilateral-domain cooperative acts, or cooperative
#: acts whose summary names counter-terrorism, Afghanistan, Iran or North Korea.
COMMON_CHALLENGE_PATTERN = re.compile(r"terror|afghan|\biran|north korea", re.IGNORECASE)
#: Treaty statuses that count as arms-control milestones (signature, entry into force).
MILESTONE_STATUSES: tuple[str, ...] = ("signed", "in_force", "adopted")
RESET_FAIL_MONTHS = 48


@dataclass(frozen=True)
class Institution:
    """A bilateral institution and the months it worked (``first`` to ``last``, inclusive)."""

    name: str
    first: str
    last: str
    sources: tuple[str, ...]
    note: str


#: Working bilateral institutions (M14), dates checked against the pages cited.
INSTITUTIONS: tuple[Institution, ...] = (
    Institution(
        name="Gore-Chernomyrdin Commission (U.S.-Russian Joint Commission on Economic and "
        "Technological Cooperation)",
        first="1993-04",
        last="1998-03",
        sources=(
            "http://dosfan.lib.uic.edu/ERC/bureaus/eur/releases/950620Gorer.html",
            "http://fas.org/news/russia/1997/msg00048c.htm",
            "https://clintonwhitehouse6.archives.gov/1999/07/"
            "1999-07-27-fact-sheet-on-the-us-russia-joint-commission.html",
            "http://www.idsa-india.org/an-jul8-6.html",
        ),
        note="created at the Vancouver summit, April 1993 (State Dept fact sheet, 20 Jun 1995; "
        "White House, 7 Feb 1997); ten meetings with Chernomyrdin as co-chair up to March 1998 "
        "(White House fact sheet, 27 Jul 1999); Chernomyrdin dismissed 23 Mar 1998 (IDSA). "
        "The renamed commission met only in July 1998 and July 1999 afterwards, so those "
        "months are not counted as a working institution.",
    ),
    Institution(
        name="U.S.-Russia Bilateral Presidential Commission",
        first="2009-07",
        last="2014-02",
        sources=(
            "http://moscow.usembassy.gov/bpc.html",
            "https://www.rferl.org/a/us-russia-commission/25312837.html",
            "http://www.derechos.org/peace/russia/doc/usarus313.html",
        ),
        note="announced by Obama and Medvedev on 6 Jul 2009 (U.S. Embassy Moscow); the U.S. "
        "suspended its work in March 2014 over Crimea (RFE/RL; ITAR-TASS via Equipo Nizkor: "
        "'In March, Washington temporarily suspended ... the Commission'); the day in March is "
        "not given, so March 2014 is left out.",
    ),
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


# -- data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimData:
    """What the claim tests read; build it with :func:`claim_data` or :func:`claim_data_from_store`.

    Every ``month`` is a ``pd.Period`` with frequency ``M``.
    """

    #: Events with a U.S.-side or Russian actor (any target): id, month (NaT for year
    #: precision), precision, actor, target, goldstein, domain, summary.
    events: pd.DataFrame
    #: The relations index, one row per consecutive month: month, score, sd.
    index: pd.DataFrame
    #: The regime shifts of the analysis (``Regimes.shifts``): start, end (YYYY-MM), kind, ...
    regimes: pd.DataFrame
    #: Per month, same rows as ``index`` (PeriodIndex): ``treaty_share`` (treaties in force /
    #: the most ever in force) and ``events_score`` (the index re-estimated from events alone,
    #: for tests whose own variable is one of the index's auxiliary indicators).
    observations: pd.DataFrame
    #: UN General Assembly voting agreement: year, agreement.
    un_agreement: pd.DataFrame
    #: Arms-control milestones: treaty, status, month.
    milestones: pd.DataFrame
    #: National elections: country, kind, day (Timestamp).
    elections: pd.DataFrame
    #: New U.S. presidents taking office: name, month.
    inaugurations: pd.DataFrame

    @property
    def months(self) -> pd.PeriodIndex:
        return pd.PeriodIndex(self.index["month"], freq="M")


def _prepare_events(events: pd.DataFrame) -> pd.DataFrame:
    ev = events[events["actor"].isin(US_SIDE + RU_SIDE)].copy()
    day = pd.to_datetime(ev["day"] if "day" in ev else ev["date"].astype(str).str[:7])
    month = day.dt.to_period("M").where(ev["precision"].astype(str) != "year")
    cols = ["id", "precision", "actor", "target", "goldstein", "domain", "summary"]
    out = ev[cols].copy()
    out.insert(1, "month", month)
    out["goldstein"] = out["goldstein"].astype(float)
    return out.reset_index(drop=True)


def _events_only_index(analysis: Analysis) -> FloatArray:
    from resetlab.index.kalman import AUXILIARY, estimate_index
    from resetlab.index.observations import Observations

    obs = analysis.observations
    frame = obs.frame.copy()
    for col in AUXILIARY:  # every indicator but the events
        if col in frame:
            frame[col] = np.nan
    return np.asarray(
        estimate_index(Observations(frame, obs.raw_events)).frame["score"], dtype=float
    )


def claim_data(analysis: Analysis, *, events: pd.DataFrame | None = None) -> ClaimData:
    """Claim data from an :class:`resetlab.index.api.Analysis`.

    ``events`` defaults to ``analysis.events`` (the dyad's events by the dyad rule, which is
    what the claims are tested on). Treaties, elections and leaders come from the record's
    built-in tables (the store holds the same tables).
    """
    from resetlab.record.calendars import load_elections, load_leaders
    from resetlab.record.treaties import load_treaty_events, treaties_in_force

    idx = analysis.index.frame
    months = pd.PeriodIndex(idx["month"].astype(str), freq="M")
    index = pd.DataFrame(
        {"month": months, "score": idx["score"].to_numpy(float), "sd": idx["sd"].to_numpy(float)}
    )
    in_force = treaties_in_force(months).to_numpy(dtype=float)
    observations = pd.DataFrame(
        {
            "treaty_share": in_force / in_force.max() if in_force.max() > 0 else in_force,
            "events_score": _events_only_index(analysis),
        },
        index=months,
    )
    un = analysis.observations.frame["un_agreement"].dropna()
    un_agreement = pd.DataFrame(
        {"year": [p.year for p in un.index], "agreement": un.to_numpy(dtype=float)}
    )
    te = load_treaty_events()
    te = te[te["status"].isin(MILESTONE_STATUSES)]
    milestones = pd.DataFrame(
        {
            "treaty": te["treaty"].to_numpy(),
            "status": te["status"].to_numpy(),
            "month": pd.PeriodIndex(te["day"], freq="M"),
        }
    )
    leaders = load_leaders()
    pres = leaders[(leaders["country"] == "USA") & (leaders["role"] == "president")]
    pres = pres.sort_values("start_day")
    new = pres["name"].ne(pres["name"].shift())
    inaugurations = pd.DataFrame(
        {
            "name": pres.loc[new, "name"].to_numpy(),
            "month": pd.PeriodIndex(pres.loc[new, "start_day"], freq="M"),
        }
    )
    elections = load_elections()[["country", "kind", "day"]].reset_index(drop=True)
    return ClaimData(
        events=_prepare_events(analysis.events if events is None else events),
        index=index,
        regimes=analysis.regimes.shifts.copy(),
        observations=observations,
        un_agreement=un_agreement,
        milestones=milestones,
        elections=elections,
        inaugurations=inaugurations,
    )


def claim_data_from_store(store: Store) -> ClaimData:
    """:func:`claim_data` of ``analyse(store)``: the U.S.-Russia events by the dyad rule
    (:mod:`resetlab.record.dyad`; NATO acting with the U.S. counts), never third-party rows
    such as another pair's events or the two sides' acts toward third states."""
    from resetlab.index.api import analyse

    return claim_data(analyse(store))


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimResult:
    """One test's outcome; ``effect`` > 0 supports the test's ``claimed`` sentence."""

    effect: float
    ci_lo: float
    ci_hi: float
    p_value: float
    n_events: int
    events: tuple[str, ...]
    detail: str


@dataclass(frozen=True)
class ClaimTest:
    """A claim, the test of it, and the function that runs it."""

    key: str
    mechanisms: tuple[str, ...]
    title: str
    claimed: str
    method: str
    run: Callable[[ClaimData, np.random.Generator, int], ClaimResult]


# -- shared machinery --------------------------------------------------------------------------


def _month_pos(data: ClaimData) -> dict[pd.Period, int]:
    return {m: i for i, m in enumerate(data.months)}


def _monthly(
    data: ClaimData, rows: pd.DataFrame, valid: BoolArray | None = None
) -> tuple[FloatArray, tuple[str, ...]]:
    """Count of ``rows`` per index month, and the ids of those counted in ``valid`` months."""
    pos = _month_pos(data)
    out = np.zeros(len(pos))
    ids = []
    for m, eid in zip(rows["month"], rows["id"], strict=True):
        i = pos.get(m) if not pd.isna(m) else None
        if i is not None:
            out[i] += 1
            if valid is None or valid[i]:
                ids.append(str(eid))
    return out, tuple(ids)


def _hostile(ev: pd.DataFrame, side: tuple[str, ...]) -> pd.DataFrame:
    return ev[ev["actor"].isin(side) & (ev["goldstein"] < HOSTILE_BELOW)]


def _cooperative(ev: pd.DataFrame, actors: tuple[str, ...] = US_SIDE + RU_SIDE) -> pd.DataFrame:
    dyad = (ev["actor"].isin(US_SIDE) & ev["target"].isin(RU_SIDE)) | (
        ev["actor"].isin(RU_SIDE) & ev["target"].isin(US_SIDE)
    )
    return ev[dyad & ev["actor"].isin(actors) & (ev["goldstein"] >= COOPERATIVE_FROM)]


def _window_mean(x: FloatArray, lo: int, hi: int) -> FloatArray:
    """Mean of ``x[t+lo .. t+hi]`` for every t (NaN where the window leaves the series)."""
    n = len(x)
    cs = np.concatenate([[0.0], np.cumsum(x)])
    out = np.full(n, np.nan)
    t = np.arange(n)
    ok = (t + lo >= 0) & (t + hi < n)
    out[ok] = (cs[t[ok] + hi + 1] - cs[t[ok] + lo]) / (hi - lo + 1)
    return out


def _after(trigger: BoolArray, lo: int, hi: int) -> BoolArray:
    """Months t with a trigger in t-hi .. t-lo (the trigger's window t+lo .. t+hi)."""
    n = len(trigger)
    cs = np.concatenate([[0], np.cumsum(trigger.astype(int))])
    t = np.arange(n)
    a = np.clip(t - hi, 0, n)
    b = np.clip(t - lo + 1, 0, n)
    return np.asarray((cs[b] - cs[a]) > 0)


def _shifts(rng: np.random.Generator, n: int, min_shift: int, size: int) -> npt.NDArray[np.int64]:
    lo = max(1, min(min_shift, n // 4))
    return rng.integers(lo, n - lo + 1, size=size)


def _rolled(x: npt.NDArray[Any], shifts: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
    """``x`` circularly shifted by each lag: shape (len(shifts), len(x))."""
    n = len(x)
    return x[(np.arange(n)[None, :] - shifts[:, None]) % n]


def _blocks(rng: np.random.Generator, n: int, block: int, size: int) -> npt.NDArray[np.int64]:
    """Circular block bootstrap row indices, shape (size, n).

    Written here because neither scipy nor statsmodels offers a block bootstrap of an arbitrary
    statistic (``scipy.stats.bootstrap`` resamples single observations, which would ignore the
    months' autocorrelation); ``arch`` has one but is not a dependency.
    """
    block = max(1, min(block, n))
    k = -(-n // block)
    starts = rng.integers(0, n, size=(size, k))
    idx = (starts[:, :, None] + np.arange(block)[None, None, :]) % n
    return idx.reshape(size, k * block)[:, :n]


def _p_two_sided(obs: float, null: FloatArray) -> float:
    """Two-sided randomisation p-value: twice the smaller tail, with the +1 correction."""
    null = null[np.isfinite(null)]
    m = len(null)
    if m == 0 or not np.isfinite(obs):
        return 1.0
    upper = (1 + np.sum(null >= obs)) / (m + 1)
    lower = (1 + np.sum(null <= obs)) / (m + 1)
    return float(min(1.0, 2 * min(upper, lower)))


def _interval(boot: FloatArray) -> tuple[float, float]:
    boot = boot[np.isfinite(boot)]
    if len(boot) == 0:
        return float("nan"), float("nan")
    lo, hi = np.percentile(boot, [2.5, 97.5])
    return float(lo), float(hi)


def _mean_diff(y: FloatArray, masks: BoolArray, valid: BoolArray) -> FloatArray:
    """mean(y | mask) - mean(y | not mask) over valid months, per row of ``masks``."""
    y0 = np.where(valid, y, 0.0)
    a = masks & valid
    b = ~masks & valid
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((a * y0).sum(-1) / a.sum(-1) - (b * y0).sum(-1) / b.sum(-1), dtype=float)


@dataclass(frozen=True)
class _Stat:
    effect: float
    lo: float
    hi: float
    p: float
    inside: float  # mean in the mask (or slope in the high group)
    outside: float


def _mask_test(
    y: FloatArray,
    mask: BoolArray,
    valid: BoolArray,
    rng: np.random.Generator,
    n: int,
    *,
    block: int,
    min_shift: int,
    sign: float = 1.0,
) -> _Stat:
    """Difference of mean ``y`` inside vs outside ``mask`` (times ``sign``).

    p: the mask circularly shifted against ``y``; interval: circular block bootstrap of the
    (mask, y) months.
    """
    valid = valid & np.isfinite(y)
    if not (mask & valid).any() or not (~mask & valid).any():
        raise ModelError("the test's months are all inside or all outside its mask")
    obs = float(_mean_diff(y, mask[None, :], valid)[0])
    null = sign * _mean_diff(y, _rolled(mask, _shifts(rng, len(y), min_shift, n)), valid)
    yv, mv = y[valid], mask[valid]
    idx = _blocks(rng, len(yv), block, n)
    boot = sign * _mean_diff(yv[idx], mv[idx], np.ones_like(idx, dtype=bool))
    lo, hi = _interval(boot)
    effect = sign * obs
    return _Stat(
        effect, lo, hi, _p_two_sided(effect, null),
        float(y[mask & valid].mean()), float(y[~mask & valid].mean()),
    )  # fmt: skip


def _slopes(x: FloatArray, y: FloatArray, w: BoolArray) -> FloatArray:
    """OLS slope of y on x over rows where w, along the last axis (broadcasting)."""
    wf = w.astype(float)
    nw = wf.sum(-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        xm = (x * wf).sum(-1, keepdims=True) / nw
        ym = (y * wf).sum(-1, keepdims=True) / nw
        return np.asarray(
            ((x - xm) * (y - ym) * wf).sum(-1) / ((x - xm) ** 2 * wf).sum(-1), dtype=float
        )


def _slope_test(
    x: FloatArray,
    y: FloatArray,
    valid: BoolArray,
    rng: np.random.Generator,
    n: int,
    *,
    block: int,
    min_shift: int,
    sign: float = 1.0,
    groups: BoolArray | None = None,
) -> _Stat:
    """OLS slope of y on x (times ``sign``); with ``groups``, slope in group minus slope outside.

    p: ``x`` circularly shifted against (y, groups); interval: circular block bootstrap of the
    (x, y, group) months.
    """
    valid = valid & np.isfinite(y) & np.isfinite(x)
    xf = np.nan_to_num(x)  # rolled whole, so edge months keep their own values
    x0, y0 = np.where(valid, x, 0.0), np.where(valid, y, 0.0)

    def stat(xx: FloatArray, yy: FloatArray, ww: BoolArray, gg: BoolArray | None) -> FloatArray:
        if gg is None:
            return _slopes(xx, yy, ww)
        return _slopes(xx, yy, ww & gg) - _slopes(xx, yy, ww & ~gg)

    g = groups
    obs = sign * float(stat(x0, y0, valid, g)[()])
    null = sign * stat(_rolled(xf, _shifts(rng, len(xf), min_shift, n)), y0, valid, g)
    xv, yv = x0[valid], y0[valid]
    gv = None if g is None else g[valid]
    idx = _blocks(rng, len(xv), block, n)
    ones = np.ones_like(idx, dtype=bool)
    boot = sign * stat(xv[idx], yv[idx], ones, None if gv is None else gv[idx])
    lo, hi = _interval(boot)
    if g is None:
        inside = outside = float("nan")
    else:
        inside = float(_slopes(x0, y0, valid & g))
        outside = float(_slopes(x0, y0, valid & ~g))
    return _Stat(obs, lo, hi, _p_two_sided(obs, null), inside, outside)


def _result(s: _Stat, n_events: int, events: tuple[str, ...], detail: str) -> ClaimResult:
    return ClaimResult(
        effect=float(s.effect), ci_lo=float(s.lo), ci_hi=float(s.hi), p_value=float(s.p),
        n_events=int(n_events), events=events, detail=detail,
    )  # fmt: skip


def _ids_in(data: ClaimData, mask: BoolArray) -> tuple[str, ...]:
    months = set(data.months[mask])
    ev = data.events
    return tuple(str(i) for i, m in zip(ev["id"], ev["month"], strict=True) if m in months)


# -- the tests ---------------------------------------------------------------------------------


def _provoke(
    data: ClaimData,
    rng: np.random.Generator,
    n: int,
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
    s = _mask_test(y, after, valid, rng, n, block=12, min_shift=window)
    detail = (
        f"{what}/month in the {window} m after {int(trig.sum())} trigger months "
        f"({len(t_ids)} acts): {s.inside:.2f} vs {s.outside:.2f} in the other months"
    )
    return _result(s, len(t_ids), t_ids, detail)


def _western_moves(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    ev = data.events
    return _provoke(
        data, rng, n, triggers=_hostile(ev, US_SIDE), responses=_hostile(ev, RU_SIDE),
        window=12, what="hostile RUS acts",
    )  # fmt: skip


def _russian_moves(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    ev = data.events
    return _provoke(
        data, rng, n, triggers=_hostile(ev, RU_SIDE), responses=_hostile(ev, US_SIDE),
        window=12, what="hostile U.S./NATO acts",
    )  # fmt: skip


def _engagement(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    ev = data.events
    return _provoke(
        data, rng, n, triggers=_cooperative(ev, ("USA",)), responses=_hostile(ev, RU_SIDE),
        window=6, what="hostile RUS acts",
    )  # fmt: skip


def _symmetric_change(score: FloatArray) -> FloatArray:
    """mean(score[t+6..t+12]) - mean(score[t-12..t-6]).

    Symmetric about t, so the smoother's own spreading of month t's events (which reaches
    both sides alike) cancels.
    """
    return _window_mean(score, 6, 12) - _window_mean(score, -12, -6)


def _cooperation_builds(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    y = _symmetric_change(data.index["score"].to_numpy(float))
    valid = np.isfinite(y)
    x, ids = _monthly(data, _cooperative(data.events), valid)
    s = _slope_test(x, y, valid, rng, n, block=24, min_shift=24)
    detail = (
        f"index change (mean of t+6..t+12 minus mean of t-12..t-6) per cooperative act in "
        f"month t: {s.effect:+.3f} over {int(valid.sum())} months, {len(ids)} acts"
    )
    return _result(s, len(ids), ids, detail)


def _trust_threshold(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    score = data.index["score"].to_numpy(float)
    y = _symmetric_change(score)
    level = _window_mean(score, -12, -6)
    valid = np.isfinite(y) & np.isfinite(level)
    x, ids = _monthly(data, _cooperative(data.events), valid)
    threshold = float(np.median(level[valid]))
    high = np.where(valid, level, -np.inf) > threshold
    s = _slope_test(x, y, valid, rng, n, block=24, min_shift=24, groups=high)
    detail = (
        f"slope of later index change on cooperative acts when the prior level (mean of "
        f"t-12..t-6) is above its median {threshold:+.2f}: {s.inside:+.3f} vs below: "
        f"{s.outside:+.3f}"
    )
    return _result(s, len(ids), ids, detail)


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
    n_el = int(sum(1 for m in set(el_months) if data.months[0] + last <= m <= data.months[-1]))
    return mask, valid, n_el


def _election_hostility(
    data: ClaimData, rng: np.random.Generator, n: int, country: str, kinds: tuple[str, ...]
) -> ClaimResult:
    mask, valid, n_el = _election_mask(data, country, kinds, 1, 6)
    anom = _anomaly(data.index["score"].to_numpy(float))
    s = _mask_test(anom, mask, valid, rng, n, block=12, min_shift=12, sign=-1.0)
    detail = (
        f"index anomaly (vs centred 25-month mean) in the 6 months before {n_el} {country} "
        f"{'/'.join(kinds)} elections: {s.inside:+.2f} vs {s.outside:+.2f} in other months"
    )
    return _result(s, n_el, _ids_in(data, mask & valid), detail)


def _us_elections(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    return _election_hostility(data, rng, n, "USA", ("presidential",))


def _ru_elections(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    return _election_hostility(data, rng, n, "RUS", ("presidential", "presidential_runoff", "duma"))


def _toxic_at_home(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    mask, valid, n_el = _election_mask(data, "USA", ("presidential",), 1, 12)
    y, ids = _monthly(data, _cooperative(data.events, ("USA",)), valid)
    s = _mask_test(y, mask, valid, rng, n, block=12, min_shift=12, sign=-1.0)
    detail = (
        f"U.S. cooperative acts toward Russia/month in the 12 months before {n_el} presidential "
        f"elections: {s.inside:.2f} vs {s.outside:.2f} in other months"
    )
    return _result(s, len(ids), ids, detail)


def _volatility(score: FloatArray) -> FloatArray:
    return np.concatenate([[np.nan], np.abs(np.diff(score))])


def _treaties_calm(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    x = data.observations["treaty_share"].to_numpy(float)
    y = _volatility(data.observations["events_score"].to_numpy(float))
    valid = np.isfinite(y)
    s = _slope_test(x, y, valid, rng, n, block=24, min_shift=24, sign=-1.0)
    detail = (
        f"|monthly change| of the events-only index falls by {s.effect:+.3f} from no treaty to "
        f"the most in force (slope over {int(valid.sum())} months; share "
        f"{np.nanmin(x):.2f}-{np.nanmax(x):.2f})"
    )
    return _result(s, int(valid.sum()), (), detail)


def _institution_mask(data: ClaimData) -> BoolArray:
    months = data.months
    mask = np.zeros(len(months), dtype=bool)
    for inst in INSTITUTIONS:
        mask |= (months >= pd.Period(inst.first, "M")) & (months <= pd.Period(inst.last, "M"))
    return np.asarray(mask)


def _institutions_calm(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    y = _volatility(data.index["score"].to_numpy(float))
    mask = _institution_mask(data)
    valid = np.isfinite(y)
    s = _mask_test(y, mask, valid, rng, n, block=12, min_shift=24, sign=-1.0)
    detail = (
        f"mean |monthly index change| in {int((mask & valid).sum())} months with a working "
        f"commission: {s.inside:.3f} vs {s.outside:.3f} in the other months"
    )
    return _result(s, int((mask & valid).sum()), (), detail)


def _pearson(x: FloatArray, y: FloatArray, axis: int = -1) -> FloatArray:
    xm = x - x.mean(axis=axis, keepdims=True)
    ym = y - y.mean(axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(
            (xm * ym).sum(axis) / np.sqrt((xm**2).sum(axis) * (ym**2).sum(axis)), dtype=float
        )


def _un_votes(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    months = data.months
    score = pd.Series(data.observations["events_score"].to_numpy(float), index=months)
    by_year = score.groupby(months.year)
    annual = by_year.mean()[by_year.count() == 12]
    un = data.un_agreement.set_index("year")["agreement"].astype(float)
    both = pd.concat([annual.rename("index"), un.rename("un")], axis=1, join="inner").sort_index()
    both = both[np.diff(both.index.to_numpy(), prepend=both.index[0] - 1) == 1]
    if len(both) < 6:
        raise ModelError(f"only {len(both)} years with both the index and UN votes; need 6")
    dx, dy = np.diff(both["index"].to_numpy()), np.diff(both["un"].to_numpy())
    r = float(_pearson(dx, dy))
    perm = stats.permutation_test(
        (dx, dy), _pearson, permutation_type="pairings", vectorized=True,
        n_resamples=n, rng=rng,
    )  # fmt: skip
    idx = _blocks(rng, len(dx), 3, n)
    lo, hi = _interval(_pearson(dx[idx], dy[idx]))
    detail = (
        f"correlation of year-on-year changes of UN agreement and the annual mean events-only "
        f"index, {int(both.index[0])}-{int(both.index[-1])} ({len(dx)} changes)"
    )
    return ClaimResult(r, lo, hi, float(perm.pvalue), len(dx), (), detail)


def _common_challenges(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    coop = _cooperative(data.events)
    common = coop[
        (coop["domain"] == "multilateral")
        | coop["summary"].astype(str).str.contains(COMMON_CHALLENGE_PATTERN)
    ]
    c_count, c_ids = _monthly(data, common)
    all_count, _ = _monthly(data, coop)
    score = data.index["score"].to_numpy(float)
    d = _window_mean(score, 3, 3) - _window_mean(score, 18, 18)  # gain at +3 minus gain at +18
    ok = np.isfinite(d)
    d_common = d[ok & (c_count > 0)]
    d_other = d[ok & (all_count > 0) & (c_count == 0)]
    if len(d_common) < 2 or len(d_other) < 2:
        raise ModelError("fewer than two months of common-challenge or of other cooperation")

    def diff(a: FloatArray, b: FloatArray, axis: int = -1) -> FloatArray:
        return np.asarray(np.mean(a, axis=axis) - np.mean(b, axis=axis), dtype=float)

    effect = float(diff(d_common, d_other))
    perm = stats.permutation_test(
        (d_common, d_other), diff, permutation_type="independent", vectorized=True,
        n_resamples=n, rng=rng,
    )  # fmt: skip
    boot = stats.bootstrap(
        (d_common, d_other), diff, vectorized=True, n_resamples=n, method="percentile", rng=rng
    )
    ci = boot.confidence_interval
    used = tuple(
        i for i, m in zip(common["id"], common["month"], strict=True)
        if not pd.isna(m) and m in set(data.months[ok])
    )  # fmt: skip
    detail = (
        f"index gain at +3 m minus gain at +18 m: {d_common.mean():+.2f} after "
        f"{len(d_common)} common-challenge months vs {d_other.mean():+.2f} after "
        f"{len(d_other)} other cooperative months"
    )
    return ClaimResult(
        effect, float(ci.low), float(ci.high), float(perm.pvalue), len(used), used, detail
    )


def _resets_fail(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    del rng, n  # exact binomial test and Wilson interval: no resampling needed
    shifts = data.regimes.sort_values("start")
    end = data.months[-1]
    fails, starts = [], []
    for _, r in shifts[shifts["kind"] == "reset"].iterrows():
        start = pd.Period(str(r["start"]), "M")
        later = shifts[(shifts["kind"] == "breakdown") & (shifts["start"].astype(str) > str(start))]
        gap = (pd.Period(str(later["start"].iloc[0]), "M") - start).n if len(later) else None
        if gap is not None and gap <= RESET_FAIL_MONTHS:
            fails.append(1)
        elif (end - start).n >= RESET_FAIL_MONTHS:
            fails.append(0)
        else:
            continue  # censored: not yet 48 months old and no breakdown yet
        starts.append(start)
    if not fails:
        raise ModelError("no reset in the regimes is old enough to have held or failed 48 months")
    k, m = int(sum(fails)), len(fails)
    res = stats.binomtest(k, m, 0.5)
    ci = res.proportion_ci(confidence_level=0.95, method="wilson")
    ev = data.events
    ids = tuple(str(i) for i, mo in zip(ev["id"], ev["month"], strict=True) if mo in set(starts))
    detail = (
        f"{k} of {m} resets ({', '.join(str(s) for s in starts)}) met a breakdown within "
        f"{RESET_FAIL_MONTHS} m (resets under {RESET_FAIL_MONTHS} m old without one left out); "
        "small n"
    )
    return ClaimResult(k / m - 0.5, ci.low - 0.5, ci.high - 0.5, float(res.pvalue), m, ids, detail)


def _ratchets(ev: pd.DataFrame) -> pd.DataFrame:
    summary = ev["summary"].astype(str)
    extreme = ev["goldstein"] <= RATCHET_GOLDSTEIN
    accession = ev["actor"].eq("NATO") & summary.str.contains(ACCESSION_PATTERN)
    annexation = ev["actor"].isin(RU_SIDE) & summary.str.contains(ANNEXATION_PATTERN)
    return ev[extreme | accession | annexation]


def _irreversible(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    score = data.index["score"].to_numpy(float)
    # Second year after minus the year before the run-up: symmetric about t, because the
    # two-sided smoother already drags the months just before an extreme act down with it.
    d = _window_mean(score, -24, -13) - _window_mean(score, 13, 24)
    valid = np.isfinite(d)
    count, ids = _monthly(data, _ratchets(data.events), valid)
    trig = count > 0
    s = _mask_test(d, trig, valid, rng, n, block=24, min_shift=24)
    detail = (
        f"index mean over t-24..t-13 minus mean over t+13..t+24: {s.inside:+.2f} at "
        f"{int((trig & valid).sum())} ratchet months ({len(ids)} acts) vs {s.outside:+.2f} "
        "at other months"
    )
    return _result(s, len(ids), ids, detail)


def _arms_control(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
    pos = _month_pos(data)
    trig = np.zeros(len(pos), dtype=bool)
    for m in data.milestones["month"]:
        if m in pos:
            trig[pos[m]] = True
    score = data.observations["events_score"].to_numpy(float)
    d = _window_mean(score, 1, 12) - _window_mean(score, -12, -1)
    valid = np.isfinite(d)
    s = _mask_test(d, trig, valid, rng, n, block=12, min_shift=24)
    ms = data.milestones[[m in pos and valid[pos[m]] for m in data.milestones["month"]]]
    detail = (
        f"events-only index, mean of 12 m after minus 12 m before: {s.inside:+.2f} at "
        f"{int((trig & valid).sum())} milestone months ({len(ms)} signatures/entries into "
        f"force) vs {s.outside:+.2f} at other months"
    )
    return _result(s, len(ms), (), detail)


def _honeymoon(data: ClaimData, rng: np.random.Generator, n: int) -> ClaimResult:
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
    s = _mask_test(d, trig, valid, rng, n, block=12, min_shift=13)
    detail = (
        f"index change from the month before to 12 m after the inauguration: {s.inside:+.2f} "
        f"for {len(names)} new presidents ({'; '.join(names)}) vs {s.outside:+.2f} for other "
        "months"
    )
    return _result(s, len(names), (), detail)


# -- registry ----------------------------------------------------------------------------------

_WINDOW_NOTE = (
    "p: circular-shift permutation (trigger months rotated against the outcome); "
    "95% CI: circular block bootstrap of months (percentile)."
)

_TESTS: tuple[ClaimTest, ...] = (
    ClaimTest(
        "western-moves-provoke",
        ("m9",),
        "Western moves provoke Russian pushback",
        "Russia commits more hostile acts in the 12 months after hostile U.S./NATO moves than "
        "at other times.",
        "Event study: trigger months have a hostile act (Goldstein < 0) by the USA or NATO, any "
        "target (enlargement, strikes, sanctions, interference); outcome is the monthly count of "
        "hostile Russian acts; effect = mean count in months t+1..t+12 after any trigger minus "
        "mean in the other months (first 12 months left out). " + _WINDOW_NOTE,
        _western_moves,
    ),
    ClaimTest(
        "russian-moves-provoke",
        ("m9",),
        "Russian moves provoke Washington",
        "The U.S./NATO commit more hostile acts in the 12 months after hostile Russian acts "
        "than at other times.",
        "Mirror of western-moves-provoke: triggers are months with a hostile Russian act, the "
        "outcome is the monthly count of hostile U.S./NATO acts. " + _WINDOW_NOTE,
        _russian_moves,
    ),
    ClaimTest(
        "cooperation-builds",
        ("m4",),
        "Trust grows out of cooperation",
        "Cooperative acts in a month are followed by a higher index 6-12 months later.",
        "OLS slope of the index change around month t (mean of t+6..t+12 minus mean of "
        "t-12..t-6; symmetric so the smoother's spreading cancels) on the number of U.S.-Russia "
        "cooperative acts (Goldstein >= 3, either side) in t. p: the act counts circularly "
        "shifted; CI: circular block bootstrap (24-month blocks). Association, not causation: "
        "cooperation inside an upswing also scores.",
        _cooperation_builds,
    ),
    ClaimTest(
        "trust-threshold",
        ("m16",),
        "Detente needs a minimum of trust",
        "Cooperation raises the index later more when the prior index level is high than when "
        "it is low.",
        "As cooperation-builds, with the months split at the median of the prior level (mean "
        "index over t-12..t-6); effect = slope above the median minus slope below. p: act "
        "counts circularly shifted against (change, level); CI: circular block bootstrap "
        "(24-month blocks).",
        _trust_threshold,
    ),
    ClaimTest(
        "engagement-exploited",
        ("m18",),
        "Engagement is exploited",
        "Russia commits more hostile acts in the 6 months after U.S. cooperative acts toward it "
        "than at other times.",
        "Event study: triggers are months with a USA act toward Russia of Goldstein >= 3; "
        "outcome is the monthly count of hostile Russian acts; effect = mean in months t+1..t+6 "
        "after any trigger minus the other months. " + _WINDOW_NOTE,
        _engagement,
    ),
    ClaimTest(
        "us-election-hostility",
        ("m7", "m20", "m21"),
        "U.S. election seasons are hostile",
        "Months in the 6 months before U.S. presidential elections are more hostile than other "
        "months.",
        "Index anomaly = index minus its centred 25-month mean; effect = mean anomaly in other "
        "months minus mean in the months 1-6 before a presidential election (positive = more "
        "hostile before). p: the pre-election mask circularly shifted; CI: circular block "
        "bootstrap (12-month blocks).",
        _us_elections,
    ),
    ClaimTest(
        "ru-election-hostility",
        ("m7",),
        "Russian election seasons are hostile",
        "Months in the 6 months before Russian presidential or Duma elections are more hostile "
        "than other months.",
        "As us-election-hostility with Russian presidential (runoffs included) and State Duma "
        "elections.",
        _ru_elections,
    ),
    ClaimTest(
        "toxic-at-home",
        ("m21",),
        "Russia policy is toxic at home",
        "U.S. cooperative acts toward Russia are rarer in the 12 months before U.S. "
        "presidential elections.",
        "Monthly count of USA acts toward Russia with Goldstein >= 3; effect = mean in other "
        "months minus mean in the months 1-12 before a presidential election. p: mask "
        "circularly shifted; CI: circular block bootstrap (12-month blocks).",
        _toxic_at_home,
    ),
    ClaimTest(
        "treaties-calm",
        ("m12",),
        "Treaties give stability",
        "Months with a larger share of arms-control treaties in force have a calmer index.",
        "Effect = minus the OLS slope of |monthly change| of the index on the share of treaties "
        "in force (in force / most ever in force; suspended counts half). The index here is "
        "re-estimated from events alone, since treaties in force are one of its indicators. "
        "p: treaty share circularly shifted; CI: circular block bootstrap (24-month blocks).",
        _treaties_calm,
    ),
    ClaimTest(
        "institutions-calm",
        ("m14",),
        "Institutions take the drama out",
        "The index is less volatile while a working bilateral commission exists.",
        "Effect = mean |monthly index change| outside minus inside the months of the "
        "Gore-Chernomyrdin Commission (1993-04..1998-03) and the Bilateral Presidential "
        "Commission (2009-07..2014-02), dates and sources in INSTITUTIONS. p: the institution "
        "mask circularly shifted; CI: circular block bootstrap (12-month blocks).",
        _institutions_calm,
    ),
    ClaimTest(
        "un-votes-track",
        ("m2",),
        "UN votes follow bilateral relations",
        "Year-on-year changes in U.S.-Russia UN voting agreement go with changes in the "
        "bilateral index.",
        "Pearson correlation of first differences of annual UN General Assembly agreement and "
        "the annual mean of the index re-estimated from events alone (UN votes are an input of "
        "the full index), complete years only. p: scipy permutation test of the pairings; CI: "
        "circular block bootstrap of year pairs (3-year blocks).",
        _un_votes,
    ),
    ClaimTest(
        "common-challenges-fade",
        ("m6",),
        "Common challenges are short-lived",
        "Index gains after cooperation on common challenges fade faster than gains after other "
        "cooperation.",
        "Per month d = (index at t+3) - (index at t+18), i.e. the gain 3 months after minus "
        "the gain 18 months after. Effect = mean d over months with common-challenge "
        "cooperation (Goldstein >= 3 and multilateral domain, or summary naming terrorism, "
        "Afghanistan, Iran, North Korea) minus mean d over months with other cooperative acts "
        "only; comparing with other cooperation removes the smoother's own fading of any "
        "friendly event and the long-run drift. p: scipy permutation of the month labels; CI: "
        "scipy percentile bootstrap of the two groups.",
        _common_challenges,
    ),
    ClaimTest(
        "resets-fail",
        ("m19",),
        "Resets fail",
        "Resets (upward regime shifts found in the data) end in a breakdown within 48 months "
        "more often than not.",
        "Share of resets followed by a breakdown shift within 48 months of the reset's start "
        "(resets younger than 48 months without a breakdown are censored and left out); "
        "effect = share - 0.5; CI: Wilson interval minus 0.5; p: exact two-sided binomial test "
        "against 0.5 (scipy). n is small (a handful of resets).",
        _resets_fail,
    ),
    ClaimTest(
        "irreversible-moves",
        ("m10",),
        "Some moves cannot be walked back",
        "After the most extreme acts the index in the second year after stays further below "
        "its level before the act than around other months.",
        "Ratchets: acts with Goldstein <= -9 by either side, NATO accessions and Russian "
        "annexations/recognitions (summary patterns). d = mean index over t-24..t-13 minus "
        "mean over t+13..t+24 (symmetric about the act: the two-sided smoother already pulls "
        "the 12 months just before an extreme act down, which would bias a t-12..t-1 baseline "
        "against the claim); effect = mean d at ratchet months minus mean d at other months "
        "(the long decline of relations makes d positive on average anywhere). " + _WINDOW_NOTE,
        _irreversible,
    ),
    ClaimTest(
        "arms-control-warms",
        ("m5", "m12"),
        "Arms control warms relations",
        "The index is higher in the 12 months after arms-control milestones than in the 12 "
        "months before, more than around other months.",
        "Milestones: signature, entry into force or adoption dates in the treaty record. d = "
        "mean index over t+1..t+12 minus mean over t-12..t-1 (index re-estimated from events "
        "alone, since treaties in force are one of its indicators); effect = mean d at "
        "milestone months minus mean d at other months. " + _WINDOW_NOTE,
        _arms_control,
    ),
    ClaimTest(
        "new-president-honeymoon",
        ("m19", "m20"),
        "A new president gets a honeymoon",
        "The index improves in the 12 months after a new U.S. president takes office, more "
        "than over other 12-month spans.",
        "d = index 12 months after minus index the month before; effect = mean d at the "
        "inauguration months of new presidents (re-elections left out; a term whose 12 months "
        "are not yet over is left out) minus mean d at other months. " + _WINDOW_NOTE,
        _honeymoon,
    ),
)

CLAIM_TESTS: dict[str, ClaimTest] = {t.key: t for t in _TESTS}
assert tuple(CLAIM_TESTS) == CLAIM_TEST_KEYS


def run_claim_test(
    key: str, data: ClaimData, *, seed: int = 0, n_resamples: int = 2000
) -> ClaimResult:
    """Run the test ``key`` on ``data`` with its own generator seeded by ``seed``."""
    test = CLAIM_TESTS.get(key)
    if test is None:
        raise ModelError(f"unknown claim test {key!r}; valid keys: {', '.join(CLAIM_TEST_KEYS)}")
    if n_resamples < 1:
        raise ModelError("n_resamples must be at least 1")
    return test.run(data, np.random.default_rng(seed), int(n_resamples))


def verdict(result: ClaimResult, direction: str, alpha: float = 0.05) -> str:
    """``supported``, ``contradicted`` or ``inconclusive`` for an article's ``direction``.

    ``direction`` "+" means the article claims the test's ``claimed`` sentence, "-" its
    opposite. Supported: the 95% interval lies wholly on the article's side of 0 and p < alpha;
    contradicted: wholly on the other side and p < alpha (the same evidence rule both ways);
    otherwise inconclusive.
    """
    if direction not in ("+", "-"):
        raise ModelError(f"direction must be '+' or '-', got {direction!r}")
    sign = 1.0 if direction == "+" else -1.0
    lo, hi = sorted((sign * result.ci_lo, sign * result.ci_hi))
    if not (np.isfinite(lo) and np.isfinite(hi) and result.p_value < alpha):
        return "inconclusive"
    if lo > 0:
        return "supported"
    if hi < 0:
        return "contradicted"
    return "inconclusive"


__all__ = [
    "CLAIM_TESTS",
    "CLAIM_TEST_KEYS",
    "INSTITUTIONS",
    "ClaimData",
    "ClaimResult",
    "ClaimTest",
    "Institution",
    "claim_data",
    "claim_data_from_store",
    "run_claim_test",
    "verdict",
]
