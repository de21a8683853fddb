"""Report sections contributed by other parts of resetlab (the model's fan charts)."""

from __future__ import annotations

from rich.console import Console

from resetlab.report.html import Section


def extra_sections(console: Console) -> list[Section]:
    """Sections beyond the measured record; empty until the model is present."""
    return []
