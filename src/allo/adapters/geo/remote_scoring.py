"""Scores for remote geocoder answers, computed by Allo itself so every adapter is equally honest.

A remote service returns its best guesses; we check each against what the customer wrote: the
street name (same fuzzy comparison as the gazetteer), the house number, postcode and city.
"""

from __future__ import annotations

from allo.adapters.geo.address_text import split_address
from allo.adapters.geo.housenumbers import parse_housenumber
from allo.adapters.geo.normalise import city_key, parse_street, street_similarity
from allo.services.ports.geocoder import GeocodeQuery, Precision


def query_text(query: GeocodeQuery) -> str:
    """One line of text for services that take a free query."""
    if query.text and not (query.street or query.number):
        parts = [query.text]
    else:
        parts = [query.number or "", query.street or query.text]
    parts += [query.postcode or "", query.city or ""]
    return " ".join(p for p in parts if p).strip()


def agreement(
    query: GeocodeQuery, *, street: str | None, housenumber: str | None, postcode: str | None,
    city: str | None, precision: Precision, service_score: float = 1.0,
) -> float:
    """0..1: how well a remote answer fits the query (service score capped in, never raised)."""
    wanted = split_address(query)
    if not street:
        return 0.0
    score = street_similarity(parse_street(wanted.street), parse_street(street))
    asked, got = parse_housenumber(wanted.number), parse_housenumber(housenumber)
    if asked is not None:
        if got is None or precision == "street":
            score *= 0.8
        elif got.number != asked.number:
            score *= 0.5
        elif got != asked:
            score *= 0.95
    if wanted.postcode and postcode and wanted.postcode != postcode:
        score *= 0.6
    if wanted.city and city:
        a, b = city_key(wanted.city), city_key(city)
        if a not in b and b not in a:
            score *= 0.7
    return round(min(score, max(service_score, 0.0) ** 0.25), 3)
