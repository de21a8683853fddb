"""The general causal-cue lexicon of the claims step, on sentences written for these tests."""

import pytest

from resetlab.reader.claims import extract_claims, has_causal_cue, verb_forms
from resetlab.reader.text import sentences_of


def claim_sentences(text: str) -> list[str]:
    return [c.sentence for c in extract_claims(sentences_of(text), None)]


def test_verb_forms_cover_the_regular_inflections() -> None:
    assert {"paralyze", "paralyzes", "paralyzed", "paralyzing"} <= set(verb_forms("paralyze"))
    assert {"spurred", "spurring", "fuelled", "fueled"} <= set(
        verb_forms("spur") + verb_forms("fuel")
    )
    assert {"leads to", "leading to"} <= set(verb_forms("lead to"))
    assert {"worsens", "worsened", "degrades", "degraded"} <= set(
        verb_forms("worsen") + verb_forms("degrade")
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "The quarrel over missile defence complicated relations between Washington and Moscow.",
        "Expanding the alliance to Georgia would pose a direct threat to Russia, NATO was told.",
        "A direct telephone link was set up to reduce the risk of war by accident.",
        "Quiet talks on trade may help the two countries leave the impasse.",
        "Our relations have worsened, and that is entirely the other side's fault.",
        "Cooperation can only happen with a change in the other government's behaviour.",
        "The talks stalled again, which means relations will stay frozen through the winter.",
        "The cold relationship reflects the resentment of a fallen superpower.",
    ],
)
def test_a_causal_sentence_about_the_relationship_is_a_claim(sentence: str) -> None:
    assert has_causal_cue(sentence)
    assert claim_sentences(sentence) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        # an arsenal cut, not a lowered risk
        "The United States will reduce its deployed warheads to 2,200 over the next decade.",
        # a pledge to help, not an effect asserted
        "Clinton pledged to help mobilize Western aid for the Russian reforms.",
        # "forces" as a noun
        "The treaty limits conventional forces in Europe.",
    ],
)
def test_plans_pledges_and_nouns_are_not_causal_cues(sentence: str) -> None:
    assert not has_causal_cue(sentence)


def test_a_causal_cue_needs_the_relationship() -> None:
    # the cue alone does not make a claim: the sentence is about the weather
    assert claim_sentences("Heavy rain complicated the harvest in Kansas.") == []


def test_the_pages_own_opinion_label_keeps_a_text_out_of_neutral() -> None:
    """A text with few marks of judgement is straight news (neutral), unless its page files
    it as opinion: an opinion, editorial or column section in the address, or a heading."""
    from resetlab.reader.claims import extract_stance, filed_as_opinion

    text = (
        "The president met the foreign minister on Monday. They discussed trade, arms control "
        "and the war. The meeting lasted two hours. Officials said the tone was businesslike."
    )
    sents = sentences_of(text)
    assert not filed_as_opinion("https://www.example.com/world/2013/08/10/talks.html", sents)
    assert filed_as_opinion("https://www.example.com/opinions/2013/08/10/talks/", sents)
    assert filed_as_opinion("http://www.toledoblade.com/Editorials/2013/08/10/x.print", sents)
    assert filed_as_opinion("http://www.inquirer.com/philly/columnists/x/y-20180718.html", sents)
    assert filed_as_opinion(None, sentences_of("Guest Editorial\n\n" + text))
    assert not filed_as_opinion("https://www.example.com/news/opinionated-voters.html", sents)
    assert extract_stance(sents, None).stance == "neutral"
    assert extract_stance(sents, None, opinion=True).stance != "neutral"
