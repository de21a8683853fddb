"""Derived tables agree with a fresh derivation from ../shared/data (skipped when it is absent)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from resetlab.record.builtin import load_event_files, read_table
from scriptload import load_script

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "resetlab" / "data"


def _shared() -> Path | None:
    for cand in (
        os.environ.get("RESETLAB_SHARED_DATA"),
        "/work/shared/data",
        REPO.parent / "shared" / "data",
    ):
        if cand and Path(cand).is_dir():
            return Path(cand)
    return None


SHARED = _shared()
needs_shared = pytest.mark.skipif(
    SHARED is None,
    reason="shared data folder (/work/shared/data or ../shared/data) not present; "
    "set RESETLAB_SHARED_DATA to check derived tables against their sources",
)


def _script(name: str) -> ModuleType:
    return load_script(name)


def _rows(path: Path) -> list[dict[str, str]]:
    return read_table(path).to_dict("records")


def test_unga_table_shape_and_range() -> None:
    df = read_table(DATA / "unga_agreement.csv")
    # Every session from the first (1946) to 78 (2023) but 19, which held no recorded votes.
    assert df["session"].astype(int).tolist() == [s for s in range(1, 79) if s != 19]
    assert (df["year"].astype(int) == df["session"].astype(int) + 1945).all()
    agree = df["agreement"].astype(float)
    assert ((agree > 0) & (agree < 1)).all()


@needs_shared
def test_unga_table_matches_rederivation(tmp_path: Path) -> None:
    assert SHARED is not None
    mod = _script("derive_unga")
    out = tmp_path / "unga.csv"
    mod.write(mod.derive(SHARED), out)
    assert out.read_text(encoding="utf-8") == (DATA / "unga_agreement.csv").read_text(
        encoding="utf-8"
    )
    # Cross-check one value directly against the raw Voeten file: session 64 (2009).
    raw = SHARED / "unga_idealpoints_voeten_jun2024" / "IdealpointestimatesAll_Jun2024.csv"
    with open(raw, encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["ccode"] == "365" and r["session"] == "64")
    ours = read_table(DATA / "unga_agreement.csv").set_index("session").loc["64", "agreement"]
    assert float(ours) == pytest.approx(float(row["USAgree"]), abs=1e-6)


@needs_shared
def test_cameo_table_matches_rederivation() -> None:
    assert SHARED is not None
    mod = _script("derive_cameo")
    rows = mod.derive(SHARED)
    committed = _rows(DATA / "cameo.csv")
    assert [tuple(r.values()) for r in rows] == [
        tuple(str(v) for v in r.values()) for r in committed
    ]


@needs_shared
def test_gsdb_cow_events_match_rederivation(tmp_path: Path) -> None:
    assert SHARED is not None
    mod = _script("derive_gsdb_cow")
    out = tmp_path / "derived.csv"
    mod.write(mod.derive(SHARED, REPO), out)
    assert out.read_text(encoding="utf-8") == (DATA / "events" / "derived-gsdb-cow.csv").read_text(
        encoding="utf-8"
    )


@needs_shared
def test_each_gsdb_case_is_linked_or_derived_never_both() -> None:
    assert SHARED is not None
    mod = _script("derive_gsdb_cow")
    cases = [r["case_id"] for _, r in mod.sanction_cases(SHARED)]
    assert len(cases) == len(set(cases)) >= 10
    linked = mod.links(REPO)
    derived = set(
        read_table(DATA / "events" / "derived-gsdb-cow.csv")["id"]
        .str.extract(r"-gsdb-(\d+)-", expand=False)
        .dropna()
    )
    assert set(linked) <= set(cases)
    for case in cases:
        assert (case in linked) != (case in derived), f"GSDB case {case}: linked and derived"


def test_gsdb_links_point_at_hand_compiled_sanctions() -> None:
    links = read_table(DATA / "gsdb_links.csv")
    hand = load_event_files([p for p in sorted((DATA / "events").glob("*.csv"))
                             if not p.name.startswith("derived-")])  # fmt: skip
    by_id = hand.set_index("id")
    assert links["case_id"].is_unique and (links["reason"] != "").all()
    for case, ids in zip(links["case_id"], links["event_ids"], strict=True):
        for event_id in ids.split(";"):
            assert event_id in by_id.index, f"gsdb_links.csv case {case}: no event {event_id}"
            row = by_id.loc[event_id]
            assert row["cameo"][:2] in ("16", "17"), f"case {case}: {event_id} is no sanction"
    derived = read_table(DATA / "events" / "derived-gsdb-cow.csv")
    assert not set(links["case_id"]) & set(
        derived["id"].str.extract(r"-gsdb-(\d+)-", expand=False).dropna()
    )


def test_gsdb_cow_events_are_valid_and_sourced() -> None:
    df = load_event_files([DATA / "events" / "derived-gsdb-cow.csv"])
    assert len(df) > 0
    assert (df["date"].str[:4].astype(int) >= 1991).all()
    assert set(df["actor"]) | set(df["target"]) <= {"USA", "RUS"}
    sanctions = df[df["id"].str.contains("-gsdb-")]
    mids = df[df["id"].str.contains("-mid-")]
    assert (sanctions["cameo"] == "163").all() and (sanctions["plover"] == "COERCE").all()
    assert (sanctions["domain"] == "economic").all()
    assert (mids["domain"] == "military").all()
    assert {"1991-gsdb-416-usa-rus", "2020-gsdb-1168-usa-rus"} <= set(df["id"])
    assert not {"2014-gsdb-1005-usa-rus", "2022-gsdb-1314-usa-rus"} & set(df["id"])
    assert df["id"].map(lambda i: i.startswith(tuple("0123456789"))).all()
    assert (df["date_checked"] == "true").all()


def test_gsdb_cow_file_passes_the_project_checker() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "resetlab.record.builtin",
            str(DATA / "events" / "derived-gsdb-cow.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok:")


def _contacts_script() -> ModuleType:
    return _script("derive_contacts")


@needs_shared
def test_contacts_table_matches_rederivation(tmp_path: Path) -> None:
    assert SHARED is not None
    mod = _contacts_script()
    out = tmp_path / "contacts.csv"
    mod.write(mod.derive(SHARED), out)
    committed = DATA / "indicators" / "contacts.csv"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")


@needs_shared
def test_contacts_rule_finds_the_known_meetings() -> None:
    assert SHARED is not None
    found, last = _contacts_script().contacts(SHARED)
    by_start = {(c.start, c.kind): c for c in found}
    # Summits held in third countries, found through the remarks naming the Soviet leader.
    assert by_start[("1961-06-03", "president")].locale == "Vienna"
    assert by_start[("1985-11-16", "president")].locale == "Geneva"
    assert by_start[("1986-10-09", "president")].locale == "Reykjavik"
    assert by_start[("2018-07-16", "president")].locale == "Helsinki"
    # Glassboro (Kosygin in the U.S.) and Khrushchev's 1959 visit are visits to the U.S.
    assert "Kosygin" in by_start[("1967-06-23", "visit")].text
    assert "Khrushchev" in by_start[("1959-09-15", "visit")].text
    # A trip to Moscow counts by its country; the Secretary accompanying the President on the
    # 1972 Moscow summit is the same contact, not a second one.
    moscow_1972 = [c for c in found if c.start == "1972-05-22"]
    assert [c.kind for c in moscow_1972] == ["president"]
    # Briefing NATO on a summit is no contact with the Soviet side; nor is Shevardnadze as
    # Georgia's leader (Tbilisi 1992 and 2004), nor the 2023 trip to Kyiv.
    assert not [c for c in found if c.start in ("1985-11-21", "1992-05-25", "2004-01-24")]
    assert not [c for c in found if c.start == "2023-02-20"]
    # Anchorage (2025-08) is a domestic trip and after both files end: not in the data.
    assert last == "2024-11"
    assert all(c.month <= "2025-02" for c in found)


def test_contacts_table_shape() -> None:
    df = read_table(DATA / "indicators" / "contacts.csv")
    assert df["month"].iloc[0] == "1946-01"
    months = pd.PeriodIndex(df["month"], freq="M")
    # Every month from the first to the last covered, once.
    assert list(months) == list(pd.period_range(months[0], months[-1], freq="M"))
    parts = df[["president", "secretary", "visits"]].astype(int).sum(axis=1)
    assert (parts == df["contacts"].astype(int)).all()


@needs_shared
def test_mie_table_matches_rederivation(tmp_path: Path) -> None:
    assert SHARED is not None
    mod = _script("derive_mie")
    out = tmp_path / "mie.csv"
    mod.write(mod.derive(SHARED), out)
    committed = DATA / "indicators" / "mie_incidents.csv"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")


def test_mie_table_covers_1946_to_the_data_end() -> None:
    df = read_table(DATA / "indicators" / "mie_incidents.csv")
    assert df["month"].iloc[0] == "1946-01" and df["month"].iloc[-1] == "2014-12"
    assert len(df) == 12 * (2014 - 1946 + 1)
    n, top = df["incidents"].astype(int), df["max_hostility"].astype(int)
    assert ((n == 0) == (top == 0)).all() and top.between(0, 5).all()
    # The Cuban missile crisis (October 1962) has U.S.-Soviet incidents.
    assert int(df.set_index("month").loc["1962-10", "incidents"]) > 0


@needs_shared
def test_ofac_table_matches_rederivation(tmp_path: Path) -> None:
    assert SHARED is not None
    mod = _script("derive_ofac")
    out = tmp_path / "ofac.csv"
    mod.write(mod.derive(SHARED), out)
    committed = DATA / "indicators" / "ofac_russia.csv"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")


def test_ofac_table_is_a_consistent_stock_and_flow() -> None:
    df = read_table(DATA / "indicators" / "ofac_russia.csv")
    months = pd.PeriodIndex(df["month"], freq="M")
    assert list(months) == list(pd.period_range(months[0], months[-1], freq="M"))
    lv, add, rem = (df[c].astype(int) for c in ("levels", "additions", "removals"))
    # Designations in force change by additions less removals, month to month.
    assert (lv.diff().iloc[1:] == (add - rem).iloc[1:]).all()
