"""Where a courier is: a leg is a route travelled from a start time at a steady speed."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allo.domain.geo import LatLon, LocalProjection, Point


@dataclass(frozen=True)
class Leg:
    """A route (WGS84 points, in order) ridden from `start` at `speed_m_per_min`."""

    route: tuple[LatLon, ...]
    start: datetime
    speed_m_per_min: float
    projection: LocalProjection
    _plane: tuple[Point, ...] = field(init=False, repr=False)
    _cumulative: tuple[float, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.route:
            raise ValueError("a leg needs at least one point")
        if self.speed_m_per_min <= 0:
            raise ValueError("speed must be positive")
        plane = tuple(self.projection.to_plane(p) for p in self.route)
        run, cumulative = 0.0, [0.0]
        for a, b in zip(plane, plane[1:]):
            run += a.distance_to(b)
            cumulative.append(run)
        object.__setattr__(self, "_plane", plane)
        object.__setattr__(self, "_cumulative", tuple(cumulative))

    @classmethod
    def stay(cls, where: LatLon, start: datetime, projection: LocalProjection) -> "Leg":
        """Standing still at one place."""
        return cls((where,), start, 1.0, projection)

    @property
    def length_m(self) -> float:
        return self._cumulative[-1]

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.length_m / self.speed_m_per_min)

    @property
    def arrives_at(self) -> datetime:
        return self.start + self.duration

    @property
    def destination(self) -> LatLon:
        return self.route[-1]

    def arrived(self, now: datetime) -> bool:
        return now >= self.arrives_at

    def metres_at(self, now: datetime) -> float:
        minutes = max(0.0, (now - self.start).total_seconds() / 60)
        return min(self.length_m, minutes * self.speed_m_per_min)

    def position(self, now: datetime) -> LatLon:
        """Where the courier is at `now` (the start before it, the destination after arrival)."""
        s = self.metres_at(now)
        if s >= self.length_m:
            return self.route[-1]
        i = max(0, bisect.bisect_right(self._cumulative, s) - 1)
        a, b = self._plane[i], self._plane[i + 1]
        seg = self._cumulative[i + 1] - self._cumulative[i]
        t = 0.0 if seg == 0 else (s - self._cumulative[i]) / seg
        return self.projection.to_latlon(Point(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)))


def straight_route(a: LatLon, b: LatLon) -> list[LatLon]:
    """A route with no streets (tests, and the fallback when no road network is loaded)."""
    return [a, b]
