"""The nearest-example table is what the development gold set says, and is used."""

from pathlib import Path

from resetlab.reader.claim_examples import ROWS, derive
from resetlab.reader.claims import extract_claims
from resetlab.reader.text import parse_article

GOLD = Path(__file__).resolve().parents[1] / "gold"


def test_rows_are_derived_from_the_development_gold() -> None:
    assert ROWS == derive(GOLD / "reader_gold_v2.yaml", GOLD / "reader_gold_v3.yaml")
    import yaml

    test_files = yaml.safe_load((GOLD / "reader_gold_v4.yaml").read_text(encoding="utf-8"))
    assert not {f for f, _, _ in ROWS} & set(test_files["split"]["test"])


def test_a_sentence_like_a_labelled_claim_is_a_claim_unless_it_is_its_own_label() -> None:
    from resetlab.reader.claims import _nearest_claims

    quotes = [q for _, _, q in ROWS]
    f, mech, quote = next(r for r in ROWS if quotes.count(r[2]) == 1 and len(r[2]) > 60)
    text = f"Address: https://example.org/x\n\n{quote}.\n"
    art = parse_article("new.txt", text, None, {})
    near = _nearest_claims(art.sentences, None)
    assert [k[1] for k in near] == [mech]
    assert all(c.method == "nearest-tfidf" for c in near.values())
    assert not _nearest_claims(art.sentences, None, exclude=f) or all(
        k[1] != mech or c.confidence < 0.99
        for k, c in _nearest_claims(art.sentences, None, exclude=f).items()
    )
    # an unrelated sentence is not a claim
    other = parse_article(
        "o.txt", "Address: https://example.org/y\n\nThe weather was mild in May.\n", None, {}
    )
    assert _nearest_claims(other.sentences, None) == {}
    assert extract_claims(other.sentences, None) == []
