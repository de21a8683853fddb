"""The report: one self-contained offline HTML file (plotly's JavaScript inlined)."""

from __future__ import annotations

import html
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from resetlab import __version__
from resetlab.index.api import Analysis
from resetlab.report.figures import (
    index_figure,
    indicators_figure,
    loadings_table,
    stability_figure,
)

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1200px;margin:0 auto;
padding:16px 24px;color:#222;line-height:1.45}
h1{margin-bottom:0}.sub{color:#666;margin-top:4px}
h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:36px}
table{border-collapse:collapse;font-size:13px;width:100%}
th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f6f6f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
.reset{color:#2a8a2a;font-weight:600}.breakdown{color:#c0392b;font-weight:600}
.note{background:#f8f8f4;border-left:3px solid #bbb;padding:8px 14px;font-size:14px}
.cards{display:flex;gap:14px;flex-wrap:wrap}.card{background:#f4f7fb;border-radius:6px;padding:10px 16px}
.card b{font-size:22px;display:block}pre{white-space:pre-wrap;margin:0;font-family:inherit}
"""


@dataclass(frozen=True)
class Section:
    """An extra report section: a title, an optional figure and optional HTML below it."""

    title: str
    figure: go.Figure | None = None
    html_after: str = ""
    anchor: str = ""
    lead: bool = False  # shown on the first screen, right after the summary cards


def _fig(fig: go.Figure) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False})


def _cell(v: object) -> str:
    if isinstance(v, float):
        return f'<td class="num">{v:.2f}</td>'
    text = html.escape(str(v))
    if text in {"reset", "breakdown"}:
        return f'<td class="{text}">{text}</td>'
    return f"<td><pre>{text}</pre></td>" if "\n" in text else f"<td>{text}</td>"


def table_html(df: pd.DataFrame) -> str:
    """A plain HTML table (values escaped; floats to two decimals)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in df.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def method_note(a: Analysis) -> str:
    p = a.index.params
    n = a.index.indicators
    aux = ", ".join(f"{k}: {v} months" for k, v in n.items())
    return f"""<div class="note">
<p><b>What the index is.</b> A monthly latent score on the Goldstein scale (-10 hostile .. +10
cooperative), estimated with a Kalman smoother from the mean Goldstein weight of each month's
events in the dyad (noise variance {p.get("sigma2_event", float("nan")):.2f} per event, fixed from
the spread of events within the same month) and the other indicators (high-level contacts and
militarized incidents per month as log of one plus the count, the UN General Assembly voting
agreement, arms-control treaties in force, the tone of the UN General Debate; all standardised,
each with an intercept and loading estimated by maximum likelihood against the event-defined
level). Only an indicator whose loading is positive with a 95% interval excluding zero enters the
index (here: {html.escape(", ".join(a.index.used))}); the others are shown in the table of
loadings as validity checks. The level follows a random walk (monthly variance
{p.get("sigma2_level", float("nan")):.3f}). Months without events carry no event reading; the band
widens there. Readings used: {html.escape(aux)}.</p>
<p><b>Regimes.</b> Change points in the mean of the monthly event weights, each month weighted
by its number of events (exact optimal partitioning with an L2 cost, the same as segmenting the
events with breaks only between months; regimes of at least 6 months and 5 events), drawn over
the index. The penalty ({a.regimes.sweep.chosen:.0f}) is chosen by two-fold cross-validation:
the segmentation fitted to alternate events must predict the other half; the chart below shows the error curve. The stability
column gives the share of penalties within a factor of 4 that keep a break within 3 months. Upward
shifts are resets, downward ones breakdowns; size is the change in mean event weight. No month is
named in the code or data. The peak of a breakdown is its lowest month.</p>
<p><b>Caveats.</b> The built-in record is a curated list of milestones, not a complete event stream:
months with one big event weigh it heavily, and quiet months are missing, not neutral. Bands show the
smoother's uncertainty given the estimated parameters, not uncertainty about the parameters.</p>
</div>"""


def loadings_html(a: Analysis) -> str:
    """The table of each indicator's loading on the index, its interval and variance share."""
    t = loadings_table(a)
    aux = t[t["indicator"] != "events"]
    used = aux[aux["used in index"] == "yes"]["indicator"].tolist()
    out = aux[aux["used in index"] != "yes"]["indicator"].tolist()
    verdict = (
        "The index uses the events and "
        + (", ".join(html.escape(str(u)) for u in used) if used else "no other indicator")
        + ": each used indicator loads positively, with a 95% interval that excludes zero."
    )
    if out:
        verdict += (
            " Not used (their intervals include zero or lie below it; kept as validity checks,"
            " their loadings estimated and shown, see docs/index.md): "
            + ", ".join(html.escape(str(o)) for o in out)
            + "."
        )
    return f"""<h3 id='loadings'>What each indicator contributes</h3>
<p>Loadings on the standardised (and, for incidents, reversed) indicator per Goldstein unit of the
index, each estimated against the event-defined level, with 95% intervals from the observed
information; variance share: the share of the index's month-to-month variation carried by each
indicator's readings (smoothed-state decomposition). {verdict}</p>
{table_html(t)}"""


def build_report(a: Analysis, sections: list[Section] | None = None) -> str:
    """The whole report as one HTML string."""
    f = a.index.frame
    sc = a.scorecard
    n_res = int((sc["kind"] == "reset").sum()) if len(sc) else 0
    n_brk = int((sc["kind"] == "breakdown").sum()) if len(sc) else 0
    latest = f.iloc[-1]
    cards = f"""<div class="cards">
<div class="card"><b>{len(a.events)}</b>events in the record</div>
<div class="card"><b>{f["month"].iloc[0]} .. {f["month"].iloc[-1]}</b>months covered</div>
<div class="card"><b>{latest["score"]:.2f}</b>index in {latest["month"]} (80%: {latest["lo80"]:.2f} to {latest["hi80"]:.2f})</div>
<div class="card"><b>{n_res} / {n_brk}</b>resets / breakdowns found</div></div>"""
    score_cols = ["kind", "start", "end", "peak_month", "duration_months", "size", "stability",
                  "began_with", "ended_with"]  # fmt: skip
    lead = [s for s in sections or [] if s.lead]
    rest = [s for s in sections or [] if not s.lead]
    parts = [
        f"<h1>resetlab report: United States and Russia</h1>"
        f"<p class='sub'>resetlab {__version__}, generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        "Every event marker shows its source on hover.</p>",
        cards,
        *(_section_html(s) for s in lead),
        "<h2 id='index'>The relations index</h2>",
        _fig(index_figure(a)),
        "<h2 id='scorecard'>Reset scorecard</h2>",
        "<p>Each regime shift found in the index, with the events near its start and its end.</p>",
        table_html(sc[score_cols]) if len(sc) else "<p>No regime shifts found.</p>",
        "<h3>Events in the record that speak of a reset, and the nearest reset found</h3>",
        table_html(a.announced) if len(a.announced) else "<p>None in the record.</p>",
        "<h2 id='indicators'>Other indicators</h2>",
        _fig(indicators_figure(a)),
        loadings_html(a),
        "<h2 id='stability'>How many regimes? Cross-validation and stability across penalties</h2>",
        _fig(stability_figure(a)),
    ]
    parts += [_section_html(s) for s in rest]
    parts += ["<h2 id='method'>Method</h2>", method_note(a), _sources_note()]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>resetlab report</title>"
        f"<style>{CSS}</style><script type='text/javascript'>{get_plotlyjs()}</script></head>"
        f"<body>{''.join(parts)}</body></html>"
    )


def _section_html(s: Section) -> str:
    anchor = f" id='{html.escape(s.anchor)}'" if s.anchor else ""
    out = f"<h2{anchor}>{html.escape(s.title)}</h2>"
    if s.figure is not None:
        out += _fig(s.figure)
    return out + s.html_after


def _sources_note() -> str:
    return """<h2 id='data'>Data and citations</h2><ul>
<li>Events: resetlab's built-in record, each with its own source (hover a marker, or
<code>resetlab record export</code>); sanctions cases from the Global Sanctions Data Base v3
(Felbermayr et al. 2020; Syropoulos et al. 2022) and militarized disputes from the Correlates of
War / GML MID data, where present.</li>
<li>UN voting agreement: Bailey, Strezhnev &amp; Voeten (2017), "Estimating Dynamic State Preferences
from United Nations Voting Data", Journal of Conflict Resolution 61(2); Voeten UNGA voting data.</li>
<li>CAMEO to Goldstein weights: Goldstein (1992), JCR 36(2), via the icews R package (A. Beger);
PLOVER categories: openeventdata PLOVER (CC BY-SA 4.0).</li></ul>"""


def write_report(a: Analysis, path: Path | str, sections: list[Section] | None = None) -> Path:
    """Write the report atomically; return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(build_report(a, sections))
    os.replace(tmp, path)
    return path
