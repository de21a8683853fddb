"""Dating an article that gives no date from the record events its lead reports."""

from datetime import date

import pandas as pd

from resetlab.reader.events import extract_events
from resetlab.reader.record_dating import estimate_date, term_windows
from resetlab.reader.text import parse_article

RECORD = pd.DataFrame(
    [
        {"id": "abm-2001", "date": "2001-12-13", "precision": "day", "actor": "USA",
         "target": "RUS", "plover": "REJECT",
         "summary": "Bush announces U.S. withdrawal from the Anti-Ballistic Missile Treaty"},
        {"id": "abm-1972", "date": "1972-05-26", "precision": "day", "actor": "USA",
         "target": "RUS", "plover": "AGREE",
         "summary": "Nixon and Brezhnev sign the Anti-Ballistic Missile Treaty in Moscow"},
        {"id": "other-dyad", "date": "2001-12-20", "precision": "day", "actor": "USA",
         "target": "CHN", "plover": "REJECT",
         "summary": "Bush withdrew from the Anti-Ballistic Missile Treaty talks"},
    ]
)  # fmt: skip

UNDATED = """Title: U.S. quits missile treaty
Address: https://example.org/story/us-quits-missile-treaty

President Bush withdrew from the 1972 Anti-Ballistic Missile Treaty Thursday, telling Russian
President Vladimir Putin that the treaty hinders defenses against terrorist missiles.
"""


def test_an_undated_lead_takes_the_date_of_the_record_event_it_reports() -> None:
    art = parse_article("a.txt", UNDATED, None, {})
    assert art.published is None
    est = estimate_date(art.sentences, RECORD)
    assert est is not None
    # the 1972 signing is outside the terms of the presidents named; the other row is not
    # a U.S.-Russia event
    assert est.record_id == "abm-2001" and est.date == date(2001, 12, 13)
    events = extract_events(art.sentences, est.date)
    assert [(e.date, e.plover) for e in events] == [("2001-12-13", "REJECT")]


def test_no_estimate_without_a_close_record_event() -> None:
    text = (
        "Address: https://example.org/x\n\nFishermen in Maine signed a lobster contract Thursday.\n"
    )
    art = parse_article("b.txt", text, None, {})
    assert estimate_date(art.sentences, RECORD) is None
    assert estimate_date(art.sentences, RECORD.iloc[0:0]) is None


def test_titled_presidents_bound_the_period() -> None:
    wins = term_windows("President Bush met Russian President Vladimir Putin.")
    assert (date(2001, 1, 20), date(2009, 1, 20)) in wins["USA"]
    assert any(a <= date(2005, 1, 1) < b for a, b in wins["RUS"])
    assert term_windows("Nobody with a title is named here.") == {}
