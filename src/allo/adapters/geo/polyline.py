"""Planar polyline helpers: length, projection of a point, point at a distance, merging, simplifying.

Everything works on `Point` (planar metres); convert with `allo.domain.geo.LocalProjection`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from allo.domain.geo import Point

Line = Sequence[Point]


def length(line: Line) -> float:
    """Total length of a polyline in metres."""
    return sum(line[i].distance_to(line[i + 1]) for i in range(len(line) - 1))


def project(line: Line, p: Point) -> tuple[float, float]:
    """Arc length along `line` of the point nearest to `p`, and the distance from `p` to it."""
    best_s, best_d, run = 0.0, math.inf, 0.0
    for i in range(len(line) - 1):
        a, b = line[i], line[i + 1]
        dx, dy = b.x - a.x, b.y - a.y
        seg = math.hypot(dx, dy)
        t = 0.0 if seg == 0 else max(0.0, min(1.0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / seg**2))
        d = math.hypot(a.x + t * dx - p.x, a.y + t * dy - p.y)
        if d < best_d:
            best_s, best_d = run + t * seg, d
        run += seg
    if len(line) == 1:
        return 0.0, line[0].distance_to(p)
    return best_s, best_d


def point_at(line: Line, s: float) -> Point:
    """The point at arc length `s` along `line` (clamped to its ends)."""
    if s <= 0 or len(line) == 1:
        return line[0]
    run = 0.0
    for i in range(len(line) - 1):
        a, b = line[i], line[i + 1]
        seg = a.distance_to(b)
        if run + seg >= s and seg > 0:
            t = (s - run) / seg
            return Point(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y))
        run += seg
    return line[-1]


def merge(lines: Sequence[Line], tolerance_m: float = 1.0) -> list[list[Point]]:
    """Join lines sharing end points into longer chains (direction may flip); longest first."""
    pending = [list(line) for line in lines if len(line) >= 2]
    chains: list[list[Point]] = []
    while pending:
        chain = pending.pop(0)
        grown = True
        while grown:
            grown = False
            for k, other in enumerate(pending):
                joined = _join(chain, other, tolerance_m)
                if joined is not None:
                    chain = joined
                    pending.pop(k)
                    grown = True
                    break
        chains.append(chain)
    chains.sort(key=length, reverse=True)
    return chains


def _join(a: list[Point], b: list[Point], tol: float) -> list[Point] | None:
    if a[-1].distance_to(b[0]) <= tol:
        return a + b[1:]
    if a[-1].distance_to(b[-1]) <= tol:
        return a + b[-2::-1]
    if a[0].distance_to(b[-1]) <= tol:
        return b + a[1:]
    if a[0].distance_to(b[0]) <= tol:
        return b[:0:-1] + a
    return None


def simplify(line: Line, tolerance_m: float) -> list[Point]:
    """Douglas-Peucker simplification keeping both ends."""
    pts = list(line)
    if len(pts) <= 2:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        far, far_d = -1, tolerance_m
        for k in range(i + 1, j):
            d = _segment_distance(pts[k], pts[i], pts[j])
            if d > far_d:
                far, far_d = k, d
        if far >= 0:
            keep[far] = True
            stack.append((i, far))
            stack.append((far, j))
    return [p for p, k in zip(pts, keep) if k]


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b.x - a.x, b.y - a.y
    seg2 = dx * dx + dy * dy
    if seg2 == 0:
        return p.distance_to(a)
    t = max(0.0, min(1.0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / seg2))
    return math.hypot(a.x + t * dx - p.x, a.y + t * dy - p.y)
