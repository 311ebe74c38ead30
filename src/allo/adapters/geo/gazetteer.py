"""The embedded geocoder: a gazetteer of streets and house numbers held in memory.

Built from address rows (street, number, postcode, city, lat, lon) and street centre lines. A query
is split into parts, its street is matched fuzzily (rapidfuzz) against the streets' canonical names,
the number is placed on each candidate street, and postcode and city raise or lower the score.
Score = name similarity x locality agreement x placement quality, lowered again when two distinct
places score alike: an ambiguous address comes out low so that the dialogue asks again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from allo.adapters.geo import polyline
from allo.adapters.geo.address_text import split_address
from allo.adapters.geo.housenumbers import Anchor, StreetModel, parse_housenumber, typical_spacing
from allo.adapters.geo.normalise import StreetName, city_key, parse_street, street_readings, street_similarity
from allo.domain.geo import LatLon, LocalProjection, Point
from allo.services.ports.geocoder import GeocodeQuery, GeocodeResult


@dataclass(frozen=True, slots=True)
class AddressRow:
    """One known address point."""

    street: str
    housenumber: str
    postcode: str
    city: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class StreetGeometry:
    """A piece of a street's centre line (WGS84), with its town; pieces of one street are merged."""

    name: str
    postcode: str
    city: str
    line: tuple[LatLon, ...]
    district: str = ""


@dataclass
class _Street:
    display: str
    name: StreetName
    postcode: str
    city: str
    districts: set[str]
    model: StreetModel


AMBIGUITY_DISTANCE_M = 150.0
CANDIDATES = 25  # per scorer
AMBIGUITY_MARGIN = 0.05
AMBIGUITY_FACTOR_TWO = 0.75  # two places: confirm one with the customer
AMBIGUITY_FACTOR_MANY = 0.55  # three or more: ask again


class Gazetteer:
    """In-memory `Geocoder` over address rows and street geometries."""

    def __init__(
        self,
        rows: Iterable[AddressRow],
        streets: Iterable[StreetGeometry] = (),
        *,
        min_score: float = 0.5,
        limit: int = 5,
    ) -> None:
        rows, streets = list(rows), list(streets)
        points = [LatLon(r.lat, r.lon) for r in rows] + [p for s in streets for p in s.line[:1]]
        if not points:
            raise ValueError("a gazetteer needs at least one address row or street")
        origin = LatLon(sum(p.lat for p in points) / len(points), sum(p.lon for p in points) / len(points))
        self.projection = LocalProjection(origin)
        self.min_score = min_score
        self.limit = limit
        self._streets = self._build(rows, streets)
        self._cores = [s.name.core for s in self._streets]
        self._keys = [s.name.key for s in self._streets]
        self._by_postcode: dict[str, list[int]] = defaultdict(list)
        for i, st in enumerate(self._streets):
            self._by_postcode[st.postcode].append(i)
        self._districts: dict[str, set[str]] = defaultdict(set)
        for st in self._streets:
            self._districts[city_key(st.city)].update(city_key(d) for d in st.districts)
        self._cities = set(self._districts) | {d for ds in self._districts.values() for d in ds}

    def __len__(self) -> int:
        return len(self._streets)

    def _build(self, rows: list[AddressRow], streets: list[StreetGeometry]) -> list[_Street]:
        proj = self.projection
        lines: dict[tuple[str, str], list[list[Point]]] = defaultdict(list)
        meta: dict[tuple[str, str], _Street] = {}
        for g in streets:
            key = (parse_street(g.name).key, city_key(g.city))
            if not key[0]:
                continue
            lines[key].append([proj.to_plane(p) for p in g.line])
            st = meta.setdefault(key, _Street(g.name, parse_street(g.name), g.postcode, g.city, set(),
                                              StreetModel(None)))
            if g.district:
                st.districts.add(g.district)
        for r in rows:
            hn = parse_housenumber(r.housenumber)
            key = (parse_street(r.street).key, city_key(r.city))
            if hn is None or not key[0]:
                continue
            st = meta.setdefault(key, _Street(r.street, parse_street(r.street), r.postcode, r.city, set(),
                                              StreetModel(None)))
            st.postcode = st.postcode or r.postcode
            st.model.anchors.append(Anchor(hn, proj.to_plane(LatLon(r.lat, r.lon))))
        centres = self._town_centres(meta, lines)
        for key, st in meta.items():
            if lines.get(key):
                st.model.line = polyline.merge(lines[key])[0]
            st.model.prepare(centres.get(key[1]))
        spacing = typical_spacing([st.model for st in meta.values()])
        for st in meta.values():
            st.model.spacing_m = spacing
        return [st for st in meta.values() if st.model.line or st.model.anchors]

    @staticmethod
    def _town_centres(meta: dict, lines: dict) -> dict[str, Point]:
        """Mean of each town's street points and anchors: a stand-in for the town centre."""
        acc: dict[str, list[Point]] = defaultdict(list)
        for key, st in meta.items():
            acc[key[1]].extend(p for line in lines.get(key, []) for p in line[:1])
            acc[key[1]].extend(a.point for a in st.model.anchors)
        return {k: Point(sum(p.x for p in v) / len(v), sum(p.y for p in v) / len(v)) for k, v in acc.items() if v}

    # -- querying --------------------------------------------------------------------------------

    def geocode(self, query: GeocodeQuery) -> list[GeocodeResult]:
        parts = split_address(query)
        readings = [(parts.street, parts.city)]
        if parts.city is None:  # "14 bd des Moulins Monaco": the town may trail the street
            stripped = self._strip_trailing_city(parts.street)
            if stripped[1] is not None:
                readings.append(stripped)
        best: dict[str, tuple[float, GeocodeResult, Point]] = {}
        for street_text, city in readings:
            for item in self._search(street_text, parts.number, parts.postcode, city):
                if item[1].label not in best or best[item[1].label][0] < item[0]:
                    best[item[1].label] = item
        scored = sorted(best.values(), key=lambda t: t[0], reverse=True)
        return self._honest_top(scored)

    def _search(
        self, street_text: str, number: str | None, postcode: str | None, city: str | None
    ) -> list[tuple[float, GeocodeResult, Point]]:
        readings = [r for r in street_readings(street_text) if r.core]
        if not readings:
            return []
        hn = parse_housenumber(number)
        scored: list[tuple[float, GeocodeResult, Point]] = []
        for idx in set().union(*(self._candidates(r, postcode) for r in readings)):
            st = self._streets[idx]
            name_score = max(street_similarity(r, st.name) for r in readings)
            if name_score < self.min_score:
                continue
            placement = st.model.locate(hn)
            score = name_score * self._locality(st, postcode, city) * placement.quality
            label_number = f"{hn} " if hn is not None and placement.precision != "street" else ""
            label = f"{label_number}{_display(st.display)}, {st.postcode} {st.city}".replace("  ", " ")
            result = GeocodeResult(label, self.projection.to_latlon(placement.point), placement.precision,
                                   round(score, 3), st.postcode or None, st.city or None)
            scored.append((score, result, placement.point))
        return scored

    def _candidates(self, name: StreetName, postcode: str | None) -> set[int]:
        """Street indexes whose name is close; within the postcode first when one is given."""
        block = self._by_postcode.get(postcode or "")
        if block and len(block) < len(self._cores):
            found = self._extract(name, block)
            if any(fuzz.ratio(name.core, self._cores[i]) >= 85 for i in found):
                return found  # a good match in the right postcode: no need to look elsewhere
            return found | self._extract(name, None)
        return self._extract(name, None)

    def _extract(self, name: StreetName, subset: list[int] | None) -> set[int]:
        """Best matches by core (two scorers) and by type + core, so that ties of one core
        ("rue", "avenue", "chemin des Lilas" in many towns) still bring every same-type street."""
        found: set[int] = set()
        for field, query, scorer in (
            (self._cores, name.core, fuzz.ratio),
            (self._cores, name.core, fuzz.token_sort_ratio),
            (self._keys, name.key, fuzz.ratio),
        ):
            choices = field if subset is None else {i: field[i] for i in subset}
            for _, _, idx in process.extract(query, choices, scorer=scorer, limit=CANDIDATES, score_cutoff=45):
                found.add(idx)
        return found

    def _strip_trailing_city(self, text: str) -> tuple[str, str | None]:
        words = text.split()
        for k in range(min(3, len(words) - 1), 0, -1):
            tail = " ".join(words[-k:])
            if city_key(tail) in self._cities:
                return " ".join(words[:-k]), tail
        return text, None

    def _locality(self, st: _Street, postcode: str | None, city: str | None) -> float:
        """1.0 when postcode and city agree (a quarter counts as its town); lower when they do not."""
        factor = 1.0
        if postcode:
            if not st.postcode:
                factor *= 0.9
            elif st.postcode != postcode:
                factor *= 0.75 if st.postcode[:2] == postcode[:2] else 0.55
        if city and st.city:
            wanted = city_key(city)
            own = max([_city_similarity(wanted, city_key(n)) for n in (st.city, *st.districts)])
            town = max([_city_similarity(wanted, d) for d in self._districts[city_key(st.city)]], default=0.0)
            if own >= 0.85:
                pass
            elif town >= 0.85:
                factor *= 0.95
            else:
                factor *= 0.75 if postcode and postcode == st.postcode else 0.55
        return factor

    def _honest_top(self, scored: list[tuple[float, GeocodeResult, Point]]) -> list[GeocodeResult]:
        """Lower the leading group when it holds distinct places with near-equal scores:
        two places can be confirmed with the customer, three or more must be asked again. They
        stay in the list (with their low scores) so that the dialogue can offer them."""
        scored = [t for t in scored if t[0] >= self.min_score]
        if len(scored) >= 2:
            best = scored[0][0]
            group = [k for k, (s, _, _) in enumerate(scored) if best - s <= AMBIGUITY_MARGIN]
            places: list[Point] = []
            for k in group:
                if all(scored[k][2].distance_to(p) > AMBIGUITY_DISTANCE_M for p in places):
                    places.append(scored[k][2])
            if len(places) > 1:
                factor = AMBIGUITY_FACTOR_TWO if len(places) == 2 else AMBIGUITY_FACTOR_MANY
                # every result is lowered, so that none overtakes the ambiguous leaders
                scored = [(s * factor, _rescore(r, s * factor), p) for s, r, p in scored]
        return [r for _, r, _ in scored][: self.limit]


def _rescore(r: GeocodeResult, score: float) -> GeocodeResult:
    return GeocodeResult(r.label, r.position, r.precision, round(score, 3), r.postcode, r.city)


def _display(name: str) -> str:
    return name[:1].upper() + name[1:] if name.islower() else name


def _city_similarity(a: str, b: str) -> float:
    """"roquebrune" matches "roquebrune cap martin"; "monaco" matches "monaco"."""
    return max(fuzz.ratio(a, b), fuzz.token_set_ratio(a, b) if len(a) >= 4 else 0.0) / 100.0
