"""Checks of the U.S.-Russia index on the built-in record: split-sample loadings and the
regime finder over 1953-1962 across its penalty grid.

    python benchmarks/index_checks.py loadings   # each indicator's loading, 1946-1991 / 1992-
    python benchmarks/index_checks.py thaw       # breaks in 1953-1962 at every grid penalty

Reads the store under ``RESETLAB_HOME`` (built from the built-in record on first use) and
prints markdown tables for docs/index.md. Nothing here chooses a specification or a penalty:
the loadings use the index's own rule and the sweep is the grid the cross-validation reads.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from resetlab.index.api import dyad_events_from_store, observations_from_store
from resetlab.index.kalman import estimate_index
from resetlab.index.observations import Observations
from resetlab.index.regimes import event_sequence, find_regimes
from resetlab.record.store import Store

SPLIT = pd.Period("1991-12", "M")


def _part(obs: Observations, lo: pd.Period | None, hi: pd.Period | None) -> Observations:
    months = obs.months
    keep = np.ones(len(months), dtype=bool)
    if lo is not None:
        keep &= months >= lo
    if hi is not None:
        keep &= months <= hi
    frame = obs.frame.loc[keep]
    raw = obs.raw_events
    if raw is not None:
        per = pd.PeriodIndex(raw["month"], freq="M")
        ok = np.ones(len(raw), dtype=bool)
        if lo is not None:
            ok &= per >= lo
        if hi is not None:
            ok &= per <= hi
        raw = raw.loc[ok].reset_index(drop=True)
    return Observations(frame, raw)


def loadings(store: Store) -> None:
    obs = observations_from_store(store)
    parts = {
        "whole record": _part(obs, None, None),
        "1946-1991": _part(obs, None, SPLIT),
        "1992-": _part(obs, SPLIT + 1, None),
    }
    rows = {}
    for name, part in parts.items():
        t = estimate_index(part).indicator_table().set_index("indicator")
        rows[name] = t
        span = f"{part.months[0]}..{part.months[-1]}"
        print(f"{name}: {span}")
    names = list(rows["whole record"].index)
    print("\n| indicator | " + " | ".join(f"{k} loading [95%] (readings)" for k in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for n in names:
        cells = []
        for t in rows.values():
            if n not in t.index:
                cells.append("- (too few readings)")
                continue
            r = t.loc[n]
            cells.append(f"{r['loading']:.4f} [{r['lo']:.4f}, {r['hi']:.4f}] ({int(r['months'])})")
        print(f"| {n} | " + " | ".join(cells) + " |")
    f = obs.frame
    tr = f["treaties"].dropna()
    print(f"\ntreaties: {len(tr)} December readings, {int((tr.diff().fillna(0) != 0).sum())} "
          f"years with a change, {tr.nunique()} distinct values")  # fmt: skip
    un = f["un_agreement"].dropna()
    years = np.array([p.year for p in un.index], dtype=float)
    slope, icpt = np.polyfit(years, un.to_numpy(), 1)
    fitted = icpt + slope * years
    r2 = 1 - float(np.var(un.to_numpy() - fitted)) / float(np.var(un.to_numpy()))
    print(f"un_agreement: {len(un)} sessions, linear trend {slope:.5f} a year, R^2 {r2:.3f}")
    for lo, hi in [(1946, 1961), (1962, 1975), (1976, 1991), (1992, 2007), (2008, 2030)]:
        sel = (years >= lo) & (years <= hi)
        print(f"  mean agreement {lo}-{min(hi, int(years.max()))}: {un.to_numpy()[sel].mean():.3f}")


def thaw(store: Store) -> None:
    events = dyad_events_from_store(store)
    obs = observations_from_store(store)
    index = estimate_index(obs).frame
    reg = find_regimes(index, events)
    sw = reg.sweep
    cv_best = float(sw.cv_error.min())
    print(f"chosen penalty {sw.chosen:.2f}; grid {sw.penalties[0]:.2f}..{sw.penalties[-1]:.2f}")
    print("\n| penalty | x chosen | breaks (all) | breaks 1953-1962 | cv error / min |")
    print("|---|---|---|---|---|")
    for p, nb, cv, bm in zip(sw.penalties, sw.n_breaks, sw.cv_error, sw.break_months,
                             strict=True):  # fmt: skip
        inside = [m for m in bm if "1953-01" <= m <= "1962-12"]
        mark = " (chosen)" if np.isclose(p, sw.chosen) else ""
        print(f"| {p:.2f}{mark} | {p / sw.chosen:.3f} | {nb} | {', '.join(inside) or '-'} "
              f"| {cv / cv_best:.4f} |")  # fmt: skip
    for pen in (61.56, 103.35, 145.98, sw.chosen):
        segs = find_regimes(index, events, penalty=pen).segments
        early = segs[segs["start"] <= "1963-01"]
        cells = [f"{r.start}..{r.end} {r.event_mean:+.2f} (n {r.n_events})"
                 for r in early.itertuples()]  # fmt: skip
        print(f"regimes to 1963 at penalty {pen:.2f}: " + "; ".join(cells))
    seq = event_sequence(events)
    span = seq[(seq["month"] >= "1946-01") & (seq["month"] <= "1962-10")]

    def gain(cuts: list[str], drop_low: bool = False) -> float:
        # fall in the L2 cost (sum of squared deviations from regime means) when 1946-1962-10
        # is cut at ``cuts``: a break pays for itself when this exceeds the penalty
        g = span["goldstein"].to_numpy()
        m = span["month"].to_numpy()
        if drop_low:  # the Goldstein -10 events inside the middle regime left out
            keep = (g > -10) | (m < cuts[0]) | (m >= cuts[1])
            g, m = g[keep], m[keep]
        whole = float(((g - g.mean()) ** 2).sum())
        edges = ["0000-00", *cuts, "9999-99"]
        parts = [g[(m >= lo) & (m < hi)] for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
        return whole - sum(float(((p - p.mean()) ** 2).sum()) for p in parts)

    for cuts in (["1955-11", "1960-05"], ["1957-12", "1960-05"], ["1955-01", "1960-01"]):
        print(f"L2 gain of breaks {cuts} in 1946-01..1962-10: {gain(cuts):.2f} "
              f"(without its Goldstein -10 events: {gain(cuts, True):.2f}); "
              f"two breaks cost {2 * sw.chosen:.2f} at the chosen penalty")  # fmt: skip
    for lo, hi in [("1946-01", "1954-12"), ("1955-01", "1959-12"), ("1960-01", "1962-10"),
                   ("1955-01", "1960-04")]:  # fmt: skip
        sel = (seq["month"] >= lo) & (seq["month"] <= hi)
        g = seq.loc[sel, "goldstein"]
        print(f"events {lo}..{hi}: n {len(g)}, mean {g.mean():.3f}, sd {g.std():.3f}")
    ev = events[
        (events["day"].astype(str) >= "1953-01-01") & (events["day"].astype(str) < "1963-01-01")
    ]
    low = ev[ev["goldstein"].astype(float) <= -8]
    print("\nevents 1953-1962 at Goldstein <= -8:")
    for _, r in low.sort_values("day").iterrows():
        print(f"  {str(r['day'])[:10]} {float(r['goldstein']):+.1f} {r.get('id', '')}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["loadings", "thaw"])
    args = ap.parse_args()
    with Store.open(None, read_only=True) as store:
        {"loadings": loadings, "thaw": thaw}[args.what](store)


if __name__ == "__main__":
    main()
