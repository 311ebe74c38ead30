"""Drop-off addresses for simulated customers, from the demo city's shipped data (OpenStreetMap).

Half are real address points (house number + street from addresses.csv), half a plausible house
number on a real street (streets.geojson), which the gazetteer places by interpolation. Only
places inside the delivery zone are kept. Files are read on call, never at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from allo.domain.geo import LatLon, Polygon, haversine_m
from allo.simulation.live.messages import DropAddress

#: Streets a customer would give as an address (not footways, steps, tunnels or motorways).
STREET_KINDS = frozenset({"residential", "primary", "secondary", "tertiary", "living_street", "unclassified"})
STREET_WORDS = ("avenue ", "boulevard ", "rue ", "place ", "quai ", "allée ", "chemin ", "route ", "impasse ")
MAX_NUMBER = 40


@dataclass(frozen=True)
class AddressBook:
    points: tuple[DropAddress, ...]  # real address points
    streets: tuple[tuple[str, str, str], ...]  # (street, postcode, city)

    def __post_init__(self) -> None:
        if not self.points and not self.streets:
            raise ValueError("an address book needs addresses or streets")

    def draw(self, rng: Random) -> DropAddress:
        """A drop-off address: a real point, or a house number on a real street."""
        if self.points and (not self.streets or rng.random() < 0.5):
            return rng.choice(self.points)
        street, postcode, city = rng.choice(self.streets)
        return DropAddress(str(rng.randrange(1, MAX_NUMBER)), street, postcode, city)

    def near(self, rng: Random, where: LatLon, within_m: float) -> DropAddress:
        """A real address point within `within_m` of `where` (the nearest one when none is)."""
        located = [p for p in self.points if p.location is not None]
        if not located:
            return self.draw(rng)
        close = [p for p in located if haversine_m(p.location, where) <= within_m]  # type: ignore[arg-type]
        if close:
            return rng.choice(close)
        return min(located, key=lambda p: haversine_m(p.location, where))  # type: ignore[arg-type]

    def spares(self, rng: Random, count: int = 3) -> list[DropAddress]:
        """Other addresses a customer may give when the first one is not understood (real points)."""
        pool = list(self.points) or [self.draw(rng) for _ in range(count)]
        return rng.sample(pool, min(count, len(pool)))


def _plain(street: str) -> bool:
    """Street names with digits ("Avenue du 3 Septembre") read like quantities in an order: skipped."""
    return not any(ch.isdigit() for ch in street)


def load_demo_addresses(zone: Polygon) -> AddressBook:
    """The Monaco address book, limited to `zone`."""
    import json

    from allo.adapters.geo.loaders import monaco_file, read_address_csv

    points = tuple(
        DropAddress(r.housenumber, r.street, r.postcode, r.city, LatLon(r.lat, r.lon))
        for r in read_address_csv(monaco_file("addresses.csv"))
        if zone.contains(LatLon(r.lat, r.lon)) and r.housenumber[:1].isdigit() and _plain(r.street)
    )
    data = json.loads(monaco_file("streets.geojson").read_text(encoding="utf-8"))
    streets: set[tuple[str, str, str]] = set()
    for feature in data["features"]:
        props, geom = feature["properties"], feature["geometry"]
        name = props.get("name") or ""
        if props.get("highway") not in STREET_KINDS or not name.lower().startswith(STREET_WORDS) or not _plain(name):
            continue
        if geom["type"] != "LineString" or not props.get("postcode") or not props.get("city"):
            continue
        lon, lat = geom["coordinates"][len(geom["coordinates"]) // 2]
        if zone.contains(LatLon(lat, lon)):
            streets.add((name, props["postcode"], props["city"]))
    return AddressBook(points, tuple(sorted(streets)))
