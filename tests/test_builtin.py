"""The built-in record: every file checks, covers 1991-2025, and bad rows are named."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from resetlab.config import data_dir
from resetlab.exceptions import RecordError
from resetlab.record.builtin import cameo_table, event_files, load_event_files, read_csv_rows
from resetlab.record.schema import EVENT_COLUMNS

HEADER = ",".join(EVENT_COLUMNS)
GOOD = ("2010-04-08-new-start,2010-04-08,day,USA,RUS,AGREE,,,057,8,arms_control,New START signed,"
        "U.S. Department of State,New START,,https://example.org,true,,,,")  # fmt: skip


def test_builtin_record_checks_and_covers_every_year() -> None:
    df = load_event_files()
    assert df["id"].is_unique
    assert (df["source_publication"] != "").all()
    # the U.S.-Soviet/Russian record: every file but the panel's pair files
    us_ru = df[~df["file"].str.startswith("pair-")]
    assert len(us_ru) >= 700
    years = {int(d[:4]) for d in us_ru["date"]}
    assert set(range(1946, 2026)) <= years, sorted(set(range(1946, 2026)) - years)
    dyad = us_ru[
        us_ru["actor"].isin(["USA", "RUS", "NATO"]) & us_ru["target"].isin(["USA", "RUS", "NATO"])
    ]
    assert len(dyad) / len(us_ru) > 0.9
    per_year = us_ru.assign(year=us_ru["date"].str[:4].astype(int)).groupby("year").size()
    assert per_year.loc[1946:2025].min() >= 3  # at least 3 sourced events every year


def test_pair_files_hold_only_their_pair() -> None:
    df = load_event_files()
    pairs = df[df["file"].str.startswith("pair-")]
    assert pairs["file"].nunique() >= 15
    for file, rows in pairs.groupby("file"):
        a, b = (c.upper() for c in file.removeprefix("pair-").removesuffix(".csv").split("-"))
        assert (rows["actor"].isin([a, b]) & rows["target"].isin([a, b])).all(), file
        assert (rows["actor"] != rows["target"]).all(), file
        assert len(rows) >= 30, f"{file}: {len(rows)} events, fewer than 30"
        slug = f"-{a.lower()}-{b.lower()}-"
        assert rows["id"].str.contains(slug, regex=False).all(), f"{file}: ids must carry {slug}"


@pytest.mark.parametrize(
    "date,event_id",
    [
        ("2009-02-07", "biden"),  # Biden's Munich announcement (DESIGN.md)
        ("2009-03-06", "reset-button"),  # the Geneva button meeting
        ("2011-02-05", "new-start"),  # New START in force
        ("2019-08-02", "inf"),  # U.S. withdrawal from the INF Treaty
    ],
)
def test_dates_the_articles_state_are_in_the_record(date: str, event_id: str) -> None:
    df = load_event_files()
    on_day = df[df["date"] == date]
    assert any(event_id in i for i in on_day["id"]), f"no {event_id} event on {date}"


def test_bad_rows_are_named_with_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    bad_date = GOOD.replace("2010-04-08,day", "2010-02-30,day").replace("new-start,", "x1,")
    extra = GOOD.replace("new-start,", "x2,").replace("https://example.org", "https://a.org,b")
    path.write_text("# a note line\n" + "\n".join([HEADER, GOOD, bad_date, GOOD, extra]) + "\n")
    with pytest.raises(RecordError) as err:
        load_event_files([path])
    text = str(err.value)
    assert f"{path}:4: date:" in text
    assert f"{path}:5: id: '2010-04-08-new-start' already used at {path}:3" in text
    assert f"{path}:6: (row): 1 field(s) more than the header" in text


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(HEADER.replace(",summary", "") + "\n")
    with pytest.raises(RecordError, match="summary: column missing from header"):
        load_event_files([path])


def test_every_row_codes_its_cameo_as_cameo_csv_says() -> None:
    """PLOVER event, mode, context and Goldstein weight are the ones cameo.csv gives the code.

    Codes that CAMEO2PLOVER leaves without a PLOVER event (and whose root has none either, e.g.
    017, 018) keep the hand-chosen event; their mode and context must still be cameo.csv's.
    """
    table = cameo_table().set_index("code")
    wrong = []
    for r in load_event_files().itertuples():
        c = table.loc[r.cameo]
        plover = c["plover"] or table.loc[r.cameo[:2], "plover"] or r.plover
        want = (plover, c["plover_mode"], c["plover_context"], float(c["goldstein"]))
        got = (r.plover, r.plover_mode, r.plover_context, float(r.goldstein))
        if got != want:
            wrong.append(f"{r.file}:{r.line}: {r.id} cameo {r.cameo}: {got} != {want}")
    assert not wrong, "\n".join(wrong)


#: The coding rules of docs/data.md ("Coding rules"): which rows are each kind of act.
RATIFICATION = re.compile(
    r"\bratifies\b|consent to ratification|approves (?:START \w+ )?ratification|"
    r"instruments of ratification"
)
NATO_ENLARGEMENT = re.compile(
    r"\bjoins? NATO\b|NATO's \d+(?:st|nd|rd|th) member|"
    r"\binvites?\b.*(?:to join the alliance|accession talks)"
)
FORCE_ROOTS = ("15", "17", "18", "19")
SIDES = {"USA", "RUS", "NATO"}


def _us_russia_record():  # type: ignore[no-untyped-def]
    """The U.S.-Soviet/Russian files (the pair files code their own pair's acts)."""
    df = load_event_files()
    return df[~df["file"].str.startswith("pair-")]


def test_ratifications_are_coded_057() -> None:
    df = _us_russia_record()
    rows = df[df["summary"].str.contains(RATIFICATION)]
    assert len(rows) >= 10  # START I, START II, Moscow Treaty and New START, both sides
    assert (rows["cameo"] == "057").all(), rows.loc[rows["cameo"] != "057", "id"].tolist()
    arms = rows[~rows["summary"].str.contains(r"consular|cultural|trade", case=False)]
    assert (arms["domain"] == "arms_control").all(), arms.loc[
        arms["domain"] != "arms_control", "id"
    ].tolist()


def test_nato_invitations_and_accessions_are_nato_rejecting_russia() -> None:
    df = load_event_files()
    rows = df[df["summary"].str.contains(NATO_ENLARGEMENT)]
    assert len(rows) >= 9  # Madrid 1997 to Sweden 2024
    coded = rows[["actor", "target", "cameo", "domain"]].apply(tuple, axis=1)
    wrong = rows.loc[coded != ("NATO", "RUS", "1232", "military"), "id"].tolist()
    assert not wrong, wrong


def test_force_against_third_countries_is_regional() -> None:
    df = _us_russia_record()
    third = ~df["target"].isin(SIDES) & df["target"].str.fullmatch(r"[A-Z]{3}")
    force = df["cameo"].str[:2].isin(FORCE_ROOTS)
    rows = df[df["actor"].isin(SIDES) & third & force]
    assert {"2014-03-18-crimea-annexation-treaty", "2022-02-24-russia-invades-ukraine"} <= set(
        rows["id"]
    )
    assert (rows["domain"] == "regional").all(), rows.loc[rows["domain"] != "regional", "id"]


#: Hosts that are not the publication they carry (blogs, aggregators, staging or proxy copies,
#: wiki mirrors): a row citing one as its first source cannot claim a checked date.
NOT_ESTABLISHED = {
    "bafl.com", "breitbart.com", "lexology.com", "originalsources.com", "wikimili.com",
    "en.wikipedia.org", "en.m.wikipedia.org", "liquisearch.com", "issuhub.com", "docslib.org",
    "commondreams.org", "truthout.org", "crooksandliars.com", "townhall.com", "pjmedia.com",
    "sofx.com", "newslines.org", "nationalnewswatch.com", "img1-azrcdn.newser.com", "lfwp.net",
    "dev.nsarchive.gwu.edu.946elmp01.blackmesh.com", "homsy-staging.cambridgecore.org",
    "tacticsinstitute.com", "ic911.org", "natyliesbaldwin.com", "everycrsreport.com",
    "redorbit.com", "cdnedge.bbc.co.uk", "covid-19.chinadaily.com.cn", "m8.malaysiakini.com",
}  # fmt: skip


def test_checked_dates_do_not_rest_on_blogs_or_mirrors() -> None:
    df = load_event_files()
    hosts = df["source_url"].map(lambda u: urlparse(u).netloc.removeprefix("www.").rstrip("."))
    checked = df["date_checked"] == "true"
    blog = hosts.isin(NOT_ESTABLISHED) | hosts.str.contains(r"blogspot\.|staging|\.dev\.")
    wrong = df.loc[checked & blog, ["file", "line", "id"]].astype(str).agg(":".join, axis=1)
    assert (checked & (hosts != "")).sum() >= 300  # the rule has rows to bite on
    assert wrong.empty, wrong.tolist()


#: The built-in tables that state dates: the events files, treaties.csv (no source columns:
#: its dated facts are in treaty_events.csv), treaty_events.csv, leaders.csv, elections.csv.
SOURCED_TABLES = ("treaties.csv", "treaty_events.csv", "leaders.csv", "elections.csv")


def _wikipedia_checked(path: Path) -> tuple[list[str], int]:
    """``file:line: field`` of each row of ``path`` that claims a checked date and cites
    Wikipedia (a wikipedia.org address, or a publication naming Wikipedia, as mirrors of its
    text are labelled) in any of its sources; and the number of rows claiming a checked date."""
    hits, checked = [], 0
    for line, row in read_csv_rows(path):
        if row.get("date_checked") != "true":
            continue
        checked += 1
        for field, value in row.items():
            host = urlparse(value).netloc.lower().rstrip(".") if field.endswith("_url") else ""
            named = field.endswith("_publication") and "wikipedia" in value.lower()
            if named or host == "wikipedia.org" or host.endswith(".wikipedia.org"):
                hits.append(f"{path.name}:{line}: {field}")
    return hits, checked


def test_no_checked_date_rests_on_wikipedia() -> None:
    paths = event_files() + [data_dir() / name for name in SOURCED_TABLES]
    found = {path.name: _wikipedia_checked(path) for path in paths}
    wrong = [hit for hits, _ in found.values() for hit in hits]
    assert not wrong, "\n".join(wrong)
    for name in ("treaty_events.csv", "leaders.csv", "elections.csv"):
        assert found[name][1] >= 30, f"{name}: only {found[name][1]} rows claim a checked date"
    assert sum(n for _, n in found.values()) >= 700  # the rule has rows to bite on


def test_wikipedia_citations_are_found_in_any_source_column(tmp_path: Path) -> None:
    path = tmp_path / "leaders.csv"
    rows = [
        "USA,president,A,2001-01-20,,Wikipedia,T,https://en.wikipedia.org/wiki/A,true",
        "USA,president,B,2009-01-20,,The Times,T,https://www.thetimes.com/b,true",
        "USA,president,C,2017-01-20,,WordDisk (Wikipedia text),T,https://worddisk.com/c,true",
        "USA,president,D,2021-01-20,,Wikipedia,T,https://en.m.wikipedia.org/wiki/D,false",
    ]
    header = "country,role,name,start,end,source_publication,source_title,source_url,date_checked"
    path.write_text("# note\n" + "\n".join([header, *rows]) + "\n")
    hits, checked = _wikipedia_checked(path)
    assert checked == 3
    assert hits == [
        "leaders.csv:3: source_publication",
        "leaders.csv:3: source_url",
        "leaders.csv:5: source_publication",
    ]
