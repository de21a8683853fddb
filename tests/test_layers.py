"""Data flows one way: no module imports from a layer above its own (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "resetlab"

#: Rank of each top-level part of the package; a module may import only equal or lower ranks.
RANK: dict[str, int] = {
    # beside the layers: used by all, using none of them
    "__init__": 0, "exceptions": 0, "config": 0, "tables": 0, "tasks": 0,
    "record": 1,
    "index": 2,
    "model": 3,
    # the reader turns articles into candidate events (for the record) and draft
    # perspectives (model files), so it sits above the model
    "reader": 4, "fit": 4,
    "report": 5, "web": 5,
    "_cli": 6, "cli": 6, "__main__": 6,
}  # fmt: skip


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` for every ``resetlab`` import in ``path`` (also inside functions)."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "resetlab" or node.module.startswith("resetlab."):
                out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("resetlab")]
    return out


def _is_cli(module: str) -> bool:
    return module.split(".")[-1] in ("cli", "_cli")


def upward_imports(root: Path = PACKAGE) -> list[str]:
    """Every import that goes up a layer. Command-line modules (``*/cli.py``) sit above all
    the layers, since a command composes them; no other module may import one."""
    bad = []
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root)
        own = rel.parts[0].removesuffix(".py")
        assert own in RANK, f"{rel}: {own!r} has no rank in tests/test_layers.py"
        own_cli = f.stem == "cli" or own in ("cli", "_cli", "__main__")
        for line, module in imports_of(f):
            other = _part(module)
            if _is_cli(module) and not own_cli:
                bad.append(f"{rel}:{line}: {own} imports the command-line module {module}")
                continue
            if own_cli:
                continue
            if module == "resetlab" and own != "__init__":
                continue  # ``from resetlab import __version__`` reads the package metadata
            assert other in RANK, f"{rel}:{line}: import of unknown part {module}"
            if RANK[other] > RANK[own]:
                bad.append(f"{rel}:{line}: {own} imports {module}")
    return bad


def test_no_module_imports_from_a_layer_above_it() -> None:
    assert upward_imports() == []


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "x.py").write_text("def f():\n    from resetlab.fit import pipeline\n")
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "y.py").write_text("from resetlab.record.cli import app\n")
    (tmp_path / "index" / "cli.py").write_text("from resetlab.report import html\n")
    assert upward_imports(tmp_path) == [
        "index/y.py:1: index imports the command-line module resetlab.record.cli",
        "model/x.py:2: model imports resetlab.fit",
    ]
