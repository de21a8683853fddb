"""The public API: one ``__all__``, every name in it importable, every area represented."""

from __future__ import annotations
import __future__

import ast
import builtins
import importlib
import inspect
import pkgutil
import typing
from pathlib import Path
from types import ModuleType

import pytest

import resetlab
from resetlab import exceptions


@pytest.mark.parametrize("name", resetlab.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(resetlab, name) is not None


def _isort_key(name: str) -> tuple[int, str]:
    """The order of an ``__all__``: constants, then classes, then functions (as ruff sorts)."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def _public_names(module: ModuleType) -> list[str]:
    """The names a module makes public, in ``__all__`` order: its globals not starting with
    ``_``, less the submodules, ``from __future__`` features and ``typing`` names it imports."""
    return sorted(
        (
            n
            for n, v in vars(module).items()
            if not n.startswith("_")
            and not isinstance(v, ModuleType | __future__._Feature)
            and getattr(typing, n, None) is not v
        ),
        key=_isort_key,
    )


def test_all_is_exactly_the_sorted_public_names() -> None:
    """``resetlab.__all__`` is the sorted list of what it defines: the exceptions, the version,
    and every lazily loaded name, each loaded once here."""
    for name in resetlab.__all__:
        getattr(resetlab, name)
    assert resetlab.__all__ == sorted({*_public_names(resetlab), "__version__"}, key=_isort_key)


@pytest.mark.parametrize(
    "sub", ["resetlab.exceptions", "resetlab.model.spec", "resetlab.record.importers"]
)
def test_subpackage_all_is_exactly_its_sorted_public_names(sub: str) -> None:
    mod = importlib.import_module(sub)
    assert mod.__all__ == _public_names(mod)


@pytest.mark.parametrize(
    "sub",
    [
        "resetlab.fit",
        "resetlab.fit.baselines",
        "resetlab.index.claims",
        "resetlab.model",
        "resetlab.model.mechanisms",
        "resetlab.model.strategies",
        "resetlab.reader",
    ],
)
def test_subpackage_all_is_sorted_and_resolves(sub: str) -> None:
    """A package that imports its implementations (the mechanism classes, say) declares a
    smaller ``__all__``: sorted, each name once, each one there."""
    mod = importlib.import_module(sub)
    assert mod.__all__ == sorted(set(mod.__all__), key=_isort_key)
    assert set(mod.__all__) <= set(_public_names(mod))


def test_every_exception_is_public() -> None:
    errors = {n for n, v in vars(exceptions).items()
              if inspect.isclass(v) and issubclass(v, Exception) and not n.startswith("_")}  # fmt: skip
    assert errors <= set(resetlab.__all__)
    assert set(exceptions.__all__) <= set(resetlab.__all__)


def test_subpackage_all_names_are_public() -> None:
    """What a subpackage declares public in its own ``__all__`` is reachable from ``resetlab``."""
    missing = []
    for sub in ("resetlab.model", "resetlab.reader", "resetlab.fit"):
        mod = importlib.import_module(sub)
        for name in getattr(mod, "__all__", []):
            if name not in resetlab.__all__ and name not in {
                "ModelSpec", "ScoreWeights", "Forcing", "QUANTILES", "build_spec", "run_chunk",
            }:  # engine internals, documented in docs/model.md  # fmt: skip
                missing.append(f"{sub}.{name}")
    assert not missing, missing


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        resetlab.nope  # noqa: B018


def test_every_module_imports() -> None:
    broken = []
    for info in pkgutil.walk_packages(resetlab.__path__, "resetlab."):
        if info.name.startswith("resetlab.web"):
            continue  # needs the [web] extra; tested in tests/web
        try:
            importlib.import_module(info.name)
        except ImportError as exc:  # pragma: no cover - the message is the assertion
            broken.append(f"{info.name}: {exc}")
    assert not broken, broken


def test_one_version_from_the_package_metadata() -> None:
    from importlib.metadata import version

    import resetlab

    assert resetlab.__version__ == version("resetlab")


def _exception_classes(root: Path) -> list[str]:
    """``file:line: name`` of every exception class defined under ``root``, found from the
    source (so the web app is covered without its extra): a class whose base is a built-in
    exception, a class of :mod:`resetlab.exceptions`, or another such class found here."""
    known = {
        n for n, v in vars(builtins).items() if inspect.isclass(v) and issubclass(v, BaseException)
    }
    known |= {
        n
        for n, v in vars(exceptions).items()
        if inspect.isclass(v) and issubclass(v, BaseException)
    }
    classes: list[tuple[str, int, str, list[str]]] = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute)
                         else "" for b in node.bases]  # fmt: skip
                classes.append((str(path.relative_to(root)), node.lineno, node.name, bases))
    found: dict[str, str] = {}
    grew = True
    while grew:  # a subclass of an exception class defined in the package is one too
        grew = False
        for rel, line, name, bases in classes:
            if f"{rel}:{line}: {name}" not in found and any(b in known for b in bases):
                found[f"{rel}:{line}: {name}"] = name
                known.add(name)
                grew = True
    return sorted(found)


def test_exception_classes_live_only_in_exceptions() -> None:
    """Every public exception class resetlab defines is in :mod:`resetlab.exceptions`.

    The rule's one allowance: a private class (``_Name``) used for control flow inside the
    package, which never escapes a public function (``_DuplicateKey`` of the YAML and JSON
    readers, ``_NotText`` of the importers' value check, ``_UnsignedEntry`` of the cache)."""
    root = Path(resetlab.__file__).parent
    found = [
        where
        for where in _exception_classes(root)
        if not where.startswith("exceptions.py:") and not where.rsplit(": ", 1)[1].startswith("_")
    ]
    assert not found, found


def test_the_exception_check_sees_subclasses_and_the_web_app(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "data.py").write_text(
        "from resetlab.exceptions import ResetlabError\n"
        "class NotReady(ResetlabError): ...\n"
        "class Later(NotReady): ...\n"
        "class _Private(ValueError): ...\n"
        "class Plain: ...\n"
    )
    assert _exception_classes(tmp_path) == [
        "web/data.py:2: NotReady",
        "web/data.py:3: Later",
        "web/data.py:4: _Private",
    ]


def test_fit_errors_are_model_errors() -> None:
    assert issubclass(exceptions.FitError, exceptions.ModelError)
    assert exceptions.FitError.exit_code == 1
