"""Constants and types shared by the web tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI

from resetlab.web.settings import WebSettings

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
TOKEN = "web-test-token-0123"


@dataclass(frozen=True)
class Served:
    """The running app and its base URL."""

    app: FastAPI
    url: str
    settings: WebSettings
