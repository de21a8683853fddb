"""The registry of claim tests: each test keyed once, its claim, its method, its function."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from resetlab.exceptions import ModelError
from resetlab.index.claims.counts import (
    _resets_fail,
)
from resetlab.index.claims.data import (
    ClaimData,
    ClaimResult,
    Plant,
)
from resetlab.index.claims.events import (
    _arms_control,
    _arms_control_latent,
    _engagement,
    _honeymoon,
    _honeymoon_latent,
    _institutions_calm,
    _institutions_latent,
    _irreversible,
    _irreversible_latent,
    _ru_elections,
    _ru_elections_latent,
    _russian_moves,
    _toxic_at_home,
    _us_elections,
    _us_elections_latent,
    _western_moves,
)
from resetlab.index.claims.slopes import (
    _common_challenges,
    _common_latent,
    _cooperation_builds,
    _cooperation_latent,
    _treaties_calm,
    _treaties_latent,
    _trust_latent,
    _trust_threshold,
    _un_latent,
    _un_votes,
)
from resetlab.record.dyad import Dyad


@dataclass(frozen=True)
class ClaimTest:
    """A claim, the test of it, and the function that runs it."""

    key: str
    mechanisms: tuple[str, ...]
    title: str
    claimed: str
    method: str
    #: ``run(data, rng, resamples)``: the test on one pair.
    run: Callable[[ClaimData, np.random.Generator, int], ClaimResult]
    #: The effect (in the test's own units) power is computed for, and why that size.
    size: float
    size_why: str
    #: The calendars or record parts beyond a pair's events and index that the test needs;
    #: a panel pair without them is not tested.
    needs: tuple[str, ...] = ()
    #: The grid of windows (months) the verdict's sensitivity is read over, for tests whose
    #: ``run`` takes a ``window`` argument; empty for the others.
    windows: tuple[int, ...] = ()
    #: Which pairs of the panel the test applies to (one of :data:`APPLIES`), and why.
    applies: str = "every pair"
    applies_why: str = "it reads only a pair's events and index"
    #: How the test keeps its triggers out of its outcome (leave-trigger-out, or why it is
    #: not needed).
    leave_out: str = ""
    #: The index the test's outcome is made of: ``index``, ``events_score`` (re-estimated
    #: from events alone), a leave-trigger-out index (``without_cooperation``,
    #: ``without_ratchets``: the index when the data has none, as the test itself falls back)
    #: or "" (counts or regimes); a pair whose that index is flat (standard deviation below
    #: :data:`MIN_INDEX_SD`) is not tested.
    reads: str = "index"
    #: How the event-planted power (``power``) plants the effect: one of :data:`PLANTINGS`.
    planting: str = "latent"
    #: For ``planting="latent"``: ``latent(data, shift, series)``, the unit shape over months of
    #: the claimed effect on the latent level for triggers rotated by ``shift`` (as the test
    #: rotates them under ``Plant(shift, 0)``), given the series the test reads; the registry
    #: scales it to the stated size (:func:`rotation_runs`).
    latent: Callable[[ClaimData, int, npt.NDArray[np.float64]], npt.NDArray[np.float64]] | None = (
        None
    )
    #: The largest scale of the latent shape that is still an effect of the claimed kind (1
    #: for a shape that removes changes: a scale above 1 would reverse them).
    max_scale: float = math.inf
    #: Whether the test's effect is linear in the series it reads and the latent shape does
    #: not depend on it: then the effect of the shape alone scales it, in one run; otherwise
    #: secant steps on the scale.
    linear: bool = True

    def __post_init__(self) -> None:
        if self.planting not in PLANTINGS:
            raise ModelError(
                f"{self.key}: planting {self.planting!r} is not one of {list(PLANTINGS)}"
            )
        if (self.planting == "latent") != (self.latent is not None):
            raise ModelError(f"{self.key}: a latent shape is given exactly for planting 'latent'")

    def applies_to(self, dyad: Dyad) -> bool:
        """Whether the test runs on the pair ``dyad``."""
        return APPLIES[self.applies](set(dyad))


#: Below this standard deviation over its months (Goldstein units) a pair's index is flat:
#: the state-space fit of a pair with a few dozen events can hold the level almost constant,
#: and a test on it gives an effect near 0 with a standard error near 0, which a pool would
#: take for precise evidence. 0.05 is a twentieth of the smallest index-unit effect a test is
#: powered for (0.1 a cooperative act, 1.0 for the before/after tests) times the usual count.
MIN_INDEX_SD = 0.05

#: The scopes a test can apply to: a predicate on the pair's two codes.
APPLIES: dict[str, Callable[[set[str]], bool]] = {
    "every pair": lambda d: True,
    "U.S. pairs": lambda d: "USA" in d,
    "pairs with Russia": lambda d: "RUS" in d,
    "U.S.-Russia": lambda d: d == {"USA", "RUS"},
}


#: How a test's effect is planted for its event-planted power, and what that means.
PLANTINGS: dict[str, str] = {
    "latent": "a change of the latent level of the stated size planted in every reading "
    "(events, and each indicator by its loading) at the rotated dates, and the index the "
    "test reads smoothed again by its measurement model at the record's parameters",
    "events": "synthetic acts added (or the months' own acts removed) at the rotated dates: "
    "the test's outcome is a count of events, which no model smooths",
    "exact": "no planting: the exact binomial power at the record's number of resets (the "
    "test has no dates to rotate), the same for both plantings",
}

#: Windows (months after a trigger) every event study is also run over.
WINDOW_GRID: tuple[int, ...] = (3, 6, 9, 12, 18, 24)

# -- registry ----------------------------------------------------------------------------------

_WINDOW_NOTE = (
    "p: circular-shift permutation (trigger months rotated against the outcome); "
    "95% CI: circular block bootstrap of months (percentile)."
)
_MATCHED = (
    " Matched controls: the window months are compared with the other months of the same "
    "regime (the difference within each regime segment, weighted by its window months), "
    "not with all other months, so that an era of many triggers is not contrasted with a "
    "few quiet months of another era."
)
_COUNTS_APART = (
    "not needed: the outcome is a count of the other side's acts, never the index, and no "
    "act is both a trigger and an outcome"
)
_CALENDAR = "not needed: the triggers are calendar dates (not events of the index)"
_SIDES = (
    " On a panel pair the U.S. side is the pair's first side (the U.S. side in a U.S. pair) "
    "and Russia the other."
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
        "mean in the other months (first 12 months left out). " + _WINDOW_NOTE + _MATCHED + _SIDES,
        _western_moves,
        size=0.5,
        size_why="half a hostile act a month more after triggers: about one more hostile act per two months, the size of a visible pushback",
        needs=(),
        windows=WINDOW_GRID,
        applies="every pair",
        applies_why="hostile acts of either side exist in every pair's record",
        leave_out=_COUNTS_APART,
        reads="",
        planting="events",
    ),
    ClaimTest(
        "russian-moves-provoke",
        ("m9",),
        "Russian moves provoke Washington",
        "The U.S./NATO commit more hostile acts in the 12 months after hostile Russian acts "
        "than at other times.",
        "Mirror of western-moves-provoke: triggers are months with a hostile Russian act, the "
        "outcome is the monthly count of hostile U.S./NATO acts. " + _WINDOW_NOTE + _MATCHED,
        _russian_moves,
        size=0.5,
        size_why="as western-moves-provoke",
        needs=(),
        windows=WINDOW_GRID,
        applies="every pair",
        applies_why="as western-moves-provoke",
        leave_out=_COUNTS_APART,
        reads="",
        planting="events",
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
        size=0.1,
        size_why="0.1 index units per cooperative act: a summit month of 3 acts then lifts the index 0.3 units",
        needs=(),
        applies="every pair",
        applies_why="cooperative acts and the index exist for every pair",
        leave_out="the index is re-estimated without the cooperative acts (all other "
        "events and indicators kept), so the acts cannot lift their own outcome",
        reads="without_cooperation",
        latent=_cooperation_latent,
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
        size=0.1,
        size_why="a slope difference of 0.1 index units per cooperative act, the size of the slope itself",
        needs=(),
        applies="every pair",
        applies_why="as cooperation-builds",
        leave_out="as cooperation-builds: the index without the cooperative acts",
        reads="without_cooperation",
        latent=_trust_latent,
        linear=False,
    ),
    ClaimTest(
        "engagement-exploited",
        ("m18",),
        "Engagement is exploited",
        "Russia commits more hostile acts in the 6 months after U.S. cooperative acts toward it "
        "than at other times.",
        "Event study: triggers are months with a USA act toward Russia of Goldstein >= 3; "
        "outcome is the monthly count of hostile Russian acts; effect = mean in months t+1..t+6 "
        "after any trigger minus the other months. " + _WINDOW_NOTE + _MATCHED + _SIDES,
        _engagement,
        size=0.5,
        size_why="as western-moves-provoke",
        needs=(),
        windows=WINDOW_GRID,
        applies="every pair",
        applies_why="cooperative acts of the first side and hostile acts of the other exist "
        "in every pair's record",
        leave_out=_COUNTS_APART,
        reads="",
        planting="events",
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
        size=1.0,
        size_why="one index unit (Goldstein scale) of anomaly",
        needs=("us-elections",),
        applies="U.S. pairs",
        applies_why="a claim about U.S. presidential elections: it can only be tested on "
        "pairs with the United States",
        leave_out=_CALENDAR,
        latent=_us_elections_latent,
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
        size=1.0,
        size_why="as us-election-hostility",
        needs=("ru-elections",),
        applies="pairs with Russia",
        applies_why="a claim about Russian elections: pairs with Russia only",
        leave_out=_CALENDAR,
        latent=_ru_elections_latent,
    ),
    ClaimTest(
        "toxic-at-home",
        ("m21",),
        "Russia policy is toxic at home",
        "U.S. cooperative acts toward Russia are rarer in the 12 months before U.S. "
        "presidential elections.",
        "Monthly count of USA acts toward Russia with Goldstein >= 3; effect = mean in other "
        "months minus mean in the months 1-12 before a presidential election. p: mask "
        "circularly shifted; CI: circular block bootstrap (12-month blocks)." + _MATCHED,
        _toxic_at_home,
        size=0.25,
        size_why="a quarter of a U.S. cooperative act a month fewer",
        needs=("us-elections",),
        applies="U.S. pairs",
        applies_why="a claim about U.S. domestic politics: U.S. pairs only",
        leave_out=_COUNTS_APART.replace("the other side's acts", "U.S. acts").replace(
            ", and no act is both a trigger and an outcome", "; the triggers are dates"
        ),
        reads="",
        planting="events",
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
        size=0.5,
        size_why="half an index unit less monthly change from no treaty to all treaties in force",
        needs=("treaties",),
        applies="U.S.-Russia",
        applies_why="the treaty record (18 agreements and their status) is U.S.-Russia's; "
        "the panel has no treaty indicator",
        leave_out="the treaty share is an indicator of the full index, so the index is "
        "re-estimated from events alone",
        reads="events_score",
        latent=_treaties_latent,
        max_scale=1.0,
        linear=False,
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
        size=0.25,
        size_why="a quarter index unit less monthly change inside a working commission",
        needs=("institutions",),
        applies="U.S.-Russia",
        applies_why="the two commissions (INSTITUTIONS) are U.S.-Russia's; no panel pair has "
        "a sourced list of working institutions",
        leave_out=_CALENDAR.replace("calendar dates", "the months of the commissions"),
        latent=_institutions_latent,
        max_scale=1.0,
        linear=False,
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
        size=0.5,
        size_why="a correlation of 0.5 between yearly changes, a strong co-movement",
        needs=(),
        applies="every pair",
        applies_why="UN voting (agreement for U.S.-Russia, minus the ideal-point distance "
        "for a panel pair) exists for every pair",
        leave_out="UN votes are an indicator of the full index, so the index is "
        "re-estimated from events alone",
        reads="events_score",
        latent=_un_latent,
        linear=False,
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
        size=1.0,
        size_why="one index unit more fading",
        needs=(),
        applies="every pair",
        applies_why="cooperative acts exist in every pair's record (most panel pairs have "
        "too few to test, and are then left out)",
        leave_out="not needed: both groups are cooperative acts of the same index, and the "
        "effect is their difference, so each group's own weight in the index cancels",
        latent=_common_latent,
    ),
    ClaimTest(
        "resets-fail",
        ("m19",),
        "Resets fail",
        "Resets (upward regime shifts found in the data) end in a breakdown within 48 months "
        "more often than resets between other rivals do.",
        "Share of resets followed by a breakdown shift within 48 months of the reset's start "
        "(resets younger than 48 months without a breakdown are censored and left out); "
        "effect = share - base rate, the base rate being the share of failed resets in the "
        "regimes of the panel's other pairs (Pipeline.reset_base_rate; 0.5 when none is "
        "given); CI: Wilson interval minus the base rate; p: exact two-sided binomial test "
        "against the base rate (scipy). n is small (a handful of resets).",
        _resets_fail,
        size=0.25,
        size_why="a failure share 0.25 above the base rate (for example 0.75 against 0.5)",
        needs=(),
        applies="every pair",
        applies_why="every pair has regimes; each pair is tested against the base rate of "
        "the other pairs",
        leave_out="not needed: resets and breakdowns are both read off the regimes, the "
        "test compares their timing with no trigger event",
        reads="",
        planting="exact",
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
        size=1.0,
        size_why="one index unit lower in the second year after an extreme act",
        needs=(),
        applies="every pair",
        applies_why="extreme acts exist in every pair's record; NATO accessions and "
        "annexations by their summaries",
        leave_out="the index is re-estimated without the ratchet acts, so their own "
        "Goldstein weight does not make the drop after them",
        reads="without_ratchets",
        latent=_irreversible_latent,
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
        size=1.0,
        size_why="one index unit higher after a milestone",
        needs=("treaties",),
        applies="U.S.-Russia",
        applies_why="the treaty milestones are U.S.-Russia's",
        leave_out="the treaty share is an indicator of the full index, so the index is "
        "re-estimated from events alone; signature summits stay in as events (they are the "
        "warming the claim is about)",
        reads="events_score",
        latent=_arms_control_latent,
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
        size=1.0,
        size_why="one index unit of improvement in a new president's first year",
        needs=("us-presidents",),
        applies="U.S. pairs",
        applies_why="a claim about U.S. presidents: U.S. pairs only",
        leave_out=_CALENDAR.replace("calendar dates", "inauguration months"),
        latent=_honeymoon_latent,
    ),
)

CLAIM_TESTS: dict[str, ClaimTest] = {t.key: t for t in _TESTS}
if len(CLAIM_TESTS) != len(_TESTS):
    raise RuntimeError("two claim tests share a key")
#: The test keys, in registry order (the registry is the one place a key is written).
CLAIM_TEST_KEYS: tuple[str, ...] = tuple(CLAIM_TESTS)


#: The indices a test can read besides the pair's own, by the name of their column in
#: ``ClaimData.observations``.
_READS: dict[str, str] = {
    "events_score": "events-only index",
    "without_cooperation": "index without the cooperative acts",
    "without_ratchets": "index without the ratchet acts",
}


def _read_series(test: ClaimTest, data: ClaimData) -> tuple[np.ndarray, str]:
    """The index ``test`` reads on ``data`` and its name; a leave-trigger-out index that the
    data does not carry (or could not be estimated) is the pair's index, as in the test."""
    index = np.asarray(data.index["score"], dtype=float)
    if test.reads == "index":
        return index, "index"
    obs = data.observations
    col = np.asarray(obs[test.reads], dtype=float) if test.reads in obs else np.array([])
    if test.reads != "events_score" and not np.isfinite(col).any():
        return index, "index"
    return col, _READS.get(test.reads, test.reads)


def index_sd(test: ClaimTest, data: ClaimData) -> float:
    """The standard deviation over months of the index ``test`` reads on ``data`` (Goldstein
    units), or NaN for a test whose outcome is not made of an index."""
    if not test.reads:
        return float("nan")
    series = _read_series(test, data)[0]
    return float(np.nanstd(series)) if np.isfinite(series).any() else float("nan")


def flat_index(test: ClaimTest, data: ClaimData) -> str | None:
    """Why ``test`` cannot run on ``data`` because the index it reads is flat, or None."""
    if not test.reads:
        return None
    sd = index_sd(test, data)
    if not sd >= MIN_INDEX_SD:
        name = _read_series(test, data)[1]
        return f"the pair's {name} is flat (sd {sd:.2g} < {MIN_INDEX_SD} Goldstein units)"
    return None


def run_claim_test(
    key: str,
    data: ClaimData,
    *,
    seed: int | np.random.SeedSequence = 0,
    n_resamples: int = 2000,
) -> ClaimResult:
    """Run the test ``key`` on ``data`` with its own generator seeded by ``seed`` (an integer
    or a spawned :class:`numpy.random.SeedSequence`)."""
    test = CLAIM_TESTS.get(key)
    if test is None:
        raise ModelError(f"unknown claim test {key!r}; valid keys: {', '.join(CLAIM_TEST_KEYS)}")
    if n_resamples < 1:
        raise ModelError("n_resamples must be at least 1")
    return test.run(data, np.random.default_rng(seed), int(n_resamples))


def window_sensitivity(
    key: str,
    data: ClaimData,
    *,
    seed: int | np.random.SeedSequence = 0,
    n_resamples: int = 2000,
) -> pd.DataFrame:
    """The test ``key`` rerun over its grid of windows: one row a window (``window, effect,
    ci_lo, ci_hi, p_value``), each with its own generator spawned from ``seed``; empty for a
    test without a window grid."""
    test = CLAIM_TESTS.get(key)
    if test is None:
        raise ModelError(f"unknown claim test {key!r}; valid keys: {', '.join(CLAIM_TEST_KEYS)}")
    cols = ["window", "effect", "ci_lo", "ci_hi", "p_value"]
    if not test.windows:
        return pd.DataFrame(columns=cols)
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    rows = []
    for w, child in zip(test.windows, root.spawn(len(test.windows)), strict=True):
        run = cast("Callable[..., ClaimResult]", test.run)
        r = run(data, np.random.default_rng(child), int(n_resamples), window=w)
        rows.append([w, r.effect, r.ci_lo, r.ci_hi, r.p_value])
    return pd.DataFrame(rows, columns=cols)


def _series_key(test: ClaimTest, data: ClaimData) -> str:
    """The name of the index ``test`` reads on ``data`` (its key in ``data.smoothers``)."""
    if test.reads in ("", "index"):
        return "index"
    obs = data.observations
    if test.reads != "events_score" and not (
        test.reads in obs and np.isfinite(np.asarray(obs[test.reads], dtype=float)).any()
    ):
        return "index"
    return test.reads


def _with_series(data: ClaimData, name: str, series: npt.NDArray[np.float64]) -> ClaimData:
    if name == "index":
        return dataclasses.replace(data, index=data.index.assign(score=series))
    obs = data.observations.copy()
    obs[name] = series
    return dataclasses.replace(data, observations=obs)


#: Secant steps and relative tolerance of the scale of a planted latent shape.
_SCALE_STEPS, _SCALE_TOL = 8, 1e-4


def event_planted(test: ClaimTest, data: ClaimData, shift: int, size: float) -> ClaimData:
    """``data`` with an effect of ``size`` planted in its events at triggers rotated by
    ``shift`` (for :func:`rotation_runs`); the test then runs on it with no further plant.

    ``planting="events"``: the count outcome gets synthetic acts (``Plant(in_events=True)``).
    ``planting="latent"``: the test's latent shape ``u`` (:attr:`ClaimTest.latent`) is scaled
    by ``a`` so that the test, run on the series it reads plus ``a * u`` (the effect on the
    latent level itself, before any measurement), measures the rotated record's own effect
    plus ``size``; that is what "size" meant when it was added to the index, so the two
    powers plant the same effect. The scale is found by secant steps (one is exact for the
    tests linear in the index). Then ``a * u`` is planted in every reading and the series is
    smoothed again by its measurement model (:class:`~.planting.LevelSmoother`, parameters held
    at their estimates on the record), which is what the test reads.
    """
    if test.planting == "events":
        return dataclasses.replace(data, plant=Plant(int(shift), float(size), in_events=True))
    if test.planting != "latent" or test.latent is None:
        raise ModelError(f"{test.key}: planting {test.planting!r} has no rotated plant")
    base = dataclasses.replace(data, plant=Plant(int(shift), 0.0))
    if size == 0:
        return base
    name = _series_key(test, data)
    smoother = data.smoothers.get(name)
    if smoother is None:
        raise ModelError(f"{test.key}: no measurement model of the pair's {name} to plant in")
    series = np.asarray(_read_series(test, data)[0], dtype=float)
    unit = np.asarray(test.latent(data, int(shift), series), dtype=float)

    def measured_on(values: npt.NDArray[np.float64]) -> float:
        return test.run(_with_series(base, name, values), np.random.default_rng(0), 1).effect

    def measured(a: float) -> float:
        return measured_on(series + a * unit)

    if test.linear:  # the effect of series + a * unit is the series' own plus a times unit's
        gain = measured_on(unit)
        if not (math.isfinite(gain) and gain * size > 0):
            raise ModelError(f"{test.key}: the planted shape does not move the effect its way")
        a1 = min(size / gain, test.max_scale)
        planted = series + smoother.smooth(np.nan_to_num(a1 * unit))
        return _with_series(base, name, planted)
    target = measured(0.0) + size
    a0, f0 = 0.0, -size
    a1 = min(float(size), test.max_scale)
    f1 = measured(a1) - target
    for _ in range(_SCALE_STEPS):
        if abs(f1) <= _SCALE_TOL * max(abs(size), 1e-12):
            break
        if not (math.isfinite(f1) and f1 != f0):
            raise ModelError(f"{test.key}: the planted shape does not move the test's effect")
        a0, a1 = a1, min(a1 - f1 * (a1 - a0) / (f1 - f0), test.max_scale)
        if a1 == a0 == test.max_scale:
            break  # the largest effect of the claimed kind is smaller than ``size``
        f0, f1 = f1, measured(a1) - target
    if not a1 * size > 0:
        raise ModelError(f"{test.key}: the planted shape moves the effect the wrong way")
    planted = series + smoother.smooth(np.nan_to_num(a1 * unit))
    return _with_series(base, name, planted)


def rotation_runs(
    key: str,
    data: ClaimData,
    *,
    size: float,
    rotations: int,
    seed: int | np.random.SeedSequence = 0,
    resamples: int = 199,
    planting: str = "index",
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The test ``key`` rerun ``rotations`` times with an effect of ``size`` planted at
    rotated dates (:class:`~resetlab.index.claims.data.Plant`): its trigger months, mask or
    regressor circularly shifted by a random lag of at least a tenth of the record (so the
    record's own link is broken) and the effect planted at the shifted dates. Returns each
    rotation's effect and p-value (NaN where the rotated test cannot run, e.g. a mask that
    leaves no month outside it). The share of p-values below alpha is the test's power at
    ``size`` (:func:`~resetlab.index.claims.verdicts.power`); at ``size`` 0 it is the test's
    false-positive rate.

    ``planting="index"``: ``size`` added to the test's outcome at the shifted dates (the index,
    mask or regressor directly; ``power_index``). ``planting="events"``: the effect planted in
    the events and measured again (:func:`event_planted`; ``power``). The same ``seed`` gives
    both the same rotations; at ``size`` 0 they are the same runs."""
    test = CLAIM_TESTS.get(key)
    if test is None:
        raise ModelError(f"unknown claim test {key!r}; valid keys: {', '.join(CLAIM_TEST_KEYS)}")
    if rotations < 1 or resamples < 1:
        raise ModelError("rotations and resamples must be at least 1")
    if planting not in ("index", "events"):
        raise ModelError(f"planting must be 'index' or 'events', got {planting!r}")
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    shift_seq, *children = root.spawn(rotations + 1)
    n_months = len(data.months)
    lo = max(1, n_months // 10)
    shifts = np.random.default_rng(shift_seq).integers(lo, n_months - lo + 1, size=rotations)
    effects = np.full(rotations, np.nan)
    p_values = np.full(rotations, np.nan)
    for j, (shift, child) in enumerate(zip(shifts, children, strict=True)):
        try:
            if planting == "events" and size != 0:
                planted = event_planted(test, data, int(shift), float(size))
            else:
                planted = dataclasses.replace(data, plant=Plant(int(shift), float(size)))
            r = test.run(planted, np.random.default_rng(child), int(resamples))
        except ModelError:
            continue
        effects[j], p_values[j] = r.effect, r.p_value
    return effects, p_values
