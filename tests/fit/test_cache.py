"""The fit cache: signed entries only, keyed on everything a result reads."""

from __future__ import annotations

import dataclasses
import os
import pickle
from pathlib import Path

import pandas as pd
import pytest

from resetlab.fit import cache as signed


class _Payload:
    """Unpickling this writes a marker file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "ran"))


def test_round_trip_and_key_file_is_private(tmp_path: Path) -> None:
    value = {"frame": pd.DataFrame({"a": [1.0, 2.0]}), "n": 3}
    path = tmp_path / "entry.bin"
    signed.write(path, value)
    found, back = signed.read(path, log=lambda m: None)
    assert found and back["n"] == 3 and back["frame"].equals(value["frame"])
    mode = os.stat(signed.key_path()).st_mode & 0o777
    assert mode == 0o600


@pytest.mark.parametrize("kind", ["bare-pickle", "forged-tag", "other-key"])
def test_a_tampered_entry_never_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    marker = tmp_path / "marker"
    payload = pickle.dumps(_Payload(marker))
    if kind == "bare-pickle":
        blob = payload
    elif kind == "forged-tag":
        blob = signed.MAGIC + b"\0" * 32 + payload
    else:  # signed on another machine: a copied cache folder
        monkeypatch.setenv("RESETLAB_CACHE_KEY", str(tmp_path / "elsewhere.key"))
        blob = signed.dump(_Payload(marker))
        monkeypatch.setenv("RESETLAB_CACHE_KEY", str(tmp_path / "here.key"))
    path = tmp_path / "entry.bin"
    path.write_bytes(blob)
    said: list[str] = []
    found, value = signed.read(path, log=said.append)
    assert not found and value is None
    assert not marker.exists(), "the payload ran"
    assert not path.exists() and "ignored and removed" in said[0]


def _key(store: object, what: str = "claims") -> str:
    from resetlab.fit.pipeline import Pipeline

    return Pipeline.create(store, "quick", log=lambda m: None).key(what)


@pytest.mark.parametrize(
    "change",
    [
        lambda ev: ev.assign(actor=ev["target"], target=ev["actor"]),
        lambda ev: ev.assign(domain="economic"),
        lambda ev: ev.assign(summary=ev["summary"] + "."),
    ],
    ids=["actor-target-swapped", "domain", "summary"],
)
def test_the_key_changes_with_any_column_of_the_events(change) -> None:  # type: ignore[no-untyped-def]
    from resetlab.record.store import Store

    with Store.open(":memory:", build=True) as s:
        from resetlab.fit.pipeline import Pipeline

        p = Pipeline.create(s, "quick", log=lambda m: None)
        before = p.key("claims")
        d = p.data
        ev = d.events.copy()
        first = ev.index[:5]
        ev.loc[first] = change(ev.loc[first])
        p._memo["data"] = dataclasses.replace(d, events=ev)
        assert p.key("claims") != before


def test_the_key_changes_with_the_store_s_record_tables() -> None:
    from resetlab.fit.pipeline import Pipeline
    from resetlab.record.store import Store

    with Store.open(":memory:", build=True) as s:
        p = Pipeline.create(s, "quick", log=lambda m: None)
        before = p.key("claims")
        d = p.data
        assert d.record is not None and d.record.leaders is not None
        assert p.key("claims") == before
        record = d.record.copy()
        assert record.leaders is not None
        record.leaders.loc[record.leaders.index[:1], "name"] = "someone else"
        p._memo["data"] = dataclasses.replace(d, record=record)
        assert p.key("claims") != before


def test_the_key_changes_with_the_package_tables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import shutil

    from resetlab import config
    from resetlab.record.store import Store

    with Store.open(":memory:", build=True) as s:
        before = _key(s)
        copy = tmp_path / "data"
        shutil.copytree(config.data_dir(), copy)
        with open(copy / "leaders.csv", "a", encoding="utf-8") as fh:
            fh.write("\n")
        monkeypatch.setattr("resetlab.fit.pipeline.data_dir", lambda: copy)
        assert _key(s) != before


def _is_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # ``pkg.module.function``: its parent is not a package
        return False


def _imported_fit_modules(start: str) -> set[str]:
    """The ``resetlab.fit`` modules ``start`` imports, directly or through each other."""
    import ast
    import importlib.util

    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            mods = []
            if isinstance(node, ast.ImportFrom) and node.module:
                mods = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            for m in mods:
                if m.startswith("resetlab.fit.") and _is_module(m):
                    todo.append(m)
    return seen


def test_a_cached_posterior_is_keyed_on_every_fit_module_it_runs() -> None:
    """Editing a module the fit imports (its sampler, likelihood, observation step) must
    change the posterior's cache key, or a stale posterior would be read back."""
    from resetlab.fit.pipeline import _CODE

    covered = _CODE["posterior"]
    for mod in _imported_fit_modules("resetlab.fit.calibrate"):
        part = mod.removeprefix("resetlab.").replace(".", "/")
        assert f"{part}.py" in covered or part in covered, f"{mod} is not in the posterior's key"
