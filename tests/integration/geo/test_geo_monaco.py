"""The shipped Monaco data: gazetteer, road network, and the files themselves."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from allo.adapters.geo import polyline
from allo.adapters.geo.gazetteer import Gazetteer
from allo.adapters.geo.loaders import load_monaco_gazetteer, load_monaco_zone, monaco_file
from allo.adapters.geo.road_network import RoadNetwork, load_monaco_road_network, route_length_m
from allo.domain.geo import LatLon, LocalProjection, Point
from allo.services.ports.geocoder import GeocodeQuery

MONACO = LatLon(43.7384, 7.4246)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_monaco_gazetteer()


@pytest.fixture(scope="module")
def network() -> RoadNetwork:
    return load_monaco_road_network("drive", LocalProjection(MONACO))


def _distance_to_street(name: str, p: LatLon) -> float:
    proj = LocalProjection(MONACO)
    data = json.loads(monaco_file("streets.geojson").read_text(encoding="utf-8"))
    lines = [[proj.to_plane(LatLon(lat, lon)) for lon, lat in f["geometry"]["coordinates"]]
             for f in data["features"] if f["properties"]["name"] == name]
    assert lines, name
    return min(polyline.project(line, proj.to_plane(p))[1] for line in lines)


def test_shipped_files_are_small_and_credited() -> None:
    names = ["addresses.csv", "streets.geojson", "graph.json", "boundary.geojson", "CREDITS.md"]
    total = sum(monaco_file(n).stat().st_size for n in names)
    assert total < 5 * 1024 * 1024
    assert "© OpenStreetMap contributors" in monaco_file("CREDITS.md").read_text(encoding="utf-8")
    assert "ODbL" in monaco_file("CREDITS.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text", ["14 boulevard des Moulins", "14 bd des moulin", "14 Bd des Moulins, 98000 Monaco",
             "14 BLD DES MOULINS MONACO", "14 boulevard des mouluns"]
)
def test_boulevard_des_moulins(gazetteer: Gazetteer, text: str) -> None:
    best = gazetteer.geocode(GeocodeQuery(text))[0]
    assert best.label == "14 Boulevard des Moulins, 98000 Monaco"
    assert best.precision == "interpolated"
    assert best.postcode == "98000" and best.city == "Monaco"
    assert _distance_to_street("Boulevard des Moulins", best.position) < 5.0
    assert best.score >= (0.8 if "mouluns" not in text else 0.6)


def test_known_house_numbers_are_exact(gazetteer: Gazetteer) -> None:
    best = gazetteer.geocode(GeocodeQuery("10 av princesse grace"))[0]
    assert best.precision == "housenumber" and best.score == 1.0
    assert abs(best.position.lat - 43.7433766) < 1e-6
    colle = gazetteer.geocode(GeocodeQuery("4 bis rue de la Colle"))[0]
    assert colle.precision == "housenumber" and colle.label.startswith("4 bis Rue de la Colle")


def test_numbers_between_known_ones_are_interpolated(gazetteer: Gazetteer) -> None:
    best = gazetteer.geocode(GeocodeQuery("5 avenue Albert II"))[0]
    assert best.precision == "interpolated" and best.score >= 0.9
    assert _distance_to_street("Avenue Albert II", best.position) < 5.0


def test_city_and_quarter_names_disambiguate(gazetteer: Gazetteer) -> None:
    beausoleil = gazetteer.geocode(GeocodeQuery("avenue de verdun 06240"))[0]
    assert beausoleil.city == "Beausoleil" and beausoleil.score >= 0.8
    alone = gazetteer.geocode(GeocodeQuery("avenue de verdun"))
    assert len({r.city for r in alone[:3]}) == 3  # three towns have one: offered, each scored low
    assert alone[0].score < 0.6
    grimaldi = gazetteer.geocode(GeocodeQuery("5 rue Grimaldi, Monte-Carlo"))[0]
    assert grimaldi.city == "Monaco" and grimaldi.score >= 0.8


def test_unknown_streets_are_not_guessed(gazetteer: Gazetteer) -> None:
    for text in ["5 baker street", "12 rue de nulle part", "3 avenue des Champs-Élysées", "zzz"]:
        assert all(r.score < 0.6 for r in gazetteer.geocode(GeocodeQuery(text))), text


def test_travel_is_never_shorter_than_the_straight_line(network: RoadNetwork) -> None:
    rng = random.Random(7)
    proj = network.projection
    for _ in range(100):
        a = proj.to_plane(LatLon(rng.uniform(43.727, 43.748), rng.uniform(7.412, 7.436)))
        b = proj.to_plane(LatLon(rng.uniform(43.727, 43.748), rng.uniform(7.412, 7.436)))
        assert network.travel_minutes(a, b, 250.0) >= a.distance_to(b) / 250.0 - 1e-9


def test_route_follows_streets_continuously(network: RoadNetwork, gazetteer: Gazetteer) -> None:
    shop = gazetteer.geocode(GeocodeQuery("10 avenue Princesse Grace"))[0].position
    home = gazetteer.geocode(GeocodeQuery("7 rue du Gabian"))[0].position
    route = network.route(shop, home)
    proj = network.projection
    assert route[0] == shop and route[-1] == home
    hops = [proj.to_plane(p).distance_to(proj.to_plane(q)) for p, q in zip(route[1:-2], route[2:-1])]
    assert max(hops) < 400  # consecutive graph nodes: no jumps across town
    length = route_length_m(route, proj)
    assert length == pytest.approx(network.distance_m(shop, home), rel=1e-6)
    straight = proj.to_plane(shop).distance_to(proj.to_plane(home))
    assert straight < length < 4 * straight
    minutes = network.travel_minutes(proj.to_plane(shop), proj.to_plane(home), 300.0)
    assert minutes == pytest.approx(length / 300.0)


def test_a_courier_between_two_streets_goes_the_short_way(network: RoadNetwork) -> None:
    """A courier on foot in La Condamine, reported between the nodes of its path: the nearest node,
    8 m away, is on another street with a long way round; the trip starts from the one that leads
    the shortest way, and its route and the dispatcher's times agree on it."""
    walk = load_monaco_road_network("walk", network.projection)
    here, there = walk.projection.to_plane(LatLon(43.737040, 7.420090)), Point(0.0, 0.0)
    nearest, leg = walk.snap(here)
    b, tail = walk.snap(there)
    by_nearest = leg + float(walk._from(nearest)[0][b]) + tail
    assert len(walk.starts(here)) > 1 and walk.starts(here)[0] == (nearest, leg)
    shortest = walk.distance_m(here, there)
    assert shortest < 0.7 * by_nearest  # about 570 m instead of 970
    assert shortest == pytest.approx(min(leg_a + float(walk._from(a)[0][b]) for a, leg_a in walk.starts(here)) + tail)
    assert route_length_m(walk.route(here, there), walk.projection) == pytest.approx(shortest, rel=1e-6)
    many = walk.travel_minutes_many(np.array([here.x, 120.0]), np.array([here.y, -80.0]), there,
                                    np.array([75.0, 75.0]))
    assert many[0] == pytest.approx(shortest / 75.0)
    assert many[1] == pytest.approx(walk.distance_m(Point(120.0, -80.0), there) / 75.0)
    moved = walk.travel_minutes_many(np.array([here.x, -300.0]), np.array([here.y, 250.0]), there,
                                     np.array([75.0, 75.0]))  # one courier moved since: timed afresh
    assert moved[0] == many[0] and moved[1] == pytest.approx(walk.distance_m(Point(-300.0, 250.0), there) / 75.0)


def test_walking_network_is_denser(network: RoadNetwork) -> None:
    walk = load_monaco_road_network("walk", network.projection)
    a, b = Point(-300, -500), Point(400, 600)
    assert walk.distance_m(a, b) >= a.distance_to(b)
    assert len(walk._snap_ids) > len(network._snap_ids)


def test_delivery_zone_is_the_principality(gazetteer: Gazetteer) -> None:
    zone = load_monaco_zone()
    assert zone.contains(gazetteer.geocode(GeocodeQuery("14 bd des Moulins"))[0].position)
    assert zone.contains(LatLon(43.7310, 7.4200))  # Monaco-Ville
    assert not zone.contains(gazetteer.geocode(GeocodeQuery("avenue de verdun 06240"))[0].position)
    assert not zone.contains(LatLon(43.7230, 7.3969))  # Cap-d'Ail
