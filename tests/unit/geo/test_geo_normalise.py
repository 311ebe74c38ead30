"""Street-name normalisation and free-text address splitting."""

from __future__ import annotations

import pytest

from allo.adapters.geo.address_text import split_address
from allo.adapters.geo.normalise import fold, parse_street, street_key, street_similarity
from allo.services.ports.geocoder import GeocodeQuery


def test_fold_removes_case_accents_and_punctuation() -> None:
    assert fold("Avenue de l'Annonciade") == "avenue de l annonciade"
    assert fold("Rue du Ténao") == "rue du tenao"
    assert fold("Rond-Point Sainte-Dévote") == "rond point sainte devote"
    assert fold("Cœur") == "coeur"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("bd des moulin", "Boulevard des Moulins"),
        ("BLVD DES MOULINS", "boulevard des moulins"),
        ("av st laurent", "Avenue Saint-Laurent"),
        ("Boulevard Albert premier", "Boulevard Albert 1er"),
        ("bd charles 3", "Boulevard Charles III"),
        ("allee des boulingrins", "Allées des Boulingrins"),
        ("pl du casino", "Place du Casino"),
        ("rond point ste devote", "Rond-Point Sainte-Dévote"),
    ],
)
def test_variants_share_one_key(a: str, b: str) -> None:
    assert street_key(a) == street_key(b)


def test_st_is_street_at_the_end_and_saint_elsewhere() -> None:
    assert parse_street("baker st").kind == "street"
    assert parse_street("baker st").core == "baker"
    assert parse_street("st laurent").core == "saint laurent"
    assert parse_street("rue du dr roux").core == "docteur roux"


def test_type_and_core_are_split() -> None:
    name = parse_street("Boulevard des Moulins")
    assert (name.kind, name.core) == ("boulevard", "moulin")


def test_similarity_prefers_the_same_street_type() -> None:
    q = parse_street("bd des moulins")
    assert street_similarity(q, parse_street("Boulevard des Moulins")) == 1.0
    assert street_similarity(q, parse_street("Place Moulins")) < 0.85
    assert street_similarity(q, parse_street("Rue Grimaldi")) < 0.5


@pytest.mark.parametrize(
    ("text", "number", "street", "postcode", "city"),
    [
        ("14 bd des Moulins", "14", "bd des Moulins", None, None),
        ("14 bd des Moulins, 98000 Monaco", "14", "bd des Moulins", "98000", "Monaco"),
        ("14 bd des moulins, monaco 98000", "14", "bd des moulins", "98000", "monaco"),
        ("14bis rue de la Colle, Monaco", "14bis", "rue de la Colle", None, "Monaco"),
        ("35T rue nationale", "35T", "rue nationale", None, None),
        ("5 r de la colle", "5", "r de la colle", None, None),
        ("7-9 rue Terrazzani", "7", "rue Terrazzani", None, None),
        ("n° 3 av de la Costa MC 98000 Monaco", "3", "av de la Costa", "98000", "Monaco"),
        ("bd des moulins", None, "bd des moulins", None, None),
    ],
)
def test_split_address(text: str, number: str | None, street: str, postcode: str | None, city: str | None) -> None:
    parts = split_address(GeocodeQuery(text))
    assert (parts.number, parts.street, parts.postcode, parts.city) == (number, street, postcode, city)


def test_structured_parts_win_over_text() -> None:
    parts = split_address(GeocodeQuery("14 bd des Moulins", number="16", postcode="98000"))
    assert (parts.number, parts.street, parts.postcode) == ("16", "bd des Moulins", "98000")


def test_a_misspelt_street_type_gets_a_second_reading() -> None:
    from allo.adapters.geo.normalise import street_readings

    plain, fallback = street_readings("Avnue Pasteur")
    assert plain.kind == "" and fallback.core == "pasteur"
    assert street_similarity(fallback, parse_street("Avenue Pasteur")) > street_similarity(
        fallback, parse_street("Rue Pasteur")
    )
    assert street_similarity(fallback, parse_street("Avenue Pasteur")) < 0.95
    assert len(street_readings("Princesse Grace")) == 1  # "princesse" is no type word
    assert len(street_readings("Boulevard des Moulins")) == 1
