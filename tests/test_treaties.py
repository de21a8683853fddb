"""Treaty tables: loader validation and status by month on known dates."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from resetlab.exceptions import RecordError
from resetlab.record.treaties import (
    STATUSES,
    load_treaties,
    load_treaty_events,
    treaties_in_force,
    treaty_status,
)

HEADER = "treaty,date,precision,status,party,summary,source_publication,source_title,source_url,date_checked\n"
SRC = "Pub,Title,http://x,true"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def tiny_treaties(tmp_path: Path) -> pd.DataFrame:
    path = _write(
        tmp_path,
        "treaties.csv",
        "# test\nid,name,short_name,kind,parties,description\n"
        "t1,Treaty One,T1,bilateral,USA;RUS,x\n",
    )
    return load_treaties(path)


def test_builtin_tables_load_and_reference_known_treaties() -> None:
    treaties = load_treaties()
    events = load_treaty_events()
    assert {"newstart", "inf", "start2", "abm", "cfe", "openskies", "jcpoa", "syriacw"} <= set(
        treaties["id"]
    )
    assert {"hotline", "ltbt", "ost", "npt", "incsea", "salt1", "ttbt", "salt2"} <= set(
        treaties["id"]
    )
    assert set(events["treaty"]) <= set(treaties["id"])
    assert set(events["status"]) <= set(STATUSES)
    # Every dated row names its source.
    assert (events["source_publication"] != "").all()
    assert (events["source_title"] != "").all()


def test_known_dates_from_the_design_brief() -> None:
    ev = load_treaty_events()

    def day(treaty: str, status: str) -> str:
        rows = ev[(ev["treaty"] == treaty) & (ev["status"] == status)]
        return str(rows["date"].iloc[0])

    assert day("newstart", "in_force") == "2011-02-05"
    assert day("inf", "withdrawn") == "2019-08-02"
    assert day("start2", "signed") == "1993-01-03"
    assert day("abm", "withdrawn") == "2002-06-13"
    assert day("ltbt", "in_force") == "1963-10-10"
    assert day("ttbt", "signed") == "1974-07-03"
    assert day("ttbt", "in_force") == "1990-12-11"
    assert day("salt2", "signed") == "1979-06-18"
    assert day("salt2", "withdrawn") == "1986-05-27"
    assert day("cfe", "signed") == "1990-11-19"


def test_status_1946_1991() -> None:
    months = pd.period_range("1946-01", "1991-12", freq="M")
    s = treaty_status(months)
    ltbt = s["ltbt"]
    assert (ltbt.loc[:"1963-09"] == 0.0).all()
    assert (ltbt.loc["1963-10":] == 1.0).all()  # in force from 10 Oct 1963
    assert (s["salt2"] == 0.0).all()  # signed, never ratified: never counted in force
    assert s.loc[pd.Period("1963-06", "M"), "hotline"] == 1.0
    assert s.loc[pd.Period("1974-12", "M"), "ttbt"] == 0.0  # signed 1974, in force 1990
    assert s.loc[pd.Period("1990-12", "M"), "ttbt"] == 1.0
    assert s.loc[pd.Period("1975-01", "M"), "salt1"] == 1.0
    assert s.loc[pd.Period("1977-10", "M"), "salt1"] == 0.0  # expired 3 Oct 1977
    assert s.loc[pd.Period("1970-03", "M"), "npt"] == 1.0
    assert s.loc[pd.Period("1970-02", "M"), "npt"] == 0.0
    total = treaties_in_force(months)
    assert total.loc[pd.Period("1962-12", "M")] == 0.0  # nothing before the 1963 hotline
    assert total.loc[pd.Period("1975-01", "M")] == 7.0  # hotline ltbt ost npt incsea salt1 abm


def test_status_on_known_months() -> None:
    months = pd.period_range("1991-01", "2025-12", freq="M")
    s = treaty_status(months)
    assert s.loc[pd.Period("2015-06", "M"), "newstart"] == 1.0
    assert s.loc[pd.Period("2023-06", "M"), "newstart"] == 0.5
    assert s.loc[pd.Period("2011-01", "M"), "newstart"] == 0.0
    assert s.loc[pd.Period("2011-02", "M"), "newstart"] == 1.0
    assert s.loc[pd.Period("2018-12", "M"), "inf"] == 1.0
    assert s.loc[pd.Period("2020-01", "M"), "inf"] == 0.0
    assert s.loc[pd.Period("2001-06", "M"), "abm"] == 1.0
    assert s.loc[pd.Period("2002-07", "M"), "abm"] == 0.0
    assert (s["start2"] == 0.0).all()  # never entered into force
    assert s.loc[pd.Period("2010-06", "M"), "cfe"] == 0.5  # suspended by Russia
    assert s.loc[pd.Period("2024-01", "M"), "cfe"] == 0.0
    assert s.loc[pd.Period("2017-01", "M"), "jcpoa"] == 1.0
    assert s.loc[pd.Period("2018-06", "M"), "jcpoa"] == 0.0
    total = treaties_in_force(months)
    assert total.loc[pd.Period("2015-06", "M")] == pytest.approx(s.loc["2015-06"].sum())
    assert total.loc[pd.Period("2024-06", "M")] < total.loc[pd.Period("2010-06", "M")]


def test_status_rules_on_a_synthetic_history(tmp_path: Path, tiny_treaties: pd.DataFrame) -> None:
    events = load_treaty_events(
        _write(
            tmp_path,
            "ev.csv",
            HEADER
            + f"t1,2000-03-10,day,signed,BOTH,s,{SRC}\n"
            + f"t1,2000-06,month,in_force,BOTH,f,{SRC}\n"
            + f"t1,2001,year,suspended,RUS,r,{SRC}\n"
            + f"t1,2002-05-01,day,suspended,USA,u,{SRC}\n"
            + f"t1,2003-01-01,day,in_force,BOTH,again,{SRC}\n"
            + f"t1,2004-02-29,day,terminated,BOTH,t,{SRC}\n",
        ),
        treaties=tiny_treaties,
    )
    months = pd.PeriodIndex(
        ["2000-05", "2000-06", "2000-12", "2001-01", "2002-05", "2003-01", "2004-01", "2004-02"],
        freq="M",
    )
    got = treaty_status(months, events, tiny_treaties)["t1"].tolist()
    assert got == [0.0, 1.0, 1.0, 0.5, 0.0, 1.0, 1.0, 0.0]


def test_bad_rows_are_reported_with_file_line_and_field(
    tmp_path: Path, tiny_treaties: pd.DataFrame
) -> None:
    path = _write(
        tmp_path,
        "bad.csv",
        "# a comment line counts\n"
        + HEADER
        + f"t1,2000-01-01,day,signed,BOTH,ok,{SRC}\n"
        + f"nope,2000-01-01,day,signed,BOTH,x,{SRC}\n"
        + f"t1,2000-13-01,day,signed,BOTH,x,{SRC}\n"
        + f"t1,2000-01-01,day,broken,BOTH,x,{SRC}\n"
        + f"t1,2000-01-01,day,signed,CHN,x,{SRC}\n"
        + "t1,2000-01-01,day,signed,BOTH,x,,Title,,maybe\n",
    )
    with pytest.raises(RecordError) as info:
        load_treaty_events(path, treaties=tiny_treaties)
    found = {(p.line, p.field) for p in info.value.problems}
    assert (4, "treaty") in found
    assert (5, "date") in found
    assert (6, "status") in found
    assert (7, "party") in found
    assert (8, "source_publication") in found
    assert (8, "date_checked") in found
    assert all(p.file == str(path) for p in info.value.problems)
    assert f"{path}:4: treaty:" in str(info.value)
    assert not any(p.line == 3 for p in info.value.problems)


def test_duplicate_treaty_id_and_bad_kind(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "t.csv",
        "id,name,short_name,kind,parties,description\n"
        "a,A,A,bilateral,USA;RUS,x\n"
        "a,A2,A2,trilateral,USA;RUS,x\n",
    )
    with pytest.raises(RecordError) as info:
        load_treaties(path)
    found = {(p.line, p.field) for p in info.value.problems}
    assert found == {(3, "id"), (3, "kind")}


def test_row_with_an_unquoted_comma_is_named(tmp_path: Path) -> None:
    from resetlab.record.treaties import load_treaties

    src = Path(__file__).resolve().parents[1] / "src/resetlab/data/treaties.csv"
    lines = src.read_text(encoding="utf-8").splitlines()
    body = [i for i, ln in enumerate(lines) if not ln.startswith("#")]
    bad_line = body[1]  # the first data row
    lines[bad_line] = lines[bad_line] + ",extra"
    path = tmp_path / "treaties.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match=rf"treaties.csv:{bad_line + 1}: \(row\): 1 field"):
        load_treaties(path)
