"""Couriers: vehicle, shift, status, last known position."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
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


LONGEST_SHIFT = timedelta(hours=16)  # a planned end further than this is a typo, not a shift
#: How far ahead a shift may be booked.
BOOKING_AHEAD = timedelta(days=14)
#: A booked shift counts as the one being started from this long before its start.
EARLY_START = timedelta(hours=1)
#: A booked courier who has not started this long after the booked start is not expected any more.
NO_SHOW_AFTER = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class ShiftBooking:
    """The courier's next shift, booked ahead: when, and where it starts (None: where the courier
    last was). The dispatcher counts on the courier from then, as it counts on one finishing a job."""

    starts_at: datetime
    ends_at: datetime
    start_place: LatLon | None = None

    def expected(self, now: datetime, within: timedelta) -> bool:
        """Starting within `within` from `now`, and not missed (a no-show is not waited for)."""
        return self.starts_at - within <= now < self.starts_at + NO_SHOW_AFTER

    def covers(self, at: datetime) -> bool:
        """A shift started at `at` is this booked one (early by up to an hour, or late)."""
        return self.starts_at - EARLY_START <= at < self.ends_at


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
    #: When the courier plans to stop (None: until they say so). No pickup is planned after it, and
    #: the dispatcher ends the shift once the courier is free past it.
    shift_ends_at: datetime | None = None
    #: The next shift booked ahead (one at a time): see `book_shift`.
    booking: ShiftBooking | None = None
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

    def start_shift(self, at: datetime, until: datetime | None = None) -> None:
        """On shift from `at`, until the courier ends it or, if given, until `until`. Starting the shift
        booked for about now takes the booking's end when `until` is not given, and uses the booking."""
        if self.on_shift:
            raise InvalidTransition("the shift has already started", code="already_on_shift")
        if not self.active:
            raise InvalidTransition("this courier is deactivated", code="courier_inactive")
        booked = self.booking is not None and self.booking.covers(at)
        if booked and until is None:
            assert self.booking is not None
            until = self.booking.ends_at
        _check_shift_end(at, until)
        if booked:
            self.booking = None
        self.status = CourierStatus.AVAILABLE
        self.shift_started_at = at
        self.shift_ends_at = until
        self.events.append(Event("courier.shift_started", self.id, at, {"until": until.isoformat()} if until else {}))

    def book_shift(self, booking: ShiftBooking, at: datetime) -> None:
        """Book the next shift (replacing an earlier booking): it starts within `BOOKING_AHEAD`, lasts at
        most `LONGEST_SHIFT`, and begins after the shift under way, if any, is planned to end."""
        if not self.active:
            raise InvalidTransition("this courier is deactivated", code="courier_inactive")
        if booking.starts_at < at:
            raise ValidationFailed("a booked shift starts later than now", code="booking_past")
        if booking.starts_at - at > BOOKING_AHEAD:
            raise ValidationFailed(f"a shift is booked at most {BOOKING_AHEAD.days} days ahead",
                                   code="booking_too_far")
        if not timedelta(0) < booking.ends_at - booking.starts_at <= LONGEST_SHIFT:
            raise ValidationFailed(f"a booked shift ends after it starts, within "
                                   f"{LONGEST_SHIFT.total_seconds() / 3600:.0f} hours", code="shift_too_long")
        if self.on_shift and (self.shift_ends_at is None or booking.starts_at < self.shift_ends_at):
            raise ValidationFailed("the booked shift must start after the shift under way is planned to end",
                                   code="booking_overlaps")
        self.booking = booking
        self.events.append(Event("courier.shift_booked", self.id, at, {
            "starts_at": booking.starts_at.isoformat(), "ends_at": booking.ends_at.isoformat()}))

    def next_booking(self, now: datetime) -> ShiftBooking | None:
        """The booked shift, unless it is over already (a no-show's booking stays in the record)."""
        return self.booking if self.booking is not None and now < self.booking.ends_at else None

    def cancel_booking(self, at: datetime) -> None:
        if self.booking is None:
            raise InvalidTransition("no shift is booked", code="no_booking")
        self.booking = None
        self.events.append(Event("courier.booking_cancelled", self.id, at))

    def plan_shift_end(self, until: datetime | None, at: datetime) -> None:
        """Move the planned end of the shift under way (later or sooner), or drop it (None)."""
        if not self.on_shift:
            raise InvalidTransition("the shift has not started", code="not_on_shift")
        _check_shift_end(at, until)
        self.shift_ends_at = until
        planned = {"until": until.isoformat() if until else None}
        self.events.append(Event("courier.shift_end_planned", self.id, at, planned))

    def shift_is_over(self, now: datetime) -> bool:
        """Past the planned end of the shift (the courier may still be finishing a job)."""
        return self.on_shift and self.shift_ends_at is not None and now >= self.shift_ends_at

    def end_shift(self, at: datetime, reason: str | None = None) -> None:
        """Off shift; `reason` is recorded when it was not the courier's choice (e.g. missed offers)."""
        if self.status is CourierStatus.BUSY:
            raise InvalidTransition("finish the current delivery before ending the shift", code="courier_busy")
        if not self.on_shift:
            raise InvalidTransition("the shift has not started", code="not_on_shift")
        self.status = CourierStatus.OFF_SHIFT
        self.shift_started_at = None
        self.shift_ends_at = None
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


def _check_shift_end(now: datetime, until: datetime | None) -> None:
    if until is None:
        return
    if until <= now:
        raise ValidationFailed("the end of the shift must be later than now", code="shift_end_past")
    if until - now > LONGEST_SHIFT:
        raise ValidationFailed(f"a shift ends within {LONGEST_SHIFT.total_seconds() / 3600:.0f} hours",
                               code="shift_too_long")
