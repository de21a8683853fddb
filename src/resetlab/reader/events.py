"""Dated events between the two states, from verb and keyword patterns per PLOVER category.

A sentence yields an event when it has a date (its own, or, for a strong trigger, one from
the three sentences before), a mention of each side (or a bilateral treaty standing for
both) and a trigger phrase. The Goldstein weight comes from the CAMEO code the trigger
stands for, through the built-in CAMEO table. Where no trigger is found, a sentence with
both sides and its own date to the month may be coded like its nearest labelled example
(:mod:`resetlab.reader.event_examples`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType

from resetlab.reader.dates import DateMention, find_dates
from resetlab.reader.gazetteer import RUS, TREATY_RE, USA, Mention, side_mentions
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


#: Trigger phrases in the PETRARCH manner (verb patterns), most specific first, each with
#: the CAMEO code it stands for: 057 sign formal agreement, 070 provide aid, 030 express
#: intent to cooperate, 051 praise, 040 consult, 166 expel, 163 impose sanctions,
#: 125 reject a meeting, 120 reject, 111 criticize, 112 accuse, 130 threaten, 0841 release
#: or exchange prisoners, 173 arrest or detain,
#: 150 military posture, 190 use conventional military force. Verbs these miss are looked
#: up in the PLOVER verb table (:func:`plover_verbs`).
TRIGGERS: tuple[Trigger, ...] = (
    _t("SUPPORT", "057", r"\b(entered into force|came into force|signed (?:the|a|an) [\w-]+|"
       r"signed\b|signs (?:the|a|an)\b|signing ceremony|ratified|declared an end to|sign(?:s|ed)? off on)\b",
       strong=True),
    _t("REJECT", "120", r"\b(withdr[ae]w(?:al|n|ing)? from|withdrawing from|pull(?:ed|ing|s)? "
       r"out of|walked away from|abandon(?:ed|ing)?|scrap(?:ped)?|suspend(?:ed|s|ing)? "
       r"(?:its |their )?(?:participation|obligations)|refus(?:ed|ing) to|rejected|"
       r"decision to withdraw)\b", strong=True),
    _t("COERCE", "166", r"\b(expel(?:led|s|ling)?|expulsions?|kick(?:ed|ing) out|persona non "
       r"grata|shuttered|clos(?:ed|ing) (?:two )?(?:facilities|compounds|consulates?))\b",
       strong=True),
    _t("COERCE", "163", r"\b(impos(?:ed|es|ing) (?:\w+ )?sanctions|sanction(?:ed|s|ing)?|"
       r"froze .{0,40}assets|asset freezes?|banned|bans|banning)\b", strong=True),
    _t("REJECT", "125", r"\b(called off|cancel(?:l)?(?:ed|s|ing)? (?:\w+ ){0,3}(?:summit|"
       r"meeting|visit)|snub(?:bed|bing)?)\b", strong=True),
    _t("RETREAT", "0841", r"\b((?:prisoner|spy) (?:exchange|swap)s?|swapp?(?:ed|s)?\b|"
       r"exchanged .{0,80}\bfor\b|freed)\b", strong=True),
    _t("COERCE", "173", r"\b(arrest(?:ed|s)?|detain(?:ed|s)?|jailed)\b", strong=True),
    _t("AID", "070", r"\b(aid package|aid parcel|assistance|offer(?:ed|s)? .{0,30}aid)\b",
       strong=True),
    _t("AGREE", "030", r"\b(reset|resetting|push(?:ed|ing)? the .{0,3}reset|rapprochement|"
       r"fresh start|new start in|partnership|agreed to|pledg(?:ed|ing)|commit(?:ted|s)? "
       r"(?:themselves|their)|agreed broadly|return their ambassadors|affirmed their "
       r"agreement|reaffirm)\b"),
    _t("AGREE", "030", r"\b(initiated|launched) .{0,40}\b(effort|initiative|policy|strategy|"
       r"technique)\b", strong=True),
    _t("SUPPORT", "051", r"\b(welcomed|hailed|praised)\b", strong=True),
    _t("CONSULT", "040", r"\b(photo-op|met with|met\b|meeting|summit|talks|held talks|"
       r"visited|telephoned|phoned|phone call|dinner|news conference)\b", strong=True),
    _t("ACCUSE", "111", r"\b(criticis(?:ed|ing)|criticiz(?:ed|ing)|a mistake|blasted|"
       r"attacked|branded|denounced|without agreement|no agreement|disagree(?:ment)?|"
       r"an? (?:\w+ ){1,2}mistake|"
       r"deadlock(?:ed|s)?)\b", strong=True),
    _t("ACCUSE", "112", r"\b(accus(?:ed|ing|ations?)|blamed|condemned|interference|"
       r"meddl(?:ing|ed)|hacking)\b"),
    _t("THREATEN", "130", r"\b(threatened|warned)\b"),
    _t("MOBILIZE", "150", r"\b(deployed|deployments|military exercises|mobilized)\b"),
    _t("ASSAULT", "190", r"\b(annexed|annexation|invaded|invasion|attacked)\b", strong=True),
)  # fmt: skip


@lru_cache(maxsize=1)
def plover_verbs(min_count: int = 2) -> Mapping[str, tuple[str, str]]:
    """Head verbs of the PLOVER gold-standard coded phrases -> (PLOVER category, CAMEO
    code), from the table ``scripts/derive_plover_verbs.py`` writes (:mod:`plover_verbs`); verbs seen fewer than
    ``min_count`` times are left out. Read-only: the table is cached and shared."""
    from resetlab.reader.plover_verbs import ROWS

    return MappingProxyType(
        {verb: (plover, cameo) for verb, plover, n, cameo in ROWS if n >= min_count}
    )


def code_sentence(sentence: str) -> tuple[str, str] | None:
    """The (PLOVER, CAMEO) code of a sentence: the first trigger pattern that matches,
    else the first word found in the PLOVER verb table."""
    for trig in TRIGGERS:
        if trig.pattern.search(sentence):
            return trig.plover, trig.cameo
    table = plover_verbs()
    for w in re.findall(r"[a-z][a-z'-]+", sentence.lower()):
        if w in table:
            return table[w]
    return None


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
    #: ``rules`` (a verb pattern or the PLOVER verb table) or ``example`` (the nearest
    #: labelled example, :mod:`event_examples`; then its reference and cosine).
    coded_by: str = "rules"
    example: str | None = None
    example_similarity: float | None = None


@lru_cache(maxsize=1)
def _weights() -> Mapping[str, float]:
    from resetlab.record.builtin import cameo_weights

    return MappingProxyType(cameo_weights())


@lru_cache(maxsize=1)
def _plovers() -> Mapping[str, str]:
    from resetlab.record.builtin import cameo_table

    t = cameo_table()
    return MappingProxyType({c: p for c, p in zip(t["code"], t["plover"], strict=True) if p})


#: Sentences at the head of an article (its lead) whose events, when undated, take the
#: publication date: news leads report the day's happening.
_LEAD = 3

#: Words that make an undated sentence something other than a report of what happened:
#: plans, expectations, conditions, questions, history ("has been", "since").
_NOT_REPORTED = re.compile(
    r"\b(will|would|could|may|might|should|must|plans? to|planned to|planning to|expected|"
    r"hopes?|if|whether|"
    r"since|has been|have been|had been|ago|years?|decades?|often|always|never|usually)\b|\?",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"\u201c][^\"\u201d]{0,400}[\"\u201d]")

#: Triggers whose events may borrow a date from the sentences just before.
_CARRY_PLOVER = ("CONSULT", "AGREE")


def _event_date(d: DateMention) -> date | None:
    if d.value is None:
        return None
    parts = [int(p) for p in d.value.split("-")] + [12, 28]
    if d.precision == "year":
        return date(parts[0], 12, 31)
    return date(parts[0], parts[1], min(parts[2], 28))


#: The record covers the Soviet Union as the Russian side from the end of the Second World
#: War; earlier dates in an article are history, not events of the dyad.
SOVIET_FROM = date(1945, 9, 2)


#: A year naming a treaty, law or meeting ("the 1972 Anti-Ballistic Missile Treaty", "the
#: 1987 treaty") is part of a name, not the date of a happening in the sentence.
_ATTRIBUTIVE_YEAR = re.compile(
    r"\b(?:the|a|an|its|their)\s+(?:[\w-]+\s+)?\d{4}\s+(?:[\w-]+\s+){0,4}?(?:treaty|"
    r"treaties|accords?|agreements?|pact|act|law|convention|summit|charter|declaration)\b"
    r"|\b(?:that|which|who)\s+(?:was|were|had been)\s+\w+\s+in\s+\d{4}\b",
    re.IGNORECASE,
)


def _attributive(sentence: str, d: DateMention) -> bool:
    if d.precision != "year":
        return False
    return any(m.start() <= d.start < m.end() for m in _ATTRIBUTIVE_YEAR.finditer(sentence))


def _usable(d: DateMention) -> bool:
    end = _event_date(d)
    return d.value is not None and not d.boundary and end is not None and end >= SOVIET_FROM


#: A trailing participle clause (", banning tests in the air") describes what the main
#: clause names; its verbs code the sentence only when the main clause has no trigger.
_PARTICIPLE = re.compile(r",\s+(?!including\b|according\b)[a-z]+ing\b")


def _trigger_near(sentence: str, pos: int) -> tuple[Trigger, int] | None:
    best: tuple[Trigger, int] | None = None
    cut = _PARTICIPLE.search(sentence)
    if cut is not None and any(
        m.start() < cut.start() for trig in TRIGGERS for m in trig.pattern.finditer(sentence)
    ):
        sentence = sentence[: cut.start()]
    for trig in TRIGGERS:
        for m in trig.pattern.finditer(sentence):
            dist = abs(m.start() - pos)
            if best is None or dist < best[1]:
                best = (trig, dist)
    if best is None:
        table = plover_verbs()
        for m in re.finditer(r"[a-z][a-z'-]+", sentence.lower()):
            if m.group(0) in table:
                plover, cameo = table[m.group(0)]
                trig = Trigger(plover, cameo, re.compile(re.escape(m.group(0))), False)
                dist = abs(m.start() - pos)
                if best is None or dist < best[1]:
                    best = (trig, dist)
    return best


def _main_clause(sentence: str) -> str:
    """The sentence up to a reported clause ("Yeltsin repeated that ..."), quotations out:
    where hedges and tense words say whether the sentence reports a happening."""
    head = re.split(r"\bthat\b", _QUOTED.sub(" ", sentence), maxsplit=1)[0]
    return head


def _headline(sentence: str) -> bool:
    """A title line kept among the sentences: no closing stop and mostly capitalised words."""
    text = sentence.strip()
    if text.endswith((".", "!", "?", '"', "\u201d")):
        return False
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    if len(words) < 3:
        return True
    caps = sum(w[0].isupper() for w in words if len(w) > 3)
    return caps >= 0.6 * max(1, sum(len(w) > 3 for w in words))


_PREPOSITIONS = frozenset(
    "with against to toward towards on into from of at for about over between".split()
)


#: Other states and alliances: a sentence naming one of them and only one of the two sides
#: is about that third party ("Russian tanks widened their assault on Georgia"), not about
#: the dyad.
THIRD_PARTY_RE = re.compile(
    r"\b(Georgia|Georgian|Ukraine|Ukrainian|Kyiv|Kiev|Crimea|Iran|Iranian|Tehran|Iraq|Syria|"
    r"Syrian|China|Chinese|Beijing|North Korea|Pyongyang|Britain|British|London|Germany|"
    r"German|Berlin|France|French|Paris|Poland|Polish|Japan|India|Pakistan|Israel|Turkey|"
    r"Cuba|Serbia|Kosovo|Yugoslavia|Belgrade|Chechnya|Lithuania|Baltic|Afghanistan|Taliban|"
    r"European Union|EU|United Nations|U\.N\.|OPEC)\b"
)


def _sides(
    sentence: str, pos: int, seg_start: int = 0, dyad: bool = False
) -> tuple[str, str] | None:
    """Actor and target. In the stretch of the sentence leading up to this date (from the
    previous date on) the actor is the agent of a passive ("launched by Biden"), else the
    first side named that is not the object of a preposition ("relations with Russia").

    With ``dyad`` (the article is about the two sides), a sentence that names only one side
    and no third party is taken to be about the other side too: the side named is the actor,
    or the target when it is the object of a preposition ("sanctions against Russia")."""
    mentions = side_mentions(sentence)
    states = {m.state for m in mentions}
    if dyad and len(states) == 1 and not TREATY_RE.search(sentence):
        if THIRD_PARTY_RE.search(sentence):
            return None
        m0 = mentions[0]
        words = re.findall(r"[\w-]+", sentence[max(0, m0.start - 40) : m0.start].lower())
        words = [w for w in words if w not in ("the", "president", "russian", "u")]
        named = m0.state
        other = RUS if named == USA else USA
        if words and words[-1] in _PREPOSITIONS and words[-1] != "by":
            return other, named
        return named, other
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


def article_dyad(sentences: tuple[Sentence, ...]) -> bool:
    """Whether an article names both sides (anywhere in its text)."""
    states = {m.state for s in sentences for m in side_mentions(s.text)}
    return states == {USA, RUS}


_HEDGED = re.compile(r"\b(should|would|could|must|need to|might)\b")


def _example_event(
    s: Sentence,
    d: DateMention,
    sides: tuple[str, str],
    carried: bool,
    threshold: float,
    exclude: str | None,
) -> ReadEvent | None:
    """The event of an uncoded sentence coded like its nearest labelled example, if its own
    date gives at least the month and the sentence is not hedged."""
    from resetlab.reader.event_examples import code_by_example

    if carried or d.precision not in ("day", "month") or d.value is None:
        return None
    if _HEDGED.search(s.text) and d.precision != "day":
        return None
    match = code_by_example(s.text, exclude, threshold)
    if match is None:
        return None
    conf = min(0.6, 0.25 + 0.4 * match.similarity) - (0.1 if d.relative else 0.0)
    ref = (
        match.reference if match.origin not in ("v2", "v3") else f"{match.origin}:{match.reference}"
    )
    return ReadEvent(
        date=d.value,
        precision=d.precision,
        actor=sides[0],
        target=sides[1],
        plover=_plovers().get(match.cameo) or match.plover,
        cameo=match.cameo,
        goldstein=_weights().get(match.cameo, match.goldstein),
        sentence=s.text,
        confidence=round(conf, 2),
        sentence_index=s.index,
        coded_by="example",
        example=ref,
        example_similarity=round(match.similarity, 4),
    )


def extract_events(
    sentences: tuple[Sentence, ...],
    published: date | None,
    example_threshold: float | None = None,
    exclude_examples: str | None = None,
) -> list[ReadEvent]:
    """Candidate events from an article's sentences, one per usable date mention.

    With ``example_threshold``, a sentence that names both sides (or one, in an article
    about the two) and has its own date to the month or day, but that no verb pattern
    codes, is coded like its nearest labelled example when their cosine is at least the
    threshold (:func:`event_examples.code_by_example`); the examples labelled in the file
    ``exclude_examples`` are left out."""
    dyad = article_dyad(sentences)
    weights = _weights()
    plovers = _plovers()
    out: list[ReadEvent] = []
    recent: list[tuple[int, DateMention]] = []
    for s in sentences:
        found = find_dates(s.text, published)
        mentions = [d for d in found if _usable(d) and not _attributive(s.text, d)]
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
        if not mentions and published is not None and s.index < _LEAD:
            trig_lead = _trigger_near(s.text, 0)
            if trig_lead is not None and trig_lead[0].strong and not _headline(s.text):
                mentions = [
                    DateMention(0, 0, "(publication date)", published.isoformat(), "day",
                                True, False)
                ]  # fmt: skip
                carried = True
        body_date = False
        if not mentions and published is not None and s.index >= _LEAD:
            trig_body = _trigger_near(s.text, 0)
            if (
                trig_body is not None
                and trig_body[0].strong
                and not _headline(s.text)
                and not _NOT_REPORTED.search(_main_clause(s.text))
            ):
                mentions = [
                    DateMention(0, 0, "(publication date)", published.isoformat(), "month",
                                True, False)
                ]  # fmt: skip
                carried = body_date = True
        seg_start = 0
        for d in mentions:
            pos = 0 if carried else d.start
            trig = _trigger_near(s.text, pos)
            sides = _sides(s.text, pos if not carried else len(s.text), seg_start, dyad)
            seg_start = d.end if not carried else 0
            if trig is None and sides is not None and example_threshold is not None:
                ev = _example_event(s, d, sides, carried, example_threshold, exclude_examples)
                if ev is not None and not (
                    published is not None and ev.date > published.isoformat()[: len(ev.date)]
                ):
                    out.append(ev)
                continue
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
                conf = min(conf, 0.3 if body_date else 0.4)
            if d.relative:
                conf -= 0.1
            assert d.value is not None and d.precision is not None
            if published is not None and d.value > published.isoformat()[: len(d.value)]:
                continue  # a plan or a schedule, not an event: nothing after publication
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
