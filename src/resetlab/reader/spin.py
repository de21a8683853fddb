"""Spun-text detection: find machine-paraphrased phrases and map them back.

An article spinner swaps words for rough synonyms one at a time, so a fixed expression of
the field ("Cold War", "foreign policy", "national security") comes out as a phrase nobody
writes ("Chilly Warfare", "overseas coverage", "nationwide safety"). For each pair of
adjacent words, the detector undoes known spinner swaps and asks whether the result is a
known expression while the text as written is not. Several such phrases flag the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Spinner swaps seen in news corpora: word as spun -> words it commonly replaces.
SPUN_WORDS: dict[str, tuple[str, ...]] = {
    "chilly": ("cold",), "warfare": ("war",), "overseas": ("foreign",),
    "coverage": ("policy",), "insurance": ("policy",), "insurance policies": ("policies",),
    "mates": ("friends",), "safety": ("security",), "nationwide": ("national",),
    "workplace": ("office",), "occasion": ("party",), "expertise": ("experience",),
    "middle": ("center",), "pink": ("red",), "urgent": ("pressing",), "energy": ("power",),
    "equipment": ("apparatus",), "accomplice": ("partner",), "poisonous": ("toxic",),
    "inconceivable": ("impossible",), "funds": ("budget",), "technique": ("strategy",),
    "dominated": ("ruled",), "demise": ("death",), "skilled": ("expert",),
    "perception": ("insight",), "evaluation": ("analysis",), "gentle": ("soft",),
    "exhausting": ("hard",), "worldwide": ("global", "international"), "cope": ("deal",),
    "intercontinental": ("international",), "commerce": ("trade",), "protection": ("defense",),
    "armed forces": ("military",), "navy": ("naval",), "sanctuary": ("haven",),
    "opinions": ("reviews",), "chief": ("main", "top"), "authorities": ("government",),
    "governments": ("administrations",), "administration": ("government",),
    "stress": ("pressure",), "troublesome": ("difficult",), "help": ("aid",),
    "nuclear weapons": ("nuclear arms",), "warning": ("alert",), "hazard": ("risk",),
}  # fmt: skip

#: Fixed expressions of the field, lower case, as they are normally written.
EXPRESSIONS: frozenset[str] = frozenset(
    """cold war|foreign policy|foreign policies|foreign minister|foreign ministers|foreign affairs|
    foreign wars|foreign aid|national security|security council|security apparatus|
    security cooperation|security challenges|security zone|security specialist|friends of|
    eurasia center|red button|pressing a|global power|soft power|hard power|reliable partner|
    politically toxic|politically impossible|pass a|a budget|federal budget|russia strategy|
    new strategy|ruled until|until death|expert insight|insight and|and analysis|
    policy agenda|policy agendas|foreign policy agendas|economic sanctions|arms control|
    international aid|deal with|a deal|main threats|top diplomat|hard deadlines|
    government will|federal government|trump administration|obama administration|
    biden administration|explosive pressure|difficult decisions|difficult choices|
    security environment|national interest|naval base|launch on warning|safe haven|
    international community|global security|global stability|power tools|policy reviews|
    office|party controls|past experience|center's mission|new russia|press freedom|
    high pressure|extreme pressure""".replace("\n", "")
    .replace("    ", "")
    .split("|")
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class SpunPhrase:
    """A suspect phrase as found and its likely original wording."""

    found: str
    original: str
    start: int
    end: int


@dataclass(frozen=True)
class SpinReport:
    """Whether an article looks spun, the suspect phrases and the text mapped back."""

    spun: bool
    phrases: tuple[SpunPhrase, ...]
    restored: str
    rate_per_1000_words: float


def _match_case(original: str, found: str) -> str:
    if found.isupper():
        return original.upper()
    if found[:1].isupper() and all(w[:1].isupper() for w in found.split()):
        return " ".join(w[:1].upper() + w[1:] for w in original.split())
    if found[:1].isupper():
        return original[:1].upper() + original[1:]
    return original


def _options(word: str) -> tuple[str, ...]:
    low = word.lower()
    return (low, *SPUN_WORDS.get(low, ()))


def find_spun_phrases(text: str) -> list[SpunPhrase]:
    """Every adjacent word pair that becomes a known expression once spinner swaps are undone."""
    words = list(_WORD.finditer(text))
    out: list[SpunPhrase] = []
    used_until = -1
    for a, b in zip(words, words[1:], strict=False):
        if a.start() < used_until:
            continue
        gap = text[a.end() : b.start()]
        if gap.strip() not in ("", "-"):
            continue
        wa, wb = a.group(0), b.group(0)
        if wa.lower() not in SPUN_WORDS and wb.lower() not in SPUN_WORDS:
            continue
        written = f"{wa.lower()} {wb.lower()}"
        if written in EXPRESSIONS:
            continue
        for oa in _options(wa):
            hit = None
            for ob in _options(wb):
                candidate = f"{oa} {ob}"
                if candidate != written and candidate in EXPRESSIONS:
                    hit = candidate
                    break
            if hit:
                found = text[a.start() : b.end()]
                out.append(SpunPhrase(found, _match_case(hit, found), a.start(), b.end()))
                used_until = b.end()
                break
    return out


def restore(text: str, phrases: list[SpunPhrase]) -> str:
    """The text with each suspect phrase replaced by its likely original."""
    parts: list[str] = []
    last = 0
    for p in sorted(phrases, key=lambda p: p.start):
        parts.append(text[last : p.start])
        parts.append(p.original)
        last = p.end
    parts.append(text[last:])
    return "".join(parts)


def detect_spin(text: str, min_phrases: int = 2) -> SpinReport:
    """Flag text as spun when it has ``min_phrases`` or more distinct suspect phrases."""
    phrases = find_spun_phrases(text)
    distinct = {p.found.lower() for p in phrases}
    n_words = max(1, len(_WORD.findall(text)))
    return SpinReport(
        spun=len(distinct) >= min_phrases,
        phrases=tuple(phrases),
        restored=restore(text, phrases),
        rate_per_1000_words=1000.0 * len(phrases) / n_words,
    )


_LONG_WORD = re.compile(r"[a-z][a-z'-]{2,}")


def _zipf(word: str) -> float | None:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # the reader extra is missing
        return None
    return float(zipf_frequency(word, "en"))


@dataclass(frozen=True)
class WordChoice:
    """How a text's own words compare with those of its near-duplicate.

    ``shift`` is the mean Zipf frequency (``wordfreq``, English) of the words only the text
    uses less that of the words only the other uses: a spinner swaps common words for rarer
    synonyms, so a spun copy has a clearly negative shift; ``words`` is the smaller of the
    two sets of differing words.
    """

    shift: float
    words: int
    rarer: tuple[str, ...]


def word_choice(text: str, other: str) -> WordChoice | None:
    """Compare the words ``text`` alone uses with those ``other`` alone uses; None when the
    frequency list (``wordfreq``) is not installed."""
    if _zipf("the") is None:
        return None
    a = set(_LONG_WORD.findall(text.lower()))
    b = set(_LONG_WORD.findall(other.lower()))
    only_a, only_b = sorted(a - b), sorted(b - a)
    if not only_a or not only_b:
        return WordChoice(0.0, 0, ())
    fa = {w: _zipf(w) or 0.0 for w in only_a}
    fb = [_zipf(w) or 0.0 for w in only_b]
    shift = sum(fa.values()) / len(fa) - sum(fb) / len(fb)
    rarer = tuple(sorted(fa, key=lambda w: fa[w])[:8])
    return WordChoice(round(shift, 3), min(len(only_a), len(only_b)), rarer)


def spun_copy(
    text: str, original: str, max_shift: float = -0.3, min_words: int = 3
) -> tuple[bool, WordChoice | None]:
    """Whether ``text`` reads as a spun copy of its near-duplicate ``original``: the words it
    alone uses are rarer, by ``max_shift`` Zipf units or more, than those they replace."""
    wc = word_choice(text, original)
    if wc is None:
        return False, None
    return wc.words >= min_words and wc.shift <= max_shift, wc
