"""The reader with the optional embedding model (skipped when the extra is absent)."""

import numpy as np
import pytest

from resetlab.reader.claims import extract_claims, extract_stance
from resetlab.reader.text import sentences_of

#: loading the embedding model (torch) takes longer than the rest of a test; CI runs these
pytestmark = pytest.mark.slow

TEXT = (
    "Every time Washington and Moscow clash over a neighbouring region, both sides lean "
    "harder on their nuclear arsenals, and that in turn deepens the suspicion behind the "
    "regional quarrels. Cheese is made from milk."
)


def test_embedder_outputs_unit_vectors(embedder) -> None:  # type: ignore[no-untyped-def]
    v = embedder.encode(["one sentence", "another sentence"])
    assert v.shape == (2, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


def test_embedding_finds_a_claim_the_rules_miss(embedder) -> None:  # type: ignore[no-untyped-def]
    sents = sentences_of(TEXT)
    # the causal cue finds the sentence without the model, but no rule names its mechanism
    rules = extract_claims(sents, None)
    assert [c.sentence_index for c in rules] == [0] and rules[0].method == "cue"
    claims = extract_claims(sents, embedder, threshold=0.5)
    assert [c.mechanism for c in claims] == ["m3"]
    assert "Cheese" not in claims[0].sentence


def test_embedding_stance(embedder) -> None:  # type: ignore[no-untyped-def]
    pro = sentences_of("Restoring good relations with Moscow would benefit both countries greatly.")
    anti = sentences_of("Seeking a new reset with Russia is a naive illusion that will end badly.")
    assert extract_stance(pro, None).stance == "mixed"  # no rule cue: undecided
    assert extract_stance(pro, embedder, margin=0.1).stance == "pro"
    assert extract_stance(anti, embedder, margin=0.1).stance == "anti"
