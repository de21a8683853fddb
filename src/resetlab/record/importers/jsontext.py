"""JSON event files (a list of objects, or JSON lines) read value by value with their lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from resetlab.record.importers.base import RowCollector


class _DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys)


def _decode(
    r: RowCollector, text: str, at: int, line: int, first_line: int
) -> tuple[Any, int] | None:
    """The JSON value at ``text[at:]`` (starting on ``line``; ``text`` starts on ``first_line``)
    as ``(value, end)``, or None with the problem noted."""
    try:
        return _DECODER.raw_decode(text, at)
    except _DuplicateKey as exc:
        r.bad(line, str(exc), "key given twice in one object")
    except json.JSONDecodeError as exc:
        r.bad(first_line + exc.lineno - 1, "json", f"not JSON ({exc.msg})")
    except RecursionError:
        r.bad(line, "json", "nested too deeply to read")
    except ValueError as exc:  # an integer past Python's digit limit
        r.bad(line, "json", f"unreadable value ({exc})")
    return None


def _json_list(r: RowCollector, text: str, start: int) -> Iterator[tuple[int, Any]]:
    """The elements of the JSON list opening at ``text[start]``, with their lines."""
    n, i, counted, line = len(text), start + 1, 0, 1

    def skip(j: int) -> int:
        while j < n and text[j] in " \t\r\n":
            j += 1
        return j

    def problem(message: str) -> None:
        r.read += 1
        r.bad(line, "json", message)

    i = skip(i)
    first = True
    while True:
        line += text.count("\n", counted, i)
        counted = i
        if i >= n:
            problem("the list is not closed with ']'")
            return
        if text[i] == "]" and first:
            break
        got = _decode(r, text, i, line, 1)
        if got is None:
            r.read += 1
            return
        yield line, got[0]
        first = False
        i = skip(got[1])
        line += text.count("\n", counted, i)
        counted = i
        if i < n and text[i] == ",":
            i = skip(i + 1)
            if i < n and text[i] == "]":
                line += text.count("\n", counted, i)
                problem("a ',' before the closing ']'")
                return
            continue
        if i < n and text[i] == "]":
            break
        problem("expected ',' or ']' after a list element" if i < n else
                "the list is not closed with ']'")  # fmt: skip
        return
    rest = skip(i + 1)
    if rest < n:
        line += text.count("\n", counted, rest)
        problem("content after the list's closing ']'")


def json_values(r: RowCollector, text: str) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` for each element of a JSON array or each line of JSON lines.

    A list is read element by element with the line count carried forward (linear in the
    file); anything after its closing ``]`` is an error, not ignored.
    """
    start = len(text) - len(text.lstrip())
    if text[start : start + 1] == "[":
        yield from _json_list(r, text, start)
        return
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        got = _decode(r, raw, len(raw) - len(raw.lstrip()), line, line)
        if got is not None and raw[got[1] :].strip():
            r.bad(line, "json", "more than one JSON value on the line")
            got = None
        if got is None:
            r.read += 1
            continue
        yield line, got[0]
