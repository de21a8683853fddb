"""Report sections of issue 6: calibration, backtest, comparison, claims, outlook, levers.

Every section names the budget that made it, and its words claim only what its numbers
support (a ranking is "not settled" unless the bootstrap says so; "no skill claim" wherever
the skill interval or the seeds cover zero).
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from resetlab.report.html import Section, table_html

_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#7f7f7f", "#17becf", "#8c564b")


def _x(months: pd.Series | list[str]) -> pd.DatetimeIndex:
    return pd.PeriodIndex(list(months), freq="M").to_timestamp()


def _esc(x: object) -> str:
    return html.escape(str(x))


def replay_figure(band: pd.DataFrame, name: str, budget: str) -> go.Figure:
    """The posterior replay's 5-95 % and 25-75 % bands with the measured index over them."""
    fig = go.Figure()
    _band_traces(fig, band, _COLORS[0], name, row=None)
    fig.update_layout(
        template="plotly_white", height=360,
        title=f"{name}: posterior replay vs the index ({budget} budget)",
        yaxis_title="Goldstein units",
    )  # fmt: skip
    return fig


def _band_traces(fig: go.Figure, band: pd.DataFrame, color: str, name: str, row: Any) -> None:
    x = _x(band["month"])
    kw = {} if row is None else {"row": row[0], "col": row[1]}
    for lo, hi, op in (("q05", "q95", 0.15), ("q25", "q75", 0.3)):
        fig.add_trace(go.Scatter(mode="lines", x=x, y=band[hi], line=dict(width=0), showlegend=False,
                                 hoverinfo="skip"), **kw)  # fmt: skip
        fig.add_trace(go.Scatter(mode="lines", x=x, y=band[lo], fill="tonexty", line=dict(width=0),
                                 fillcolor=_rgba(color, op), showlegend=False,
                                 name=f"{lo}-{hi}"), **kw)  # fmt: skip
    fig.add_trace(go.Scatter(mode="lines", x=x, y=band["q50"], line=dict(color=color, width=1),
                             name=f"{name} median", showlegend=row is None), **kw)  # fmt: skip
    fig.add_trace(go.Scatter(mode="lines", x=x, y=band["index"], line=dict(color="black", width=1.2),
                             name="index", showlegend=row is None), **kw)  # fmt: skip


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def calibration_section(
    bands: dict[str, pd.DataFrame], posteriors: dict[str, Any], budget: str
) -> Section:
    names = list(bands)
    rows = (len(names) + 1) // 2
    fig = make_subplots(rows=rows, cols=2, subplot_titles=names, shared_xaxes=True,
                        vertical_spacing=0.06)  # fmt: skip
    for i, n in enumerate(names):
        _band_traces(fig, bands[n], _COLORS[i % len(_COLORS)], n, row=(i // 2 + 1, i % 2 + 1))
    fig.update_layout(template="plotly_white", height=260 * rows, showlegend=False,
                      title=f"Posterior replay (5-95 % and 25-75 %) vs the index, black "
                            f"({budget} budget)")  # fmt: skip
    parts = []
    for n, post in posteriors.items():
        s = post.summary()
        cover = _coverage(bands[n])
        parts.append(
            f"<h3>{_esc(n)}</h3><p>emcee acceptance {post.acceptance:.2f}; {len(post.samples)} "
            f"posterior draws; {post.n_months} index months; the index lies inside the 90 % "
            f"replay band in {cover:.0%} of months.</p>" + table_html(s)
        )
    note = (
        "<p>Each perspective's priors are fitted to the monthly index (1992 on) with the "
        "record's shocks, elections, leader changes and treaty status replayed "
        "(<code>resetlab fit NAME -o posterior.json</code>; method in docs/fit.md). A band that "
        "misses the index for long stretches is a perspective that cannot reproduce that "
        "history with any parameter values in its priors.</p>" + "".join(parts)
    )
    return Section(title=f"Calibration: each account replayed against the record ({budget} budget)",
                   figure=fig, html_after=note, anchor="calibration")  # fmt: skip


def _coverage(band: pd.DataFrame) -> float:
    ok = band["index"].notna()
    b = band[ok]
    return float(((b["index"] >= b["q05"]) & (b["index"] <= b["q95"])).mean())


def backtest_section(
    skill: pd.DataFrame, brier: pd.DataFrame, budget: str, seeds: tuple[int, ...], level: float
) -> Section:
    fig = go.Figure()
    models = [m for m in skill["model"].unique() if m != "persistence"]
    for i, m in enumerate(models):
        d = skill[skill["model"] == m]
        c = _COLORS[i % len(_COLORS)]
        fig.add_trace(go.Scatter(
            x=d["horizon"], y=d["skill"], name=m, line=dict(color=c),
            error_y=dict(type="data", symmetric=False, array=d["skill_hi"] - d["skill"],
                         arrayminus=d["skill"] - d["skill_lo"], thickness=0.8, color=c),
        ))  # fmt: skip
    fig.add_hline(y=0, line=dict(color="black", dash="dot"))
    fig.update_layout(template="plotly_white", height=420, xaxis_title="horizon (months)",
                      yaxis_title="CRPS skill vs persistence",
                      title=f"Out-of-sample skill with 95 % block-bootstrap intervals "
                            f"({budget} budget, seeds {', '.join(map(str, seeds))})")  # fmt: skip
    pick = skill[skill["horizon"].isin([1, 6, 12, 24])]
    cols = ["model", "horizon", "crps", "crps_persistence", "skill", "skill_lo", "skill_hi",
            "skill_seed_min", "skill_seed_max", "verdict"]  # fmt: skip
    claims = skill[(skill["verdict"] == "skill") & (skill["model"].isin(models))]
    if claims.empty:
        words = ("<p><b>No model has a skill claim over persistence at any horizon</b>: "
                 "every interval, or the spread over seeds, covers zero or lies below it.</p>")  # fmt: skip
    else:
        per = claims.groupby("model")["horizon"].agg(
            lambda h: f"{h.min()}-{h.max()} months ({len(h)} horizons)"
        )
        words = (
            "<p>Skill over persistence (interval and every seed above zero): "
            + "; ".join(f"<b>{_esc(m)}</b> at {_esc(v)}" for m, v in per.items())
            + ". Everywhere else: no skill claim.</p>"
        )
    null_skill = skill[(skill["model"] == "null") & (skill["verdict"] == "skill")]["horizon"]
    if len(null_skill):
        words += (
            "<p>The <b>null model</b> (no mechanisms: persistence and noise) also has a skill "
            f"claim at {len(null_skill)} horizon(s) ({_esc(', '.join(map(str, null_skill)))} "
            "months): there the gain over persistence comes from anchoring and a wider, better "
            "calibrated spread, not from any article's mechanisms. A perspective's mechanisms add "
            "something only where it beats the null model (next section).</p>"
        )
    note = (
        f"{words}<p>Origins every 6 months, 2005-01 to 2023-07; horizons 1-24 months; each "
        "forecast uses only the index re-estimated on data before its origin; scores against "
        "the full-sample index. Skill = 1 - CRPS / CRPS(persistence). The interval resamples "
        "origins in blocks (neighbouring forecasts overlap); seed min/max is the skill under "
        "each seed separately. Verdict <i>no skill claim</i> wherever the interval covers zero "
        "or the seeds disagree.</p>"
        + table_html(pick[cols])
        + f'<p>Brier score of "the index is above the reset level ({level:+.2f})" 12 and 24 '
        "months on (lower is better):</p>" + table_html(brier)
    )
    return Section(title=f"Backtest: forecasts against naive baselines ({budget} budget)",
                   figure=fig, html_after=note, anchor="backtest")  # fmt: skip


def compare_section(compare: pd.DataFrame, failures: pd.DataFrame, budget: str) -> Section:
    c = compare.copy()
    colors = [_COLORS[i % len(_COLORS)] for i in range(len(c))]
    labels = [f"p_best {p:.2f}" for p in c["p_best"]]
    if "vs_null" in c:  # differences to the null model read at a glance; the scores are close
        fig = go.Figure(go.Bar(
            x=c["perspective"], y=c["vs_null"], text=labels, marker_color=colors,
            error_y=dict(type="data", symmetric=False, array=c["vs_null_hi"] - c["vs_null"],
                         arrayminus=c["vs_null"] - c["vs_null_lo"]),
        ))  # fmt: skip
        ytitle = "mean CRPS minus the null model's (below 0: better)"
    else:
        fig = go.Figure(go.Bar(x=c["perspective"], y=c["score"], text=labels, marker_color=colors))
        ytitle = "mean CRPS (lower is better)"
    fig.update_layout(template="plotly_white", height=360, yaxis_title=ytitle,
                      title=f"Out-of-sample score per perspective, with 95 % block-bootstrap "
                            f"intervals ({budget} budget)")  # fmt: skip
    top = c.iloc[0]
    null_rank = (
        int(c.loc[c["perspective"] == "null", "rank"].iloc[0])
        if (c["perspective"] == "null").any()
        else None
    )
    sure = float(top["p_best"])
    if sure >= 0.9 and len(set(str(top["rank_seeds"]).split("/"))) == 1:
        verdict = f"<b>{_esc(top['perspective'])}</b> fits the record best out of sample (first in {sure:.0%} of bootstrap resamples and under every seed)."
    else:
        verdict = (f"<b>{_esc(top['perspective'])}</b> has the lowest mean CRPS, but the ranking is "
                   f"<b>not settled</b>: it is first in only {sure:.0%} of bootstrap resamples "
                   f"(ranks under the seeds: {_esc(top['rank_seeds'])}).")  # fmt: skip
    if null_rank is not None:
        verdict += (
            f" The null model (persistence and noise, no mechanisms) ranks {null_rank} of {len(c)}."
        )
    if "vs_null_lo" in c:
        beat = c[(c["vs_null_hi"] < 0) & (c["perspective"] != "null")]["perspective"].tolist()
        if beat:
            verdict += (
                " Beating the null model with a 95 % interval below zero: "
                f"<b>{_esc(', '.join(beat))}</b>."
            )
        else:
            verdict += (
                " <b>No perspective beats the null model</b> with a 95 % interval that "
                "excludes zero: on this record, none of the articles' mechanisms has shown "
                "out-of-sample value yet."
            )
    note = (f"<p>{verdict}</p>" + table_html(c) +
            "<p>vs_X: score minus baseline X's (negative: better than the baseline). "
            "Where each fails: its three largest 12-month errors (median forecast minus the index) "
            "and the record's biggest events in the quarter before the target month.</p>"
            + table_html(failures))  # fmt: skip
    return Section(title=f"Whose account fits the record ({budget} budget)", figure=fig,
                   html_after=note, anchor="compare")  # fmt: skip


_VERDICT_STYLE = {"supported": "#2ca02c", "contradicted": "#d62728", "inconclusive": "#7f7f7f"}


def claims_section(
    claims: pd.DataFrame, titles: dict[str, str], budget: str, resamples: int
) -> Section:
    fig = go.Figure()
    c = claims.reset_index(drop=True)
    labels = [f"{p}: {cl}" for p, cl in zip(c["perspective"], c["claim"], strict=True)]
    for v, color in _VERDICT_STYLE.items():
        d = c[c["verdict"] == v]
        if d.empty:
            continue
        fig.add_trace(go.Scatter(
            x=d["effect"], y=[labels[i] for i in d.index], mode="markers", name=v,
            marker=dict(color=color, size=9),
            error_x=dict(type="data", symmetric=False, array=d["ci_hi"] - d["effect"],
                         arrayminus=d["effect"] - d["ci_lo"], color=color),
        ))  # fmt: skip
    fig.add_vline(x=0, line=dict(color="black", dash="dot"))
    fig.update_layout(template="plotly_white", height=max(360, 26 * len(c) + 120),
                      xaxis_title="effect (positive = what the test's claim says) with 95 % interval",
                      title=f"Claims tested on the record ({budget} budget, {resamples} resamples)")  # fmt: skip
    parts = []
    for p, d in c.groupby("perspective", sort=False):
        n_sup = int((d["verdict"] == "supported").sum())
        n_con = int((d["verdict"] == "contradicted").sum())
        parts.append(
            f"<h3>{_esc(titles.get(str(p), p))}</h3><p>The record bears out {n_sup} of its "
            f"{len(d)} tested claims; contradicts {n_con}; the rest are inconclusive.</p>"
            + table_html(
                d[
                    [
                        "claim",
                        "statement",
                        "test",
                        "direction",
                        "effect",
                        "ci_lo",
                        "ci_hi",
                        "p_value",
                        "verdict",
                        "n_events",
                        "detail",
                    ]
                ]
            )  # fmt: skip
        )
    note = ("<p>Each claim quotes its article (perspectives/*.yaml) and names a test run directly "
            "on the record, with no simulation (<code>resetlab claims</code>). Direction \"-\": the "
            "article claims the opposite of the test's sentence. Supported / contradicted: the 95 % "
            "interval excludes zero on the article's / the other side and p < 0.05; otherwise "
            "inconclusive. The events each test rests on are in the CSV/JSON output.</p>" + "".join(parts))  # fmt: skip
    return Section(title=f"Claims of the articles, tested on the record ({budget} budget)",
                   figure=fig, html_after=note, anchor="claims")  # fmt: skip


def outlook_section(o: Any, index: pd.DataFrame) -> Section:
    fig = go.Figure()
    tail = index[
        pd.PeriodIndex(index["month"], freq="M") >= pd.Period(o.reset_start, freq="M") - 24
    ]
    fig.add_trace(go.Scatter(mode="lines", x=_x(tail["month"]), y=tail["score"], name="index",
                             line=dict(color="black", width=1.5)))  # fmt: skip
    for i, (name, d) in enumerate(o.fans.groupby("perspective", sort=False)):
        c = _COLORS[i % len(_COLORS)]
        x = _x(d["month"])
        fig.add_trace(
            go.Scatter(mode="lines", x=x, y=d["q95"], line=dict(width=0), showlegend=False, hoverinfo="skip")
        )
        fig.add_trace(go.Scatter(mode="lines", x=x, y=d["q05"], fill="tonexty", line=dict(width=0),
                                 fillcolor=_rgba(c, 0.10), showlegend=False))  # fmt: skip
        fig.add_trace(go.Scatter(mode="lines", x=x, y=d["q50"], name=f"{name} median", line=dict(color=c)))
    fig.add_hline(y=o.level, line=dict(color="#555", dash="dash"),
                  annotation_text=f"reset level {o.level:+.2f}")  # fmt: skip
    for h in (12, 24):
        m = (pd.Period(o.reset_start, freq="M") + h).to_timestamp()
        fig.add_vline(x=m, line=dict(color="#999", dash="dot"))
    fig.update_layout(template="plotly_white", height=440, yaxis_title="Goldstein units",
                      title=f"Outlook for the reset begun {o.reset_start}: 5-95 % fans per perspective ({o.budget} budget)")  # fmt: skip
    t = o.table.copy()
    lo, hi = float(t["p_hold_24"].min()), float(t["p_hold_24"].max())
    note = (f"<p>\"Holds h months\": the index h months after {_esc(o.reset_start)} is above the reset "
            f"level ({o.level:+.2f}, the midpoint of the mean index in reset and in breakdown "
            "regimes). Probabilities are shares of forecast members (posterior draws x members), "
            f"each forecast starting after the last index month and knowing only the election "
            f"calendar. Across the perspectives P(holds 24 months) ranges from {lo:.2f} to {hi:.2f}; "
            f"with {int(t['members'].iloc[0])} members each, the Monte Carlo standard error of one "
            f"probability is at most {0.5 / np.sqrt(float(t['members'].iloc[0])):.2f}, so differences "
            "smaller than about twice that are noise.</p>" + table_html(t))  # fmt: skip
    return Section(title=f"Outlook: does the {o.reset_start} reset hold? ({o.budget} budget)",
                   figure=fig, html_after=note, anchor="outlook")  # fmt: skip


def levers_section(analyses: dict[str, Any], best: str) -> Section:
    """A heatmap of total Sobol indices (perspective x lever) and the best-ranked's details."""
    names = list(analyses)
    from resetlab.fit.outlook import LEVERS

    order = [lv.name for lv in LEVERS]
    z, text = [], []
    for n in names:
        t = analyses[n].table.set_index("lever")
        z.append([None if t.loc[lv, "screened_out"] else float(t.loc[lv, "st"]) for lv in order])
        text.append(["screened out" if t.loc[lv, "screened_out"]
                     else f"{t.loc[lv, 'st']:.2f} \u00b1 {t.loc[lv, 'st_conf']:.2f}" for lv in order])  # fmt: skip
    fig = go.Figure(go.Heatmap(z=z, x=order, y=names, text=text, texttemplate="%{text}",
                               colorscale="Blues", zmin=0, zmax=1,
                               colorbar=dict(title="ST")))  # fmt: skip
    la = analyses[best] if best in analyses else analyses[names[0]]
    fig.update_layout(template="plotly_white", height=120 + 60 * len(names),
                      title=f"Total Sobol index of each lever on P(the reset holds 24 months), "
                            f"under each perspective ({la.budget} budget)")  # fmt: skip
    t = la.table.copy()
    for c in ("s1", "s1_conf", "st", "st_conf"):
        t[c] = [("" if pd.isna(v) else f"{v:.2f}") for v in t[c]]
    kept = int((~la.table["screened_out"]).sum())
    runs = sum(a.runs for a in analyses.values())
    note = (f"<p>Per perspective: Morris screening of all {len(t)} levers, then Sobol indices "
            f"(Saltelli sampling, SALib) of those kept; {runs} model runs in all, every one "
            "under a perspective with the same posterior draws and random numbers. A lever acts "
            "only through the mechanisms a perspective switches on (concessions need M11, "
            "treaty moves M12, exercises M9, a reset move M19), so <i>screened out</i> often "
            "means \u201cthis account has no channel for it\u201d. Cells show ST \u00b1 SALib's "
            "bootstrap 95 % half-width; an index whose interval reaches zero is not shown to "
            f"matter.</p><p>Details under <b>{_esc(la.perspective)}</b> (ranked first out of "
            f"sample; this is the table of <code>resetlab levers</code>): {kept} levers kept, "
            f"P(hold 24) = {la.base_p:.2f} with every lever at its low end (no tracks, concessions, "
            "exercises or reset move, no treaties in force).</p>"
            + table_html(t))  # fmt: skip
    return Section(title=f"Levers: what moves the outlook ({la.budget} budget)", figure=fig,
                   html_after=note, anchor="levers")  # fmt: skip


def fit_sections(p: Any) -> list[Section]:
    """Every issue-6 section from a :class:`resetlab.fit.pipeline.Pipeline`."""
    b = p.budget
    out = [claims_section(p.claims(), _titles(p), b.name, b.claim_resamples)]
    posts = p.posteriors()
    out.append(calibration_section({n: p.replay(n) for n in posts}, posts, b.name))
    bt = p.backtest()
    out.append(backtest_section(p.skill(), bt.brier_table(), b.name, bt.seeds, bt.level))
    out.append(compare_section(p.compare(), bt.failures(p.data.events), b.name))
    out.append(outlook_section(p.outlook(), p.data.index))
    out.append(levers_section(p.levers_all(), p.best()))
    return out


def _titles(p: Any) -> dict[str, str]:
    out = {}
    for n, persp in p.perspectives.items():
        a = persp.article
        out[n] = (
            n if a is None else f"{n}: {a.author}, \u201c{a.title}\u201d ({a.year}, file {a.file})"
        )
    return out


__all__ = ["fit_sections", "replay_figure"]
