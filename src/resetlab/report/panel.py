"""The report's panel page: every rival pair's index and regimes on one screen, and the
reset scorecard across pairs."""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from resetlab.index.panel import PanelResult
from resetlab.report.html import Section, table_html

_RESET, _BREAKDOWN = "rgba(42,138,42,0.18)", "rgba(192,57,43,0.16)"


def panel_figure(result: PanelResult, cols: int = 4) -> go.Figure:
    """Small multiples: each pair's index (80 % band) with its resets and breakdowns shaded."""
    names = list(result.analyses)
    rows = max(1, math.ceil(len(names) / cols))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=names, shared_xaxes=True,
                        vertical_spacing=0.5 / max(rows, 1), horizontal_spacing=0.04)  # fmt: skip
    for i, key in enumerate(names):
        r, c = divmod(i, cols)
        a = result.analyses[key]
        f = a.index.to_csv_frame()
        x = pd.PeriodIndex(f["month"], freq="M").to_timestamp()
        fig.add_trace(go.Scatter(x=x, y=f["hi80"], mode="lines", line=dict(width=0),
                                 showlegend=False, hoverinfo="skip"), r + 1, c + 1)  # fmt: skip
        fig.add_trace(go.Scatter(x=x, y=f["lo80"], mode="lines", line=dict(width=0),
                                 fill="tonexty", fillcolor="rgba(31,119,180,0.2)",
                                 showlegend=False, hoverinfo="skip"), r + 1, c + 1)  # fmt: skip
        fig.add_trace(go.Scatter(x=x, y=f["score"], mode="lines", name=key, showlegend=False,
                                 line=dict(color="rgb(31,119,180)", width=1),
                                 hovertemplate=f"{key} %{{x|%Y-%m}}: %{{y:.2f}}<extra></extra>"),
                      r + 1, c + 1)  # fmt: skip
        for s in a.regimes.shifts.to_dict("records"):
            color = _RESET if s["kind"] == "reset" else _BREAKDOWN
            fig.add_vrect(x0=pd.Period(str(s["start"]), freq="M").to_timestamp(),
                          x1=pd.Period(str(s["end"]), freq="M").to_timestamp(how="end"),
                          fillcolor=color, line_width=0, row=r + 1, col=c + 1)  # fmt: skip
    fig.update_layout(
        height=220 * rows, template="plotly_white", margin=dict(l=30, r=10, t=40, b=20)
    )
    fig.update_annotations(font_size=11)
    return fig


def panel_section(result: PanelResult) -> Section:
    """The panel page of the report."""
    table = result.table()
    ok = table[table["status"] == "ok"]
    total_resets = int(ok["resets"].sum())
    sparse = ok[(ok["resets"] + ok["breakdowns"]) == 0]["pair"].tolist()
    words = [
        f"<p>{len(ok)} of {len(table)} rival pairs estimated; {total_resets} resets and "
        f"{int(ok['breakdowns'].sum())} breakdowns found across them. Each pair's index is "
        "estimated from its own hand-compiled events, its UN General Assembly ideal-point "
        "distance (negated: closer = higher) and its militarized interstate events to 2014 "
        "(reversed), by the same state-space model and change-point rule as U.S.-Russia.</p>"
    ]
    if sparse:
        words.append(
            "<p>No regime shift is found for "
            + html.escape(", ".join(sparse))
            + ": with 30-45 hand-compiled events over decades, the change-point rule's "
            "cross-validation keeps a single regime. Read these pairs' indices as measured, "
            "their regimes as not decidable from this record.</p>"
        )
    failed = table[table["status"] != "ok"]
    if len(failed):
        words.append(
            "<p>Not estimated: "
            + "; ".join(
                f"{html.escape(p)} ({html.escape(w)})"
                for p, w in zip(failed["pair"], failed["status"], strict=True)
            )
            + ".</p>"
        )
    scorecard = []
    for key, a in result.analyses.items():
        sc = a.scorecard
        if sc.empty:
            continue
        for r in sc.to_dict("records"):
            scorecard.append({"pair": key, "kind": r["kind"], "start": r["start"], "end": r["end"],
                              "duration_months": r["duration_months"],
                              "size": float(r["size"])})  # fmt: skip
    sc_html = table_html(pd.DataFrame(scorecard)) if scorecard else "<p>No regime shifts.</p>"
    body = (
        "".join(words)
        + table_html(table.drop(columns=["status"]))
        + "<h3>Reset scorecard across pairs</h3>"
        + sc_html
    )
    return Section("The panel of rival pairs", panel_figure(result), body, anchor="panel")
