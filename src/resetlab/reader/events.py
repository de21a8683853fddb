"""Dated events between the two states, from verb and keyword patterns per PLOVER category.

A sentence yields an event when it has a date (its own, or, for a strong trigger, one from
the three sentences before), a mention of each side (or a bilateral treaty standing for
both) and a trigger phrase. The Goldstein weight comes from the CAMEO code the trigger
stands for, through the built-in CAMEO table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from resetlab.reader.dates import DateMention, find_dates
from resetlab.reader.gazetteer import RUS, RUS_FROM, TREATY_RE, USA, Mention, side_mentions
from resetlab.reader.text import Sentence


@dataclass(frozen=True)
class Trigger:
    """A phrase pattern naming an event by CAMEO code; its PLOVER type comes from the table.

    ``plover`` is the intended category, used only if the CAMEO table lacks the code.
    """

    plover: str
    cameo: str
    pattern: re.Pattern[str]
    strong: bool = False


def _t(plover: str, cameo: str, pattern: str, strong: bool = False) -> Trigger:
    return Trigger(plover, cameo, re.compile(pattern, re.IGNORECASE), strong)


#: Trigger phrases, most specific first. CAMEO codes: 030 express intent to cooperate,
#: 057 sign formal agreement, 040 consult, 036 express intent to meet, 120 reject,
#: 163 impose embargo or sanctions, 112 accuse, 130 threaten, 150 military posture,
#: 195 (employ aerial weapons) is not used; 190 use conventional military force.
TRIGGERS: tuple[Trigger, ...] = (
    _t(
        "SUPPORT",
        "057",
        r"\b(entered into force|came into force|signed (?:the|a|an) \w+|ratified|"
        r"declared an end to)\b",
        strong=True,
    ),
    _t(
        "REJECT",
        "120",
        r"\b(withdr[ae]w(?:al)? from|pulled out of|walked away from|"
        r"refus(?:ed|ing) to|rejected|suspend(?:ed|s|ing)? (?:its |their )?participation)\b",
        strong=True,
    ),
    _t("AGREE", "030", r"\b(reset|resetting|push(?:ing)? the .{0,3}reset|rapprochement)\b"),
    _t(
        "AGREE",
        "030",
        r"\b(initiated|launched) .{0,40}\b(effort|initiative|policy|strategy|"
        r"technique)\b",
        strong=True,
    ),
    _t(
        "CONSULT",
        "040",
        r"\b(photo-op|met with|meeting|summit|talks with|held talks|visited)\b",
        strong=True,
    ),
    _t(
        "COERCE",
        "163",
        r"\b(impos(?:ed|es) sanctions|sanctioned|expelled|banned|bans)\b",
        strong=True,
    ),
    _t("ACCUSE", "112", r"\b(accused|blamed|condemned)\b"),
    _t("THREATEN", "130", r"\b(threatened|warned)\b"),
    _t("MOBILIZE", "150", r"\b(deployed|deployments|military exercises|mobilized)\b"),
    _t("ASSAULT", "190", r"\b(annexed|annexation|invaded|invasion|attacked)\b", strong=True),
)


@dataclass(frozen=True)
class ReadEvent:
    """One candidate event read from an article."""

    date: str
    precision: str
    actor: str
    target: str
    plover: str
    cameo: str
    goldstein: float
    sentence: str
    confidence: float
    sentence_index: int
    record_id: str | None = None


@lru_cache(maxsize=1)
def _weights() -> dict[str, float]:
    from resetlab.record.builtin import cameo_weights

    return cameo_weights()


@lru_cache(maxsize=1)
def _plovers() -> dict[str, str]:
    from resetlab.record.builtin import cameo_table

    t = cameo_table()
    return {c: p for c, p in zip(t["code"], t["plover"], strict=True) if p}


#: Triggers whose events may borrow a date from the sentences just before.
_CARRY_PLOVER = ("CONSULT", "AGREE")


def _event_date(d: DateMention) -> date | None:
    if d.value is None:
        return None
    parts = [int(p) for p in d.value.split("-")] + [12, 28]
    if d.precision == "year":
        return date(parts[0], 12, 31)
    return date(parts[0], parts[1], min(parts[2], 28))


def _usable(d: DateMention) -> bool:
    end = _event_date(d)
    return d.value is not None and not d.boundary and end is not None and end >= RUS_FROM


def _trigger_near(sentence: str, pos: int) -> tuple[Trigger, int] | None:
    best: tuple[Trigger, int] | None = None
    for trig in TRIGGERS:
        for m in trig.pattern.finditer(sentence):
            dist = abs(m.start() - pos)
            if best is None or dist < best[1]:
                best = (trig, dist)
    return best


_PREPOSITIONS = frozenset(
    "with against to toward towards on into from of at for about over between".split()
)


def _sides(sentence: str, pos: int, seg_start: int = 0) -> tuple[str, str] | None:
    """Actor and target. In the stretch of the sentence leading up to this date (from the
    previous date on) the actor is the agent of a passive ("launched by Biden"), else the
    first side named that is not the object of a preposition ("relations with Russia")."""
    mentions = side_mentions(sentence)
    states = {m.state for m in mentions}
    if states == {USA, RUS}:
        segment = [m for m in mentions if seg_start <= m.start <= pos] or mentions

        def before(m: Mention) -> str:
            words = re.findall(r"[\w-]+", sentence[max(0, m.start - 40) : m.start].lower())
            words = [w for w in words if w not in ("the", "then-vice", "president", "vice")]
            return words[-1] if words else ""

        agents = [m for m in segment if before(m) == "by"]
        subjects = [m for m in segment if before(m) not in _PREPOSITIONS]
        actor = (agents or subjects or segment)[0].state
        return actor, RUS if actor == USA else USA
    if TREATY_RE.search(sentence):
        if states == {RUS}:
            return RUS, USA
        return USA, RUS
    return None


def extract_events(sentences: tuple[Sentence, ...], published: date | None) -> list[ReadEvent]:
    """Candidate events from an article's sentences, one per usable date mention."""
    weights = _weights()
    plovers = _plovers()
    out: list[ReadEvent] = []
    recent: list[tuple[int, DateMention]] = []
    for s in sentences:
        found = find_dates(s.text, published)
        mentions = [d for d in found if _usable(d)]
        carried = False
        if not mentions:
            near = [d for i, d in recent if s.index - i <= 3]
            if near:
                trig_any = _trigger_near(s.text, 0)
                if (
                    trig_any is not None
                    and trig_any[0].strong
                    and trig_any[0].plover in _CARRY_PLOVER
                ):
                    mentions = [near[-1]]
                    carried = True
        seg_start = 0
        for d in mentions:
            pos = 0 if carried else d.start
            trig = _trigger_near(s.text, pos)
            sides = _sides(s.text, pos if not carried else len(s.text), seg_start)
            seg_start = d.end if not carried else 0
            if trig is None or sides is None:
                continue
            trigger, dist = trig
            hedged = re.search(r"\b(should|would|could|must|need to|might)\b", s.text)
            if hedged and dist > 60 and (carried or d.precision != "day"):
                continue
            conf = 0.45 + (0.2 if d.precision == "day" else 0.1 if d.precision == "month" else 0.0)
            conf += 0.15 if dist <= 40 else 0.0
            conf += 0.1 if trigger.strong else 0.0
            if carried:
                conf = min(conf, 0.4)
            if d.relative:
                conf -= 0.1
            assert d.value is not None and d.precision is not None
            out.append(
                ReadEvent(
                    date=d.value,
                    precision=d.precision,
                    actor=sides[0],
                    target=sides[1],
                    plover=plovers.get(trigger.cameo) or trigger.plover,
                    cameo=trigger.cameo,
                    goldstein=weights.get(trigger.cameo, 0.0),
                    sentence=s.text,
                    confidence=round(min(conf, 0.95), 2),
                    sentence_index=s.index,
                )
            )
        # a line that is only a date (a dateline) lends its date to nothing
        rest = s.text
        for d in found:
            rest = rest.replace(d.text, "")
        if mentions and not carried and len(re.sub(r"\W", "", rest)) > 5:
            recent.extend((s.index, d) for d in mentions)
    return out
