"""Assignments: a bundle of orders of one merchant offered to a courier, with a drop-off plan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from allo.domain.errors import InvalidTransition, ValidationFailed
from allo.domain.events import Event


class AssignmentStatus(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"  # refused when offered, or given back after accepting, before any pickup
    EXPIRED = "expired"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"  # a dispatcher took it back (unassign or reassign), or the loop from a silent courier


AS = AssignmentStatus
ASSIGNMENT_TRANSITIONS: dict[AssignmentStatus, frozenset[AssignmentStatus]] = {
    AS.OFFERED: frozenset({AS.ACCEPTED, AS.DECLINED, AS.EXPIRED, AS.WITHDRAWN}),
    AS.ACCEPTED: frozenset({AS.COMPLETED, AS.WITHDRAWN, AS.DECLINED}),
    AS.DECLINED: frozenset(),
    AS.EXPIRED: frozenset(),
    AS.COMPLETED: frozenset(),
    AS.WITHDRAWN: frozenset(),
}
ACTIVE_ASSIGNMENT = frozenset({AS.OFFERED, AS.ACCEPTED})


@dataclass(slots=True)
class Assignment:
    id: str
    courier_id: str
    merchant_id: str
    order_ids: list[str]  # in drop-off sequence
    offered_at: datetime
    expires_at: datetime
    planned_pickup_at: datetime | None = None
    planned_dropoff_at: dict[str, datetime] = field(default_factory=dict)
    status: AssignmentStatus = AssignmentStatus.OFFERED
    responded_at: datetime | None = None
    arrived_at: datetime | None = None  # the courier said "at the shop"
    manual: bool = False
    reason: str | None = None
    version: int = 0
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.order_ids:
            raise ValidationFailed("an assignment needs at least one order")
        if len(set(self.order_ids)) != len(self.order_ids):
            raise ValidationFailed("an order appears twice in the assignment")
        if self.expires_at < self.offered_at:
            raise ValidationFailed("an offer cannot expire before it is made")

    def _to(self, status: AssignmentStatus, at: datetime, reason: str | None = None) -> None:
        if status not in ASSIGNMENT_TRANSITIONS[self.status]:
            raise InvalidTransition(
                f"assignment is {self.status.value}; cannot become {status.value}", code="invalid_transition"
            )
        self.status = status
        self.responded_at = self.responded_at or at
        if reason:
            self.reason = reason
        data: dict[str, object] = {"courier_id": self.courier_id, "order_ids": list(self.order_ids)}
        if reason:
            data["reason"] = reason
        self.events.append(Event(f"assignment.{status.value}", self.id, at, data))

    def accept(self, at: datetime) -> None:
        if at > self.expires_at:
            raise InvalidTransition("the offer has expired", code="offer_expired")
        self._to(AS.ACCEPTED, at)

    def decline(self, at: datetime, reason: str | None = None) -> None:
        """Refuse the offer, or give the job back after accepting it (the service checks that nothing
        is picked up yet)."""
        self._to(AS.DECLINED, at, reason)

    def expire(self, at: datetime) -> None:
        self._to(AS.EXPIRED, at)

    def complete(self, at: datetime) -> None:
        self._to(AS.COMPLETED, at)

    def arrive(self, at: datetime) -> None:
        """The courier is at the shop (no status change; the shop and dispatch see it)."""
        if self.status is not AS.ACCEPTED:
            raise InvalidTransition("accept the job before arriving at the shop", code="not_accepted")
        if self.arrived_at is None:
            self.arrived_at = at
            self.events.append(Event("assignment.at_shop", self.id, at,
                                     {"courier_id": self.courier_id, "order_ids": list(self.order_ids)}))

    def withdraw(self, at: datetime, reason: str | None = None) -> None:
        self._to(AS.WITHDRAWN, at, reason)

    def pickup_slip(self, now: datetime, ready: Iterable[datetime | None], at_shop_by: datetime | None) -> timedelta:
        """How late the pickup (not yet made) runs against the plan, as far as can be told at `now`: it
        comes no earlier than now, than the courier can be at the shop (`at_shop_by`: its last known
        position's time plus the ride from there; None when unknown; not counted once the courier said
        "at the shop"), nor than any order of the job is ready (`ready`: when each will be, None where
        nobody said). Every planned drop-off moves by as much. Zero when on time, or for a job offered
        without a plan."""
        if self.planned_pickup_at is None:
            return timedelta(0)
        shop = at_shop_by if self.arrived_at is None else None
        earliest = max([now, *(t for t in (shop, *ready) if t is not None)])
        return max(timedelta(0), earliest - self.planned_pickup_at)

    def pickup_lateness(self, picked_up_at: datetime) -> timedelta:
        """How much later than planned the food was picked up: every drop-off still to make comes that
        much later (at least). Zero when on time or early, or for a job offered without a plan."""
        if self.planned_pickup_at is None:
            return timedelta(0)
        return max(timedelta(0), picked_up_at - self.planned_pickup_at)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ASSIGNMENT
