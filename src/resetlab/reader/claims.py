"""Causal claims (mechanisms M1-M21) and the article's stance on a reset.

Rules first: each mechanism has phrase patterns that assert it and, for some, patterns that
deny it. With the embedding model present, each sentence is also compared with a short
description and paraphrased examples of every mechanism (written for this module, not
copied from the articles), and with pro- and anti-reset examples for stance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

from resetlab.reader.embed import Embedder
from resetlab.reader.text import Sentence

Stance = Literal["pro", "anti", "mixed", "neutral"]


@dataclass(frozen=True)
class MechanismPattern:
    """One mechanism: its key (the model's registry key, ``m1``..``m21``), what it says, rule
    patterns and paraphrased examples."""

    id: str
    description: str
    asserts: tuple[str, ...]
    denies: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


MECHANISM_PATTERNS: tuple[MechanismPattern, ...] = (
    MechanismPattern("m1", "Historical baggage, missing shared values and distrust hold relations "
              "back, and each side's duty to provide national security outweighs them all.",
              (r"historical baggage", r"lack of shared values", r"trumped by .{0,40}(fourth|security)"),
              examples=("Old grievances and a values gap weigh on the relationship.",
                        "National security concerns override every other consideration.")),
    MechanismPattern("m2", "Better bilateral relations make cooperation possible in multilateral "
              "bodies such as the OSCE and the UN Security Council.",
              (r"cooperation within multilateral", r"multilateral (institutions|bodies|fora)"),
              examples=("Warmer ties between the two let them work together at the UN.",)),
    MechanismPattern("m3", "A vicious circle: regional disputes lead to nuclear planning against each "
              "other, which deepens distrust, which feeds regional disputes.",
              (r"vicious circle", r"feedback loop", r"compel you to plan for using nukes"),
              examples=("Regional quarrels and nuclear deterrence reinforce each other's distrust.",)),
    MechanismPattern("m4", "Trust results from working through practical differences; it is not a "
              "precondition for cooperation.",
              (r"trust is the product", r"restoring trust is a gradual", r"build trust .{0,60}through"),
              examples=("Cooperation on concrete problems is what builds trust over time.",)),
    MechanismPattern("m5", "Three tracks: routine bureaucratic cooperation, arms control that reduces "
              "deterrence, and dialogue on the regions around Russia.",
              (r"three tracks", r"day-to-day cooperation", r"intensify dialogue"),
              examples=("Progress needs everyday cooperation, arms control and regional dialogue.",)),
    MechanismPattern("m6", "Acute common challenges bring the two together only briefly.",
              (r"short-lived",),
              examples=("Shared crises produce cooperation that does not last.",)),
    MechanismPattern("m7", "Election seasons can halt a reset; expected failure can fulfil itself.",
              (r"election seasons?", r"elections in both countries", r"self-fulfilling prophecy",
               r"re-election"),
              examples=("Campaign politics in both capitals can stall rapprochement.",)),
    MechanismPattern("m8", "Accumulated experience of mutual restraint erodes the case for deterrence.",
              (r"reserve of experience", r"rationale for (nuclear )?deterrence will wither"),
              examples=("If both refrain from provocations long enough, deterrence loses its point.",)),
    MechanismPattern("m9", "Action and reaction: Western moves such as NATO enlargement provoke Russian "
              "pushback, and Russian meddling provokes Washington.",
              (r"provocations?\b", r"pushback", r"antagonistic initiatives", r"helped trigger"),
              examples=("Each side's hostile steps provoke a hostile answer from the other.",)),
    MechanismPattern("m10", "Some moves, like alliance membership or annexation, cannot be walked back.",
              (r"walk-?back", r"will not relinquish", r"not going to withdraw from NATO"),
              examples=("Certain decisions are irreversible once made.",)),
    MechanismPattern("m11", "A workable settlement needs concessions from both sides as one package.",
              (r"concessions from both", r"modus vivendi", r"in return, "),
              examples=("A deal only holds if both sides give something up together.",)),
    MechanismPattern("m12", "Arms control treaties give information and stability; abandoning them "
              "breeds suspicion.",
              (r"breed further suspicions", r"abandoning (open skies|new start)",
               r"increasing confidence", r"incentive to live up to", r"arms race"),
              examples=("Leaving a treaty reduces transparency and raises mistrust.",)),
    MechanismPattern("m13", "A third power, China, changes the bilateral game.",
              (r"\bChina\b", r"\bBeijing\b"),
              examples=("China's rise reshapes what Washington and Moscow want from each other.",)),
    MechanismPattern("m14", "Institutions for routine interaction take the drama out of relations.",
              (r"take the drama out", r"routine interaction", r"Presidential Commission",
               r"no substitute for (?:[\w-]+ ){0,2}dialogue", r"tearing down (?:the )?foundations"),
              examples=("Standing commissions make contacts routine and relations calmer.",)),
    MechanismPattern("m15", "Cooperation needs shared or at least compatible interests.",
              (r"compatible interests", r"shared interests", r"no longer serves the \w+ interests",
               r"(?:do not|don't|never) share (?:\w+ ){0,2}interests", r"interests in common",
               r"common interests?", r"of no interest or value"),
              examples=("Without interests in common there is nothing to cooperate on.",)),
    MechanismPattern("m16", "Detente requires a minimum level of trust before it can start.",
              (r"minimum level of trust", r"requires? .{0,30}trust"),
              (r"not a precondition for cooperation",),
              examples=("Without some trust to begin with, no thaw is possible.",)),
    MechanismPattern("m17", "Alignment with the other side's enemies lowers compatibility.",
              (r"third parties that the other regards as enemies",
               r"common cause with .{0,30}enemies", r"ties with anti-U\.S\. regimes"),
              examples=("Each side arms or befriends the other's adversaries.",)),
    MechanismPattern("m18", "Engagement is read as weakness to exploit; a reset needs change inside "
              "Russia first.",
              (r"weakness and credulity", r"reset inside Russia", r"type of regime",
               r"capitulations?", r"\bappeasement\b", r"rewarded .{0,60} by invading"),
              examples=("Moscow treats conciliatory gestures as weakness to be exploited.",)),
    MechanismPattern("m19", "Resets recur after each breakdown since the Cold War; the 2009 button "
              "read 'overload'.",
              (r"successive .{0,40}resets?", r"attempts? to reset", r"overload", r"peregruzka",
               r"talk past each other",
               r"push the .?reset.? button"),
              examples=("One administration after another has tried to reset relations.",)),
    MechanismPattern("m20", "Asymmetric time horizons: U.S. presidents have about two sure years while "
              "Russian leaders stay for decades.",
              (r"two (surefire|sure) years", r"against the clock", r"for decades",
               r"(until|till) (death|demise)"),
              examples=("American leaders face short windows; Kremlin leaders can wait.",)),
    MechanismPattern("m21", "Russia policy is politically toxic in U.S. domestic politics.",
              (r"politically (toxic|poisonous)", r"politically (impossible|inconceivable)",
               r"political fallout"),
              examples=("Any opening to Moscow carries a heavy domestic political cost.",)),
)  # fmt: skip

MECHANISM_IDS: tuple[str, ...] = tuple(m.id for m in MECHANISM_PATTERNS)

_PRO = (
    r"should (push|restore|work|collaborate|cooperate|seek)", r"abundant reasons",
    r"improved (u\.s\.-russian )?(relationship|cooperation)", r"premature", r"harmful to",
    r"way forward", r"opportunities to cooperate", r"benefit from greater cooperation",
    r"triumph", r"time for a dramatic shift", r"renewed cooperation", r"need to proceed",
    r"restore a cooperative",
)  # fmt: skip
_ANTI = (
    r"\bmistake\b", r"\bimpossible\b", r"wishful thinking", r"weakness and credulity",
    r"cannot reset", r"\bfailed\b", r"easier said than done", r"deteriorated",
    r"unreliable (partner|accomplice)", r"not pragmatism", r"\bdamage\b", r"\bspoiler\b",
    r"trending towards confrontation",
)  # fmt: skip

_STANCE_EXAMPLES = {
    "pro": (
        "Washington and Moscow should restore cooperation; a reset is worth pursuing.",
        "Improving relations with Russia would bring real benefits to both countries.",
    ),
    "anti": (
        "A reset with Russia would be a mistake and is bound to fail.",
        "Engaging Moscow again is wishful thinking that will be exploited.",
    ),
}


@dataclass(frozen=True)
class ArticleClaim:
    """A causal claim found in an article: the mechanism's key (the model's ``m1``..``m21``, or
    ``other``), whether the sentence asserts it, the sentence, the confidence."""

    mechanism: str
    asserts: bool
    sentence: str
    confidence: float
    sentence_index: int
    method: str


_PROTO_CACHE: dict[int, tuple[np.ndarray, list[int]]] = {}


def _prototypes(embedder: Embedder) -> tuple[np.ndarray, list[int]]:
    """Embeddings of every mechanism's description and examples (computed once per model)."""
    key = id(embedder)
    if key not in _PROTO_CACHE:
        protos: list[str] = []
        owner: list[int] = []
        for i, mech in enumerate(MECHANISM_PATTERNS):
            for text in (mech.description, *mech.examples):
                protos.append(text)
                owner.append(i)
        _PROTO_CACHE[key] = (embedder.encode(protos), owner)
    return _PROTO_CACHE[key]


def _rule_claims(sentences: tuple[Sentence, ...]) -> dict[tuple[int, str], ArticleClaim]:
    out: dict[tuple[int, str], ArticleClaim] = {}
    for s in sentences:
        for mech in MECHANISM_PATTERNS:
            deny = any(re.search(p, s.text, re.I) for p in mech.denies)
            hits = sum(bool(re.search(p, s.text, re.I)) for p in mech.asserts)
            if deny or hits:
                conf = 0.7 if deny else min(0.6 + 0.1 * hits, 0.9)
                out[(s.index, mech.id)] = ArticleClaim(
                    mech.id, not deny, s.text, conf, s.index, "rules"
                )
    return out


#: Causal cues, in the manner of the Causal News Corpus: connectives and verbs of causing,
#: each verb in all its inflections ("shatter", "shattered", "shattering").
CAUSAL_CUES = re.compile(
    r"\b(because|due to|as a result|result(?:ed|s)? in|lead(?:s|ing)? to|led to|caus(?:e|ed|es|"
    r"ing)|trigger(?:ed|s|ing)?|provok(?:e|ed|es|ing)|provocations?|to blame|blam(?:e|ed|es|ing)|"
    r"fuel(?:s|ed|led|ing)?|undermin(?:e|ed|es|ing)|strain(?:ed|s|ing)?|hurt(?:ing|s)?|"
    r"damag(?:e|ed|es|ing)|jeopardi[sz](?:e|ed|es|ing)|shatter(?:s|ed|ing)?|"
    r"in retaliation|retaliat(?:e|ed|es|ing|ion|ory)|tit-for-tat|in response to|"
    r"responses? to|in reaction to|tipping point|helped|enabl(?:e|ed|es)|prevent(?:s|ed)?|"
    r"block(?:s|ed|ing)|spiral|vicious (?:circle|cycle)|feeds?|breeds?|erod(?:e|es|ed|ing)|"
    r"deepen(?:s|ed)?|incentive|set the seal on|liquidates?|ends? a long chapter|"
    r"opens? up an entirely new|strengthened the world|needs? more trust|sticking point|"
    r"answered .{0,20} with|suffer(?:s|ed)?|built upon|played into|coming home to roost|"
    r"premised on|makes? clear|no substitute for|sour(?:s|ed|ing)?|disrupt(?:s|ed|ing)?|"
    r"hinder(?:s|ed|ing)?|forc(?:e|ed|es|ing) .{0,40}\bto\b|sparked|prompt(?:ed|s)|"
    r"poison(?:s|ed|ing)?|derail(?:s|ed|ing)?|worsen(?:s|ed|ing)?|averts?|citing|"
    r"drivers? of|driven by|"
    r"so that|therefore|thus|hence|in order to|as these .{0,30}, so)\b",
    re.IGNORECASE,
)


def verb_forms(lemma: str) -> tuple[str, ...]:
    """The regular forms of an English verb (or of the first word of a verb phrase):
    lemma, third person, past and present participle, with the e-drop, the y -> i change
    and a doubled final consonant ("spur" -> "spurred", "fuel" -> "fuelled"). Hand-written:
    no inflection library is installed, and the cue lexicon needs only these regular rules
    (irregular pasts are listed beside their lemmas)."""
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    if head.endswith("e"):
        forms = [head, head + "s", head + "d", head[:-1] + "ing"]
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        forms = [head, head[:-1] + "ies", head[:-1] + "ied", head + "ing"]
    elif head.endswith(("s", "sh", "ch", "x", "z")):
        forms = [head, head + "es", head + "ed", head + "ing"]
    else:
        forms = [head, head + "s", head + "ed", head + "ing"]
        if head[-1] not in "aeiouwxy" and head[-2:-1] in tuple("aeiou"):
            forms += [head + head[-1] + "ed", head + head[-1] + "ing"]
    return tuple(dict.fromkeys(f + tail for f in forms))


#: Verbs of causing, affecting and answering in the manner of the Causal News Corpus and
#: the causal verbs of Girju's and the PDTB's lexicons: each in all its regular forms
#: (:func:`verb_forms`); British and American spellings both.
CAUSAL_VERBS: tuple[str, ...] = (
    "cause", "trigger", "spark", "provoke", "prompt", "drive", "fuel", "stoke", "spur",
    "undermine", "damage", "harm", "hurt", "strain", "sour", "poison", "derail", "complicate",
    "hamper", "hinder", "impede", "obstruct", "paralyze", "paralyse", "prevent", "block",
    "stall", "endanger", "jeopardize", "jeopardise", "destabilize", "destabilise", "weaken",
    "erode", "worsen", "degrade", "dampen", "exacerbate", "aggravate", "inflame", "heighten",
    "deepen", "defuse", "strengthen", "bolster", "enable", "foster", "promote", "facilitate",
    "contribute to", "pave the way", "bring about", "result in", "lead to", "stem from",
    "give rise to", "shatter", "disrupt", "blame", "retaliate", "compel",
)  # fmt: skip
_IRREGULAR = ("led to", "drove", "driven", "brought about", "gave rise to", "given rise to")
#: Causal connectives and nouns: the cause, its result, an aim, a fault or a threat.
CAUSAL_PHRASES: tuple[str, ...] = (
    "because", "due to", "owing to", "thanks to", "as a result", "as a consequence",
    "consequently", "therefore", "thus", "hence", "so that", "in order to", "aimed at",
    "designed to", "intended to", "in response to", "in reaction to", "in retaliation",
    r"consequences? for", r"effects? (?:of|on)", r"impact on", r"reasons? why",
    r"the reason (?:for|why|is|was)", r"(?:is|are|was|were) to blame",
    r"(?:\w+'s|\bits|\btheir|\bhis) fault", r"pos(?:e|es|ed|ing) (?:a |an )?(?:\w+ )?threat",
    r"threat to", r"obstacles? to", r"stumbling blocks?",
    r"(?:broke|break|breaks|breaking) (?:up|down) over", r"collaps\w* over",
    r", since (?!\d|then\b|the (?:end|start))",
    r"(?:make|makes|made|making) it (?:\w+ )?(?:harder|easier|impossible|possible|difficult)",
    # a modal "help" asserts an effect ("may help the two exit the impasse"); a plain
    # "help" is mostly a plan or a pledge
    r"(?:may|might|could|would|can) (?:\w+ )?help",
    # result and condition connectives of the PDTB's lexicon (a consequence, or what an
    # outcome hinges on)
    r"(?:which|that|this) means", r"means that", r"only if", r"unless", r"provided that",
    r"as long as", r"so long as", r"(?:hinge|hinges|hinged|depend|depends|depended) on",
    r"can only (?:\w+ )?(?:happen|work|succeed|come)", r"for (?:\w+ ){1,6}to work",
    # a reaction and its motive
    r"in protest (?:at|against|over)", r"in a fit of", r"out of (?:pique|spite|fear|resentment)",
    r"reflect(?:s|ed|ing)?", r"necessitat\w+", r"bogged down", r"mired in",
    # lowering a risk or a tension, not an arsenal
    r"(?:reduc|lessen|eas|lower)\w* (?:the )?(?:\w+ )?(?:risks?|dangers?|tensions?|threats?|"
    r"mistrust|distrust|suspicions?)",
)  # fmt: skip
GENERAL_CUES = re.compile(
    r"\b(?:"
    + "|".join(
        [re.escape(f) for v in CAUSAL_VERBS for f in verb_forms(v)]
        + [re.escape(f) for f in _IRREGULAR]
        + list(CAUSAL_PHRASES)
    )
    + r")\b",
    re.IGNORECASE,
)


def has_causal_cue(text: str) -> bool:
    """Whether a sentence has a causal cue: the listed cues or the general lexicon."""
    return bool(CAUSAL_CUES.search(text) or GENERAL_CUES.search(text))


#: What a sentence must be about: the relationship, its climate, or both sides at once.
_RELATION = re.compile(
    r"\b(relations?|relationship|ties|trust|distrust|cooperation|confrontation|tensions?|"
    r"rivalry|partnership|reset|d[ée]tente|rapprochement|cold war|friend(?:ship)?s?|"
    r"enem(?:y|ies)|adversar(?:y|ies)|hostility|foundations|interests?|lines of division|"
    r"NATO|mistrust|suspicions?|resentments?|hostilities|impasse|stagnation|arms race|"
    r"(?:risk|danger) of (?:\w+ )?war|(?:nuclear|strategic|military) (?:balance|stability)|"
    r"(?:international|political|diplomatic) (?:climate|atmosphere)|superpowers?|"
    r"East-West|East and West|bilateral|diplomatic|both sides|each other|"
    r"the two (?:sides|countries|powers|nations|leaders))\b",
    re.IGNORECASE,
)
#: Cues of one side answering the other: in an article about the two sides, a sentence
#: naming one of them with such a cue is about the relationship even without its name.
_REACTION_CUES = re.compile(
    r"\b(in response to|responses? to|in reaction to|in retaliation|retaliat\w*|tit-for-tat|"
    r"blam(?:e|ed|es|ing)|forc(?:e|ed|es|ing) .{0,40}\bto\b|unfriendly|because)\b",
    re.IGNORECASE,
)
#: Keywords that point a causal sentence to a mechanism when no rule pattern names one.
_KEYWORD_MECHANISM = (
    ("m3", r"vicious|spiral|circle"),
    ("m9", r"nato|enlarge|expan|provo|retaliat|respon|meddl|interfer|harass|answered|"
           r"asylum|georgia|missile shield|insult|tipping point|intransigence|strikes"),
    ("m12", r"treaty|arms control|start\b|abm|inf\b|disarmament|nuclear|pact|agreement"),
    ("m16", r"trust"),
    ("m15", r"interests?|ideals|values"),
    ("m13", r"china|beijing"),
    ("m7", r"election|campaign"),
    ("m21", r"votes|congress|domestic"),
    ("m18", r"weakness|naive|naïve|capitulat|patience|neglect|blame"),
    ("m19", r"reset"),
    ("m14", r"foundations|institution|channel|dialogue|face-to-face|commission|routine"),
    ("m11", r"concession|package"),
    ("m6", r"terror|afghanistan|common challenge"),
)  # fmt: skip


def _about_relation(text: str, both_in_article: bool) -> bool:
    """Whether a sentence with a causal cue is about the relationship: it names it (or its
    climate), names both sides, or, in an article naming both, names one side with a cue of
    answering the other."""
    if _RELATION.search(text):
        return True
    sides = {m.state for m in _sides_in(text)}
    return len(sides) == 2 or (
        both_in_article and bool(sides) and bool(_REACTION_CUES.search(text))
    )


def _cue_claims(
    sentences: tuple[Sentence, ...], embedder: Embedder | None
) -> dict[tuple[int, str], ArticleClaim]:
    """Sentences with a causal cue about the relationship; the mechanism is the nearest
    mechanism prototype when the model is present and close (cosine >= 0.5), else the first
    keyword match, else ``other``."""
    both = len({m.state for s in sentences for m in _sides_in(s.text)}) == 2
    picked = [s for s in sentences if has_causal_cue(s.text) and _about_relation(s.text, both)]
    out: dict[tuple[int, str], ArticleClaim] = {}
    near: dict[int, tuple[str, float]] = {}
    if embedder is not None and picked:
        pv, owner = _prototypes(embedder)
        sims = embedder.encode([s.text for s in picked]) @ pv.T
        owners = np.asarray(owner)
        for s, row in zip(picked, sims, strict=True):
            per = np.array([row[owners == i].max() for i in range(len(MECHANISM_PATTERNS))])
            near[s.index] = (MECHANISM_PATTERNS[int(per.argmax())].id, float(per.max()))
    for s in picked:
        mech: str | None = None
        conf = 0.5
        if s.index in near and near[s.index][1] >= 0.5:
            mech, conf = near[s.index][0], round(near[s.index][1], 2)
        else:
            mech = next((m for m, p in _KEYWORD_MECHANISM if re.search(p, s.text, re.I)), None)
        out[(s.index, mech or "other")] = ArticleClaim(
            mech or "other", True, s.text, conf, s.index, "cue"
        )
    return out


def _sides_in(text: str) -> list:  # type: ignore[type-arg]
    from resetlab.reader.gazetteer import side_mentions

    return side_mentions(text)


_EXAMPLE_CACHE: dict[tuple[str, int], tuple[object, np.ndarray]] = {}


def _example_vectors(embedder: Embedder | None) -> tuple[object, np.ndarray]:
    """The labelled claim examples as unit vectors: sentence embeddings with the model,
    else TF-IDF of character 3-5-grams (scikit-learn), with the vectoriser that made them."""
    from resetlab.reader.claim_examples import ROWS

    key = (embedder.name if embedder is not None else "tfidf", len(ROWS))
    if key not in _EXAMPLE_CACHE:
        quotes = [q for _, _, q in ROWS]
        if embedder is not None:
            _EXAMPLE_CACHE[key] = (embedder, embedder.encode(quotes))
        else:
            from sklearn.feature_extraction.text import TfidfVectorizer

            vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
            mat = vec.fit_transform(quotes).toarray().astype(np.float32)
            _EXAMPLE_CACHE[key] = (vec, mat)
    return _EXAMPLE_CACHE[key]


#: Cosine at which a sentence counts as a claim like its nearest labelled example. Chosen on
#: the development sets (v2 and v3, leave-one-article-out) by a rule fixed before the
#: sweep: the lowest of the swept values at which the step's own additions are at least
#: half right. TF-IDF (0.35-0.55): 0.45 (3 right, 3 wrong); embeddings (0.62, 0.66, 0.70,
#: 0.75): 0.75 (1 right, 1 wrong; at 0.62 it added 5 right and 42 wrong).
NEAREST_THRESHOLD = {"embedding": 0.75, "tfidf": 0.45}


def _nearest_claims(
    sentences: tuple[Sentence, ...], embedder: Embedder | None, exclude: str | None = None
) -> dict[tuple[int, str], ArticleClaim]:
    """Sentences close to a labelled claim example (nearest neighbour in embedding space,
    or in character n-gram TF-IDF space without the model); they take its mechanism.
    Examples labelled in the file ``exclude`` are left out: an article is never matched
    with its own labels."""
    from resetlab.reader.claim_examples import ROWS

    if not sentences or not ROWS:
        return {}
    model, ex = _example_vectors(embedder)
    keep = np.array([f != exclude for f, _, _ in ROWS])
    if not keep.any():
        return {}
    texts = [s.text for s in sentences]
    if embedder is not None:
        sv = embedder.encode(texts)
        kind = "embedding"
    else:
        sv = model.transform(texts).toarray().astype(np.float32)  # type: ignore[attr-defined]
        kind = "tfidf"
    sims = sv @ ex.T
    sims[:, ~keep] = -1.0
    out: dict[tuple[int, str], ArticleClaim] = {}
    for s, row in zip(sentences, sims, strict=True):
        i = int(row.argmax())
        if row[i] >= NEAREST_THRESHOLD[kind]:
            mech = ROWS[i][1]
            out[(s.index, mech)] = ArticleClaim(mech, True, s.text, round(float(row[i]), 2), s.index,
                                         "nearest-" + kind)  # fmt: skip
    return out


def extract_claims(
    sentences: tuple[Sentence, ...],
    embedder: Embedder | None = None,
    threshold: float = 0.66,
    exclude_examples: str | None = None,
) -> list[ArticleClaim]:
    """Claims from rules and causal cues, then from the nearest labelled example where those
    are silent, plus embedding matches with the mechanism descriptions at cosine >=
    ``threshold`` when the model is available."""
    found = _rule_claims(sentences)
    ruled = {k[0] for k in found}
    for key, claim in _cue_claims(sentences, embedder).items():
        if key[0] not in ruled:  # a rule already names this sentence's mechanism
            found.setdefault(key, claim)
    claimed = {k[0] for k in found}
    for key, claim in _nearest_claims(sentences, embedder, exclude_examples).items():
        if key[0] not in claimed:
            found.setdefault(key, claim)
    if embedder is not None and sentences:
        pv, owner = _prototypes(embedder)
        sv = embedder.encode([s.text for s in sentences])
        sims = sv @ pv.T
        owners = np.asarray(owner)
        for si, s in enumerate(sentences):
            per = np.array([sims[si, owners == i].max() for i in range(len(MECHANISM_PATTERNS))])
            best = int(per.argmax())
            score = float(per[best])
            if score < threshold:
                continue
            key = (s.index, MECHANISM_PATTERNS[best].id)
            if key in found:
                old = found[key]
                found[key] = ArticleClaim(old.mechanism, old.asserts, old.sentence,
                                   round(max(old.confidence, score), 2), old.sentence_index,
                                   "rules+embedding")  # fmt: skip
            else:
                found[key] = ArticleClaim(MECHANISM_PATTERNS[best].id, True, s.text, round(score, 2), s.index,
                                   "embedding")  # fmt: skip
    return sorted(found.values(), key=lambda c: (c.sentence_index, c.mechanism))


@dataclass(frozen=True)
class StanceResult:
    """The stance label, the share of pro evidence and the deciding sentences."""

    stance: Stance
    pro_share: float
    sentences: tuple[str, ...]


#: Words of an author's own judgement (outside quotation marks): their presence marks an
#: opinion or analysis piece; straight news reports others' words and is ``neutral``.
_OPINION = (
    r"\bshould\b", r"\bmust\b", r"\bneeds? to\b", r"\bwe\b", r"\bour\b", r"\bus\b",
    r"\bI\b", r"\bnaive", r"naïve", r"\bfailure\b", r"\bfailed\b", r"\bunfortunately\b",
    r"\bhard reality\b", r"\bnonsense\b", r"\bmystery\b", r"\bstrange\b", r"\bin fact\b",
    r"\bindeed\b", r"\bperhaps\b", r"\bof course\b", r"\bclearly\b", r"\bwillful",
    r"\bpretend", r"\bcan be forgiven\b", r"\bit is time\b", r"\btime for\b", r"\bmistaken\b",
    r"\bdangerous\b", r"\balarming\b", r"\bdeafening\b", r"\bpoison pill\b",
    r"\bwould (?:benefit|be better|serve|help|harm|hurt)\b",
)  # fmt: skip
#: An author arguing for better relations (engagement, dialogue, restraint, shared interests).
_PRO_OPINION = (
    r"\bdiplomacy\b", r"\bdialogue\b", r"\bengag(?:e|ement|ing)\b", r"\bdeescalat",
    r"\bde-escalat", r"\brestraint\b", r"interests in common", r"common interests?",
    r"reduce tension", r"\bcooperat(?:e|ion|ing)\b", r"\bpartner\b", r"\bstatesmanship\b",
    r"\bfoundations\b", r"\bwin-win\b", r"talk to", r"\bhawks\b", r"anti-russian sentiment",
    r"settle differences", r"mutually beneficial",
)  # fmt: skip
#: An author arguing against engagement or calling it a failure.
_ANTI_OPINION = (
    r"\bnaive", r"naïve", r"\bfailure\b", r"\bfailed\b", r"\bcapitulat", r"\bweakness\b",
    r"\badversary\b", r"no friend", r"\bresolve\b", r"\btougher\b", r"\bstick\b",
    r"\bfeckless\b", r"played into", r"\bfictional\b", r"\baggressive\b", r"\bbully\b",
    r"to blame", r"looked the other way", r"\bexploit", r"\bappease", r"\bpernicious\b",
    r"told us who he was", r"should not now be surprised", r"\bpretend",
)  # fmt: skip
#: Where a page files its opinion pieces: an address section or a heading that says so.
_OPINION_ADDRESS = re.compile(
    r"[/.](?:opinions?|op-?eds?|editorials?|commentary|commentisfree|columnists?|pundits?-blog)"
    r"(?=[/._-]|\d|$)",
    re.IGNORECASE,
)
_OPINION_HEADING = re.compile(
    r"^(?:guest )?(?:editorial|opinion|op-ed|commentary|column)\b", re.IGNORECASE
)
_QUOTED = re.compile(r"[\"“][^\"”]{0,400}[\"”]")
_REPORTING = re.compile(r"\b(said|says|told|according to|reported|announced|stated)\b", re.I)


def _author_voice(text: str) -> str:
    return _QUOTED.sub(" ", text)


def filed_as_opinion(address: str | None, sentences: tuple[Sentence, ...]) -> bool:
    """Whether the page itself files the text as opinion: its address has an opinion,
    op-ed, editorial, commentary or column section, or one of its first three sentences is
    such a heading ("Guest Editorial"). The outlet's own label, not a guess from words."""
    if address and _OPINION_ADDRESS.search(address):
        return True
    return any(_OPINION_HEADING.match(s.text.strip()) for s in sentences[:3])


def extract_stance(
    sentences: tuple[Sentence, ...],
    embedder: Embedder | None = None,
    margin: float = 0.2,
    mixed_band: tuple[float, float] = (0.35, 0.65),
    opinion_min: float = 0.05,
    opinion: bool = False,
) -> StanceResult:
    """Pro, anti, mixed or neutral toward improving relations, with the sentences it rests on.

    A text whose own voice (quotations removed) carries few marks of judgement per sentence
    (fewer than ``opinion_min``, or fewer than six times that where at least 30% of its
    sentences report what others said) is straight news: ``neutral``, unless ``opinion``
    (the page files it as opinion: :func:`filed_as_opinion`). Otherwise pro and anti cue
    phrases (and, with the model, the nearest of the pro and anti examples) are weighed; a
    pro share inside ``mixed_band`` is ``mixed``.
    """
    if not sentences:
        return StanceResult("neutral", 0.5, ())
    voice = [_author_voice(s.text) for s in sentences]
    judged = [sum(bool(re.search(p, v)) for p in _OPINION) for v in voice]
    density = sum(judged) / len(sentences)
    reporting = sum(bool(_REPORTING.search(s.text)) for s in sentences) / len(sentences)
    scores: dict[int, float] = {}
    for s, v in zip(sentences, voice, strict=True):
        pro = sum(bool(re.search(p, v, re.I)) for p in _PRO + _PRO_OPINION)
        anti = sum(bool(re.search(p, v, re.I)) for p in _ANTI + _ANTI_OPINION)
        if pro != anti:
            scores[s.index] = float(pro - anti)
    if embedder is not None:
        relevant = [
            (s, v)
            for s, v in zip(sentences, voice, strict=True)
            if re.search(r"\b(reset|relations|cooperat|engag)", v, re.I)
        ]
        if relevant:
            sv = embedder.encode([v for _, v in relevant])
            pro_v = embedder.encode(list(_STANCE_EXAMPLES["pro"]))
            anti_v = embedder.encode(list(_STANCE_EXAMPLES["anti"]))
            diff = (sv @ pro_v.T).max(axis=1) - (sv @ anti_v.T).max(axis=1)
            for (s, _), d in zip(relevant, diff, strict=True):
                if abs(float(d)) >= margin:
                    scores[s.index] = scores.get(s.index, 0.0) + float(np.sign(d)) * 0.5
    pro_w = sum(v for v in scores.values() if v > 0)
    anti_w = -sum(v for v in scores.values() if v < 0)
    share = pro_w / (pro_w + anti_w) if pro_w + anti_w > 0 else 0.5
    text = {s.index: s.text for s in sentences}
    if not opinion and (density < opinion_min or (density < 6 * opinion_min and reporting >= 0.3)):
        keys = sorted(scores, key=lambda i: (-abs(scores[i]), i))[:3]
        return StanceResult("neutral", round(share, 3), tuple(text[i] for i in sorted(keys)))
    stance: Stance = (
        "pro" if share >= mixed_band[1] else "anti" if share <= mixed_band[0] else "mixed"
    )
    if stance == "pro":
        keys = [i for i, v in scores.items() if v > 0]
    elif stance == "anti":
        keys = [i for i, v in scores.items() if v < 0]
    else:
        keys = list(scores)
    keys = sorted(keys, key=lambda i: (-abs(scores[i]), i))[:6]
    return StanceResult(stance, round(share, 3), tuple(text[i] for i in sorted(keys)))
