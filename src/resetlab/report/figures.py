"""The report's charts (plotly)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from resetlab.index.api import Analysis

DOMAIN_COLOURS = {
    "arms_control": "#1f77b4",
    "military": "#d62728",
    "diplomatic": "#2ca02c",
    "economic": "#ff7f0e",
    "multilateral": "#9467bd",
    "domestic": "#8c564b",
    "regional": "#e377c2",
}


def _ts(months: pd.Series) -> pd.Series:
    return pd.PeriodIndex(months, freq="M").to_timestamp().to_series(index=months.index)


def index_figure(a: Analysis) -> go.Figure:
    """Index with bands and shaded regimes; events below it, hover showing summary and source."""
    f = a.index.frame
    x = _ts(f["month"])
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.04,
        subplot_titles=("Relations index (Goldstein units; 80% and 95% bands)",
                        "Events in the record (Goldstein weight; hover for summary and source)"),
    )  # fmt: skip
    band = dict(mode="lines", line=dict(width=0), hoverinfo="skip")
    fig.add_trace(go.Scatter(x=x, y=f["hi95"], name="95% band", **band, legendgroup="b95",
                             showlegend=False), 1, 1)  # fmt: skip
    fig.add_trace(go.Scatter(x=x, y=f["lo95"], name="95% band", fill="tonexty",
                             fillcolor="rgba(31,119,180,0.12)", **band, legendgroup="b95"), 1, 1)  # fmt: skip
    fig.add_trace(go.Scatter(x=x, y=f["hi80"], name="80% band", **band, legendgroup="b80",
                             showlegend=False), 1, 1)  # fmt: skip
    fig.add_trace(go.Scatter(x=x, y=f["lo80"], name="80% band", fill="tonexty",
                             fillcolor="rgba(31,119,180,0.25)", **band, legendgroup="b80"), 1, 1)  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=x, y=f["score"], name="index", line=dict(color="#1f4e79", width=2),
            customdata=f[["lo80", "hi80"]].to_numpy(),
            hovertemplate="%{x|%Y-%m}: %{y:.2f} (80%: %{customdata[0]:.2f} to %{customdata[1]:.2f})"
            "<extra></extra>",
        ),
        1, 1,
    )  # fmt: skip
    overall = float(f["score"].mean())
    for seg in a.regimes.segments.itertuples(index=False):
        colour = "rgba(44,160,44,0.10)" if seg.mean >= overall else "rgba(214,39,40,0.10)"
        fig.add_vrect(
            x0=pd.Period(seg.start, "M").to_timestamp(),
            x1=(pd.Period(seg.end, "M") + 1).to_timestamp(),
            fillcolor=colour, line_width=0, layer="below", row=1, col=1,
        )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=[pd.Period(seg.start, "M").to_timestamp(), pd.Period(seg.end, "M").to_timestamp()],
                y=[seg.mean, seg.mean], mode="lines", line=dict(color="#555", dash="dot", width=1),
                name="regime mean", legendgroup="regime", showlegend=seg.start == a.regimes.segments["start"].iloc[0],
                hovertemplate=f"regime {seg.start} to {seg.end}: mean {seg.mean:.2f}<extra></extra>",
            ),
            1, 1,
        )  # fmt: skip
    for s in a.regimes.shifts.itertuples(index=False):
        fig.add_annotation(
            x=pd.Period(s.start, "M").to_timestamp(), y=float(f["hi95"].max()),
            text=("▲ reset " if s.kind == "reset" else "▼ breakdown ") + s.start,
            showarrow=False, font=dict(size=10, color="#2ca02c" if s.kind == "reset" else "#d62728"),
            textangle=-90, xanchor="left", yanchor="top", row=1, col=1,
        )  # fmt: skip
    ev = a.events
    if not ev.empty:
        for domain, group in ev.groupby("domain"):
            fig.add_trace(
                go.Scatter(
                    x=pd.to_datetime(group["day"]), y=group["goldstein"], mode="markers",
                    name=str(domain), marker=dict(size=7, color=DOMAIN_COLOURS.get(str(domain), "#777"),
                                                  line=dict(width=0.5, color="white")),
                    customdata=group[["date", "summary", "source"]].to_numpy(),
                    hovertemplate="<b>%{customdata[0]}</b> %{customdata[1]}<br>"
                    "<i>%{customdata[2]}</i><extra>%{fullData.name}</extra>",
                ),
                2, 1,
            )  # fmt: skip
    fig.update_yaxes(title_text="score", row=1, col=1)
    fig.update_yaxes(title_text="Goldstein", range=[-10.5, 10.5], row=2, col=1)
    fig.update_layout(height=720, hovermode="closest", margin=dict(l=60, r=20, t=50, b=40),
                      legend=dict(orientation="h", y=-0.06), template="plotly_white")  # fmt: skip
    return fig


def indicators_figure(a: Analysis) -> go.Figure:
    """The UN voting agreement series and treaties in force beside the index."""
    f = a.observations.frame
    fig = make_subplots(rows=1, cols=2, subplot_titles=(
        "U.S.-Russia UN General Assembly voting agreement (per session)",
        "Arms-control treaties in force (suspended = 1/2)"))  # fmt: skip
    un = f["un_agreement"].dropna()
    fig.add_trace(go.Scatter(x=un.index.to_timestamp(), y=un, mode="lines+markers", name="UN agreement",
                             hovertemplate="%{x|%Y}: %{y:.3f}<extra></extra>"), 1, 1)  # fmt: skip
    # the treaty indicator is observed once a year: join its points, not the empty months
    tr = f["treaties"].dropna()
    if not tr.empty:
        fig.add_trace(go.Scatter(x=tr.index.to_timestamp(), y=tr, mode="lines+markers",
                                 name="treaties in force", line=dict(shape="hv")), 1, 2)  # fmt: skip
    fig.update_layout(height=340, showlegend=False, template="plotly_white",
                      margin=dict(l=50, r=20, t=50, b=30))  # fmt: skip
    return fig


def stability_figure(a: Analysis) -> go.Figure:
    """Breaks and cross-validation error against the change-point penalty, chosen one marked."""
    sw = a.regimes.sweep
    # an infinite penalty (no break at all) cannot sit on a log axis: draw the finite ones
    pen = np.asarray(sw.penalties, dtype=float)
    ok = np.isfinite(pen)
    breaks, cv = np.asarray(sw.n_breaks)[ok], np.asarray(sw.cv_error, dtype=float)[ok]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=pen[ok], y=breaks, mode="lines+markers",
                             line=dict(shape="hv"), name="number of breaks"), secondary_y=False)  # fmt: skip
    fig.add_trace(go.Scatter(x=pen[ok], y=cv, mode="lines", name="cross-validation error",
                             line=dict(color="#ff7f0e")), secondary_y=True)  # fmt: skip
    if np.isfinite(sw.chosen):
        fig.add_vline(x=sw.chosen, line_dash="dash", line_color="#d62728",
                      annotation_text=f"chosen penalty {sw.chosen:.0f}")  # fmt: skip
    fig.update_xaxes(type="log", title_text="penalty (log scale)")
    fig.update_yaxes(title_text="number of breaks", secondary_y=False)
    fig.update_yaxes(title_text="held-out mean squared error", secondary_y=True)
    fig.update_layout(height=340, template="plotly_white", margin=dict(l=50, r=20, t=30, b=40),
                      legend=dict(orientation="h", y=1.12))  # fmt: skip
    return fig


#: What each indicator is, for the report's table of loadings.
INDICATOR_LABELS = {
    "events": "Goldstein-weighted events (fixed at 1: sets scale and sign)",
    "contacts": "high-level contacts per month, log(1+n)",
    "incidents": "militarized incidents per month, log(1+n), reversed",
    "un_agreement": "UN General Assembly voting agreement (annual)",
    "treaties": "arms-control treaties in force (annual)",
    "un_debate": "UN General Debate: tone of each side's mentions of the other (annual)",
}


def loading_verdict(indicator: str, lo: float, hi: float) -> str:
    """How a loading reads: fixed, positive (interval above zero), near zero, or wrong sign."""
    if indicator == "events":
        return "fixed"
    if lo > 0:
        return "positive: interval excludes zero"
    if hi < 0:
        return "wrong sign: interval below zero"
    return "near zero: interval includes zero"


def loadings_table(a: Analysis) -> pd.DataFrame:
    """The report's table of each indicator's loading, 95% interval and variance share."""
    t = a.index.indicator_table()
    return pd.DataFrame(
        {
            "indicator": t["indicator"],
            "what": [INDICATOR_LABELS.get(i, i) for i in t["indicator"]],
            "loading": t["loading"].astype(float),
            "95% lo": t["lo"].astype(float),
            "95% hi": t["hi"].astype(float),
            "variance share": t["variance_share"].astype(float),
            "months": t["months"].astype(int),
            "used in index": ["yes" if u else "no: validity check" for u in t["used"]],
            "excludes zero": [
                "-" if i == "events" else ("yes" if x else "no")
                for i, x in zip(t["indicator"], t["excludes_zero"], strict=True)
            ],
            "reading": [
                loading_verdict(i, lo, hi)
                for i, lo, hi in zip(t["indicator"], t["lo"], t["hi"], strict=True)
            ],
        }
    )
