"""The fit results as published: the words and tables the report and the dashboard share.

Both read the same cached results of :class:`resetlab.fit.pipeline.Pipeline` (the report
computes them; the dashboard only reads what is cached, :func:`published`), and both say
what the numbers support in words made here, from the numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from resetlab.fit.outlook import NO_SKILL, outlook_table

if TYPE_CHECKING:
    from resetlab.fit.pipeline import Pipeline

_BASE_VERDICTS = ("best baseline", "baseline")


def skill_headline(skill: pd.DataFrame, describe: str) -> str:
    """One sentence on whether any perspective beats the best baseline (plain text)."""
    persp = skill[~skill["verdict"].isin(_BASE_VERDICTS)]
    claims = persp[persp["verdict"] == "skill"]
    if claims.empty:
        return (
            "No perspective beats the best baseline at any horizon (Diebold-Mariano test with "
            "a Newey-West variance, Holm-corrected over the horizons, p < 0.05; "
            f"{describe}): no skill claim. On this record the articles' accounts forecast no "
            "better than the simple rules."
        )
    per = claims.groupby("model")["horizon"].agg(
        lambda h: f"{h.min()}-{h.max()} months ({len(h)} horizons)"
    )
    listed = "; ".join(f"{m} at {v}" for m, v in per.items())
    return (
        f"Skill over the best baseline (Holm-corrected Diebold-Mariano p < 0.05): {listed} "
        f"({describe}). Everywhere else: no skill claim."
    )


def outlook_headline(outlook: pd.DataFrame) -> str:
    """One sentence on how to read the outlook's probabilities (plain text)."""
    n = int((outlook["verdict"] != NO_SKILL).sum())
    if n == 0:
        return (
            "The outlook's probabilities have no Brier skill on their own event in the "
            f"backtest under any perspective: {NO_SKILL}."
        )
    if n == len(outlook):
        return f"All {n} perspectives show Brier skill on the outlook's event in the backtest."
    return (
        f"{n} of {len(outlook)} perspectives show Brier skill on the outlook's event in the "
        f"backtest; the others: {NO_SKILL}."
    )


def _rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in df.to_dict("records"):
        out.append(
            {str(k): (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        )
    return out


def published(p: Pipeline) -> dict[str, Any]:
    """What the report shows of the fit, from the cache only: never computes a fit.

    ``available`` is False (with the command that makes them) until ``resetlab run`` or
    ``resetlab backtest`` and ``resetlab outlook`` have cached the results of this budget.
    """
    bt, o, claims = p.peek("backtest"), p.peek("outlook"), p.peek("claims")
    out: dict[str, Any] = {"budget": p.budget.name, "available": bt is not None and o is not None}
    if bt is None or o is None:
        out["how"] = f"resetlab run --budget {p.budget.name} (or resetlab backtest and outlook)"
        return out
    skill = p.skill()
    table = outlook_table(o, bt)
    out.update(
        {
            "origins": bt.describe_origins(),
            "skill_headline": skill_headline(skill, bt.describe_origins()),
            "outlook_headline": outlook_headline(table),
            "reset_start": o.reset_start,
            "level": o.level,
            "compare": _rows(p.compare()),
            "mcs": _rows(p.mcs()),
            "skill_claims": _rows(skill[skill["verdict"] == "skill"]),
            "outlook": _rows(table.drop(columns=[], errors="ignore")),
            "claims": []
            if claims is None
            else _rows(claims.drop(columns=["events"], errors="ignore")),
        }
    )
    return out
