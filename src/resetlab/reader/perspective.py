"""Draft a perspective file from the claims an article makes, for a person to edit.

The draft has the form :func:`resetlab.model.spec.load_perspective` checks: ``name``
(the file's stem), ``article`` (when the article's file is a source id like ``003``),
``description``, every mechanism ``m1``..``m21``, the required priors of
:data:`REQUIRED_PRIORS` (none: the editor adds the article's) and no ``claims``. A
mechanism the article asserts is switched on with its default parameters and the sentence
it rests on; one the article denies, or one with no claim, is switched off with the reason.
A source must name an article id (``NNN``): a claim read from a file named otherwise is
quoted in the reason and the mechanism left off for the editor to decide.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import yaml

from resetlab.reader.claims import MECHANISM_IDS

#: Priors a draft starts with besides the article's own: none (the calibration anchors the
#: observation's level to the index and holds ``volatility`` fixed; ``docs/fit.md``).
REQUIRED_PRIORS: tuple[dict[str, Any], ...] = ()


def _source_id(file: str) -> str | None:
    m = re.match(r"^(\d{3})(?:[_.-]|$)", Path(file).name)
    return m.group(1) if m else None


def _defaults(key: str) -> dict[str, float]:
    from resetlab.model.mechanisms import MECHANISMS

    params = MECHANISMS[key].Params
    out: dict[str, float] = {}
    for f in dataclasses.fields(params):
        if f.default is not dataclasses.MISSING:
            out[f.name] = float(f.default)
        elif f.default_factory is not dataclasses.MISSING:  # pragma: no cover - none today
            out[f.name] = float(f.default_factory())
    return out


def draft_perspective(articles: list[dict[str, Any]], name: str | None = None) -> dict[str, Any]:
    """A perspective mapping from read articles (the ``articles`` list of a read result)."""
    files = [a["file"] for a in articles]
    mechanisms: dict[str, Any] = {}
    for key in MECHANISM_IDS:
        best: tuple[float, bool, str, str] | None = None
        for a in articles:
            if a.get("duplicate_of"):
                continue
            for c in a["claims"]:
                if c["mechanism"] != key or len(c["sentence"]) < 12:
                    continue
                cand = (float(c["confidence"]), bool(c["asserts"]), a["file"], c["sentence"])
                if best is None or cand[0] > best[0]:
                    best = cand
        if best is None:
            entry = {"enabled": False, "params": {}, "source": None,
                     "why": "the article makes no claim the reader found for this mechanism"}  # fmt: skip
        else:
            conf, asserts, file, quote = best
            sid = _source_id(file)
            if asserts and sid is not None:
                entry = {"enabled": True, "params": _defaults(key),
                         "source": {"file": sid, "quote": quote},
                         "why": f"read with confidence {conf:.2f}; check the quote and the parameters"}  # fmt: skip
            elif sid is not None:
                entry = {"enabled": False, "params": {}, "source": {"file": sid, "quote": quote},
                         "why": "the article denies this mechanism"}  # fmt: skip
            else:
                entry = {"enabled": False, "params": {}, "source": None,
                         "why": f"claimed in {file} (no article id to cite): {quote}"}  # fmt: skip
        mechanisms[key] = entry
    first = articles[0] if articles else {}
    sid = _source_id(files[0]) if files else None
    year = str(first.get("published") or "")[:4]
    article = (
        {"file": sid, "title": first.get("title") or "(untitled)",
         "author": first.get("author") or "(unknown)", "year": int(year)}
        if sid is not None and year.isdigit()
        else None
    )  # fmt: skip
    stem = Path(files[0]).stem if files else "draft"
    return {
        "name": name or f"draft-{stem}",
        "article": article,
        "description": "Drafted by `resetlab read --draft-perspective` from "
        + ", ".join(files)
        + "; check every quote, parameter and reason before use.",
        "mechanisms": mechanisms,
        "priors": [dict(p) for p in REQUIRED_PRIORS],
        "claims": [],
    }


def write_perspective(perspective: dict[str, Any], path: Path) -> None:
    """Write a drafted perspective as YAML, named after the file so that it validates."""
    perspective = {**perspective, "name": path.stem}
    header = "# Draft perspective written by resetlab read; edit before use.\n"
    text = yaml.safe_dump(perspective, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + text, encoding="utf-8")
