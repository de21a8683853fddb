"""YAML with line numbers: the reader of scenario and perspective files.

:func:`read_yaml` gives a file's data and the 1-based line of every key, so that a problem
found later in the data is reported as ``file:line: field``. It refuses what a small
configuration file has no need of and an attacker could use: files over
:data:`MAX_YAML_BYTES`, anchors and aliases, nesting deeper than :data:`MAX_YAML_DEPTH`, and
keys given twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from resetlab.exceptions import Problem, ScenarioError

#: Where a value sits in a file's data: the keys and list positions that lead to it.
Loc = tuple[str | int, ...]


class _DuplicateKey(Exception):
    """A key given twice in one mapping; :func:`read_yaml` turns it into a problem."""

    def __init__(self, loc: Loc, line: int) -> None:
        self.loc, self.line = loc, line


def _walk(node: yaml.Node, loc: Loc, out: dict[Loc, int]) -> None:
    out[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise _DuplicateKey((*loc, key), key_node.start_mark.line + 1)
            seen.add(key)
            out[(*loc, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*loc, key), out)
            out[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*loc, i), out)


#: Largest scenario or perspective file read (bytes); the shipped ones are under 20 KB.
MAX_YAML_BYTES = 1 << 20
#: Deepest nesting of mappings and sequences accepted (the schemas need 5).
MAX_YAML_DEPTH = 32
_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
         yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)  # fmt: skip
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _yaml_problem(name: str, line: int | None, field: str, message: str) -> ScenarioError:
    problem = Problem(name, line, field, message)
    return ScenarioError(f"{name} is not a file resetlab reads", [problem])


def _screen_yaml(text: str, name: str) -> None:
    """Refuse anchors and aliases (an alias bomb expands a few hundred bytes to gigabytes)
    and nesting deeper than :data:`MAX_YAML_DEPTH`, from the token stream, before any
    node is built."""
    depth = 0
    for tok in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(tok, yaml.AnchorToken | yaml.AliasToken):
            raise _yaml_problem(
                name, tok.start_mark.line + 1, "yaml",
                "YAML anchors and aliases (&name, *name) are not allowed; write values out",
            )  # fmt: skip
        if isinstance(tok, _OPEN):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _yaml_problem(
                    name, tok.start_mark.line + 1, "yaml",
                    f"nested deeper than {MAX_YAML_DEPTH} levels",
                )  # fmt: skip
        elif isinstance(tok, _CLOSE):
            depth -= 1


def read_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    """The data of ``path`` and the line of every key (path tuple -> 1-based line)."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"cannot read {name}", [Problem(name, None, "file", str(exc))]) from exc
    if len(raw) > MAX_YAML_BYTES:
        size = f"{len(raw):,} bytes, over the {MAX_YAML_BYTES:,} read"
        raise _yaml_problem(name, None, "file", size)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise _yaml_problem(name, bad_line, "encoding", f"not UTF-8 (byte {exc.start})") from None
    try:
        _screen_yaml(text, name)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ScenarioError(
            f"{name} is not valid YAML", [Problem(name, line, "yaml", str(exc).splitlines()[0])]
        ) from exc
    lines: dict[Loc, int] = {}
    if node is not None:
        try:
            _walk(node, (), lines)
        except _DuplicateKey as dup:
            raise ScenarioError(
                f"{name} does not validate",
                [
                    Problem(
                        name,
                        dup.line,
                        field_path(dup.loc),
                        "given twice (YAML keys must be unique)",
                    )
                ],
            ) from None
    return data, lines


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc``, else of the nearest enclosing key; ``None`` without lines."""
    for k in range(len(loc), -1, -1):
        if loc[:k] in lines:
            return lines[loc[:k]]
    return None


def field_path(loc: Loc) -> str:
    """``loc`` as a dotted field name (``levers.tracks.0.end``)."""
    return ".".join(str(p) for p in loc) or "(file)"
