"""The panel of rival pairs: each pair's index from its own events and the panel's indicators."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from resetlab.cli import app
from resetlab.index.panel import analyse_pair, find_pair, pair_events, pairs
from resetlab.record.store import Store


@pytest.fixture(scope="module")
def store() -> Store:
    s = Store.open(":memory:", build=True)
    yield s
    s.close()


def test_every_pair_has_its_events_file() -> None:
    ps = pairs()
    assert len(ps) >= 15 and ps[0].pair == "RUS-USA"
    data = Path(__file__).resolve().parents[1] / "src" / "resetlab" / "data" / "events"
    for p in ps[1:]:
        assert (data / p.events_file).is_file(), p


def test_pair_events_count_no_happening_twice(store: Store) -> None:
    pair = find_pair(("UKR", "RUS"))
    assert pair is not None and pair.pair == "RUS-UKR"
    ev = pair_events(store, pair)
    assert len(ev) >= 30 and ev["id"].str.contains("-rus-ukr-").all()
    # the U.S.-Russia file's context row on the annexation is not the pair's
    assert "2014-03-18-crimea-annexation-treaty" not in set(ev["id"])


def test_a_pair_index_uses_the_panel_indicators(store: Store) -> None:
    a = analyse_pair(store, ("PAK", "IND"))
    frame = a.observations.frame
    assert frame["incidents"].notna().sum() > 100  # MIE months, zeros where none
    assert frame["un_agreement"].notna().sum() > 50  # one reading a session
    assert frame["contacts"].isna().all()  # U.S. high-level contacts: not this pair
    assert str(a.index.frame["month"].iloc[0]) >= "1947-08"
    tbl = a.index.indicator_table()
    assert set(tbl["indicator"]) >= {"events", "incidents", "un_agreement"}


@pytest.mark.slow
def test_dyads_command_writes_the_panel_table(tmp_path: Path) -> None:
    out = tmp_path / "dyads.csv"
    res = CliRunner().invoke(app, ["dyads", "--format", "csv", "-o", str(out),
                                   "--store", str(tmp_path / "s.duckdb")])  # fmt: skip
    assert res.exit_code == 0, res.output
    import pandas as pd

    df = pd.read_csv(out)
    assert list(df.columns) == ["pair", "name", "span", "events", "indicators", "resets",
                                "breakdowns", "status"]  # fmt: skip
    assert len(df) == len(pairs()) and (df["status"] == "ok").sum() >= 15
