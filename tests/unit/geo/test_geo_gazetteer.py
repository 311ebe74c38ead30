"""The embedded gazetteer on a small synthetic town pair (no files)."""

from __future__ import annotations

import pytest

from allo.adapters.geo.gazetteer import AddressRow, Gazetteer, StreetGeometry
from allo.domain.geo import LatLon, haversine_m
from allo.services.ports.geocoder import GeocodeQuery, Geocoder

A = LatLon(45.0, 5.0)
B = LatLon(45.02, 5.03)  # about 3 km away


def _east(p: LatLon, metres: float) -> LatLon:
    return LatLon(p.lat, p.lon + metres / 78_850.0)  # one degree of longitude at 45°N ~ 78.8 km


def _street(name: str, town: str, postcode: str, start: LatLon, length: float = 400.0) -> StreetGeometry:
    return StreetGeometry(name, postcode, town, (start, _east(start, length / 2), _east(start, length)))


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    streets = [
        _street("Rue de la Paix", "Alpha", "11111", A),
        _street("Rue de la Paix", "Beta", "22222", B),
        _street("Boulevard des Moulins", "Alpha", "11111", LatLon(45.003, 5.0), 800),
        _street("Place Moulins", "Alpha", "11111", LatLon(45.006, 5.0), 60),
    ]
    rows = [
        AddressRow("Rue de la Paix", "2", "11111", "Alpha", A.lat, _east(A, 20).lon),
        AddressRow("Rue de la Paix", "12", "11111", "Alpha", A.lat, _east(A, 120).lon),
        AddressRow("Rue de la Paix", "4", "22222", "Beta", B.lat, _east(B, 40).lon),
    ]
    return Gazetteer(rows, streets)


def test_is_a_geocoder(gazetteer: Gazetteer) -> None:
    assert isinstance(gazetteer, Geocoder)


def test_exact_number(gazetteer: Gazetteer) -> None:
    best = gazetteer.geocode(GeocodeQuery("12 rue de la paix, 11111 Alpha"))[0]
    assert best.precision == "housenumber" and best.score == 1.0
    assert best.city == "Alpha" and best.postcode == "11111"
    assert haversine_m(best.position, _east(A, 120)) < 1


def test_interpolated_between_known_numbers(gazetteer: Gazetteer) -> None:
    best = gazetteer.geocode(GeocodeQuery("8 rue de la Paix", postcode="11111"))[0]
    assert best.precision == "interpolated"
    assert haversine_m(best.position, _east(A, 80)) < 2


def test_postcode_and_city_disambiguate(gazetteer: Gazetteer) -> None:
    alpha = gazetteer.geocode(GeocodeQuery("4 rue de la paix 11111"))
    beta = gazetteer.geocode(GeocodeQuery("4 rue de la paix", city="beta"))
    assert alpha[0].city == "Alpha" and beta[0].city == "Beta"
    assert len(alpha) == 1 or alpha[0].score > alpha[1].score + 0.2


def test_same_street_in_two_towns_without_locality_comes_out_low(gazetteer: Gazetteer) -> None:
    results = gazetteer.geocode(GeocodeQuery("rue de la paix"))
    assert {r.city for r in results[:2]} == {"Alpha", "Beta"}
    assert results[0].score < 0.8  # ambiguous: the dialogue must ask which town


def test_typos_and_abbreviations(gazetteer: Gazetteer) -> None:
    best = gazetteer.geocode(GeocodeQuery("10 bd des moulin"))[0]
    assert best.label.startswith("10 Boulevard des Moulins")
    assert best.score >= 0.8
    second = gazetteer.geocode(GeocodeQuery("10 bvd des mouliins"))[0]
    assert second.label.startswith("10 Boulevard des Moulins")


def test_unknown_street_gives_nothing_or_low(gazetteer: Gazetteer) -> None:
    assert gazetteer.geocode(GeocodeQuery("5 avenue Victor Hugo")) == []
    assert gazetteer.geocode(GeocodeQuery("5 baker street")) == []
    assert all(r.score < 0.6 for r in gazetteer.geocode(GeocodeQuery("3 rue de la pax romana")))
    assert gazetteer.geocode(GeocodeQuery("")) == []


def test_wrong_postcode_lowers_the_score(gazetteer: Gazetteer) -> None:
    right = gazetteer.geocode(GeocodeQuery("10 bd des moulins 11111"))[0].score
    wrong = gazetteer.geocode(GeocodeQuery("10 bd des moulins 75001"))
    assert not wrong or wrong[0].score < right - 0.3


def test_results_are_best_first_and_limited() -> None:
    rows = [AddressRow(f"Rue Martina{c}", "1", "1", "T", 45.0, 5.0 + i * 0.01) for i, c in enumerate("abcdefgh")]
    g = Gazetteer(rows, limit=3, min_score=0.0)
    results = g.geocode(GeocodeQuery("1 rue martinaa"))
    assert len(results) == 3
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_needs_some_data() -> None:
    with pytest.raises(ValueError):
        Gazetteer([])


def test_many_towns_with_one_name_means_ask_again_and_nothing_overtakes() -> None:
    rows = [AddressRow("Rue des Lilas", "1", pc, town, 45.0 + i * 0.02, 5.0)
            for i, (pc, town) in enumerate([("11111", "Alpha"), ("22222", "Beta"), ("33333", "Gamma")])]
    rows.append(AddressRow("Rue des Lilos", "1", "44444", "Delta", 45.1, 5.1))
    results = Gazetteer(rows).geocode(GeocodeQuery("1 rue des lilas"))
    assert {r.city for r in results[:3]} == {"Alpha", "Beta", "Gamma"}
    assert all(r.score < 0.6 for r in results)
