"""The one locator of project folders (perspectives, scenarios)."""

from __future__ import annotations

from pathlib import Path

import pytest

from resetlab.config import project_folder


def test_near_a_folder_beside_it_then_one_level_up(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    assert project_folder("perspectives", scenarios) == scenarios / "perspectives"  # expected
    (tmp_path / "perspectives").mkdir()
    assert project_folder("perspectives", scenarios) == tmp_path / "perspectives"
    (scenarios / "perspectives").mkdir()
    assert project_folder("perspectives", scenarios) == scenarios / "perspectives"


def test_without_near_the_working_folder_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "perspectives").mkdir()
    assert project_folder("perspectives") == tmp_path / "perspectives"
    assert project_folder("no-such-folder") == tmp_path / "no-such-folder"
