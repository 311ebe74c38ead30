"""The customer's tracking page: what anyone holding the unguessable link may see.

Status, ETA, the shop's name and, while the order is on its way, the courier's position rounded to
about 100 m. Nothing personal: no names, no numbers, no addresses, no delivery notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from allo.domain.courier import Courier
from allo.domain.geo import LatLon, haversine_m
from allo.domain.order import OPEN_FOR_DISPATCH, Order, OrderStatus
from allo.services.context import ServiceContext

if TYPE_CHECKING:
    from allo.adapters.storage.unit_of_work import SqlUnitOfWork

#: Decimal places kept of the courier's coordinates: 3 → ±55 m north-south, ±40 m east-west here.
POSITION_DECIMALS = 3
#: A courier position older than this is not shown (the phone stopped sharing).
POSITION_MAX_AGE = timedelta(minutes=5)
#: The dispatcher publishes estimates every tick; one older than this is not shown (it stopped).
ESTIMATE_MAX_AGE = timedelta(minutes=2)
#: Road distance is about this much longer than the straight line.
DETOUR = 1.35
STEPS = (OrderStatus.CONFIRMED, OrderStatus.ASSIGNED, OrderStatus.PICKED_UP, OrderStatus.DELIVERED)


@dataclass(frozen=True)
class Step:
    status: OrderStatus
    at: datetime | None
    done: bool


@dataclass(frozen=True)
class Tracking:
    order_id: str  # for the live page's event filter only; never rendered
    number: str
    status: OrderStatus
    shop_name: str
    eta: datetime | None
    courier_position: LatLon | None
    position_at: datetime | None
    steps: list[Step]
    now: datetime

    @property
    def finished(self) -> bool:
        return self.status in (OrderStatus.DELIVERED, OrderStatus.CANCELLED, OrderStatus.FAILED)

    @property
    def eta_minutes(self) -> int | None:
        if self.eta is None or self.finished:
            return None
        return max(1, round((self.eta - self.now).total_seconds() / 60))


def rounded(p: LatLon) -> LatLon:
    return LatLon(round(p.lat, POSITION_DECIMALS), round(p.lon, POSITION_DECIMALS))


def _steps(order: Order) -> list[Step]:
    reached = {t.status for t in order.history}
    return [Step(s, order.time_of(s), s in reached) for s in STEPS]


def track(ctx: ServiceContext, *, token: str) -> Tracking:
    """The tracking view behind a link; NotFound (`order_not_found`) for an unknown token."""
    from allo.domain.order import order_number

    now = ctx.clock.now()
    with ctx.uow() as uow:
        order = uow.orders.by_tracking_token(token)
        merchant = uow.merchants.get(order.merchant_id)
        courier = uow.couriers.get(order.courier_id) if order.courier_id else None
        eta = eta_of(uow, order, now, courier)
    position = position_at = None
    if order.status is OrderStatus.PICKED_UP and courier is not None and courier.position and _fresh(courier, now):
        position, position_at = rounded(courier.position), courier.position_at
    return Tracking(order.id, order_number(order.id), order.status, merchant.name, eta, position, position_at,
                    _steps(order), now)


def _fresh(courier: Courier, now: datetime) -> bool:
    """The courier's position is recent enough to show and to time the rest of the ride."""
    return courier.position_at is not None and now - courier.position_at <= POSITION_MAX_AGE


def eta_of(uow: SqlUnitOfWork, order: Order, now: datetime, courier: Courier | None = None) -> datetime | None:
    """When the order should arrive, as the customer is told (tracking page, "where is my order?"):
    the plan of the job it was offered in; while it waits for a courier, the dispatcher's fresh
    estimate (or the time the customer asked for, if later); once picked up, later if the courier's
    position says so. None when nobody knows."""
    eta: datetime | None = None
    assignment = uow.assignments.active_for_order(order.id)
    if assignment is not None:  # offered or accepted: the plan the courier was given
        eta = assignment.planned_dropoff_at.get(order.id)
    elif order.status in OPEN_FOR_DISPATCH:  # waiting for a courier
        eta = uow.estimates.get(order.id, computed_after=now - ESTIMATE_MAX_AGE)
        if order.requested_for is not None and (eta is None or eta < order.requested_for):
            eta = order.requested_for  # asked for a time: that time, unless the dispatcher expects later
    if order.status is OrderStatus.PICKED_UP and order.dropoff.location is not None:
        if courier is None and order.courier_id:
            courier = uow.couriers.get(order.courier_id)
        if courier is not None and courier.position is not None and _fresh(courier, now):
            ride = haversine_m(courier.position, order.dropoff.location) * DETOUR
            estimate = now + timedelta(minutes=ride / courier.profile.speed_m_per_min)
            eta = estimate if eta is None or estimate > eta else eta
    return eta
