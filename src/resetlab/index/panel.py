"""The panel of rival pairs: the same record, index, regimes and scorecard for every pair.

Pairs are listed in ``data/panel/pairs.csv`` (codes, COW codes, name, events file). For each
pair the index is estimated from the indicators that exist for every pair (derived by
``scripts/derive_panel.py`` from ../shared/data, with tests):

- the pair's hand-compiled events (``data/events/pair-aaa-bbb.csv``, in the store), by the
  dyad rule (:mod:`resetlab.record.dyad`);
- UN General Assembly voting: the *negative* of the ideal-point distance of the two states
  (Bailey, Strezhnev & Voeten), once a session, so that a positive loading means "closer in
  UN votes when relations are better" as for U.S.-Russia agreement;
- militarized interstate events (MIE 1.0) per month, to 2014 (reversed, as for U.S.-Russia).

For U.S.-Russia the built-in indicators are used (:func:`resetlab.index.api.analyse`). An
analyst adds a pair by adding its events file and a row in ``pairs.csv`` and re-running
``scripts/derive_panel.py``; nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from resetlab.config import data_dir
from resetlab.exceptions import IndexEstimationError, RecordError
from resetlab.index.api import DEFAULT_DYAD, Analysis, analyse
from resetlab.index.observations import Observations, build_observations
from resetlab.record.dyad import Dyad
from resetlab.record.store import Store

PANEL_DIR = "panel"


@dataclass(frozen=True)
class Pair:
    """One rival pair of the panel."""

    pair: str
    a: str
    b: str
    name: str
    events_file: str

    @property
    def dyad(self) -> Dyad:
        return (self.a, self.b)


@lru_cache(maxsize=1)
def _pairs_table() -> pd.DataFrame:
    from resetlab.record.builtin import read_table

    return read_table(data_dir() / PANEL_DIR / "pairs.csv")


def pairs() -> tuple[Pair, ...]:
    """Every pair of the panel, U.S.-Russia first."""
    df = _pairs_table()
    return tuple(
        Pair(r["pair"], r["a"], r["b"], r["name"], r["events"]) for r in df.to_dict("records")
    )


def find_pair(dyad: Dyad) -> Pair | None:
    """The panel pair of ``dyad`` (either order), or None."""
    want = set(dyad)
    for p in pairs():
        if {p.a, p.b} == want:
            return p
    return None


def _table(name: str) -> pd.DataFrame:
    from resetlab.record.builtin import read_table

    df = read_table(data_dir() / PANEL_DIR / f"{name}.csv")
    return df.copy()


def pair_events(store: Store, pair: Pair) -> pd.DataFrame:
    """The pair's events: its own built-in file (ids carry the pair, ``...-aaa-bbb-...``) and
    anything a user imported between the two, by the dyad rule. Built-in rows of other files
    that concern the pair (the U.S.-Russia record keeps Russia's acts toward Ukraine and
    Georgia as context) are left out, so that no happening is counted twice."""
    from resetlab.index.api import dyad_events_from_store

    events = dyad_events_from_store(store, pair.dyad)
    if not pair.events_file:
        return events
    slug = f"-{pair.pair.lower()}-"
    own = events["id"].astype(str).str.contains(slug, regex=False)
    imported = events["origin"].astype(str) != "builtin" if "origin" in events else False
    return events.loc[own | imported].reset_index(drop=True)


def panel_observations(
    store: Store, pair: Pair, events: pd.DataFrame | None = None
) -> Observations:
    """The monthly indicators of a (non-built-in) pair: its events, negative UN ideal-point
    distance and MIE incidents (see the module docstring)."""
    events = pair_events(store, pair) if events is None else events
    if events.empty:
        raise IndexEstimationError(
            f"no events between {pair.a} and {pair.b} in the store (expected them from "
            f"{pair.events_file or 'an imported file'})"
        )
    un = _table("un_distance")
    un = un[un["pair"] == pair.pair]
    unga = pd.DataFrame(
        {"year": un["year"].astype(int), "agreement": -un["distance"].astype(float)}
    )
    mie = _table("mie_months")
    mie = mie[mie["pair"] == pair.pair]
    first = build_observations(events)
    # months within MIE's coverage without a row had no incident: zeros, not missing
    covered = first.months[(first.months.year >= 1946) & (first.months <= pd.Period("2014-12"))]
    counts = pd.Series(0, index=covered.astype(str))
    counts.loc[counts.index.intersection(mie["month"])] = (
        mie.set_index("month")["incidents"].astype(int).reindex(counts.index).dropna().astype(int)
    )
    return build_observations(events, unga, None, incidents=counts if len(counts) else None)


def analyse_pair(store: Store, dyad: Dyad) -> Analysis:
    """Index, regimes and scorecard of any pair: the built-in indicators for U.S.-Russia, the
    panel's for a panel pair, events alone for any other pair in the store."""
    if set(dyad) == set(DEFAULT_DYAD):
        return analyse(store, dyad)
    pair = find_pair(dyad)
    if pair is None:
        return analyse(store, dyad)
    events = pair_events(store, pair)
    return analyse(
        store, pair.dyad, observations=panel_observations(store, pair, events), events=events
    )


@dataclass(frozen=True)
class PanelResult:
    """The analyses of every pair that could be estimated, and why the others could not."""

    analyses: dict[str, Analysis]
    failed: dict[str, str]

    def table(self) -> pd.DataFrame:
        """One row a pair: ``pair, name, span, events, indicators, resets, breakdowns``
        (``indicators``: those the pair's index uses)."""
        rows = []
        names = {p.pair: p.name for p in pairs()}
        for key, a in self.analyses.items():
            f = a.index.frame
            shifts = a.regimes.shifts
            # The indicators the index is built from (the rule of docs/index.md), not every
            # indicator with readings.
            used = list(a.index.used)
            rows.append(
                {
                    "pair": key,
                    "name": names.get(key, key),
                    "span": f"{f['month'].iloc[0]}..{f['month'].iloc[-1]}",
                    "events": len(a.events),
                    "indicators": ";".join(used),
                    "resets": int((shifts["kind"] == "reset").sum()),
                    "breakdowns": int((shifts["kind"] == "breakdown").sum()),
                    "status": "ok",
                }
            )
        for key, why in self.failed.items():
            rows.append({"pair": key, "name": names.get(key, key), "span": "", "events": 0,
                         "indicators": "", "resets": 0, "breakdowns": 0, "status": why})  # fmt: skip
        return pd.DataFrame(rows)


def analyse_panel(store: Store, progress: Callable[[int, int], None] | None = None) -> PanelResult:
    """Every pair of the panel; a pair that cannot be estimated is reported, not fatal."""
    out: dict[str, Analysis] = {}
    failed: dict[str, str] = {}
    ps = pairs()
    for i, p in enumerate(ps, start=1):
        try:
            out[p.pair] = analyse_pair(store, p.dyad)
        except (IndexEstimationError, RecordError) as exc:
            failed[p.pair] = str(exc).splitlines()[0]
        if progress is not None:
            progress(i, len(ps))
    return PanelResult(out, failed)
