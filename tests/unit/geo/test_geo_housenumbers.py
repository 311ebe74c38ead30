"""House-number parsing and placement along one street."""

from __future__ import annotations

import pytest

from allo.adapters.geo.housenumbers import Anchor, HouseNumber, StreetModel, parse_housenumber
from allo.domain.geo import Point

LINE = [Point(0, 0), Point(500, 0)]


def test_parse_housenumber() -> None:
    assert parse_housenumber("4bis") == HouseNumber(4, "bis")
    assert parse_housenumber("5b") == HouseNumber(5, "bis")
    assert parse_housenumber("35 T") == HouseNumber(35, "ter")
    assert parse_housenumber("7-9") == HouseNumber(7)
    assert parse_housenumber("12A") == HouseNumber(12, "a")
    assert parse_housenumber("") is None
    assert parse_housenumber("bis") is None
    assert str(HouseNumber(4, "bis")) == "4 bis"


def _model(
    anchors: list[tuple[str, Point]], line: list[Point] | None = LINE, centre: Point | None = None
) -> StreetModel:
    known = [Anchor(parse_housenumber(n), p) for n, p in anchors]  # type: ignore[arg-type]
    m = StreetModel(list(line) if line else None, known)
    m.prepare(centre)
    return m


def test_exact_number() -> None:
    m = _model([("2", Point(10, 5)), ("10", Point(100, 5))])
    got = m.locate(HouseNumber(10))
    assert got.precision == "housenumber" and got.point == Point(100, 5) and got.quality == 1.0


def test_interpolates_between_numbers_on_the_same_side() -> None:
    m = _model([("2", Point(0, 5)), ("10", Point(100, 5)), ("3", Point(400, -5)), ("7", Point(480, -5))])
    got = m.locate(HouseNumber(6))
    assert got.precision == "interpolated"
    assert got.point.x == pytest.approx(50) and got.point.y == pytest.approx(0)
    odd = m.locate(HouseNumber(5))
    assert odd.point.x == pytest.approx(440)


def test_numbering_runs_from_the_end_nearest_the_centre_without_anchors() -> None:
    m = _model([], centre=Point(600, 0))
    m.spacing_m = 10
    near = m.locate(HouseNumber(1))
    further = m.locate(HouseNumber(21))
    assert near.point.x == pytest.approx(500)
    assert further.point.x == pytest.approx(300)
    assert further.precision == "interpolated" and further.quality < 0.95


def test_large_numbers_stay_on_the_street() -> None:
    m = _model([], centre=Point(-100, 0))
    got = m.locate(HouseNumber(9999))
    assert got.point == Point(500, 0)


def test_without_a_line_numbers_are_interpolated_between_points() -> None:
    m = _model([("2", Point(0, 0)), ("6", Point(40, 0))], line=None)
    got = m.locate(HouseNumber(4))
    assert got.precision == "interpolated" and got.point == Point(20, 0)
    far = m.locate(HouseNumber(80))
    assert far.precision == "street"


def test_same_number_twice_far_apart_is_doubtful() -> None:
    m = _model([("2", Point(0, 0)), ("2", Point(300, 0))])
    assert m.locate(HouseNumber(2)).quality < 0.8


def test_no_number_gives_the_middle_of_the_street() -> None:
    got = _model([]).locate(None)
    assert got.precision == "street" and got.point == Point(250, 0)
