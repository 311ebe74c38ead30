"""Numbers in words, SMS spellings, accents and typos."""

from __future__ import annotations

import pytest

from allo.ordering.numbers import convert_number_words
from allo.ordering.text import fold, key, tokenize

from .conftest import lines


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("deux pizzas", ["2", "pizzas"]),
        ("vingt et un coca", ["21", "coca"]),
        ("quatre vingt dix", ["90"]),
        ("twenty five cokes", ["25", "cokes"]),
        ("seven up", ["7", "up"]),
        ("un coca", ["un", "coca"]),  # "un" stays an article
    ],
)
def test_number_words_become_digits(words: str, expected: list[str]) -> None:
    assert convert_number_words(words.split()) == expected


def test_fold_keeps_length_and_strips_accents() -> None:
    text = "Crème brûlée à l'Étage"
    assert fold(text) == "creme brulee a l'etage"
    assert len(fold(text)) == len(text)


def test_sms_spellings_are_expanded() -> None:
    assert tokenize("2 doli stp ac sirop") == ["2", "doli", "please", "avec", "sirop"]
    assert tokenize("pls") == ["please"]


def test_plural_key() -> None:
    assert key("pizzas") == key("pizza")
    assert key("olives") == key("olive")
    assert key("eaux") == key("eau")


def test_french_numbers_in_words(pharmacy) -> None:
    assert lines(pharmacy.parse("trois doliprane 1000 et deux spasfon")) == [("DOLI1000", 3), ("SPASFON", 2)]


def test_english_numbers_in_words(pizzeria) -> None:
    assert lines(pizzeria.parse("two large margheritas and three cokes")) == [("MARG", 2), ("COCA", 3)]


@pytest.mark.parametrize("msg", ["2x coca", "coca x2", "2 x coca", "coca x 2", "deux cocas", "2 cocas stp"])
def test_quantity_spellings(pizzeria, msg: str) -> None:
    assert lines(pizzeria.parse(msg)) == [("COCA", 2)]


def test_plus_joins_items(pharmacy) -> None:
    assert lines(pharmacy.parse("2 doliprane 1000 stp + sirop toux")) == [("DOLI1000", 2), ("SIROP", 1)]


def test_typo_is_corrected_but_lowers_confidence(pizzeria) -> None:
    draft = pizzeria.parse("une margeritha")
    (line,) = draft.lines
    assert line.sku == "MARG"
    assert "fuzzy" in line.doubts and line.confidence < 1


def test_accents_and_capitals_do_not_matter(pharmacy) -> None:
    assert lines(pharmacy.parse("SIROP TOUX SÈCHE")) == [("SIROP", 1)]
