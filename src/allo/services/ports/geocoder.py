"""Geocoder port: turn an address written by a customer into a position, or admit it cannot.

Adapters: the embedded gazetteer (`allo.adapters.geo.gazetteer`), addok and Nominatim over HTTP.
Results come best first. An empty list means "cannot place it": the dialogue asks again. Scores are
honest: a doubtful match comes out low rather than being dressed up as a good one.
Suggested use of `score`: at least 0.8 accept; 0.6 to 0.8 confirm with the customer; below, ask again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from allo.domain.geo import LatLon

Precision = Literal["housenumber", "interpolated", "street"]


@dataclass(frozen=True, slots=True)
class GeocodeQuery:
    """Free text ("14 bd des Moulins, 98000 Monaco") and/or structured parts; parts win over text."""

    text: str = ""
    number: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """One candidate place. `precision` says how the position was obtained; `score` is in 0..1."""

    label: str
    position: LatLon
    precision: Precision
    score: float
    postcode: str | None = None
    city: str | None = None


@runtime_checkable
class Geocoder(Protocol):
    def geocode(self, query: GeocodeQuery) -> list[GeocodeResult]:
        """Candidates best first; empty when the address cannot be placed."""
        ...


class GeocoderUnavailable(Exception):
    """A remote geocoder could not be reached or answered with an error (not "address unknown")."""

    code = "geocoder_unavailable"
