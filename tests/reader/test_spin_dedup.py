import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from resetlab.reader.dedup import MinHasher, jaccard, similarity
from resetlab.reader.evaluate import synonym_swap
from resetlab.reader.spin import detect_spin, find_spun_phrases

CLEAN = (
    "Since the end of the Cold War, successive governments sought resets. The foreign policy "
    "of the United States and its national security choices shaped relations with Moscow."
)


def test_clean_text_is_not_spun() -> None:
    report = detect_spin(CLEAN)
    assert not report.spun and report.phrases == ()
    assert report.restored == CLEAN


def test_spun_phrases_found_and_mapped_back() -> None:
    text = (
        "Since the end of the Chilly Warfare, US overseas coverage and nationwide safety drifted."
    )
    report = detect_spin(text)
    pairs = {(p.found, p.original) for p in report.phrases}
    assert ("Chilly Warfare", "Cold War") in pairs
    assert ("overseas coverage", "foreign policy") in pairs
    assert ("nationwide safety", "national security") in pairs
    assert report.spun
    assert "the Cold War, US foreign policy and national security drifted" in report.restored


def test_one_phrase_is_not_enough() -> None:
    assert not detect_spin("A pink button was pressed.").spun
    assert detect_spin("A pink button was pressed.", min_phrases=1).spun


def test_generator_is_seeded_and_detected() -> None:
    a = synonym_swap(CLEAN, seed=1)
    assert a == synonym_swap(CLEAN, seed=1)
    assert a != CLEAN
    assert synonym_swap(CLEAN, rate=0.0) == CLEAN
    full = synonym_swap(CLEAN, rate=1.0)
    assert "Chilly Warfare" in full
    found = {p.original for p in find_spun_phrases(full)}
    assert {"Cold War", "foreign policy", "national security"} <= found


def test_minhash_identity_and_difference() -> None:
    h = MinHasher(seed=3)
    a = h.signature(CLEAN)
    assert similarity(a, h.signature(CLEAN)) == 1.0
    other = h.signature("Completely unrelated words about cooking pasta with garlic and oil.")
    assert similarity(a, other) < 0.1
    assert np.array_equal(a, MinHasher(seed=3).signature(CLEAN))


words = st.lists(st.sampled_from([f"w{i}" for i in range(40)]), min_size=30, max_size=120)


@settings(max_examples=25, deadline=None)
@given(words, words)
def test_minhash_estimates_jaccard(a: list[str], b: list[str]) -> None:
    h = MinHasher(num_perm=256, seed=0)
    ta, tb = " ".join(a), " ".join(a[: len(a) // 2] + b)
    exact = jaccard(h.shingles(ta), h.shingles(tb))
    assert abs(similarity(h.signature(ta), h.signature(tb)) - exact) < 0.15
