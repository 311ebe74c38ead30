"""Geocoding through Nominatim: GET /search?q=…&format=jsonv2&addressdetails=1."""

from __future__ import annotations

from typing import Any

import httpx

from allo.adapters.geo.http_client import DEFAULT_TIMEOUT_S, JsonGetter
from allo.adapters.geo.remote_scoring import agreement, query_text
from allo.domain.geo import LatLon
from allo.services.ports.geocoder import GeocodeQuery, GeocoderUnavailable, GeocodeResult, Precision

_STREET_KEYS = ("road", "pedestrian", "footway", "path", "square", "place", "residential")
_CITY_KEYS = ("city", "town", "village", "municipality", "hamlet")


class NominatimGeocoder:
    """`Geocoder` over a Nominatim server (self-hosted; mind the usage policy of public ones)."""

    def __init__(
        self,
        base_url: str,
        *,
        limit: int = 5,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        min_score: float = 0.5,
        user_agent: str = "allo-geocoder/0.1",
        countrycodes: str | None = None,
        language: str = "fr,en",
        client: httpx.Client | None = None,
    ) -> None:
        headers = {"User-Agent": user_agent, "Accept-Language": language}
        self._http = JsonGetter("nominatim", base_url, timeout_s=timeout_s, headers=headers, client=client)
        self.limit = limit
        self.min_score = min_score
        self.countrycodes = countrycodes

    def geocode(self, query: GeocodeQuery) -> list[GeocodeResult]:
        text = query_text(query)
        if not text:
            return []
        params: dict[str, str | int] = {"q": text, "format": "jsonv2", "addressdetails": 1, "limit": self.limit}
        if self.countrycodes:
            params["countrycodes"] = self.countrycodes
        data = self._http.get("/search", params)
        if not isinstance(data, list):
            raise GeocoderUnavailable("nominatim sent a reply that is not a jsonv2 result list")
        results = [r for r in (self._result(query, place) for place in data) if r is not None]
        results.sort(key=lambda r: r.score, reverse=True)
        return [r for r in results if r.score >= self.min_score]

    @staticmethod
    def _result(query: GeocodeQuery, place: dict[str, Any]) -> GeocodeResult | None:
        address = place.get("address") or {}
        street = next((address[k] for k in _STREET_KEYS if address.get(k)), None)
        if street is None and place.get("category") == "highway":
            street = place.get("name")
        if street is None:
            return None  # a town, a region or a shop without a street is not a delivery address
        number = address.get("house_number")
        precision: Precision = "housenumber" if number else "street"
        try:
            position = LatLon(float(place["lat"]), float(place["lon"]))
        except (KeyError, TypeError, ValueError):
            return None
        city = next((address[k] for k in _CITY_KEYS if address.get(k)), None)
        postcode = address.get("postcode")
        score = agreement(query, street=street, housenumber=number, postcode=postcode, city=city,
                          precision=precision)
        label = place.get("display_name") or " ".join(p for p in (number, street, postcode, city) if p)
        return GeocodeResult(label, position, precision, score, postcode, city)

    def close(self) -> None:
        self._http.close()
