"""Re-derive resetlab/data/indicators/contacts.csv: U.S.-Soviet/Russian high-level contacts per month.

Source: U.S. Department of State, Office of the Historian, "Travels Abroad of the President",
"Travels Abroad of the Secretary of State" and "Visits by Foreign Leaders" (history.state.gov;
GitHub HistoryAtState/travels and /visits), shared/data/hsg_travels_visits. Public domain / CC0.

The matching rule (docs/data.md, "High-level contacts"). A *contact* is one of:

1. a presidential or Secretary of State trip to the Soviet Union or Russia (the Office of the
   Historian files both under the country id ``russia``);
2. such a trip to any other country whose remarks name a Soviet or Russian leader or foreign
   minister while in office (:data:`LEADERS`: name and the months they held a post that counts),
   or "Soviet/Russian Foreign Minister(s)" without a name, or list the Soviet Union or Russia
   among the "Foreign Ministers of", "Heads of State and Government of", "Chiefs of State and
   Heads of Government of" or "representatives of" those met, or name a treaty or agreement
   signed "with Russia" / "with the Soviet Union";
3. a visit to the U.S. by a Soviet or Russian leader (``from id="russia"``).

Not contacts: briefings of allies about a U.S.-Soviet meeting, meetings of the NATO-Russia
Council and other standing multilateral bodies whose remarks name no Soviet/Russian person, and
mentions of a leader out of office (Shevardnadze as Georgia's leader after 1991). A Secretary
of State trip to the same country whose dates overlap a counted presidential trip is the same
contact and is not counted twice. Each contact counts in the month it starts.

The table runs from 1946-01 to the last month both sources cover (the earlier of the last trip
and the last visit on file); later months are missing, not zero.
Usage: python scripts/derive_contacts.py [SHARED_DATA_DIR] [OUT_CSV]
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NamedTuple

from resetlab.record.builtin import write_table

FIRST_MONTH = "1946-01"
RUSSIA_IDS = frozenset({"russia"})

#: Soviet/Russian leaders and foreign ministers: a regular expression for the name as the
#: Office of the Historian spells it, and the first and last month a mention counts (the
#: months they held a post that counts, to the month).
LEADERS: tuple[tuple[str, str, str], ...] = (
    (r"Stalin", "1946-01", "1953-03"),
    (r"Molotov", "1946-01", "1956-06"),
    (r"Vyshinsky", "1949-03", "1953-03"),
    (r"Malenkov", "1953-03", "1955-02"),
    (r"Bulganin", "1955-02", "1958-03"),
    (r"Khrushchev", "1953-09", "1964-10"),
    (r"Shepilov", "1956-06", "1957-02"),
    (r"Gromyko", "1946-01", "1988-10"),
    (r"Kosygin", "1964-10", "1980-10"),
    (r"Brezhnev", "1964-10", "1982-11"),
    (r"Podgorny", "1965-12", "1977-06"),
    (r"Andropov", "1982-11", "1984-02"),
    (r"Chernenko", "1984-02", "1985-03"),
    (r"Gorbachev", "1985-03", "1991-12"),
    (r"Shevardnadze", "1985-07", "1991-12"),
    (r"Ryzhkov", "1985-09", "1991-01"),
    (r"Bessmertn\w+", "1991-01", "1991-08"),
    (r"Pankin", "1991-08", "1991-11"),
    (r"Yeltsin", "1991-06", "1999-12"),
    (r"Kozyrev", "1990-10", "1996-01"),
    (r"Chernomyrdin", "1992-12", "1998-03"),
    (r"Primakov", "1996-01", "1999-05"),
    (r"Kiriyenko", "1998-04", "1998-08"),
    (r"Stepashin", "1999-05", "1999-08"),
    (r"Putin", "1999-08", "2099-12"),
    (r"Kasyanov", "2000-05", "2004-02"),
    (r"Fradkov", "2004-03", "2007-09"),
    (r"Zubkov", "2007-09", "2008-05"),
    (r"Lavrov", "2004-03", "2099-12"),
    (r"Medvedev", "2007-12", "2020-01"),
    (r"Mishustin", "2020-01", "2099-12"),
    (r"Foreign Minister (?:Igor )?Ivanov", "1998-09", "2004-03"),
)

_COUNTRY = r"(?:the\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*"
PARTY_LIST = re.compile(
    r"(?:Foreign Ministers|Heads of State and Government|Chiefs of State and Heads of "
    r"Government|representatives)\s+of\s+(?:" + _COUNTRY + r"(?:,\s*(?:and\s+)?|\s+and\s+))*"
    r"(?:the\s+)?(?<!-)(?:Soviet Union|Russia)\b(?![-\w])"
)
UNNAMED_MINISTER = re.compile(r"\b(?:Soviet|Russian) Foreign (?:and Defense )?Ministers?\b")
SIGNED_WITH = re.compile(
    r"\b(?:Treaty|treaty|agreement|Agreement) with (?:the Soviet Union|Russia)\b"
)


class Contact(NamedTuple):
    """One high-level contact: kind (president, secretary, visit), dates, place, why it counts."""

    kind: str
    start: str
    end: str
    country: str
    locale: str
    text: str
    reason: str

    @property
    def month(self) -> str:
        return self.start[:7]


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def match_reason(country: str, start: str, remarks: str) -> str | None:
    """Why a trip to ``country`` starting ``start`` with ``remarks`` is a contact, or None."""
    if country in RUSSIA_IDS:
        return "trip to the Soviet Union/Russia"
    month = start[:7]
    for pattern, first, last in LEADERS:
        if first <= month <= last and re.search(r"\b" + pattern + r"\b", remarks):
            return "remarks name a Soviet/Russian leader or foreign minister in office"
    if UNNAMED_MINISTER.search(remarks):
        return "remarks name the Soviet/Russian foreign minister"
    if PARTY_LIST.search(remarks):
        return "remarks list the Soviet Union/Russia among those met"
    if SIGNED_WITH.search(remarks):
        return "remarks name an agreement signed with the Soviet Union/Russia"
    return None


def _trips(shared: Path) -> tuple[list[Contact], str]:
    root = shared / "hsg_travels_visits"
    out: list[Contact] = []
    last = ""
    for folder in ("president-travels", "secretary-travels"):
        for path in sorted((root / folder).glob("*.xml")):
            for trip in ET.parse(path).getroot():
                start = _clean(trip.findtext("start-date"))
                if not start:
                    raise SystemExit(f"{path}: trip {trip.findtext('id')} has no start-date")
                last = max(last, start)
                if start[:7] < FIRST_MONTH:
                    continue
                node = trip.find("country")
                country = node.get("id", "") if node is not None else ""
                remarks = _clean(trip.findtext("remarks"))
                reason = match_reason(country, start, remarks)
                if reason:
                    out.append(
                        Contact(
                            kind=_clean(trip.findtext("role")),
                            start=start,
                            end=_clean(trip.findtext("end-date")) or start,
                            country=country,
                            locale=_clean(trip.findtext("locale")),
                            text=remarks,
                            reason=reason,
                        )
                    )
    return out, last


def _visits(shared: Path) -> tuple[list[Contact], str]:
    out: list[Contact] = []
    last = ""
    for path in sorted((shared / "hsg_travels_visits" / "visits").glob("*.xml")):
        for visit in ET.parse(path).getroot():
            start = _clean(visit.findtext("start-date"))
            if not start:
                raise SystemExit(f"{path}: visit {visit.findtext('id')} has no start-date")
            last = max(last, start)
            node = visit.find("from")
            country = node.get("id", "") if node is not None else ""
            if country in RUSSIA_IDS and start[:7] >= FIRST_MONTH:
                out.append(
                    Contact(
                        kind="visit",
                        start=start,
                        end=_clean(visit.findtext("end-date")) or start,
                        country=country,
                        locale="United States",
                        text=f"{_clean(visit.findtext('visitor'))}: "
                        f"{_clean(visit.findtext('description'))}",
                        reason="visit of a Soviet/Russian leader to the U.S.",
                    )
                )
    return out, last


def contacts(shared: Path) -> tuple[list[Contact], str]:
    """Every contact (rule in the module docstring), by start date; and the last month covered."""
    trips, last_trip = _trips(shared)
    visits, last_visit = _visits(shared)
    president = [t for t in trips if t.kind == "president"]
    kept = list(president)
    for t in trips:
        if t.kind == "president":
            continue
        same = any(
            p.country == t.country and p.start <= t.end and t.start <= p.end for p in president
        )
        if not same:
            kept.append(t)
    kept += visits
    kept.sort(key=lambda c: (c.start, c.kind, c.country))
    return kept, min(last_trip, last_visit)[:7]


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def derive(shared: Path) -> list[dict[str, str]]:
    """One row per month 1946-01..last covered: month, contacts, president, secretary, visits."""
    found, last = contacts(shared)
    rows = []
    for month in _months(FIRST_MONTH, last):
        here = [c for c in found if c.month == month]
        kinds = [c.kind for c in here]
        rows.append(
            {
                "month": month,
                "contacts": str(len(here)),
                "president": str(kinds.count("president")),
                "secretary": str(kinds.count("secretary")),
                "visits": str(kinds.count("visit")),
            }
        )
    return rows


HEADER = (
    "# U.S.-Soviet/Russian high-level contacts per month: presidential and Secretary of State "
    "trips to the USSR/Russia or meeting its leaders elsewhere, and visits of its leaders to the "
    "U.S.\n"
    "# Derived by scripts/derive_contacts.py from U.S. Department of State, Office of the "
    "Historian, Travels Abroad of the President, Travels Abroad of the Secretary of State, Visits "
    "by Foreign Leaders (history.state.gov; HistoryAtState/travels commit 3170c773, "
    "HistoryAtState/visits commit 869ca4f0); public domain.\n"
    "# Matching rule in the script and docs/data.md; a contact counts in its start month; "
    "president = presidential trips (the Secretary's on the same trip not counted again).\n"
)


def write(rows: list[dict[str, str]], out: Path) -> None:
    """Write the rows with the header note."""
    write_table(rows, out, HEADER, list(rows[0]))


def main() -> None:
    repo = Path(__file__).resolve().parents[1]
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else repo.parent / "shared" / "data"
    default = repo / "src/resetlab/data/indicators/contacts.csv"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else default
    rows = derive(shared)
    write(rows, out)
    total = sum(int(r["contacts"]) for r in rows)
    print(f"wrote {len(rows)} months ({total} contacts) to {out}")


if __name__ == "__main__":
    main()
