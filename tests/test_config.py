"""The one locator of project folders (perspectives, scenarios)."""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import resetlab
from resetlab.config import project_folder, shipped_folder
from resetlab.exceptions import ScenarioError
from resetlab.model.spec import load_scenario, scenario_path


def test_near_a_folder_beside_it_then_one_level_up(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    # nothing near: the perspectives shipped in the package
    assert project_folder("perspectives", scenarios) == shipped_folder("perspectives")
    assert project_folder("no-such-folder", scenarios) == scenarios / "no-such-folder"
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


def test_without_a_local_folder_the_shipped_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("perspectives", "scenarios"):
        folder = project_folder(name)
        assert folder == shipped_folder(name)
        assert folder.is_relative_to(Path(resetlab.__file__).parent)
        assert sorted(folder.glob("*.yaml")), f"no YAML files shipped in {folder}"


def test_the_package_data_globs_ship_every_perspective_and_scenario() -> None:
    """The wheel carries what :func:`shipped_folder` points at: every file in the shipped
    folders matches a ``package-data`` pattern of pyproject.toml."""
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    patterns = tomllib.loads(pyproject.read_text())["tool"]["setuptools"]["package-data"][
        "resetlab"
    ]
    root = Path(resetlab.__file__).parent
    for name in ("perspectives", "scenarios"):
        for f in shipped_folder(name).iterdir():
            rel = f.relative_to(root).as_posix()
            assert any(fnmatch.fnmatch(rel, p) for p in patterns), f"{rel} is not shipped"


def test_a_bare_scenario_name_is_read_from_the_scenarios_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert scenario_path("reset-2025") == shipped_folder("scenarios") / "reset-2025.yaml"
    assert (
        load_scenario("reset-2025").name
        == load_scenario(shipped_folder("scenarios") / "reset-2025.yaml").name
    )
    # a path is a path, even where a shipped scenario has its name
    assert scenario_path("./reset-2025") == Path("reset-2025")
    with pytest.raises(ScenarioError, match="no-such"):
        load_scenario("no-such")


@pytest.mark.slow
def test_an_installed_wheel_finds_the_shipped_folders(tmp_path: Path) -> None:
    """Build the wheel and check it holds every shipped perspective and scenario."""
    repo = Path(__file__).resolve().parents[1]
    out = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(repo)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (wheel,) = out.glob("resetlab-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("perspectives", "scenarios"):
        for f in shipped_folder(name).glob("*.yaml"):
            assert f"resetlab/{name}/{f.name}" in names
