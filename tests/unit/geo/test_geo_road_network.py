"""Road-network travel model on a small synthetic grid."""

from __future__ import annotations

import numpy as np
import pytest

from allo.adapters.geo.road_network import RoadGraph, RoadNetwork, point_along, route_length_m
from allo.dispatch.travel import TravelTimeModel
from allo.domain.geo import LatLon, LocalProjection, Point

ORIGIN = LatLon(45.0, 5.0)
PROJ = LocalProjection(ORIGIN)
STEP = 100.0


def _grid(oneway_top: int = 0) -> RoadGraph:
    """3 x 3 nodes 100 m apart; edges along rows and columns; the top row may be one-way east."""
    nodes = [PROJ.to_latlon(Point(c * STEP, r * STEP)) for r in range(3) for c in range(3)]
    paths, oneway = [], []
    for r in range(3):
        paths.append([r * 3, r * 3 + 1, r * 3 + 2])
        oneway.append(oneway_top if r == 2 else 0)
    for c in range(3):
        paths.append([c, 3 + c, 6 + c])
        oneway.append(0)
    n = len(paths)
    return RoadGraph(
        nodes=np.array([[p.lat, p.lon] for p in nodes]),
        paths=paths,
        names=["", "Rue A"],
        edge_names=np.ones(n, dtype=int),
        modes=np.full(n, 3),
        oneway=np.array(oneway),
    )


def test_implements_the_dispatch_protocol() -> None:
    assert isinstance(RoadNetwork(_grid(), PROJ), TravelTimeModel)


def test_travel_follows_streets_and_never_beats_the_straight_line() -> None:
    net = RoadNetwork(_grid(), PROJ)
    a, b = Point(0, 0), Point(200, 200)
    assert net.distance_m(a, b) == pytest.approx(400, rel=1e-6)
    assert net.travel_minutes(a, b, 200.0) == pytest.approx(2.0, rel=1e-6)
    rng = np.random.default_rng(3)
    for _ in range(50):
        p, q = (Point(*rng.uniform(-30, 230, 2)) for _ in range(2))
        assert net.travel_minutes(p, q, 100.0) >= p.distance_to(q) / 100.0 - 1e-9


def test_one_way_streets_are_respected_when_driving_only() -> None:
    drive = RoadNetwork(_grid(oneway_top=1), PROJ, mode="drive")
    walk = RoadNetwork(_grid(oneway_top=1), PROJ, mode="walk")
    east, west = Point(200, 200), Point(0, 200)
    assert drive.distance_m(west, east) == pytest.approx(200)
    assert drive.distance_m(east, west) == pytest.approx(400)  # round the block
    assert walk.distance_m(east, west) == pytest.approx(200)


def test_route_is_continuous_and_as_long_as_the_distance() -> None:
    net = RoadNetwork(_grid(), PROJ)
    a, b = Point(5, -3), Point(200, 195)
    route = net.route(a, b)
    assert PROJ.to_plane(route[0]).distance_to(a) < 1e-6
    assert PROJ.to_plane(route[-1]).distance_to(b) < 1e-6
    for p, q in zip(route[1:-2], route[2:-1]):
        assert PROJ.to_plane(p).distance_to(PROJ.to_plane(q)) == pytest.approx(STEP, rel=1e-6)
    assert route_length_m(route, PROJ) == pytest.approx(net.distance_m(a, b), rel=1e-6)
    halfway = point_along(route, route_length_m(route, PROJ) / 2, PROJ)
    assert isinstance(halfway, LatLon)


def test_vectorised_form_matches_the_scalar_one() -> None:
    net = RoadNetwork(_grid(oneway_top=1), PROJ)
    origins = [Point(0, 0), Point(210, 190), Point(100, 90), Point(195, 205)]
    dest = Point(0, 200)
    speeds = np.array([100.0, 150.0, 200.0, 250.0])
    many = net.travel_minutes_many(np.array([o.x for o in origins]), np.array([o.y for o in origins]), dest, speeds)
    scalar = [net.travel_minutes(o, dest, float(s)) for o, s in zip(origins, speeds)]
    assert many == pytest.approx(scalar)


def test_same_place_is_zero_and_latlon_is_accepted() -> None:
    net = RoadNetwork(_grid(), PROJ)
    assert net.travel_minutes(Point(10, 10), Point(10, 10), 100.0) == 0.0
    assert net.distance_m(ORIGIN, PROJ.to_latlon(Point(100, 0))) == pytest.approx(100)
