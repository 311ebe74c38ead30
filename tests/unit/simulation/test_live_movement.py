"""Couriers move along their route at their speed (pure, FixedClock times)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from allo.domain.clock import FixedClock
from allo.domain.geo import LatLon, LocalProjection, Point
from allo.simulation.live.movement import Leg

ORIGIN = LatLon(43.7384, 7.4246)
PROJ = LocalProjection(ORIGIN)


def _route(*xy: tuple[float, float]) -> tuple[LatLon, ...]:
    return tuple(PROJ.to_latlon(Point(x, y)) for x, y in xy)


def _at(leg: Leg, when) -> Point:  # type: ignore[no-untyped-def]
    return PROJ.to_plane(leg.position(when))


def test_a_leg_is_ridden_at_its_speed_around_corners() -> None:
    clock = FixedClock()
    start = clock.now()
    leg = Leg(_route((0, 0), (300, 0), (300, 400)), start, speed_m_per_min=100, projection=PROJ)
    assert leg.length_m == pytest.approx(700)
    assert leg.arrives_at == start + timedelta(minutes=7)
    assert _at(leg, start).distance_to(Point(0, 0)) < 0.01
    p = _at(leg, clock.advance(minutes=1.5))
    assert (p.x, p.y) == (pytest.approx(150, abs=0.01), pytest.approx(0, abs=0.01))
    p = _at(leg, clock.advance(minutes=2.5))  # 400 m: round the corner, 100 m up
    assert (p.x, p.y) == (pytest.approx(300, abs=0.01), pytest.approx(100, abs=0.01))
    assert not leg.arrived(clock.now())
    clock.advance(minutes=3)
    assert leg.arrived(clock.now())
    assert _at(leg, clock.advance(minutes=10)).distance_to(Point(300, 400)) < 0.01  # stays at the door


def test_before_its_start_a_leg_is_at_its_origin() -> None:
    clock = FixedClock()
    leg = Leg(_route((0, 0), (100, 0)), clock.now(), 50, PROJ)
    assert _at(leg, clock.now() - timedelta(minutes=5)).distance_to(Point(0, 0)) < 0.01


def test_standing_still_and_repeated_points() -> None:
    clock = FixedClock()
    here = PROJ.to_latlon(Point(10, 20))
    stay = Leg.stay(here, clock.now(), PROJ)
    assert stay.length_m == 0 and stay.arrived(clock.now()) and stay.position(clock.advance(hours=1)) == here
    leg = Leg(_route((0, 0), (0, 0), (0, 60)), clock.now(), 60, PROJ)
    assert _at(leg, clock.now() + timedelta(seconds=30)).distance_to(Point(0, 30)) < 0.01


def test_a_leg_needs_points_and_speed() -> None:
    with pytest.raises(ValueError):
        Leg((), FixedClock().now(), 10, PROJ)
    with pytest.raises(ValueError):
        Leg(_route((0, 0)), FixedClock().now(), 0, PROJ)
