"""The customer's tracking page: what anyone holding the unguessable link may see.

Status, ETA, the shop's name and, while the order is on its way, the courier's position rounded to
about 100 m. Nothing personal: no names, no numbers, no addresses, no delivery notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from allo.domain.assignment import Assignment
from allo.domain.courier import Courier
from allo.domain.geo import LatLon
from allo.domain.merchant import Merchant
from allo.domain.order import OPEN_FOR_DISPATCH, Order, OrderStatus
from allo.services.context import ServiceContext
from allo.services.rides import CityRides

if TYPE_CHECKING:
    from allo.adapters.storage.unit_of_work import SqlUnitOfWork

#: Decimal places kept of the courier's coordinates: 3 → ±55 m north-south, ±40 m east-west here.
POSITION_DECIMALS = 3
#: A courier position older than this is not shown (the phone stopped sharing).
POSITION_MAX_AGE = timedelta(minutes=5)
#: The dispatcher publishes estimates every tick; one older than this is not shown (it stopped).
ESTIMATE_MAX_AGE = timedelta(minutes=2)
#: The event of a customer told that the order runs late (`allo.services.lateness`).
RUNNING_LATE = "order.running_late"
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
    told_running_late: bool = False  # the customer was told it runs late (`allo.services.lateness`)
    shop_opens_at: datetime | None = None  # the shop is closed and its kitchen waits for this opening

    @property
    def finished(self) -> bool:
        return self.status in (OrderStatus.DELIVERED, OrderStatus.CANCELLED, OrderStatus.FAILED)

    @property
    def running_late(self) -> bool:
        """Say on the page that the order runs late: its customer was told so, and it is not over."""
        return self.told_running_late and not self.finished

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
        eta = eta_of(uow, order, now, ctx.rides, courier)
        told_late = uow.journal.last_event(order.id, RUNNING_LATE) is not None
    position = position_at = None
    if order.status is OrderStatus.PICKED_UP and courier is not None and courier.position and _fresh(courier, now):
        position, position_at = rounded(courier.position), courier.position_at
    return Tracking(order.id, order_number(order.id), order.status, merchant.name, eta, position, position_at,
                    _steps(order), now, told_late, _waits_for_opening(merchant, order, now))


def _waits_for_opening(merchant: Merchant, order: Order, now: datetime) -> datetime | None:
    """The shop's opening the order waits for: it came in while the shop was closed, the shop has not
    opened since, and the kitchen has said nothing (one cooking out of hours gives an estimate). None
    otherwise, also for an order taken before closing time, which the kitchen finishes."""
    if not order.preparing or order.expected_ready_at is not None:
        return None
    opening = merchant.awaited_opening(order.entered_status_at)
    return opening if opening is not None and opening > now else None


def _fresh(courier: Courier, now: datetime) -> bool:
    """The courier's position is recent enough to show and to time the rest of the ride."""
    return courier.position_at is not None and now - courier.position_at <= POSITION_MAX_AGE


def eta_of(uow: SqlUnitOfWork, order: Order, now: datetime, rides: CityRides,
           courier: Courier | None = None) -> datetime | None:
    """When the order should arrive, as the customer is told (tracking page, "where is my order?"):
    the plan of the job it was offered in, moved as `job_arrivals` says; while it waits for a courier,
    the dispatcher's fresh estimate (or the time the customer asked for, if later; or the shop's own
    estimate from its opening, for an order out of the dispatcher's sight until the kitchen opens).
    None when nobody knows."""
    if order.status in (OrderStatus.ASSIGNED, OrderStatus.PICKED_UP):  # only then has it a job
        assignment = uow.assignments.active_for_order(order.id, order.courier_id)
        if assignment is None:
            return None
        courier = courier or uow.couriers.get(assignment.courier_id)
        mine = {oid: order if oid == order.id else uow.orders.get(oid) for oid in assignment.order_ids}
        shop = {assignment.merchant_id: uow.merchants.get(assignment.merchant_id).pickup}
        return job_arrivals([assignment], mine, {courier.id: courier}, shop, now, rides).get(order.id)
    if order.status not in OPEN_FOR_DISPATCH:
        return None
    eta = uow.estimates.get(order.id, computed_after=now - ESTIMATE_MAX_AGE)
    if order.requested_for is not None and (eta is None or eta < order.requested_for):
        eta = order.requested_for  # asked for a time: that time, unless the dispatcher expects later
    if eta is None and order.requested_for is None and order.ready_at is None and order.expected_ready_at is None:
        eta = _after_opening(uow.merchants.get(order.merchant_id), order, rides)
    return eta


def _after_opening(merchant: Merchant, order: Order, rides: CityRides) -> datetime | None:
    """For an order that came in while its shop was closed and without word from the kitchen: the
    shop's usual preparation and ride from its next opening. None if the shop was open."""
    opening = merchant.awaited_opening(order.entered_status_at)
    if opening is None:
        return None
    ride = rides.shop_ride_minutes(merchant, order.dropoff.location)
    return opening + timedelta(minutes=merchant.prep_minutes + ride)


def _riding_arrival(planned: datetime | None, courier: Courier | None, to: LatLon, now: datetime,
                    rides: CityRides) -> datetime | None:
    """When an order on its way (picked up) should reach `to`: `planned`, later if the courier's fresh
    position says so (never before now, then); `planned` alone without one."""
    there = rides.reach(courier, to, POSITION_MAX_AGE, now) if courier is not None else None
    if there is None:
        return planned
    there = max(there, now)
    return max(planned, there) if planned is not None else there


def job_arrivals(jobs: Iterable[Assignment], orders: Mapping[str, Order], couriers: Mapping[str, Courier],
                 shops: Mapping[str, LatLon], now: datetime, rides: CityRides) -> dict[str, datetime]:
    """When each order of `jobs` still to deliver should arrive, from records already read: the
    planned drop-off, moved by how late the pickup runs (`Assignment.pickup_slip`: the courier still
    to reach the shop, a kitchen later than the plan counted on) or ran (`Assignment.pickup_lateness`,
    once picked up; then later still if the courier's fresh position says so). Orders missing from
    `orders` are left out; a job whose courier or shop is unknown is timed without the ride."""
    arrivals: dict[str, datetime] = {}
    for a in jobs:
        mine = [orders[oid] for oid in a.order_ids if oid in orders]
        courier = couriers.get(a.courier_id)
        if any(o.status is OrderStatus.ASSIGNED for o in mine):
            shop = shops.get(a.merchant_id)
            there = (rides.reach(courier, shop, POSITION_MAX_AGE, now)
                     if courier is not None and shop is not None else None)
            slip = a.pickup_slip(now, [o.ready_by for o in mine], there)
            arrivals.update({o.id: a.planned_dropoff_at[o.id] + slip for o in mine
                             if o.status is OrderStatus.ASSIGNED and o.id in a.planned_dropoff_at})
        for o in mine:
            if o.status is not OrderStatus.PICKED_UP:
                continue
            planned, picked = a.planned_dropoff_at.get(o.id), o.time_of(OrderStatus.PICKED_UP)
            if planned is not None and picked is not None:
                planned += a.pickup_lateness(picked)
            at = _riding_arrival(planned, courier, o.dropoff.location, now, rides) if o.dropoff.location else planned
            if at is not None:
                arrivals[o.id] = at
    return arrivals
