"""Couriers: vehicle, shift, status, last known position."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from allo.domain.errors import InvalidTransition, ValidationFailed
from allo.domain.events import Event
from allo.domain.geo import LatLon


class Vehicle(StrEnum):
    FOOT = "foot"
    BIKE = "bike"
    SCOOTER = "scooter"
    CAR = "car"


@dataclass(frozen=True, slots=True)
class VehicleProfile:
    speed_m_per_min: float
    capacity: int  # orders carried at once


VEHICLES: dict[Vehicle, VehicleProfile] = {
    Vehicle.FOOT: VehicleProfile(speed_m_per_min=75.0, capacity=2),
    Vehicle.BIKE: VehicleProfile(speed_m_per_min=250.0, capacity=3),
    Vehicle.SCOOTER: VehicleProfile(speed_m_per_min=400.0, capacity=4),
    Vehicle.CAR: VehicleProfile(speed_m_per_min=350.0, capacity=6),
}


class CourierStatus(StrEnum):
    OFF_SHIFT = "off_shift"
    AVAILABLE = "available"
    BUSY = "busy"


@dataclass(slots=True)
class Courier:
    id: str
    name: str
    vehicle: Vehicle = Vehicle.BIKE
    status: CourierStatus = CourierStatus.OFF_SHIFT
    position: LatLon | None = None
    position_at: datetime | None = None
    shift_started_at: datetime | None = None
    active: bool = True
    version: int = 0
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationFailed("a courier needs a name")

    @property
    def profile(self) -> VehicleProfile:
        return VEHICLES[self.vehicle]

    @property
    def on_shift(self) -> bool:
        return self.status is not CourierStatus.OFF_SHIFT

    def start_shift(self, at: datetime) -> None:
        if self.on_shift:
            raise InvalidTransition("the shift has already started", code="already_on_shift")
        if not self.active:
            raise InvalidTransition("this courier is deactivated", code="courier_inactive")
        self.status = CourierStatus.AVAILABLE
        self.shift_started_at = at
        self.events.append(Event("courier.shift_started", self.id, at))

    def end_shift(self, at: datetime, reason: str | None = None) -> None:
        """Off shift; `reason` is recorded when it was not the courier's choice (e.g. missed offers)."""
        if self.status is CourierStatus.BUSY:
            raise InvalidTransition("finish the current delivery before ending the shift", code="courier_busy")
        if not self.on_shift:
            raise InvalidTransition("the shift has not started", code="not_on_shift")
        self.status = CourierStatus.OFF_SHIFT
        self.shift_started_at = None
        self.events.append(Event("courier.shift_ended", self.id, at, {"reason": reason} if reason else {}))

    def update_position(self, where: LatLon, at: datetime) -> None:
        if self.position_at is not None and at < self.position_at:
            return  # an older fix arriving late never overwrites a newer one
        self.position = where
        self.position_at = at

    def take_job(self, at: datetime) -> None:
        if self.status is not CourierStatus.AVAILABLE:
            raise InvalidTransition(f"courier is {self.status.value}, not available", code="courier_unavailable")
        self.status = CourierStatus.BUSY
        self.events.append(Event("courier.busy", self.id, at))

    def release(self, at: datetime) -> None:
        """Back to available after a job ends or is withdrawn (only if still on shift)."""
        if self.status is CourierStatus.BUSY:
            self.status = CourierStatus.AVAILABLE
            self.events.append(Event("courier.available", self.id, at))
