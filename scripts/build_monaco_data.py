#!/usr/bin/env python3
"""Build the shipped Monaco demo geodata from an OpenStreetMap extract. Run once by a developer.

    .venv/bin/pip install osmium      # build-time only, never needed at run time
    .venv/bin/python scripts/build_monaco_data.py [../shared/data/osm/monaco.osm.pbf] [--out DIR]

Writes into src/allo/demo/monaco/:
  addresses.csv     street;housenumber;postcode;city;lat;lon (OSM addr:* nodes and buildings)
  streets.geojson   named and unnamed highways, simplified (~1.5 m), with name, class, city, postcode
  boundary.geojson  the Principality's outline (a default delivery zone for the demo)
  graph.json        the street graph: nodes [lat, lon]; edges between junctions with their node path,
                    length in metres, name, class, mode flags (1 drive, 2 walk) and one-way flag
Data © OpenStreetMap contributors, ODbL (see CREDITS.md there).
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

import osmium

from allo.adapters.geo import polyline
from allo.domain.geo import LatLon, LocalProjection, haversine_m

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PBF = REPO.parent / "shared" / "data" / "osm" / "monaco.osm.pbf"
DEFAULT_OUT = REPO / "src" / "allo" / "demo" / "monaco"
CENTRE = LatLon(43.7384, 7.4246)
PROJ = LocalProjection(CENTRE)

DRIVE = {
    "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary",
    "secondary_link", "tertiary", "tertiary_link", "unclassified", "residential", "living_street",
    "service", "road",
}
WALK_ONLY = {"pedestrian", "footway", "steps", "path", "track", "cycleway"}
NO_WALK = {"motorway", "motorway_link"}
MONACO_POSTCODE = "98000"


def _flags(tags: dict[str, str]) -> int:
    hw = tags.get("highway", "")
    access = tags.get("access", "")
    flags = 0
    if hw in DRIVE and access not in ("no", "private") and tags.get("motor_vehicle") != "no":
        flags |= 1
    if (hw in DRIVE or hw in WALK_ONLY) and hw not in NO_WALK and tags.get("foot") != "no":
        if access not in ("no", "private") or tags.get("foot") in ("yes", "designated"):
            flags |= 2
    return flags


def _oneway(tags: dict[str, str]) -> int:
    value = tags.get("oneway", "")
    if value in ("yes", "1", "true"):
        return 1
    if value == "-1":
        return -1
    if value == "no":
        return 0
    if tags.get("junction") in ("roundabout", "circular") or tags.get("highway") == "motorway":
        return 1
    return 0


class Areas:
    """Administrative polygons (communes, Monaco quarters) for point-in-polygon lookups."""

    def __init__(self) -> None:
        self.communes: list[tuple[str, list[list[tuple[float, float]]]]] = []
        self.quarters: list[tuple[str, list[list[tuple[float, float]]]]] = []
        self.postcodes: dict[str, str] = {}
        self.places: list[tuple[str, LatLon]] = []

    def load(self, pbf: Path) -> None:
        fp = osmium.FileProcessor(str(pbf)).with_areas(osmium.filter.KeyFilter("boundary"))
        for o in fp:
            if o.is_relation() and o.tags.get("boundary") == "administrative":
                if "addr:postcode" in o.tags:
                    self.postcodes[o.tags["name"]] = o.tags["addr:postcode"]
            if o.is_node() and o.tags.get("place") in ("city", "town", "village"):
                self.places.append((o.tags.get("name", ""), LatLon(o.location.lat, o.location.lon)))
            if not o.is_area() or o.tags.get("boundary") != "administrative":
                continue
            rings = [[(n.lon, n.lat) for n in ring] for ring in o.outer_rings()]
            if not rings:
                continue
            level, name = o.tags.get("admin_level"), o.tags.get("name", "")
            if level == "8":
                self.communes.append((name, rings))
            elif level == "10":
                self.quarters.append((name, rings))

    def _postcode(self, name: str) -> str:
        return MONACO_POSTCODE if name == "Monaco" else self.postcodes.get(name, "")

    def locate(self, p: LatLon) -> tuple[str, str, str]:
        """(city, postcode, district) for a point; nearest place when outside known polygons."""
        district = next((n for n, rings in self.quarters if _inside(rings, p)), "")
        for name, rings in self.communes:
            if _inside(rings, p):
                return name, self._postcode(name), district
        name = min(self.places, key=lambda np: haversine_m(np[1], p))[0] if self.places else ""
        return name, self._postcode(name), district


def _inside(rings: list[list[tuple[float, float]]], p: LatLon) -> bool:
    inside = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            (xi, yi), (xj, yj) = ring[i], ring[j]
            if (yi > p.lat) != (yj > p.lat) and p.lon < (xj - xi) * (p.lat - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


class Collector(osmium.SimpleHandler):
    """Highways (with node ids and coordinates) and address-bearing nodes and buildings."""

    def __init__(self, associated: dict[tuple[str, int], str]) -> None:
        super().__init__()
        self.associated = associated
        self.ways: list[dict] = []
        self.addresses: list[dict] = []

    def node(self, n: osmium.osm.Node) -> None:
        if "addr:housenumber" in n.tags:
            self._address(dict(n.tags), ("n", n.id), LatLon(n.location.lat, n.location.lon))

    def way(self, w: osmium.osm.Way) -> None:
        tags = dict(w.tags)
        try:
            coords = [(nd.ref, LatLon(nd.location.lat, nd.location.lon)) for nd in w.nodes]
        except osmium.InvalidLocationError:
            return
        if "highway" in tags and len(coords) >= 2:
            flags = _flags(tags)
            if flags or tags.get("name"):
                self.ways.append({"id": w.id, "tags": tags, "coords": coords, "flags": flags})
        if "addr:housenumber" in tags and coords:
            lat = sum(c.lat for _, c in coords) / len(coords)
            lon = sum(c.lon for _, c in coords) / len(coords)
            self._address(tags, ("w", w.id), LatLon(lat, lon))

    def _address(self, tags: dict[str, str], key: tuple[str, int], where: LatLon) -> None:
        street = tags.get("addr:street") or self.associated.get(key)
        if not street:
            return  # a number without a street is not placed: no guessing
        self.addresses.append(
            {"street": street, "number": tags["addr:housenumber"], "postcode": tags.get("addr:postcode", ""),
             "city": tags.get("addr:city", ""), "at": where}
        )


def associated_streets(pbf: Path) -> dict[tuple[str, int], str]:
    out: dict[tuple[str, int], str] = {}
    for o in osmium.FileProcessor(str(pbf), osmium.osm.RELATION):
        if o.tags.get("type") in ("associatedStreet", "street") and o.tags.get("name"):
            for m in o.members:
                if m.role in ("house", "address", "addr"):
                    out[(m.type, m.ref)] = o.tags["name"]
    return out


def build_graph(ways: list[dict]) -> dict:
    """Split routable ways at junctions; nodes are every vertex used, edges carry their node path."""
    use = Counter(ref for w in ways if w["flags"] for ref, _ in w["coords"])
    for w in ways:
        if w["flags"]:
            use[w["coords"][0][0]] += 1
            use[w["coords"][-1][0]] += 1
    index: dict[int, int] = {}
    nodes: list[list[float]] = []
    names: list[str] = [""]
    classes: list[str] = []
    edges: list[list] = []
    for w in ways:
        if not w["flags"]:
            continue
        name = w["tags"].get("name", "")
        if name not in names:
            names.append(name)
        hw = w["tags"]["highway"]
        if hw not in classes:
            classes.append(hw)
        path: list[int] = []
        for k, (ref, at) in enumerate(w["coords"]):
            if ref not in index:
                index[ref] = len(nodes)
                nodes.append([round(at.lat, 7), round(at.lon, 7)])
            path.append(index[ref])
            if k > 0 and (use[ref] > 1 or k == len(w["coords"]) - 1):
                length = sum(
                    haversine_m(LatLon(*nodes[path[i]]), LatLon(*nodes[path[i + 1]])) for i in range(len(path) - 1)
                )
                edges.append([path, round(length, 1), names.index(name), classes.index(hw), w["flags"],
                              _oneway(w["tags"])])
                path = [index[ref]]
    return {"format": "allo-road-graph/1", "credits": "© OpenStreetMap contributors, ODbL",
            "edge_fields": ["path", "length_m", "name", "class", "modes", "oneway"],
            "modes": {"drive": 1, "walk": 2}, "names": names, "classes": classes, "nodes": nodes,
            "edges": edges}


def streets_geojson(ways: list[dict], areas: Areas) -> dict:
    features = []
    for w in ways:
        pts = [PROJ.to_plane(c) for _, c in w["coords"]]
        simple = [PROJ.to_latlon(p) for p in polyline.simplify(pts, 1.5)]
        mid = w["coords"][len(w["coords"]) // 2][1]
        city, postcode, district = areas.locate(mid)
        props = {"name": w["tags"].get("name"), "highway": w["tags"]["highway"], "city": city,
                 "postcode": postcode}
        if district:
            props["district"] = district
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "LineString",
                                      "coordinates": [[round(p.lon, 6), round(p.lat, 6)] for p in simple]}})
    return {"type": "FeatureCollection", "attribution": "© OpenStreetMap contributors, ODbL",
            "features": features}


def boundary_geojson(areas: Areas) -> dict:
    """Monaco's outline, simplified (~2 m), as a GeoJSON MultiPolygon of outer rings."""
    polygons = []
    for name, rings in areas.communes:
        if name != "Monaco":
            continue
        for ring in rings:
            pts = polyline.simplify([PROJ.to_plane(LatLon(lat, lon)) for lon, lat in ring], 2.0)
            polygons.append([[[round(p.lon, 6), round(p.lat, 6)] for p in map(PROJ.to_latlon, pts)]])
    return {"type": "FeatureCollection", "attribution": "© OpenStreetMap contributors, ODbL",
            "features": [{"type": "Feature", "properties": {"name": "Monaco", "postcode": MONACO_POSTCODE},
                          "geometry": {"type": "MultiPolygon", "coordinates": polygons}}]}


def fix_address_streets(addresses: list[dict], ways: list[dict], areas: Areas) -> list[dict]:
    """Align each addr:street with a nearby named way (typos, case); fill city and postcode."""
    from rapidfuzz import fuzz

    from allo.adapters.geo.normalise import street_key

    named = [(w["tags"]["name"], [c for _, c in w["coords"]]) for w in ways if w["tags"].get("name")]
    out = []
    for a in addresses:
        near = {name for name, cs in named if min(haversine_m(a["at"], c) for c in cs) < 200}
        best = max(near, key=lambda n: fuzz.ratio(street_key(n), street_key(a["street"])), default=None)
        if best and fuzz.ratio(street_key(best), street_key(a["street"])) >= 85:
            a["street"] = best
        city, postcode, _ = areas.locate(a["at"])
        a["city"], a["postcode"] = city or a["city"], postcode or a["postcode"]
        out.append(a)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pbf", nargs="?", type=Path, default=DEFAULT_PBF)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    areas = Areas()
    areas.load(args.pbf)
    collector = Collector(associated_streets(args.pbf))
    collector.apply_file(str(args.pbf), locations=True)
    addresses = fix_address_streets(collector.addresses, collector.ways, areas)

    with (args.out / "addresses.csv").open("w", newline="", encoding="utf-8") as fh:
        wr = csv.writer(fh, delimiter=";")
        wr.writerow(["street", "housenumber", "postcode", "city", "lat", "lon"])
        seen = set()
        for a in sorted(addresses, key=lambda a: (a["city"], a["street"], a["number"])):
            row = (a["street"], a["number"], a["postcode"], a["city"], round(a["at"].lat, 7), round(a["at"].lon, 7))
            if row[:4] not in seen:
                seen.add(row[:4])
                wr.writerow(row)
    graph = build_graph(collector.ways)
    (args.out / "graph.json").write_text(json.dumps(graph, separators=(",", ":")), encoding="utf-8")
    geo = streets_geojson(collector.ways, areas)
    (args.out / "streets.geojson").write_text(json.dumps(geo, separators=(",", ":"), ensure_ascii=False),
                                              encoding="utf-8")
    (args.out / "boundary.geojson").write_text(json.dumps(boundary_geojson(areas), separators=(",", ":")),
                                               encoding="utf-8")
    print(f"addresses {len(seen)}  graph nodes {len(graph['nodes'])} edges {len(graph['edges'])}  "
          f"street features {len(geo['features'])}")
    for p in sorted(args.out.iterdir()):
        print(f"  {p.name:18s} {p.stat().st_size / 1024:8.1f} KiB")


if __name__ == "__main__":
    main()
