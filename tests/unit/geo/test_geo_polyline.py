"""Planar polyline helpers."""

from __future__ import annotations

import pytest

from allo.adapters.geo import polyline
from allo.domain.geo import Point

L = [Point(0, 0), Point(100, 0), Point(100, 50)]


def test_length_and_point_at() -> None:
    assert polyline.length(L) == 150
    assert polyline.point_at(L, 50) == Point(50, 0)
    assert polyline.point_at(L, 125) == Point(100, 25)
    assert polyline.point_at(L, -5) == L[0]
    assert polyline.point_at(L, 999) == L[-1]


def test_project_gives_arc_length_and_offset() -> None:
    s, d = polyline.project(L, Point(30, 7))
    assert s == pytest.approx(30) and d == pytest.approx(7)
    s, d = polyline.project(L, Point(110, 40))
    assert s == pytest.approx(140) and d == pytest.approx(10)


def test_merge_joins_pieces_in_any_direction() -> None:
    a = [Point(0, 0), Point(10, 0)]
    b = [Point(20, 0), Point(10, 0)]  # reversed piece
    c = [Point(20, 0), Point(30, 0)]
    far = [Point(500, 500), Point(510, 500)]
    chains = polyline.merge([a, far, c, b])
    assert len(chains) == 2
    assert polyline.length(chains[0]) == pytest.approx(30)
    assert {chains[0][0], chains[0][-1]} == {Point(0, 0), Point(30, 0)}


def test_simplify_keeps_ends_and_corners() -> None:
    wiggly = [Point(x, 0.1 * (x % 2)) for x in range(0, 11)] + [Point(10, 10)]
    out = polyline.simplify(wiggly, 1.0)
    assert out == [Point(0, 0), Point(10, 0), Point(10, 10)]
