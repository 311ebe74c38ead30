"""House numbers: parsing ("4bis", "5 b", "7-9") and placing a number on one street.

A street knows some numbered points (anchors) and, when available, its centre line. A number is
found exactly, or interpolated between known numbers on the same side (same parity), or, along the
centre line, from one anchor or from the street's start with a typical spacing. French numbering
starts at the end of the street nearest the town centre; that convention orients streets without
enough anchors. `quality` (0..1) says how much the placement can be trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median
from typing import Literal

from allo.adapters.geo import polyline
from allo.domain.geo import Point

_NUMBER = re.compile(r"^\s*(\d{1,5})\s*([a-z]*)", re.IGNORECASE)
SUFFIXES = {"b": "bis", "t": "ter", "q": "quater", "bis": "bis", "ter": "ter", "quater": "quater",
            "quinquies": "quinquies"}
DEFAULT_SPACING_M = 6.0
MAX_ANCHOR_OFFSET_M = 80.0
DUPLICATE_SPREAD_M = 30.0  # the same number known twice further apart than this is doubtful

Precision = Literal["housenumber", "interpolated", "street"]


@dataclass(frozen=True, slots=True)
class HouseNumber:
    number: int
    suffix: str = ""

    def __str__(self) -> str:
        return f"{self.number}{' ' + self.suffix if self.suffix in ('bis', 'ter', 'quater') else self.suffix}"


def parse_housenumber(text: str | None) -> HouseNumber | None:
    """"4bis" -> 4 bis, "5b" -> 5 bis, "7-9" -> 7, "12 A" -> 12 a; None when there is no number."""
    if not text:
        return None
    m = _NUMBER.match(text)
    if not m:
        return None
    suffix = m.group(2).lower()
    return HouseNumber(int(m.group(1)), SUFFIXES.get(suffix, suffix if len(suffix) == 1 else ""))


@dataclass(frozen=True, slots=True)
class Placement:
    point: Point
    precision: Precision
    quality: float


@dataclass
class Anchor:
    number: HouseNumber
    point: Point
    s: float | None = None  # arc length along the centre line, when near it


@dataclass
class StreetModel:
    """One street of one town: its anchors and optional centre line (planar metres)."""

    line: list[Point] | None
    anchors: list[Anchor] = field(default_factory=list)
    start_at_end: bool = False  # numbering runs from the line's last point
    spacing_m: float = DEFAULT_SPACING_M

    def prepare(self, centre: Point | None) -> None:
        """Project anchors on the line and orient numbering (by anchors, else towards `centre`)."""
        if not self.line:
            return
        for a in self.anchors:
            s, d = polyline.project(self.line, a.point)
            a.s = s if d <= MAX_ANCHOR_OFFSET_M else None
        placed = sorted((a for a in self.anchors if a.s is not None), key=lambda a: a.number.number)
        if len(placed) >= 2 and placed[0].number.number != placed[-1].number.number:
            self.start_at_end = placed[-1].s < placed[0].s  # type: ignore[operator]
        elif centre is not None:
            self.start_at_end = self.line[-1].distance_to(centre) < self.line[0].distance_to(centre)

    def spacings(self) -> list[float]:
        """Metres per number unit between same-side anchors (to learn a typical spacing)."""
        out = []
        for side in (0, 1):
            pts = sorted((a for a in self.anchors if a.s is not None and a.number.number % 2 == side),
                         key=lambda a: a.number.number)
            for a, b in zip(pts, pts[1:]):
                dn = b.number.number - a.number.number
                if dn > 0:
                    out.append(abs(b.s - a.s) / dn)  # type: ignore[operator]
        return out

    def middle(self) -> Point:
        if self.line:
            return polyline.point_at(self.line, polyline.length(self.line) / 2)
        xs = [a.point.x for a in self.anchors]
        ys = [a.point.y for a in self.anchors]
        centroid = Point(sum(xs) / len(xs), sum(ys) / len(ys))
        return min((a.point for a in self.anchors), key=centroid.distance_to)

    def locate(self, hn: HouseNumber | None) -> Placement:
        if hn is None:
            return Placement(self.middle(), "street", 0.85)
        exact = [a for a in self.anchors if a.number == hn]
        if exact:
            spread = max(a.point.distance_to(b.point) for a in exact for b in exact)
            return Placement(exact[0].point, "housenumber", 1.0 if spread <= DUPLICATE_SPREAD_M else 0.75)
        same = [a for a in self.anchors if a.number.number == hn.number]
        if same:
            return Placement(same[0].point, "housenumber", 0.95)
        if self.line:
            return self._along_line(hn.number)
        return self._between_points(hn.number)

    def _along_line(self, n: int) -> Placement:
        assert self.line is not None
        total = polyline.length(self.line)
        placed = [a for a in self.anchors if a.s is not None]
        for pool, quality in (([a for a in placed if a.number.number % 2 == n % 2]), 0.95), (placed, 0.92):
            s = _bracket(pool, n)
            if s is not None:
                return Placement(polyline.point_at(self.line, s), "interpolated", quality)
        if placed:
            ref = min(placed, key=lambda a: abs(a.number.number - n))
            direction = -1.0 if self.start_at_end else 1.0
            s = ref.s + direction * (n - ref.number.number) * self.spacing_m  # type: ignore[operator]
            return Placement(polyline.point_at(self.line, min(max(s, 0.0), total)), "interpolated", 0.93)
        s = min(max(n - 1, 0) * self.spacing_m, total)
        s = total - s if self.start_at_end else s
        return Placement(polyline.point_at(self.line, s), "interpolated", 0.92)

    def _between_points(self, n: int) -> Placement:
        for pool, quality in (([a for a in self.anchors if a.number.number % 2 == n % 2]), 0.95), (self.anchors, 0.92):
            lo = max((a for a in pool if a.number.number < n), key=lambda a: a.number.number, default=None)
            hi = min((a for a in pool if a.number.number > n), key=lambda a: a.number.number, default=None)
            if lo is not None and hi is not None:
                t = (n - lo.number.number) / (hi.number.number - lo.number.number)
                p = Point(lo.point.x + t * (hi.point.x - lo.point.x), lo.point.y + t * (hi.point.y - lo.point.y))
                return Placement(p, "interpolated", quality)
        nearest = min(self.anchors, key=lambda a: abs(a.number.number - n))
        return Placement(nearest.point, "street", 0.8)


def _bracket(pool: list[Anchor], n: int) -> float | None:
    """Arc length for number n between the nearest lower and higher anchors of `pool`."""
    lo = max((a for a in pool if a.number.number < n), key=lambda a: a.number.number, default=None)
    hi = min((a for a in pool if a.number.number > n), key=lambda a: a.number.number, default=None)
    if lo is None or hi is None:
        return None
    t = (n - lo.number.number) / (hi.number.number - lo.number.number)
    return lo.s + t * (hi.s - lo.s)  # type: ignore[operator]


def typical_spacing(models: list[StreetModel]) -> float:
    """Median metres per number unit over all streets, bounded to something plausible."""
    values = [v for m in models for v in m.spacings() if v > 0]
    return min(max(median(values), 3.0), 20.0) if len(values) >= 3 else DEFAULT_SPACING_M
