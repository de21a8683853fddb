"""Report sections of the fit: headline, claims, calibration, backtest, comparison, outlook, levers.

Every section names the budget that made it, and its words claim only what its numbers
support (a ranking is "not settled" unless the bootstrap says so; "skill" only where a
model beats the best baseline with a Holm-corrected Diebold-Mariano p below 0.05; an
outlook without Brier skill on its own event reads "no skill: read as a scenario, not a
forecast").
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from resetlab.fit import published
from resetlab.report.html import Section, _fig, table_html

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


def checks_html(table: pd.DataFrame | None) -> str:
    """The posterior predictive checks: a sentence and their table."""
    if table is None:
        return ""
    from resetlab.fit.checks import checks_words

    return (f"<p><b>Posterior predictive checks</b> (summaries the likelihood does not use): "
            f"{_esc(checks_words(table))}.</p>" + table_html(table))  # fmt: skip


def calibration_section(
    bands: dict[str, pd.DataFrame],
    posteriors: dict[str, Any],
    budget: str,
    checks: dict[str, pd.DataFrame] | None = None,
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
            f"<h3>{_esc(n)}</h3><p>acceptance {post.acceptance:.2f}; {len(post.samples)} "
            f"posterior draws; {post.n_months} index months; the index lies inside the 90 % "
            f"replay band in {cover:.0%} of months.</p>"
            + diagnostics_html(post, budget)
            + table_html(s)
            + checks_html((checks or {}).get(n))
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


def diagnostics_html(post: Any, budget: str) -> str:
    """The posterior's convergence diagnostics: a sentence and a one-row table."""
    d = post.diagnostics
    quick = (" This is a quick look: the quick budget is too small to converge and is not "
             "meant to." if budget == "quick" else "")  # fmt: skip
    words = f"<p><b>Diagnostics</b>: {_esc(post.diagnostics_words())}.{quick}</p>"
    if not d:
        return words
    if d.get("sampler") == "crn-metropolis":
        stop = ("the diagnostics held" if d.get("stopped") == "converged"
                else "the cap was reached before the diagnostics held")  # fmt: skip
        words += (
            f"<p>Sampler: a stretch warm-up of {d['warmup_steps']} steps, then "
            f"{d['metropolis_walkers']} random-walk Metropolis walkers per chain for "
            f"{d['metropolis_steps']} steps ({stop}; the last half kept). Every chain "
            "simulates with the same random numbers (the fit seed's): the diagnostics say "
            "whether the chains agree on the posterior given those numbers, not whether "
            "another seed's posterior lies in the same place; the log-likelihood moves by "
            f"{d['loglik_noise_sd']:.3g} nats (sd) between seeds at the posterior median.</p>"
        )
    cols = ["chains", "walkers", "draws_per_walker", "rhat_max", "ess_bulk_min", "ess_tail_min",
            "loglik_noise_sd", "converged"]  # fmt: skip
    return words + table_html(pd.DataFrame([{c: d[c] for c in cols}]))


def refused_outlook(posteriors: dict[str, Any]) -> dict[str, str]:
    """Perspectives whose posterior fails the diagnostics, each with the reason in words."""
    return {n: p.diagnostics_words() for n, p in posteriors.items() if not p.converged}


def _coverage(band: pd.DataFrame) -> float:
    ok = band["index"].notna()
    b = band[ok]
    return float(((b["index"] >= b["q05"]) & (b["index"] <= b["q95"])).mean())


def skill_headline(skill: pd.DataFrame, describe: str) -> str:
    """The backtest's verdict in one sentence (:func:`resetlab.fit.published.skill_headline`)."""
    return f"<b>{_esc(published.skill_headline(skill, describe))}</b>"


def backtest_section(
    skill: pd.DataFrame, calibration: pd.DataFrame, brier: pd.DataFrame, budget: str,
    seeds: tuple[int, ...], level: float, describe: str,
) -> Section:  # fmt: skip
    fig = go.Figure()
    persp = [m for m in skill["model"].unique()
             if not skill.loc[skill["model"] == m, "verdict"].isin(["best baseline", "baseline"]).all()]  # fmt: skip
    for i, m in enumerate(persp):
        d = skill[skill["model"] == m]
        c = _COLORS[i % len(_COLORS)]
        claim = d["verdict"] == "skill"
        fig.add_trace(go.Scatter(x=d["horizon"], y=d["skill_vs_best"], name=m, line=dict(color=c),
                                 mode="lines+markers",
                                 marker=dict(size=[10 if k else 4 for k in claim],
                                             symbol=["star" if k else "circle" for k in claim]),
                                 customdata=np.c_[d["best_baseline"], d["dm_p_holm"]],
                                 hovertemplate="h=%{x}: %{y:.2f} vs %{customdata[0]} "
                                               "(Holm p %{customdata[1]:.3f})"))  # fmt: skip
    fig.add_hline(y=0, line=dict(color="black", dash="dot"))
    fig.update_layout(template="plotly_white", height=420, xaxis_title="horizon (months)",
                      yaxis_title="CRPS skill vs the best baseline",
                      title=f"Out-of-sample skill against the best baseline at each horizon; stars: "
                            f"a skill claim ({budget} budget, seeds {', '.join(map(str, seeds))})")  # fmt: skip
    pick = skill[skill["horizon"].isin([1, 6, 12, 24])]
    cols = ["model", "horizon", "crps", "skill", "best_baseline", "skill_vs_best", "dm_stat",
            "dm_p", "dm_p_holm", "n_origins", "n_eff", "coverage90", "verdict"]  # fmt: skip
    note = (
        f"<p>{skill_headline(skill, describe)}</p>"
        "<p>Horizons 1-24 months; each forecast uses only what was knowable before its origin "
        "(the index re-estimated on it; a year-dated event only once its year is over); "
        "scores against the full-sample index. The best baseline at each horizon is the "
        "baseline with the lowest mean CRPS there (persistence with the vintage's revision "
        "error, climatology, damped persistence, the vintage Kalman filter's random walk, "
        "a persistence/climatology pool, a two-regime Markov switching model). "
        "skill = 1 - CRPS / CRPS(persistence); skill_vs_best = 1 - CRPS / CRPS(best baseline); "
        "dm_p: Diebold-Mariano on the per-origin CRPS differences, Newey-West variance with "
        "as many lags as forecasts overlap; dm_p_holm: Holm over the horizons of each model; "
        "n_eff: the origins' worth of independent information (n times the variance over the "
        "long-run variance of the differences). Verdict <i>skill</i> only where dm_p_holm &lt; "
        "0.05 and skill_vs_best &gt; 0.</p>"
        + table_html(pick[cols])
        + "<p>Calibration: coverage of the 90 % band (0.90 is right) and the PIT histogram "
        "(share of forecasts whose truth falls in each tenth of the ensemble; flat is right, "
        "high ends mean too narrow, a hump too wide), all horizons:</p>"
        + table_html(calibration)
        + f"<p>Brier score of \u201cthe index stays above the pre-reset level ({level:+.2f}) in "
        "every month up to 12 / 24 months on\u201d (the outlook's event), and its Brier skill "
        "against the base rate:</p>" + table_html(brier)
    )
    return Section(title=f"Backtest: forecasts against the best baseline ({budget} budget)",
                   figure=fig, html_after=note, anchor="backtest")  # fmt: skip


def headline_section(skill: pd.DataFrame, outlook: pd.DataFrame, describe: str,
                     budget: str, refused: dict[str, str] | None = None) -> Section:  # fmt: skip
    """The first screen: does anything forecast, and how to read the outlook."""
    o = _esc(published.outlook_headline(outlook))
    if refused:
        o += _esc(f" No outlook is drawn from {len(refused)} of {len(outlook)} perspectives "
                  f"({', '.join(refused)}): their posteriors fail the convergence "
                  "diagnostics.")  # fmt: skip
    html_after = (f"<div class='note'><p>{skill_headline(skill, describe)}</p><p>{o} Details: "
                  "<a href='#backtest'>backtest</a>, <a href='#outlook'>outlook</a>.</p></div>")  # fmt: skip
    return Section(title=f"Forecast skill in one screen ({budget} budget)", html_after=html_after,
                   anchor="headline", lead=True)  # fmt: skip


def compare_section(
    compare: pd.DataFrame, failures: pd.DataFrame, budget: str, mcs: pd.DataFrame | None = None
) -> Section:
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
    if mcs is not None:
        inside = mcs.loc[mcs["in_mcs"], "model"].tolist()
        verdict += (
            f" The 90 % model confidence set (Hansen; every model, baselines included, on the "
            f"per-origin mean CRPS) holds <b>{_esc(', '.join(inside))}</b>: the models the data "
            "cannot tell from the best."
        )
    note = (f"<p>{verdict}</p>" + table_html(c) +
            "<p>vs_X: score minus baseline X's (negative: better than the baseline). "
            "Where each fails: its three largest 12-month errors (median forecast minus the index) "
            "and the record's biggest events in the quarter before the target month.</p>"
            + table_html(failures))  # fmt: skip
    return Section(title=f"Whose account fits the record ({budget} budget)", figure=fig,
                   html_after=note, anchor="compare")  # fmt: skip


_VERDICT_STYLE = {
    "supported": "#2ca02c",
    "contradicted": "#d62728",
    "inconclusive": "#7f7f7f",
    "not decidable": "#bcbd22",
}


def window_figure(claims: pd.DataFrame) -> go.Figure | None:
    """Small multiples, one a claim with a window grid: effect and 95 % interval against the
    window (months), U.S.-Russia and the panel's pool side by side (offset by half a month so
    that the intervals do not hide each other); None when no row has a grid."""
    import json

    def grid(r: Any) -> str | None:
        g = getattr(r, "window_grid", None)
        return g if isinstance(g, str) and g not in ("", "[]") else None

    by_claim: dict[tuple[str, str], dict[str, str]] = {}
    for r in claims.itertuples():
        g = grid(r)
        if g is not None:
            scope = str(getattr(r, "scope", "USA-RUS"))
            by_claim.setdefault((str(r.claim), str(r.test)), {})[scope] = g
    if not by_claim:
        return None
    cols = min(3, len(by_claim))
    n_rows = -(-len(by_claim) // cols)
    fig = make_subplots(
        rows=n_rows, cols=cols, subplot_titles=[f"{c} ({t})" for c, t in by_claim],
        shared_yaxes=False,
    )  # fmt: skip
    style = {"USA-RUS": (_COLORS[0], -0.25), "panel": (_COLORS[1], 0.25)}
    shown: set[str] = set()
    for k, scopes in enumerate(by_claim.values()):
        for scope, text in scopes.items():
            g = pd.DataFrame(json.loads(text))
            color, dx = style.get(scope, (_COLORS[2], 0.0))
            fig.add_trace(go.Scatter(
                x=g["window"] + dx, y=g["effect"], mode="lines+markers", name=scope,
                legendgroup=scope, showlegend=scope not in shown, marker=dict(color=color),
                line=dict(color=color),
                error_y=dict(type="data", symmetric=False, array=g["ci_hi"] - g["effect"],
                             arrayminus=g["effect"] - g["ci_lo"], color=color),
                customdata=g["window"],
                hovertemplate=f"{scope}, window %{{customdata}} m: effect %{{y:.3f}}<extra></extra>",
            ), row=k // cols + 1, col=k % cols + 1)  # fmt: skip
            shown.add(scope)
        fig.add_hline(y=0, line=dict(color="black", dash="dot"), row=k // cols + 1,
                      col=k % cols + 1)  # fmt: skip
    fig.update_xaxes(title_text="window (months)")
    fig.update_layout(template="plotly_white", height=260 * n_rows + 80,
                      title="Window sensitivity of the event studies: U.S.-Russia and the "
                      "panel's pool")  # fmt: skip
    return fig


def claims_section(
    claims: pd.DataFrame, titles: dict[str, str], budget: str, resamples: int
) -> Section:
    fig = go.Figure()
    c = claims.reset_index(drop=True)
    scope = c["scope"] if "scope" in c else pd.Series("USA-RUS", index=c.index)
    labels = [
        f"{p}: {cl} ({sc})" for p, cl, sc in zip(c["perspective"], c["claim"], scope, strict=True)
    ]
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
        n_und = int((d["verdict"] == "not decidable").sum())
        parts.append(
            f"<h3>{_esc(titles.get(str(p), p))}</h3><p>The record bears out {n_sup} of its "
            f"{len(d)} tested claims; contradicts {n_con}; {n_und} are not decidable with this "
            "record (power below 0.5); the rest are inconclusive.</p>"
            + table_html(
                d[
                    [
                        "claim",
                        "statement",
                        "test",
                        "scope",
                        "direction",
                        "effect",
                        "ci_lo",
                        "ci_hi",
                        "p_value",
                        "p_adj",
                        "power",
                        "power_index",
                        "verdict",
                        "detail",
                    ]
                ]
            )  # fmt: skip
        )
    note = ("<p>Each claim quotes its article (perspectives/*.yaml) and names a test run directly "
            "on the record, with no simulation (<code>resetlab claims</code>). Direction \"-\": the "
            "article claims the opposite of the test's sentence; \"0\": a null claim, tested for "
            "equivalence (two one-sided tests) within the margin its perspective file states. "
            "Scope USA-RUS: the test on U.S.-Russia; scope panel: the random-effects "
            "(Paule-Mandel) pool of the same test run on every other pair of the panel it "
            "applies to, each on its own two sides, events and index (n_dyads pairs, "
            "n_episodes events; heterogeneity tau^2 and I^2 in the CSV/JSON output); tests of "
            "U.S. elections and presidents run on U.S. pairs only, the treaty and commission "
            "tests on U.S.-Russia only. "
            "p_adj: Holm's adjustment over every row of the report, both scopes. Power: the "
            "share of rotations (the test's dates circularly shifted, an effect of the stated "
            "size planted at the shifted dates) in which the test rejects at 5 %, with its "
            "Monte Carlo error in the CSV/JSON output (resets-fail: the exact binomial power). "
            "The effect is planted in the events (a change of the latent level in every "
            "reading, the index smoothed again by its measurement model at the record's "
            "parameters; synthetic acts for the count tests): that is power; power_index "
            "plants the same effect in the index directly, which overstates what the record "
            "can detect. Not decidable: power below 0.5. "
            "Supported / contradicted: p_adj < 0.05 and the 95 % interval excludes zero on the "
            "article's / the other side (a null claim: within / wholly outside the margin); "
            "otherwise inconclusive. The events each test rests on are in the CSV/JSON output.</p>" + "".join(parts))  # fmt: skip
    from resetlab.fit.pipeline import CLAIM_COLUMNS

    cols = [k for k in CLAIM_COLUMNS if k in c.columns]
    head = table_html(c[cols]) + _fig(fig)
    windows = window_figure(c)
    if windows is not None:
        head += (
            "<p>How each event-study verdict depends on the window: the U.S.-Russia effect and "
            "the panel's pooled effect (each pair's test at that window, the same "
            "random-effects pool, fewer resamples per pair) with their 95 % intervals for "
            "every window of the grid (months after the trigger).</p>" + _fig(windows)
        )
    return Section(title=f"Claims of the articles, tested on the record ({budget} budget)",
                   html_after=head + note, anchor="claims")  # fmt: skip


def outlook_section(
    o: Any, table: pd.DataFrame, index: pd.DataFrame, refused: dict[str, str] | None = None
) -> Section:
    """The outlook fans and table, leaving out the perspectives in ``refused`` (name: reason)."""
    refused = refused or {}
    why = "".join(f"<li><b>{_esc(n)}</b>: no outlook is drawn from this posterior; "
                  f"{_esc(w)}.</li>" for n, w in refused.items())  # fmt: skip
    why = f"<ul>{why}</ul>" if why else ""
    table = table[~table["perspective"].isin(list(refused))]
    if table.empty:
        return Section(title=f"Outlook: does the {o.reset_start} reset hold? ({o.budget} budget)",
                       html_after="<p>No outlook is drawn: no perspective's posterior passes the "
                       "convergence diagnostics (R-hat below 1.01, bulk and tail ESS at least "
                       "400, at least 4 chains).</p>" + why, anchor="outlook")  # fmt: skip
    fans = o.fans[~o.fans["perspective"].isin(list(refused))]
    fig = go.Figure()
    start = pd.Period(o.reset_start, freq="M")
    tail = index[pd.PeriodIndex(index["month"], freq="M") >= start - 24]
    fig.add_trace(go.Scatter(mode="lines", x=_x(tail["month"]), y=tail["score"], name="index",
                             line=dict(color="black", width=1.5)))  # fmt: skip
    for i, (name, d) in enumerate(fans.groupby("perspective", sort=False)):
        c = _COLORS[i % len(_COLORS)]
        x = _x(d["month"])
        fig.add_trace(
            go.Scatter(
                mode="lines",
                x=x,
                y=d["q95"],
                line=dict(width=0),
                showlegend=False,
                hoverinfo="skip",
            )
        )
        fig.add_trace(go.Scatter(mode="lines", x=x, y=d["q05"], fill="tonexty", line=dict(width=0),
                                 fillcolor=_rgba(c, 0.10), showlegend=False))  # fmt: skip
        fig.add_trace(
            go.Scatter(mode="lines", x=x, y=d["q50"], name=f"{name} median", line=dict(color=c))
        )
    fig.add_hline(y=o.level, line=dict(color="#555", dash="dash"),
                  annotation_text=f"pre-reset level {o.level:+.2f}")  # fmt: skip
    for h in (12, 24):
        fig.add_vline(x=(start + h).to_timestamp(), line=dict(color="#999", dash="dot"))
    fig.update_layout(template="plotly_white", height=440, yaxis_title="Goldstein units",
                      title=f"Outlook for the reset begun {o.reset_start}: 5-95 % fans per perspective ({o.budget} budget)")  # fmt: skip
    cols = ["perspective", "p_hold_12", "mc_se_12", "p_hold_24", "mc_se_24", "brier_skill_12",
            "brier_skill_half_12", "brier_skill_24", "brier_skill_half_24", "verdict_12",
            "verdict_24", "verdict"]  # fmt: skip
    words = "".join(f"<li><b>{_esc(r.perspective)}</b>: {_esc(r.words)}</li>"
                    for r in table.itertuples())  # fmt: skip
    note = (f"<p>\u201cHolds h months\u201d: the index stays above the reset's own pre-reset level "
            f"({o.level:+.2f}, the mean index of the regime before {_esc(o.reset_start)}) in every "
            f"month from {_esc(o.reset_start)} to h months later; the {len(o.observed)} months "
            f"already observed (to {_esc(str(pd.Period(o.origin, freq='M') - 1))}) are conditioned "
            "on, and each forecast starts from the last observed month, knowing only the election "
            "calendar. The same event is scored in the backtest (its Brier skill against the "
            "base rate and against a constant 0.5, at the matching horizon from the origin); "
            "mc_se is the Monte Carlo standard error over posterior draws.</p>"
            f"<ul>{words}</ul>" + table_html(table[cols]) + why)  # fmt: skip
    return Section(title=f"Outlook: does the {o.reset_start} reset hold? ({o.budget} budget)",
                   figure=fig, html_after=note, anchor="outlook")  # fmt: skip


def levers_section(
    analyses: dict[str, Any], best: str, unconverged: Mapping[str, str] | None = None
) -> Section:
    """A heatmap of total Sobol indices (perspective x lever) and the best-ranked's details,
    with each analysis' N/2-vs-N check and Var(Y) against the Monte Carlo error of Y.
    ``unconverged``: perspectives whose posterior fails the diagnostics (and why); the
    section says first that their indices describe that posterior as it is."""
    names = list(analyses)
    from resetlab.fit.outlook import LEVERS

    order = [lv.name for lv in LEVERS]
    z, text = [], []
    for n in names:
        t = analyses[n].table.set_index("lever")
        z.append([None if t.loc[lv, "screened_out"] else float(t.loc[lv, "st"]) for lv in order])
        text.append(["screened out" if t.loc[lv, "screened_out"]
                     else f"{t.loc[lv, 'st']:.2f} \u00b1 {t.loc[lv, 'st_conf']:.2f}"
                     + ("" if t.loc[lv, "converged"] else " (N/2 differs)") for lv in order])  # fmt: skip
    fig = go.Figure(go.Heatmap(z=z, x=order, y=names, text=text, texttemplate="%{text}",
                               colorscale="Blues", zmin=0, zmax=1,
                               colorbar=dict(title="ST")))  # fmt: skip
    la = analyses[best] if best in analyses else analyses[names[0]]
    fig.update_layout(template="plotly_white", height=120 + 60 * len(names),
                      title=f"Total Sobol index of each lever on P(the reset holds 24 months), "
                            f"under each perspective ({la.budget} budget)")  # fmt: skip
    t = la.table.copy()
    for c in ("s1", "s1_conf", "st", "st_conf", "s1_half", "st_half", "nominal"):
        t[c] = [("" if pd.isna(v) else f"{v:.2f}") for v in t[c]]
    for c in ("converged", "st_invalid"):  # empty for a screened-out lever
        t[c] = [("" if pd.isna(v) else str(bool(v))) for v in t[c]]
    cols = ["lever", "s1", "s1_conf", "st", "st_conf", "s1_half", "st_half", "converged",
            "st_invalid", "nominal", "screened_out", "mu_star", "description"]  # fmt: skip
    kept = int((~la.table["screened_out"]).sum())
    runs = sum(a.runs for a in analyses.values())
    quick = la.budget != "full"
    passed = [n for n in names if analyses[n].converged]
    look = (f"<p><b>A quick look</b> ({_esc(la.budget)} budget, N = {la.n}): the N/2-vs-N check "
            + ("passed under every perspective" if len(passed) == len(names)
               else f"passed under {len(passed)} of {len(names)} perspectives"
                    + (f" ({_esc(', '.join(passed))})" if passed else ""))
            + "; the full budget (N = 1024) makes the figures to read.</p>"
            if quick else "")  # fmt: skip
    each = "".join(f"<li><b>{_esc(n)}</b>: P(hold 24) {a.base_p:.2f} at the nominal levers; "
                   f"{_esc(a.words())}</li>" for n, a in analyses.items())  # fmt: skip
    failing = [n for n in names if unconverged and n in unconverged]
    warn = (f"<p><b>Drawn from posteriors that fail the convergence diagnostics</b> "
            f"({_esc(', '.join(failing))}): the indices say which levers move P(hold 24) "
            "under each posterior as it stands, not under a converged one, and P(hold 24) "
            "itself is not an outlook (see the outlook section).</p>"
            if failing else "")  # fmt: skip
    note = (warn + look + f"<p>Per perspective: Morris screening of all {len(t)} levers, then Sobol "
            "indices (Saltelli sampling, SALib, base size N) of those kept, checked against the "
            "same indices from the first N/2 base points (converged: both N/2 estimates inside "
            f"the N interval); {runs} model runs in all, every one under a perspective with the "
            "same posterior draws and random numbers. Y is P(hold 24) over the forecast members "
            "of one lever setting; Var(Y) is its variance over the Sobol sample and the Monte "
            "Carlo variance of Y the mean of p(1-p)/members: Y counts as smooth when that is "
            "under a tenth of Var(Y). Levers not varied sit at their nominal values, the policy "
            "the outlook assumes: no tracks, concessions, exercises or new reset move, the "
            "treaty share as at the origin. The reset move is a switch (a fair coin in the "
            "sample); its size and month act only with a move. A lever acts only through the "
            "mechanisms a perspective switches on (concessions need M11, treaty moves M12, "
            "exercises M9, a reset move M19), so <i>screened out</i> often means \u201cthis "
            "account has no channel for it\u201d. Cells show ST \u00b1 SALib's bootstrap 95 % "
            "half-width; an index whose interval reaches zero is not shown to matter, and an ST "
            "whose interval lies outside [0, 1] (st_invalid) is estimator error.</p>"
            f"<ul>{each}</ul>"
            f"<p>Details under <b>{_esc(la.perspective)}</b> (ranked first out of sample; this "
            f"is the table of <code>resetlab levers</code>): {kept} levers kept, Var(Y) = "
            f"{la.var_y:.3g}, Monte Carlo variance of Y {la.mc_var:.3g} ({la.members} members "
            "a setting).</p>" + table_html(t[cols]))  # fmt: skip
    return Section(title=f"Levers: what moves the outlook ({la.budget} budget)", figure=fig,
                   html_after=note, anchor="levers")  # fmt: skip


def fit_sections(p: Any) -> list[Section]:
    """Every fit section from a :class:`resetlab.fit.pipeline.Pipeline` (the first is the
    one-screen headline the report puts at its top)."""
    b = p.budget
    bt = p.backtest()
    skill = p.skill()
    ot = p.outlook_table()
    posts = p.posteriors()
    refused = refused_outlook(posts)
    out = [headline_section(skill, ot, bt.describe_origins(), b.name, refused)]
    out.append(claims_section(p.claims(), _titles(p), b.name, b.claim_resamples))
    out.append(calibration_section({n: p.replay(n) for n in posts}, posts, b.name,
                                   {n: p.checks(n) for n in posts}))  # fmt: skip
    out.append(backtest_section(skill, bt.calibration(), bt.brier_table(), b.name, bt.seeds,
                                bt.level, bt.describe_origins()))  # fmt: skip
    out.append(compare_section(p.compare(), bt.failures(p.data.events), b.name, p.mcs()))
    out.append(outlook_section(p.outlook(), ot, p.data.index, refused))
    out.append(levers_section(p.levers_all(), p.best(), refused))
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
