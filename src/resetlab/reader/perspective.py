"""Draft a perspective file from the claims an article makes, for a person to edit.

Format (until the perspective schema of issue 6 lands): a mapping ``mechanisms`` with one
entry per id M1..M21, each ``{enabled: bool, source: {file, quote}}``. A mechanism the
article asserts is enabled and quotes the asserting sentence; one it denies is disabled and
quotes the denial; one it does not mention is disabled with ``quote: null``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from resetlab.reader.claims import MECHANISM_IDS


def draft_perspective(articles: list[dict[str, Any]], name: str | None = None) -> dict[str, Any]:
    """A perspective mapping from read articles (the ``articles`` list of a read result)."""
    files = [a["file"] for a in articles]
    mechanisms: dict[str, Any] = {}
    for mid in MECHANISM_IDS:
        best: tuple[float, bool, str, str] | None = None
        for a in articles:
            if a.get("duplicate_of"):
                continue
            for c in a["claims"]:
                if c["mechanism"] != mid:
                    continue
                cand = (float(c["confidence"]), bool(c["asserts"]), a["file"], c["sentence"])
                if best is None or cand[0] > best[0]:
                    best = cand
        if best is None:
            mechanisms[mid] = {"enabled": False, "source": {"file": files[0] if files else None,
                                                            "quote": None}}  # fmt: skip
        else:
            mechanisms[mid] = {
                "enabled": best[1],
                "source": {"file": best[2], "quote": best[3]},
            }
    stem = Path(files[0]).stem if files else "draft"
    return {
        "name": name or f"draft-{stem}",
        "description": "Drafted by `resetlab read --draft-perspective`; check every quote.",
        "articles": [
            {"file": a["file"], "title": a.get("title"), "stance": a.get("stance")}
            for a in articles
        ],  # fmt: skip
        "mechanisms": mechanisms,
    }


def write_perspective(perspective: dict[str, Any], path: Path) -> None:
    """Write a drafted perspective as YAML, keeping the mechanism order."""
    header = "# Draft perspective written by resetlab read; edit before use.\n"
    text = yaml.safe_dump(perspective, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + text, encoding="utf-8")
