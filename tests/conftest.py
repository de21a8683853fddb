"""Shared fixtures: every test gets its own RESETLAB_HOME and cache key, so no test touches
~/.resetlab or ~/.config."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("resetlab_home")
    monkeypatch.setenv("RESETLAB_HOME", str(home))
    monkeypatch.setenv("RESETLAB_CACHE_KEY", str(home.parent / f"{home.name}-cache.key"))
    return home


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the repository; skip cleanly when it is absent."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip(f"shared data folder {path} is absent (only present in the team's workspace)")
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="also run the tests marked slow (make test and CI do; a plain pytest does not)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow") or config.getoption("-m"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow (make test does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
