"""The panel of rival pairs: its pair table and the indicator tables derived from ../shared/data."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from resetlab.record.builtin import read_table
from scriptload import load_script

REPO = Path(__file__).resolve().parents[1]
PANEL = REPO / "src" / "resetlab" / "data" / "panel"
ACTORS = REPO / "src" / "resetlab" / "data" / "actors.csv"


def _script() -> ModuleType:
    return load_script("derive_panel")


def test_pairs_table_is_consistent() -> None:
    pairs = read_table(PANEL / "pairs.csv")
    iso = set(read_table(ACTORS)["iso3"])
    assert len(pairs) >= 15 and pairs["pair"].is_unique
    for r in pairs.to_dict("records"):
        assert r["a"] < r["b"] and r["pair"] == f"{r['a']}-{r['b']}"
        assert {r["a"], r["b"]} <= iso, r
    cow = {(int(r["cow_a"]), int(r["cow_b"])) for r in pairs.to_dict("records")}
    assert len(cow) == len(pairs)


def test_at_least_fifteen_pairs_are_listed_rivalries() -> None:
    riv = read_table(PANEL / "rivalries.csv")
    assert riv["pair"].nunique() >= 15
    assert set(riv["list"]) == {"td", "tss"}


def test_known_facts_in_the_derived_tables() -> None:
    mie = read_table(PANEL / "mie_months.csv").set_index(["pair", "month"])
    # the Zhenbao (Damansky) island clashes, March 1969; the Cuban missile crisis, October 1962
    assert int(mie.loc[("CHN-RUS", "1969-03"), "incidents"]) >= 5
    assert int(mie.loc[("RUS-USA", "1962-10"), "incidents"]) >= 1
    assert mie.index.get_level_values("month").max() <= "2014-12"
    atop = read_table(PANEL / "atop_years.csv").set_index(["pair", "year"])
    assert atop.loc[("GRC-TUR", "1952"), "defense"] == "1"  # both join NATO in 1952
    assert ("RUS-USA", "1970") not in atop.index
    un = read_table(PANEL / "un_distance.csv")
    d = un[un["pair"] == "RUS-USA"].set_index("year")["distance"].astype(float)
    assert d.loc["1960"] > d.loc["1992"]  # Cold War voting gap wider than in the 1990s thaw


def test_tables_rederive_from_shared_data(shared_data: Path, tmp_path: Path) -> None:
    mod = _script()
    (tmp_path / "pairs.csv").write_bytes((PANEL / "pairs.csv").read_bytes())
    tables = mod.derive(shared_data, tmp_path)
    mod.write(tables, tmp_path)
    for name in mod.DERIVE:
        fresh = read_table(tmp_path / f"{name}.csv")
        kept = read_table(PANEL / f"{name}.csv")
        assert fresh.equals(kept), f"{name}.csv differs from a fresh derivation"
        assert list(kept.columns) == list(mod.COLUMNS[name])


def test_a_pair_missing_from_the_sources_gets_no_rows(shared_data: Path, tmp_path: Path) -> None:
    mod = _script()
    (tmp_path / "pairs.csv").write_text(
        "pair,a,b,cow_a,cow_b,name,events\nAAA-BBB,AAA,BBB,9998,9999,nowhere,\n", encoding="utf-8"
    )
    tables = mod.derive(shared_data, tmp_path)
    assert all(rows == [] for rows in tables.values())


@pytest.mark.parametrize("name", ["un_distance", "mie_months", "mid_years", "atop_years"])
def test_every_row_names_a_panel_pair(name: str) -> None:
    pairs = set(read_table(PANEL / "pairs.csv")["pair"])
    assert set(read_table(PANEL / f"{name}.csv")["pair"]) <= pairs
