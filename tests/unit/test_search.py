"""Search by a typed name: folding, word prefixes, a few typos forgiven."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.commerce.catalog.search import distance
from gateway.commerce.catalog.search import prefix_distance
from gateway.commerce.catalog.search import typos_allowed
from gateway.text.folding import fold


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Maize", "maize"),
        ("  TOMATES  fraîches! ", "tomates fraiches"),
        ("Rice (Mwea)", "rice mwea"),
        ("Café", "cafe"),
        ("Ñame", "name"),
    ],
)
def test_names_are_folded_without_case_accents_or_signs(typed, folded):
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("query", "word", "edits"),
    [
        ("mai", "maize", 0),
        ("maize", "maize", 0),
        ("maze", "maize", 1),
        ("maiz", "maize", 0),
        ("mbize", "maize", 1),
        ("miaze", "maize", 2),
        ("beans", "maize", 4),
    ],
)
def test_the_prefix_distance_counts_the_edits_to_a_prefix(query, word, edits):
    assert prefix_distance(query, word) == edits


def test_every_word_typed_must_start_a_word_of_the_name():
    assert distance("farine manioc", "farine de manioc blanche") == 0
    assert distance("manioc farine", "farine de manioc blanche") == 0
    assert distance("farine mais", "farine de manioc blanche") == 2
    assert typos_allowed("farine manioc") == 2


def test_any_word_of_a_name_can_match():
    assert distance("flour", "millet flour") == 0
    assert distance("mwea", "rice mwea") == 0
    assert distance("flo", "cassava flour") == 0
    assert distance("flor", "cassava flour") == 1
    assert distance("cassava fl", "cassava flour") == 0


def test_longer_queries_forgive_more_typos():
    assert [
        typos_allowed(q) for q in ("ma", "mai", "maiz", "tomato", "tomatoe", "irishpotato")
    ] == [
        0,
        0,
        1,
        1,
        2,
        2,
    ]


@given(
    st.text(alphabet="abcdefghij", min_size=1, max_size=8),
    st.text(alphabet="abcdefghij", max_size=8),
)
def test_a_word_always_matches_its_own_prefixes(word, rest):
    assert prefix_distance(word, word + rest) == 0
    assert prefix_distance(word, rest) <= len(word)
