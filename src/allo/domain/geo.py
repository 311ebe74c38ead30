"""Geography: WGS84 points, a local planar projection in metres, polygons."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True, slots=True)
class LatLon:
    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            from allo.domain.errors import ValidationFailed

            raise ValidationFailed(f"coordinates out of range: {self.lat}, {self.lon}")


@dataclass(frozen=True, slots=True)
class Point:
    """A position on a local plane, in metres."""

    x: float
    y: float

    def distance_to(self, other: "Point") -> float:
        return math.hypot(self.x - other.x, self.y - other.y)


@dataclass(frozen=True, slots=True)
class LocalProjection:
    """Equirectangular projection around an origin: accurate to well under 1 % across a city."""

    origin: LatLon

    def to_plane(self, p: LatLon) -> Point:
        k = math.cos(math.radians(self.origin.lat))
        x = math.radians(p.lon - self.origin.lon) * EARTH_RADIUS_M * k
        y = math.radians(p.lat - self.origin.lat) * EARTH_RADIUS_M
        return Point(x, y)

    def to_latlon(self, p: Point) -> LatLon:
        k = math.cos(math.radians(self.origin.lat))
        lat = self.origin.lat + math.degrees(p.y / EARTH_RADIUS_M)
        lon = self.origin.lon + math.degrees(p.x / (EARTH_RADIUS_M * k))
        return LatLon(lat, lon)


def haversine_m(a: LatLon, b: LatLon) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


@dataclass(frozen=True, slots=True)
class Polygon:
    """A simple polygon of WGS84 vertices (a delivery zone)."""

    vertices: tuple[LatLon, ...]

    def __post_init__(self) -> None:
        if len(self.vertices) < 3:
            from allo.domain.errors import ValidationFailed

            raise ValidationFailed("a polygon needs at least three vertices")

    def contains(self, p: LatLon) -> bool:
        """Ray casting; points on an edge may fall either way."""
        inside = False
        vs = self.vertices
        j = len(vs) - 1
        for i in range(len(vs)):
            yi, xi = vs[i].lat, vs[i].lon
            yj, xj = vs[j].lat, vs[j].lon
            if (yi > p.lat) != (yj > p.lat):
                x_cross = (xj - xi) * (p.lat - yi) / (yj - yi) + xi
                if p.lon < x_cross:
                    inside = not inside
            j = i
        return inside

    @classmethod
    def circle(cls, centre: LatLon, radius_m: float, sides: int = 24) -> "Polygon":
        proj = LocalProjection(centre)
        pts = []
        for k in range(sides):
            a = 2 * math.pi * k / sides
            pts.append(proj.to_latlon(Point(radius_m * math.cos(a), radius_m * math.sin(a))))
        return cls(tuple(pts))
