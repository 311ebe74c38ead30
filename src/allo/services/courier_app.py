"""What the courier app shows: the shift, the current offer, the job and its stops.

A read model for one courier. It holds what a courier needs at the door and nothing more: the
customer's first name, the drop-off address and instructions, the relay — never a phone number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from allo.domain.assignment import Assignment, AssignmentStatus
from allo.domain.courier import Courier
from allo.domain.errors import Forbidden
from allo.domain.geo import LatLon
from allo.domain.handover import is_locked
from allo.domain.order import Order, OrderStatus
from allo.domain.user import Role
from allo.relay.policy import RelayState, first_name
from allo.services.context import ServiceContext
from allo.services.principal import Principal
from allo.services.relay import RelayThread, closes_at_of, state_of


@dataclass(frozen=True)
class Stop:
    order_id: str
    number: str
    status: OrderStatus
    address: str
    location: LatLon | None
    door_code: str | None
    floor: str | None
    instructions: str | None
    first_name: str | None
    items: list[tuple[int, str]]
    planned_dropoff_at: datetime | None
    pin_locked: bool
    relay: RelayThread

    @property
    def done(self) -> bool:
        return self.status in (OrderStatus.DELIVERED, OrderStatus.FAILED, OrderStatus.CANCELLED)


@dataclass(frozen=True)
class Job:
    assignment: Assignment
    shop_name: str
    shop_address: str
    pickup: LatLon
    stops: list[Stop]
    #: When the kitchen says the last order not yet ready will be (None: all ready, or no word).
    kitchen_ready_by: datetime | None = None

    @property
    def kitchen_late(self) -> bool:
        """The kitchen now expects the food after the planned pickup: no need to rush to the shop."""
        planned = self.assignment.planned_pickup_at
        return self.kitchen_ready_by is not None and planned is not None and self.kitchen_ready_by > planned

    @property
    def is_offer(self) -> bool:
        return self.assignment.status is AssignmentStatus.OFFERED

    @property
    def picked_up(self) -> bool:
        return any(s.status is not OrderStatus.ASSIGNED for s in self.stops)


@dataclass(frozen=True)
class CourierHome:
    courier: Courier
    now: datetime
    offer: Job | None = None
    job: Job | None = None
    #: Stops of finished jobs whose relay is still open (the customer may still write).
    recent: list[tuple[str, Stop]] = field(default_factory=list)
    #: Why the last shift ended when the courier did not end it: "missed_offers" (offers went
    #: unanswered, `assignments.MISSED_OFFERS`), "silent_courier" (an accepted job taken back,
    #: `assignments.SILENT_COURIER`) or "planned_end" (`couriers.PLANNED_END`); else None.
    ended_because: str | None = None

    @property
    def active_ids(self) -> set[str]:
        """Assignment and order ids this courier's live page cares about."""
        ids: set[str] = set()
        for j in (self.offer, self.job):
            if j is not None:
                ids.add(j.assignment.id)
                ids.update(j.assignment.order_ids)
        ids.update(stop.order_id for _, stop in self.recent)
        return ids


def _courier_id(principal: Principal) -> str:
    if principal.role is not Role.COURIER or principal.courier_id is None:
        raise Forbidden("this page is for couriers")
    return principal.courier_id


def _customer_first_name(uow: Any, order: Order) -> str | None:
    if order.dropoff.recipient_name:
        return first_name(order.dropoff.recipient_name)
    if order.customer_id:
        return first_name(uow.customers.get(order.customer_id).name)
    return None


def _stop(ctx: ServiceContext, uow: Any, a: Assignment, order: Order, now: datetime) -> Stop:
    from allo.domain.order import order_number

    d = order.dropoff
    conv = uow.messaging.get_conversation(order.conversation_id) if order.conversation_id else None
    messages = [m for m in uow.relay.for_order(order.id) if m.status == "relayed"]
    thread = RelayThread(order.id, state_of(uow, order, now, ctx.relay_close_after),
                         closes_at_of(order, ctx.relay_close_after), conv is not None and not conv.opted_out, messages)
    return Stop(order.id, order_number(order.id), order.status, d.address, d.location, d.door_code, d.floor,
                d.instructions, _customer_first_name(uow, order), [(ln.qty, ln.name) for ln in order.lines],
                a.planned_dropoff_at.get(order.id), is_locked(order), thread)


def _job(ctx: ServiceContext, uow: Any, a: Assignment, now: datetime, *, details: bool) -> Job:
    merchant = uow.merchants.get(a.merchant_id)
    orders = [uow.orders.get(oid) for oid in a.order_ids]
    stops = []
    if details:  # an offer shows the shop only: addresses are for the courier who takes the job
        stops = [_stop(ctx, uow, a, order, now) for order in orders]
    waiting = [o.expected_ready_at for o in orders if o.preparing and o.expected_ready_at is not None]
    return Job(a, merchant.name, merchant.address, merchant.pickup, stops, max(waiting, default=None))


def home(ctx: ServiceContext, *, principal: Principal) -> CourierHome:
    courier_id = _courier_id(principal)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        courier = uow.couriers.get(courier_id)
        active = uow.assignments.list(courier_id=courier_id, status=[AssignmentStatus.OFFERED,
                                                                     AssignmentStatus.ACCEPTED], limit=10)
        offer = next((a for a in active if a.status is AssignmentStatus.OFFERED and a.expires_at > now), None)
        accepted = next((a for a in active if a.status is AssignmentStatus.ACCEPTED), None)
        recent: list[tuple[str, Stop]] = []
        for a in uow.assignments.list(courier_id=courier_id, status=[AssignmentStatus.COMPLETED], limit=5):
            for oid in a.order_ids:
                order = uow.orders.get(oid)
                open_ = state_of(uow, order, now, ctx.relay_close_after) is RelayState.OPEN
                if order.courier_id == courier_id and open_:
                    recent.append((a.id, _stop(ctx, uow, a, order, now)))
        ended = uow.journal.last_event(courier_id, "courier.shift_ended") if not courier.on_shift else None
        return CourierHome(
            courier, now,
            offer=_job(ctx, uow, offer, now, details=False) if offer else None,
            job=_job(ctx, uow, accepted, now, details=True) if accepted else None,
            recent=recent,
            ended_because=ended.data.get("reason") if ended is not None else None,
        )
