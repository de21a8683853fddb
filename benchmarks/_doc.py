"""Replace (or append) one marked section of a Markdown file, so that each benchmark script
keeps its own part of docs/benchmarks.md up to date."""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, name: str, lines: list[str]) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = "\n".join([start, *lines, end])
    text = path.read_text() if path.exists() else ""
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)
