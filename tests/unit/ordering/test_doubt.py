"""When in doubt, ask: ambiguous or unknown words give low confidence or `unknown`, never a guess."""

from __future__ import annotations

from .conftest import lines


def test_ambiguous_item_is_not_guessed(pharmacy) -> None:
    draft = pharmacy.parse("2 doliprane")
    assert draft.confident_lines == []
    (line,) = draft.lines
    assert line.sku is None and sorted(line.candidates) == ["DOLI1000", "DOLI500"]
    assert draft.needs_questions
    assert draft.to_json()["lines"] == [] and draft.to_json()["unknown"]


def test_unknown_product_goes_to_unknown(pharmacy) -> None:
    draft = pharmacy.parse("un spasfon et 2 aspirine")
    assert lines(draft) == [("SPASFON", 1)]
    assert draft.unknown == ["2 aspirine"]


def test_unknown_variant_of_a_known_item_lowers_confidence(pizzeria) -> None:
    draft = pizzeria.parse("un coca vanille")
    (line,) = draft.lines
    assert line.sku == "COCA" and not line.confident
    assert "un coca vanille" in draft.to_json()["unknown"]


def test_alternatives_are_asked(pizzeria) -> None:
    draft = pizzeria.parse("une reine ou une margherita")
    assert draft.confident_lines == []
    assert draft.needs_questions


def test_nothing_understood(pizzeria) -> None:
    draft = pizzeria.parse("bonjour vous êtes ouverts ?")
    assert draft.lines == [] and draft.to_json()["lines"] == []


def test_missing_required_option_is_flagged() -> None:
    from allo.domain.catalog import Catalog, CatalogItem, OptionChoice, OptionGroup
    from allo.domain.money import Money
    from allo.ordering import OrderParser

    size = OptionGroup("taille", (OptionChoice("petite"), OptionChoice("grande")), min=1, max=1)
    parser = OrderParser(Catalog("x", "EUR", (CatalogItem("P", "Pizza", Money(900), ("pizza",), (size,)),)))
    (line,) = parser.parse("une pizza").lines
    assert "missing_option" in line.doubts
    assert parser.parse("une pizza").needs_questions
    assert parser.parse("une grande pizza").lines[0].doubts == []


def test_language_detection(pizzeria) -> None:
    assert pizzeria.parse("je voudrais une reine svp").language == "fr"
    assert pizzeria.parse("i would like a margherita please").language == "en"
    assert pizzeria.parse("une reine", lang="en").language == "en"


def test_suggestions_for_an_ambiguous_or_misspelt_item(pharmacy) -> None:
    assert set(pharmacy.suggest("doliprane")[:2]) == {"DOLI500", "DOLI1000"}
    assert pharmacy.suggest("spasfonne")[0] == "SPASFON"


def test_an_item_named_under_a_negation_is_never_ordered(pizzeria) -> None:
    """"pas de coca" must not put a coke in the bag: the item goes to doubt, and is asked about."""
    draft = pizzeria.parse("pas de coca")
    assert draft.lines == [] and draft.unknown == ["coca"]
    draft = pizzeria.parse("2 reines sans coca")
    assert lines(draft) == [("REINE", 2)] and draft.unknown == ["coca"]
    draft = pizzeria.parse("no coke, 2 reines")
    assert lines(draft) == [("REINE", 2)] and draft.unknown == ["coke"]
    assert lines(pizzeria.parse("2 reines et un coca")) == [("REINE", 2), ("COCA", 1)]
