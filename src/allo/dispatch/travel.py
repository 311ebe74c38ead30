"""Travel-time models: how many minutes a courier needs between two planar points."""

from __future__ import annotations

import math
from typing import Protocol, runtime_checkable

import numpy as np

from allo.domain.geo import Point


@runtime_checkable
class TravelTimeModel(Protocol):
    """Minutes to travel from one point to another at a given speed."""

    def travel_minutes(self, origin: Point, destination: Point, speed_m_per_min: float) -> float: ...


class CeilEuclideanTravel:
    """The MDRP rule: ceil(euclidean distance / speed), whole minutes."""

    def travel_minutes(self, origin: Point, destination: Point, speed_m_per_min: float) -> float:
        return float(math.ceil(math.hypot(origin.x - destination.x, origin.y - destination.y) / speed_m_per_min))

    def travel_minutes_many(
        self, xs: np.ndarray, ys: np.ndarray, destination: Point, speeds: np.ndarray
    ) -> np.ndarray:
        """Vectorised form used by the policies (same rounding as the scalar form)."""
        return np.ceil(np.hypot(xs - destination.x, ys - destination.y) / speeds)


class DetourTravel:
    """Straight line times a detour factor, fractional minutes: the embedded default for live use."""

    def __init__(self, detour_factor: float = 1.3, overhead_minutes: float = 0.0) -> None:
        if detour_factor < 1.0:
            raise ValueError("detour factor must be at least 1")
        self.detour_factor = detour_factor
        self.overhead_minutes = overhead_minutes

    @property
    def description(self) -> str:
        return f"the straight line × {self.detour_factor:g}"

    def travel_minutes(self, origin: Point, destination: Point, speed_m_per_min: float) -> float:
        d = math.hypot(origin.x - destination.x, origin.y - destination.y)
        if d == 0.0:
            return 0.0
        return d * self.detour_factor / speed_m_per_min + self.overhead_minutes

    def travel_minutes_many(
        self, xs: np.ndarray, ys: np.ndarray, destination: Point, speeds: np.ndarray
    ) -> np.ndarray:
        d = np.hypot(xs - destination.x, ys - destination.y)
        return np.where(d == 0.0, 0.0, d * self.detour_factor / speeds + self.overhead_minutes)


def travel_from_many(
    model: TravelTimeModel, origins: list[Point], xs: np.ndarray, ys: np.ndarray, destination: Point, speeds: np.ndarray
) -> np.ndarray:
    """Minutes from many origins to one destination; uses a vectorised method when the model has one."""
    many = getattr(model, "travel_minutes_many", None)
    if many is not None:
        return np.asarray(many(xs, ys, destination, speeds), dtype=float)
    return np.array(
        [model.travel_minutes(o, destination, float(s)) for o, s in zip(origins, speeds)], dtype=float
    )
