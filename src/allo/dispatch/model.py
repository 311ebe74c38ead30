"""What the engine sees at a decision epoch (a snapshot) and what it returns (assignments).

Times are float minutes from an origin chosen by the caller; positions are planar metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from allo.dispatch.travel import TravelTimeModel
from allo.domain.geo import Point


@dataclass(frozen=True, slots=True)
class ServiceRules:
    """Service times and click-to-door targets (MDRP defaults)."""

    pickup_service: float = 4.0
    dropoff_service: float = 4.0
    target_click_to_door: float = 40.0
    max_click_to_door: float = 90.0


@dataclass(frozen=True, slots=True)
class OpenOrder:
    """An order placed and not yet assigned. `ready_at` is the kitchen's estimate."""

    id: str
    merchant_id: str
    pickup: Point
    dropoff: Point
    placed_at: float
    ready_at: float


@dataclass(frozen=True, slots=True)
class CourierState:
    """A courier on (or soon on) shift.

    `position` is where the courier is now if idle, or where its current work ends if busy;
    `free_at` is when it can start a new assignment (at or before `now` means idle).
    No pickup may happen after `shift_end`. `capacity` is how many orders it can carry at once
    (None: no limit, as in the MDRP benchmark).
    """

    id: str
    position: Point
    free_at: float
    shift_start: float
    shift_end: float
    speed_m_per_min: float
    capacity: int | None = None

    def start_time(self, now: float) -> float:
        """Earliest time this courier can leave for a new assignment."""
        return max(now, self.free_at, self.shift_start)

    def is_idle(self, now: float) -> bool:
        return self.free_at <= now and self.shift_start <= now


@dataclass(frozen=True, slots=True)
class Snapshot:
    now: float
    orders: tuple[OpenOrder, ...]
    couriers: tuple[CourierState, ...]


@dataclass(frozen=True, slots=True)
class Assignment:
    """A courier takes a bundle of one merchant's orders now; drop-offs follow `order_ids`."""

    courier_id: str
    order_ids: tuple[str, ...]
    assigned_at: float
    arrive_pickup_at: float
    pickup_at: float
    dropoff_at: tuple[float, ...]
    free_at: float


@dataclass(frozen=True, slots=True)
class DispatchContext:
    """Everything a policy needs besides the snapshot."""

    travel: TravelTimeModel
    rules: ServiceRules = field(default_factory=ServiceRules)
    epoch_minutes: float = 1.0
    seed: int = 0
