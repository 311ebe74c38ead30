"""Couriers, customers, users, assignments and auth schemas."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field

from allo.domain.assignment import Assignment, AssignmentStatus
from allo.domain.courier import Courier, CourierStatus, Vehicle
from allo.domain.customer import Customer, Language
from allo.domain.personal import mask_name, mask_phone
from allo.domain.user import Role, User
from allo.entrypoints.http.schemas.common import Position


class CourierCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    vehicle: Vehicle = Vehicle.BIKE


class CourierUpdate(BaseModel):
    version: int | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    vehicle: Vehicle | None = None
    active: bool | None = None


class ShiftPlan(BaseModel):
    """When the courier plans to stop; with a time zone (e.g. "2026-11-30T14:00:00Z"). None: no planned end."""

    until: AwareDatetime | None = None


class ShiftBookingBody(BaseModel):
    """The next shift, booked ahead (times with a time zone); `start`: where it begins (default: where
    the courier last was)."""

    starts_at: AwareDatetime
    ends_at: AwareDatetime
    start: Position | None = None


class ShiftBookingRead(BaseModel):
    starts_at: datetime
    ends_at: datetime
    start: Position | None


class CourierRead(BaseModel):
    id: str
    name: str
    vehicle: Vehicle
    status: CourierStatus
    position: Position | None
    position_at: datetime | None
    shift_started_at: datetime | None
    shift_ends_at: datetime | None
    booking: ShiftBookingRead | None = None
    active: bool
    version: int

    @classmethod
    def of(cls, c: Courier, now: datetime | None = None) -> "CourierRead":
        """`now`: leave out a booked shift that is over by then."""
        b = c.booking if now is None else c.next_booking(now)
        booking = (ShiftBookingRead(starts_at=b.starts_at, ends_at=b.ends_at, start=Position.of(b.start_place))
                   if b else None)
        return cls(id=c.id, name=c.name, vehicle=c.vehicle, status=c.status, position=Position.of(c.position),
                   position_at=c.position_at, shift_started_at=c.shift_started_at,
                   shift_ends_at=c.shift_ends_at, booking=booking, active=c.active, version=c.version)


class CustomerCreate(BaseModel):
    phone: str = Field(min_length=4, max_length=32)
    name: str | None = Field(default=None, max_length=200)
    language: Language = Language.FR
    marketing_consent: bool = False


class CustomerRead(BaseModel):
    """Masked: the phone as "+33 6 •• •• •• 42", the name as "Marie D."."""

    id: str
    phone: str
    name: str | None
    language: Language
    opted_out: bool
    erased: bool
    created_at: datetime

    @classmethod
    def of(cls, c: Customer) -> "CustomerRead":
        return cls(id=c.id, phone=mask_phone(c.phone) if c.phone else "", name=mask_name(c.name),
                   language=c.language, opted_out=c.opted_out, erased=c.erased_at is not None,
                   created_at=c.created_at)


class CustomerRevealed(BaseModel):
    id: str
    phone: str
    name: str | None


class RevealRequest(BaseModel):
    reason: str = Field(min_length=3, max_length=500, description="why you need the contact; it is audited")


class UserCreate(BaseModel):
    username: str = Field(min_length=2, max_length=63)
    password: str = Field(min_length=8, max_length=200)
    role: Role
    merchant_id: str | None = None
    courier_id: str | None = None


class UserUpdate(BaseModel):
    """`active` false locks the login out at once; a new `password` ends its sessions too."""

    active: bool | None = None
    password: str | None = Field(default=None, min_length=8, max_length=200)


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=8, max_length=200)


class UserRead(BaseModel):
    id: str
    username: str
    role: Role
    merchant_id: str | None
    courier_id: str | None
    active: bool

    @classmethod
    def of(cls, u: User) -> "UserRead":
        return cls(id=u.id, username=u.username, role=u.role, merchant_id=u.merchant_id,
                   courier_id=u.courier_id, active=u.active)


class LoginRequest(BaseModel):
    username: str
    password: str


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"
    user: UserRead


class AssignmentCreate(BaseModel):
    courier_id: str
    order_ids: list[str] = Field(min_length=1)


class AssignmentRead(BaseModel):
    id: str
    courier_id: str
    merchant_id: str
    order_ids: list[str]
    status: AssignmentStatus
    offered_at: datetime
    expires_at: datetime
    planned_pickup_at: datetime | None
    planned_dropoff_at: dict[str, datetime]
    responded_at: datetime | None
    arrived_at: datetime | None = None
    manual: bool
    reason: str | None
    version: int

    @classmethod
    def of(cls, a: Assignment) -> "AssignmentRead":
        return cls(id=a.id, courier_id=a.courier_id, merchant_id=a.merchant_id, order_ids=list(a.order_ids),
                   status=a.status, offered_at=a.offered_at, expires_at=a.expires_at,
                   planned_pickup_at=a.planned_pickup_at, planned_dropoff_at=dict(a.planned_dropoff_at),
                   responded_at=a.responded_at, arrived_at=a.arrived_at, manual=a.manual, reason=a.reason, version=a.version)


class ReasonRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class OptionalReason(BaseModel):
    reason: str | None = Field(default=None, max_length=500)


class HandoverRequest(BaseModel):
    pin: str | None = Field(default=None, max_length=12, description="the PIN the customer gives at the door")
