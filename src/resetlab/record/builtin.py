"""Read and check the built-in record: the readable CSV files in ``resetlab/data``.

Comment lines starting with ``#`` at the top of a CSV file carry its header note (source and
citation); line numbers in errors count them, so ``file:line`` points at the real line.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

from resetlab.config import data_dir
from resetlab.exceptions import Problem, RecordError
from resetlab.record.schema import EVENT_COLUMNS, check_event_row, check_unique_ids


def read_csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each data row of a CSV with optional ``#`` header lines.

    A byte-order mark at the start (``utf-8-sig``, as spreadsheet programs write) is dropped.
    """
    yield from csv_text_rows(path.read_text(encoding="utf-8-sig"))


def csv_text_rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """:func:`read_csv_rows` of a CSV file's text."""
    lines = text.splitlines(keepends=True)
    skip = 0
    while skip < len(lines) and lines[skip].startswith("#"):
        skip += 1
    reader = csv.DictReader(io.StringIO("".join(lines[skip:])))
    for row in reader:
        # reader.line_num is the physical line where this record ended (1-based within body).
        out = {k: (v or "") for k, v in row.items() if k is not None}
        if None in row:  # more fields than the header: an unquoted comma, usually
            out[EXTRA_FIELDS_KEY] = str(len(row[None]))  # type: ignore[index]
        yield skip + reader.line_num, out


def csv_header(path: Path) -> list[str]:
    """The header of a CSV file: its first line that is not a ``#`` note (BOM dropped)."""
    with open(path, encoding="utf-8-sig") as fh:
        first = next((ln for ln in fh if not ln.startswith("#")), "")
    return next(csv.reader([first]), [])


def csv_text_header(text: str) -> list[str]:
    """:func:`csv_header` of a CSV file's text."""
    first = next((ln for ln in text.splitlines() if not ln.startswith("#")), "")
    return next(csv.reader([first]), [])


def duplicated(names: list[str]) -> list[str]:
    """Names that occur more than once, in order of first repeat."""
    seen: set[str] = set()
    out: list[str] = []
    for n in names:
        if n in seen and n not in out:
            out.append(n)
        seen.add(n)
    return out


#: Key under which :func:`read_csv_rows` reports a row with more fields than the header.
EXTRA_FIELDS_KEY = "__extra_fields__"


def read_table(path: Path) -> pd.DataFrame:
    """A built-in CSV as a DataFrame of strings (``#`` header lines skipped)."""
    return pd.read_csv(path, comment=None, skiprows=_header_lines(path), dtype=str).fillna("")


def write_table(
    rows: Sequence[Mapping[str, str]], out: Path, header: str, columns: Sequence[str]
) -> None:
    """Write a derived table as :func:`read_table` reads it: the ``#`` header note (which
    names its source), then the CSV of ``rows`` in ``columns`` order. The scripts in
    ``scripts/derive_*.py`` write their tables with it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        fh.write(header)
        w = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _header_lines(path: Path) -> int:
    n = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            n += 1
    return n


@lru_cache(maxsize=1)
def _cameo_table() -> pd.DataFrame:
    df = read_table(data_dir() / "cameo.csv")
    df["goldstein"] = df["goldstein"].astype(float)
    return df


def cameo_table() -> pd.DataFrame:
    """CAMEO code -> name, Goldstein weight and PLOVER event/mode/context (derived table);
    read once, a fresh copy each call."""
    return _cameo_table().copy()


def cameo_weights() -> dict[str, float]:
    """CAMEO code -> Goldstein weight."""
    t = cameo_table()
    return dict(zip(t["code"], t["goldstein"], strict=True))


def event_files() -> list[Path]:
    """The built-in event CSV files, in name order."""
    return sorted((data_dir() / "events").glob("*.csv"))


def load_event_files(paths: list[Path] | None = None) -> pd.DataFrame:
    """Read and check event CSV files; raise :class:`RecordError` listing every bad row."""
    paths = event_files() if paths is None else paths
    weights = cameo_weights()
    problems: list[Problem] = []
    rows: list[dict[str, str]] = []
    ids: list[tuple[str, int | None, str]] = []
    for path in paths:
        name = str(path)
        try:
            header = csv_header(path)
            body = list(read_csv_rows(path))
        except OSError as exc:
            problems.append(Problem(name, None, "(file)", f"cannot read it: {exc.strerror}"))
            continue
        except UnicodeDecodeError as exc:
            problems.append(Problem(name, None, "(file)", f"not UTF-8 text ({exc.reason})"))
            continue
        except csv.Error as exc:
            problems.append(Problem(name, None, "(file)", f"not readable as CSV ({exc})"))
            continue
        missing = [c for c in EVENT_COLUMNS if c not in header]
        unknown = [c for c in header if c not in EVENT_COLUMNS]
        twice = duplicated(header)
        if twice:
            problems.append(Problem(name, None, ",".join(twice), "column given twice in header"))
        if missing or unknown or twice:
            if missing:
                problems.append(
                    Problem(name, None, ",".join(missing), "column missing from header")
                )
            if unknown:
                problems.append(Problem(name, None, ",".join(unknown), "unknown column in header"))
            continue
        for line, row in body:
            if EXTRA_FIELDS_KEY in row:
                problems.append(
                    Problem(name, line, "(row)", f"{row.pop(EXTRA_FIELDS_KEY)} field(s) more than "
                            "the header; quote values that contain commas")
                )  # fmt: skip
            problems.extend(check_event_row(row, name, line, weights))
            ids.append((name, line, row.get("id", "")))
            rows.append({**row, "file": path.name, "line": str(line)})
    problems.extend(check_unique_ids(ids))
    if problems:
        raise RecordError(f"{len(problems)} problem(s) in the event files", problems)
    return pd.DataFrame(rows, columns=[*EVENT_COLUMNS, "file", "line"])


def main(argv: list[str] | None = None) -> int:
    """``python -m resetlab.record.builtin [FILE...]``: check event files, print problems."""
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or None
    try:
        df = load_event_files(paths)
    except RecordError as exc:
        print(exc, file=sys.stderr)
        return 1
    years = sorted({d[:4] for d in df["date"]})
    print(f"ok: {len(df)} events, years {years[0]}..{years[-1]} ({len(years)} distinct)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
