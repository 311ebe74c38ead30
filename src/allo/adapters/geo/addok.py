"""Geocoding through addok (the engine behind the French BAN API): GET /search/?q=…&limit=…"""

from __future__ import annotations

from typing import Any

import httpx

from allo.adapters.geo.http_client import DEFAULT_TIMEOUT_S, JsonGetter
from allo.adapters.geo.remote_scoring import agreement, query_text
from allo.domain.geo import LatLon
from allo.services.ports.geocoder import GeocodeQuery, GeocoderUnavailable, GeocodeResult, Precision

_PRECISION: dict[str, Precision] = {"housenumber": "housenumber", "street": "street", "locality": "street"}


class AddokGeocoder:
    """`Geocoder` over an addok server, e.g. AddokGeocoder("http://127.0.0.1:7878")."""

    def __init__(
        self,
        base_url: str,
        *,
        limit: int = 5,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        min_score: float = 0.5,
        client: httpx.Client | None = None,
    ) -> None:
        self._http = JsonGetter("addok", base_url, timeout_s=timeout_s, client=client)
        self.limit = limit
        self.min_score = min_score

    def geocode(self, query: GeocodeQuery) -> list[GeocodeResult]:
        text = query_text(query)
        if not text:
            return []
        params: dict[str, str | int] = {"q": text, "limit": self.limit}
        if query.postcode:
            params["postcode"] = query.postcode
        data = self._http.get("/search/", params)
        if not isinstance(data, dict) or not isinstance(data.get("features"), list):
            raise GeocoderUnavailable("addok sent a reply that is not a GeoJSON FeatureCollection")
        results = [r for r in (self._result(query, f) for f in data["features"]) if r is not None]
        results.sort(key=lambda r: r.score, reverse=True)
        return [r for r in results if r.score >= self.min_score]

    @staticmethod
    def _result(query: GeocodeQuery, feature: dict[str, Any]) -> GeocodeResult | None:
        props = feature.get("properties") or {}
        precision = _PRECISION.get(props.get("type", ""))
        try:
            lon, lat = feature["geometry"]["coordinates"][:2]
            position = LatLon(float(lat), float(lon))
        except (KeyError, TypeError, ValueError):
            return None
        if precision is None:
            return None  # a town or a département is not a delivery address
        street = props.get("street") or props.get("name")
        score = agreement(
            query, street=street, housenumber=props.get("housenumber"), postcode=props.get("postcode"),
            city=props.get("city"), precision=precision, service_score=float(props.get("score", 1.0)),
        )
        return GeocodeResult(props.get("label") or street or "", position, precision, score,
                             props.get("postcode"), props.get("city"))

    def close(self) -> None:
        self._http.close()
