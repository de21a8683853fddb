from datetime import date

import pandas as pd

from resetlab.reader.events import extract_events
from resetlab.reader.gazetteer import holder, resolve_roles
from resetlab.reader.pipeline import ReaderOptions, match_record
from resetlab.reader.text import sentences_of
from resetlab.record.builtin import cameo_table


def events(text: str, published: date | None = None):  # type: ignore[no-untyped-def]
    return extract_events(sentences_of(text), published)


def test_treaty_withdrawal_is_a_reject_event() -> None:
    (e,) = events("The United States formally withdrew from the INF Treaty on August 2, 2019.")
    assert (e.date, e.precision, e.actor, e.target) == ("2019-08-02", "day", "USA", "RUS")
    table = cameo_table().set_index("code")
    assert e.plover == table.loc[e.cameo, "plover"] == "REJECT"
    assert e.goldstein == table.loc[e.cameo, "goldstein"]


def test_two_dates_two_events_with_nearest_actor() -> None:
    out = events(
        "Putin's warning on March 3, 2015 came before Obama's statement on May 9, 2015 "
        "that Washington and Moscow should resume the reset."
    )
    assert [(e.date, e.actor, e.target) for e in out] == [
        ("2015-03-03", "RUS", "USA"),
        ("2015-05-09", "USA", "RUS"),
    ]


def test_no_event_without_both_sides_or_before_russia_existed() -> None:
    assert events("Congress must pass a budget by March 14, 2025.") == []
    assert events("In 1983 Moscow nearly launched its missiles at the United States.") == []
    assert events("Since February 2022 Russia has accused the United States of everything.") == []


def test_relative_date_needs_publication_date() -> None:
    text = "Yesterday Lavrov met with Secretary Rubio and both sides held talks."
    assert events(text) == []
    (e,) = events(text, date(2025, 2, 19))
    assert e.date == "2025-02-18" and e.plover == "CONSULT"


def test_roles_resolve_by_date() -> None:
    assert holder("RUS", "president", date(2009, 6, 1)) == "Dmitry Medvedev"
    assert holder("RUS", "president", date(2013, 6, 1)) == "Vladimir Putin"
    assert resolve_roles("the Russian president spoke", date(2009, 6, 1)) == [
        ("the Russian president", "Dmitry Medvedev")
    ]


def test_record_match() -> None:
    (e,) = events("The New START Treaty entered into force on February 5, 2011.")
    record = pd.DataFrame(
        [
            {"id": "newstart-eif", "date": "2011-02-05", "precision": "day", "actor": "RUS",
             "target": "USA", "plover": e.plover,
             "summary": "New START treaty enters into force"},
            {"id": "other", "date": "2011-02-05", "precision": "day", "actor": "USA",
             "target": "RUS", "plover": "REJECT", "summary": "New START treaty enters into force"},
        ]
    )  # fmt: skip
    opts = ReaderOptions()
    assert match_record(e, record, opts.match_threshold) == "newstart-eif"
    # same day, other PLOVER type, shared words: still the same event
    assert match_record(e, record.iloc[1:], opts.match_threshold) == "other"
    # other PLOVER type a day later: not the same event
    assert match_record(e, record.iloc[1:].assign(date="2011-02-06"), opts.match_threshold) is None
    # same type, same month, unrelated wording: not the same event
    unrelated = record.iloc[:1].assign(date="2011-02-20", summary="Lavrov visits Havana")
    assert match_record(e, unrelated, opts.match_threshold) is None
    moved = record.assign(date="2012-02-05")
    assert match_record(e, moved, opts.match_threshold) is None


def test_present_tense_signing_outweighs_the_treatys_content() -> None:
    (e,) = events(
        "President Kennedy signs the Limited Test Ban Treaty with the Soviet Union in "
        "October 1963, banning nuclear tests in the air."
    )
    assert (e.date, e.cameo, e.actor, e.target) == ("1963-10", "057", "USA", "RUS")
    assert e.goldstein > 0


def test_cold_war_leaders_stand_for_their_sides() -> None:
    from resetlab.reader.gazetteer import side_mentions

    found = side_mentions("Khrushchev met Eisenhower; Gromyko saw Dulles and the USSR's envoy.")
    assert [m.state for m in found] == ["RUS", "USA", "RUS", "USA", "RUS"]


def test_prisoner_exchange_arrest_and_expulsions_are_coded() -> None:
    pub = date(2022, 12, 8)
    out = events(
        "The United States and Russia exchanged basketball star Brittney Griner for arms "
        "dealer Viktor Bout on Thursday. Russian police arrested Griner at a Moscow airport "
        "in February. Washington and Moscow traded tit-for-tat expulsions of diplomats last "
        "month.",
        pub,
    )
    got = {(e.date[:7], e.cameo, e.goldstein > 0) for e in out}
    assert ("2022-12", "0841", True) in got
    assert ("2022-02", "173", False) in got
    assert ("2022-11", "166", False) in got
