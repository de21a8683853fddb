"""Re-derive resetlab/data/indicators/gpr_countries.csv: the Caldara-Iacoviello geopolitical
risk index for Russia and the United States, per month, 1946-01 to the file's last month.

Source: the authors' public export ``data_gpr_export.xls`` (Caldara & Iacoviello 2022,
"Measuring Geopolitical Risk", American Economic Review 112(4): 1194-1225), as copied in
shared/data/gpr. Columns kept: ``GPRC_RUS`` and ``GPRC_USA`` (the country series, share of
articles in ten newspapers that discuss adverse geopolitical events involving the country,
from 1985) and ``GPRHC_RUS`` and ``GPRHC_USA`` (the historical country series from three
newspapers, from 1900), rounded to four decimals; empty where the file has no value. Each
series is about one country, not the pair: a covariate or shock intensity, not an
observation of the dyad (not in the index). Reading the .xls needs ``xlrd``.
Usage: python scripts/derive_gpr.py [SHARED_DATA_DIR] [OUT_CSV]
"""

from __future__ import annotations

import sys
from pathlib import Path

from resetlab.record.builtin import write_table

#: Output column -> column of the export.
SERIES = {"gprc_rus": "GPRC_RUS", "gprc_usa": "GPRC_USA",
          "gprhc_rus": "GPRHC_RUS", "gprhc_usa": "GPRHC_USA"}  # fmt: skip
COLUMNS = ("month", *SERIES)
FIRST_MONTH = "1946-01"
HEADER = (
    "# Caldara-Iacoviello geopolitical risk, country series for Russia and the U.S. per month "
    "(gprc_*: ten newspapers, from 1985; gprhc_*: historical, three newspapers, from 1900), "
    "1946-01 on.\n"
    "# Derived by scripts/derive_gpr.py from the authors' export data_gpr_export.xls "
    "(Caldara & Iacoviello 2022, American Economic Review 112(4): 1194-1225).\n"
    "# Not dyadic: a covariate or shock intensity, not an observation of the dyad (not in the "
    "index). See docs/data.md.\n"
)


def derive(shared: Path) -> list[dict[str, str]]:
    """One row per month from :data:`FIRST_MONTH`, in month order."""
    import xlrd

    path = shared / "gpr" / "data_gpr_export.xls"
    book = xlrd.open_workbook(str(path))
    sheet = book.sheet_by_index(0)
    header = [str(v) for v in sheet.row_values(0)]
    missing = [c for c in ("month", *SERIES.values()) if c not in header]
    if missing:
        raise SystemExit(f"{path}: sheet {sheet.name!r} lacks columns {missing}")
    col = {c: header.index(c) for c in ("month", *SERIES.values())}
    rows = []
    for r in range(1, sheet.nrows):
        cell = sheet.cell(r, col["month"])
        if cell.ctype != xlrd.XL_CELL_DATE:
            raise SystemExit(f"{path}: row {r + 1}: month: {cell.value!r} is not a date")
        # as a datetime, not a tuple: xldate_as_tuple refuses the 1900 system's first
        # two months, which Excel's 1900 leap-year bug makes ambiguous (none used here)
        day = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        month = f"{day.year:04d}-{day.month:02d}"
        if month < FIRST_MONTH:
            continue
        row = {"month": month}
        for out, src in SERIES.items():
            c = sheet.cell(r, col[src])
            if c.ctype == xlrd.XL_CELL_EMPTY or c.value == "":
                row[out] = ""
            elif c.ctype == xlrd.XL_CELL_NUMBER and c.value >= 0:
                row[out] = f"{c.value:.4f}"
            else:
                raise SystemExit(f"{path}: row {r + 1}: {src}: {c.value!r} is not a share")
        rows.append(row)
    rows.sort(key=lambda x: x["month"])
    if not rows:
        raise SystemExit(f"{path}: no months from {FIRST_MONTH}")
    return rows


def write(rows: list[dict[str, str]], out: Path) -> None:
    """Write the rows with the header note."""
    write_table(rows, out, HEADER, COLUMNS)


def main() -> None:
    repo = Path(__file__).resolve().parents[1]
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else repo.parent / "shared" / "data"
    default = repo / "src/resetlab/data/indicators/gpr_countries.csv"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else default
    rows = derive(shared)
    write(rows, out)
    print(f"wrote {len(rows)} months ({rows[0]['month']}..{rows[-1]['month']}) to {out}")


if __name__ == "__main__":
    main()
