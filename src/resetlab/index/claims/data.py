"""The shared data preparation of the claim tests: sides, thresholds, institutions, the
record turned into :class:`ClaimData`, and the :class:`ClaimResult` every test returns.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from resetlab.record.conventions import (  # noqa: F401 - used by the other claims modules
    COOPERATIVE_FROM,
    HOSTILE_BELOW,
    RATCHET_AT,
    RU_SIDE,
    US_SIDE,
    test_month,
)
from resetlab.record.dyad import DEFAULT_DYAD, Dyad, sides

if TYPE_CHECKING:
    from resetlab.index.api import Analysis
    from resetlab.index.claims.planting import LevelSmoother
    from resetlab.index.kalman import IndexResult
    from resetlab.record.store import Store


# The sides and Goldstein thresholds are the record's conventions (one definition).
RATCHET_GOLDSTEIN = RATCHET_AT
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


@dataclass(frozen=True)
class Plant:
    """A planted effect for the power of a test: the test's trigger months (or mask, or
    regressor) are circularly rotated by ``shift`` months against the outcome, which breaks
    whatever link the record has, and an effect of ``size`` (in the test's own units, signed
    as its ``claimed`` sentence) is added at the rotated dates. The test then reports only its
    p-value and effect (no interval).

    ``in_events``: for a test whose outcome is a count of events, the effect is planted as
    events: ``size`` more acts a month in expectation (Poisson draws, i.e. synthetic acts of
    the outcome's kind) or, for a claimed shortfall, the months' own acts each removed with the
    probability that takes ``size`` acts a month away in expectation. A test that reads an index
    gets its event-planted effect through its series instead (the index re-smoothed from
    shifted readings, :mod:`~resetlab.index.claims.planting`) and ``size`` 0 here."""

    shift: int
    size: float
    in_events: bool = False


FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


# -- data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimData:
    """What the claim tests read; build it with :func:`claim_data` or :func:`claim_data_from_store`.

    Every ``month`` is a ``pd.Period`` with frequency ``M``.
    """

    #: Events with an actor on either side (any target): id, month (None for year precision,
    #: :func:`resetlab.record.conventions.test_month`), precision, actor, target, goldstein,
    #: domain, summary.
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
    #: The share of resets that fail in the other pairs of the panel (resets-fail tests
    #: against it); None: not given, and the test falls back to 0.5 and says so.
    reset_base_rate: float | None = None
    #: The pair (``pairs.csv`` key) and its two sides: ``side_a`` is the U.S. side in a U.S.
    #: pair, else the pair's first code; ``side_b`` the other. The tests' "Western"/"U.S."
    #: side is ``side_a`` and their "Russian" side ``side_b``.
    pair: str = "RUS-USA"
    side_a: tuple[str, ...] = US_SIDE
    side_b: tuple[str, ...] = RU_SIDE
    #: The state of ``side_a`` alone (its allies left out): ``USA`` in a U.S. pair.
    state_a: str = "USA"
    #: A planted effect at rotated dates (power runs only); None for the test itself.
    plant: Plant | None = None
    #: The measurement model of each index the tests read (``index``, ``events_score``, the
    #: leave-trigger-out indices), at the parameters estimated on the record: what an effect
    #: planted in the events becomes in that index. Empty: no event-planted power.
    smoothers: Mapping[str, LevelSmoother] = field(default_factory=dict)

    @functools.cached_property
    def months(self) -> pd.PeriodIndex:
        # cached: every test and every rotation reads it (a copy by ``replace`` builds it again)
        return pd.PeriodIndex(self.index["month"], freq="M")


def pair_sides(dyad: Dyad) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(side_a, side_b)`` of a pair by the dyad rule, the U.S. side first in a U.S. pair."""
    a, b = dyad
    if b == "USA" and a != "USA":
        a, b = b, a
    sa, sb = sides((a, b))
    return tuple(sorted(sa)), tuple(sorted(sb))


def _prepare_events(
    events: pd.DataFrame, side_a: tuple[str, ...] = US_SIDE, side_b: tuple[str, ...] = RU_SIDE
) -> pd.DataFrame:
    ev = events[events["actor"].isin(side_a + side_b)].copy()
    dates = ev["date"] if "date" in ev else ev["day"]
    month = [test_month(d, p) for d, p in zip(dates, ev["precision"], strict=True)]
    cols = ["id", "precision", "actor", "target", "goldstein", "domain", "summary"]
    out = ev[cols].copy()
    out.insert(1, "month", pd.Series(month, index=ev.index, dtype=object))
    out["goldstein"] = out["goldstein"].astype(float)
    return out.reset_index(drop=True)


def _events_only_index(analysis: Analysis) -> IndexResult:
    from resetlab.index.kalman import AUXILIARY, estimate_index
    from resetlab.index.observations import Observations

    obs = analysis.observations
    frame = obs.frame.copy()
    for col in AUXILIARY:  # every indicator but the events
        if col in frame:
            frame[col] = np.nan
    return estimate_index(Observations(frame, obs.raw_events))


def index_without(analysis: Analysis, drop_ids: set[str]) -> FloatArray:
    """The index re-estimated with every indicator but without the events ``drop_ids``
    (leave-trigger-out: a test whose triggers are events of the index reads the index they
    are not part of). The per-event noise is still estimated from all event weights."""
    return np.asarray(_index_without(analysis, drop_ids).frame["score"], dtype=float)


def _index_without(analysis: Analysis, drop_ids: set[str]) -> IndexResult:
    from resetlab.index.kalman import estimate_index
    from resetlab.index.observations import Observations, event_flow

    obs = analysis.observations
    ev = analysis.events
    keep = ev[~ev["id"].astype(str).isin(drop_ids)]
    if len(keep) == len(ev):
        return analysis.index
    frame = obs.frame.copy()
    flow = event_flow(keep, obs.months)
    frame["events"] = flow["events"].to_numpy()
    frame["events_n"] = flow["events_n"].to_numpy()
    return estimate_index(Observations(frame, obs.raw_events))


def claim_data(
    analysis: Analysis,
    *,
    events: pd.DataFrame | None = None,
    pair: str = "RUS-USA",
    dyad: Dyad = DEFAULT_DYAD,
) -> ClaimData:
    """Claim data of ``dyad`` (key ``pair``) from its :class:`resetlab.index.api.Analysis`.

    ``events`` defaults to ``analysis.events`` (the dyad's events by the dyad rule, which is
    what the claims are tested on). Elections and leaders come from the record's built-in
    tables (the store holds the same tables); the treaty record (share in force, milestones)
    is U.S.-Russia's and is left empty (NaN share, no milestone) for any other pair.
    """
    from resetlab.record.calendars import load_elections, load_leaders
    from resetlab.record.treaties import load_treaty_events, treaties_in_force

    idx = analysis.index.frame
    months = pd.PeriodIndex(idx["month"].astype(str), freq="M")
    index = pd.DataFrame(
        {"month": months, "score": idx["score"].to_numpy(float), "sd": idx["sd"].to_numpy(float)}
    )
    us_rus = set(dyad) == set(DEFAULT_DYAD)
    if us_rus:
        in_force = treaties_in_force(months).to_numpy(dtype=float)
        share = in_force / in_force.max() if in_force.max() > 0 else in_force
    else:
        share = np.full(len(months), np.nan)
    from resetlab.index.claims.planting import LevelSmoother

    events_only = _events_only_index(analysis)
    observations = pd.DataFrame(
        {
            "treaty_share": share,
            "events_score": np.asarray(events_only.frame["score"], dtype=float),
        },
        index=months,
    )
    un = analysis.observations.frame["un_agreement"].dropna()
    un_agreement = pd.DataFrame(
        {"year": [p.year for p in un.index], "agreement": un.to_numpy(dtype=float)}
    )
    te = load_treaty_events()
    te = te[te["status"].isin(MILESTONE_STATUSES) & us_rus]
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
    side_a, side_b = pair_sides(dyad)
    prepared = _prepare_events(analysis.events if events is None else events, side_a, side_b)
    data = ClaimData(
        events=prepared,
        index=index,
        regimes=analysis.regimes.shifts.copy(),
        observations=observations,
        un_agreement=un_agreement,
        milestones=milestones,
        elections=elections,
        inaugurations=inaugurations,
        pair=pair,
        side_a=side_a,
        side_b=side_b,
        state_a=dyad[1] if dyad[1] == "USA" and dyad[0] != "USA" else dyad[0],
        smoothers={
            "index": LevelSmoother.from_index(analysis.index),
            "events_score": LevelSmoother.from_index(events_only),
        },
    )
    return _with_leave_out(analysis, data)


def _with_leave_out(analysis: Analysis, data: ClaimData) -> ClaimData:
    """``data`` with the leave-trigger-out indices its tests read: ``without_cooperation``
    (cooperative acts between the sides left out) and ``without_ratchets``."""
    import dataclasses

    from resetlab.exceptions import IndexEstimationError
    from resetlab.index.claims.events import _ratchets
    from resetlab.index.claims.planting import LevelSmoother
    from resetlab.index.claims.resample import _cooperative

    obs = data.observations.copy()
    smoothers = dict(data.smoothers)
    for col, rows in (
        ("without_cooperation", _cooperative(data)),
        ("without_ratchets", _ratchets(data.events)),
    ):
        try:
            result = _index_without(analysis, {str(i) for i in rows["id"]})
        except IndexEstimationError:  # too few events left: the test falls back, and says so
            obs[col] = np.nan
            continue
        obs[col] = np.asarray(result.frame["score"], dtype=float)
        smoothers[col] = LevelSmoother.from_index(result)
    return dataclasses.replace(data, observations=obs, smoothers=smoothers)


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
