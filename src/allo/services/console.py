"""Read models of the dispatcher console: the board of orders, KPIs, the courier roster.

Everything here reads; the console's actions go through the ordinary use cases (orders,
assignments, couriers, customers). Personal data never leaves this module in clear: drop-offs are
masked (house number hidden) and positions are rounded; the reveal goes through
`customers.reveal_customer`, which writes the audit log.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from allo.domain.assignment import Assignment, AssignmentStatus
from allo.domain.courier import Courier, CourierStatus
from allo.domain.geo import EARTH_RADIUS_M, LatLon
from allo.domain.merchant import Merchant
from allo.domain.order import OPEN_FOR_DISPATCH, Order, OrderStatus, OrderTimes
from allo.domain.order import order_number as order_ref
from allo.domain.personal import MASK
from allo.domain.user import Role
from allo.services import orders as order_service
from allo.services.context import ServiceContext
from allo.services.principal import Principal
from allo.services.tracking import ESTIMATE_MAX_AGE, job_arrivals

#: The delivery promise when the customer asked for no time: click to door within this.
PROMISE = timedelta(minutes=40)
#: Drop-off positions shown on the map are snapped to a grid of this size (personal data).
ROUND_METRES = 50.0
ACTIVE_STATES = (OrderStatus.CONFIRMED, OrderStatus.READY, OrderStatus.ASSIGNED, OrderStatus.PICKED_UP)
ACTIVE_JOB = [AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED]
_HOUSE_NUMBER = re.compile(r"^\s*\d+[\s,]*(bis|ter|[a-z])?\b[\s,]*", re.I)


def mask_address(address: str) -> str:
    """"14 boulevard des Moulins, 98000 Monaco" → "•• boulevard des Moulins, 98000 Monaco"."""
    rest = _HOUSE_NUMBER.sub("", address, count=1)
    return f"{MASK} {rest}" if rest != address else address


def round_position(p: LatLon, metres: float = ROUND_METRES) -> LatLon:
    """Snap a position to a grid of `metres` (about that precision, no better)."""
    lat_step = math.degrees(metres / EARTH_RADIUS_M)
    lat = round(round(p.lat / lat_step) * lat_step, 6)
    lon_step = lat_step / max(math.cos(math.radians(lat)), 1e-6)  # from the snapped latitude: stable
    return LatLon(lat, round(round(p.lon / lon_step) * lon_step, 6))


def promised_at(order: Order | OrderTimes, shop: Merchant) -> datetime:
    """When the order should be at the door: the time asked for, else `PROMISE` after it was placed,
    or after the shop opened if it was placed while the shop was closed."""
    return order.requested_for or shop.kitchen_start(order.created_at) + PROMISE


def _own_shop(principal: Principal) -> str | None:
    """The one shop whose orders a merchant sees; None for staff (every shop)."""
    return principal.merchant_id if principal.role is Role.MERCHANT else None


def start_of_day(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight of `now`'s day in `zone` (the city's), in `now`'s own time zone."""
    local = now.astimezone(zone)
    return datetime.combine(local.date(), time(0, 0), zone).astimezone(now.tzinfo)


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


# the board --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    """One order on the board: no personal data beyond a masked street."""

    id: str
    ref: str
    status: OrderStatus
    merchant: str
    items: str
    total: str
    street: str | None
    created_at: datetime
    promised_at: datetime
    minutes_left: int
    late: bool
    at_risk: bool
    planned_dropoff_at: datetime | None  # the job's plan, or for a waiting order the dispatcher's estimate
    courier: str | None
    job: str | None  # "offered" or "accepted"
    ended_at: datetime | None = None
    estimated: bool = False  # `planned_dropoff_at` is the dispatcher's estimate (no courier yet)
    at_shop_minutes: int | None = None  # how long the courier has been waiting at the shop (not picked up)
    held: str | None = None  # why a dispatcher keeps it for manual dispatch
    shop_closed: bool = False  # not picked up yet and its shop is closed now
    shop_opens_at: datetime | None = None  # then, when it opens next (None: no hours ahead)


@dataclass
class Board:
    now: datetime
    columns: dict[OrderStatus, list[Card]]
    recent: list[Card]
    late: list[Card] = field(default_factory=list)
    paused: list[Merchant] = field(default_factory=list)  # shops taking no new orders by message for now


def items_summary(order: Order, limit: int = 3) -> str:
    parts = [f"{ln.qty}× {ln.name}" for ln in order.lines[:limit]]
    if len(order.lines) > limit:
        parts.append(f"+{len(order.lines) - limit}")
    return ", ".join(parts)


def money(m: object) -> str:
    cents = getattr(m, "cents")
    return f"{cents // 100},{cents % 100:02d} {getattr(m, 'currency')}"


def _card(order: Order, now: datetime, shop: Merchant, couriers: dict[str, str],
          jobs: dict[str, Assignment], staff: bool, expected: dict[str, datetime] | None = None) -> Card:
    """`expected`: when open orders should arrive, for a waiting order the dispatcher's estimate, for
    one offered or accepted the job's plan moved by a late pickup (`tracking.job_arrivals`)."""
    promise = promised_at(order, shop)
    job = jobs.get(order.id)
    planned = job.planned_dropoff_at.get(order.id) if job else None
    waiting = job is None and order.status in OPEN_FOR_DISPATCH
    estimated = waiting and order.id in (expected or {})
    planned = (expected or {}).get(order.id, planned)
    ended = order.history[-1].at if order.is_terminal else None
    reference = ended or now
    closed = order.preparing and not shop.opening_hours.is_open(now)
    return Card(
        id=order.id, ref=order_ref(order.id), status=order.status,
        merchant=shop.name, items=items_summary(order), total=money(order.total),
        street=mask_address(order.dropoff.address) if staff else None,
        created_at=order.created_at, promised_at=promise, minutes_left=_minutes(promise - reference),
        late=reference > promise and order.status is not OrderStatus.CANCELLED,
        at_risk=bool(planned and planned > promise and reference <= promise),
        planned_dropoff_at=planned, courier=couriers.get(order.courier_id or ""),
        job=job.status.value if job else None, ended_at=ended, estimated=estimated,
        at_shop_minutes=_minutes(now - job.arrived_at) if job and job.arrived_at and order.status is OrderStatus.ASSIGNED
        else None, held=None if order.is_terminal else order.held_reason,
        shop_closed=closed, shop_opens_at=shop.opening_hours.next_opening(now) if closed else None,
    )


@dataclass(frozen=True)
class _City:
    """What the board reads once: shops, couriers and the jobs offered or under way, by order."""

    merchants: dict[str, Merchant]
    couriers: dict[str, Courier]
    jobs: dict[str, Assignment]

    @property
    def courier_names(self) -> dict[str, str]:
        return {k: c.name for k, c in self.couriers.items()}


def _city(ctx: ServiceContext) -> _City:
    with ctx.uow() as uow:
        return _City({m.id: m for m in uow.merchants.list()}, {c.id: c for c in uow.couriers.list()},
                     {oid: a for a in uow.assignments.list(status=ACTIVE_JOB, limit=10_000) for oid in a.order_ids})


def _estimates(ctx: ServiceContext, now: datetime) -> dict[str, datetime]:
    """The dispatcher's fresh estimates for waiting orders (none if it stopped publishing)."""
    with ctx.uow() as uow:
        return uow.estimates.fresh(computed_after=now - ESTIMATE_MAX_AGE)


def board(ctx: ServiceContext, *, principal: Principal, recent: int = 12) -> Board:
    """Open orders by state (oldest first, late ones flagged) and the last finished ones."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER, Role.MERCHANT)
    now = ctx.clock.now()
    city = _city(ctx)
    shops, couriers, jobs = city.merchants, city.courier_names, city.jobs
    open_orders = order_service.list_orders(ctx, principal=principal, status=list(ACTIVE_STATES), limit=500)
    with ctx.uow() as uow:
        done = uow.orders.recently_finished(recent, _own_shop(principal))
    columns: dict[OrderStatus, list[Card]] = {s: [] for s in ACTIVE_STATES}
    expected = _estimates(ctx, now)
    expected.update(job_arrivals({a.id: a for a in jobs.values()}.values(), {o.id: o for o in open_orders},
                                 city.couriers, {k: m.pickup for k, m in city.merchants.items()}, now, ctx.rides))
    for order in sorted(open_orders, key=lambda o: promised_at(o, shops[o.merchant_id])):
        columns[order.status].append(_card(order, now, shops[order.merchant_id], couriers, jobs, principal.is_staff,
                                           expected))
    finished = [_card(o, now, shops[o.merchant_id], couriers, jobs, principal.is_staff) for o in done]
    finished.sort(key=lambda c: c.ended_at or c.created_at, reverse=True)
    late = [c for cards in columns.values() for c in cards if c.late]
    seen = [m for m in shops.values() if principal.is_staff or m.id == principal.merchant_id]
    paused = sorted((m for m in seen if m.paused_at(now)), key=lambda m: m.name)
    return Board(now, columns, finished, late, paused)


# KPIs ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kpis:
    orders_today: int
    delivered_today: int
    mean_click_to_door_min: float | None
    late_percent: float | None
    late_open: int
    couriers_busy: int | None
    couriers_idle: int | None
    couriers_off: int | None


def kpis(ctx: ServiceContext, *, principal: Principal) -> Kpis:
    """Today (in the city's time zone): orders, mean click-to-door of the delivered ones, the share
    delivered after the promise, open orders already late; couriers busy, idle and off (staff)."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER, Role.MERCHANT)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        today = [o for o in uow.orders.times_since(start_of_day(now, ctx.city_zone), _own_shop(principal))
                 if o.status is not OrderStatus.DRAFT]
        shops = {m.id: m for m in uow.merchants.list()}
    durations: list[timedelta] = []
    late = 0
    for o in today:
        delivered_at = o.delivered_at if o.status is OrderStatus.DELIVERED else None
        if delivered_at is not None:
            durations.append(delivered_at - o.created_at)
            late += delivered_at > promised_at(o, shops[o.merchant_id])
    late_open = sum(1 for o in today if not o.is_terminal and now > promised_at(o, shops[o.merchant_id]))
    mean = sum(d.total_seconds() for d in durations) / 60 / len(durations) if durations else None
    busy = idle = off = None
    if principal.is_staff:
        with ctx.uow() as uow:
            people = uow.couriers.list(active=True)
        busy = sum(c.status is CourierStatus.BUSY for c in people)
        idle = sum(c.status is CourierStatus.AVAILABLE for c in people)
        off = sum(c.status is CourierStatus.OFF_SHIFT for c in people)
    return Kpis(len(today), len(durations), round(mean, 1) if mean is not None else None,
                round(100 * late / len(durations), 1) if durations else None, late_open, busy, idle, off)


# roster ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RosterRow:
    courier: Courier
    position_age_s: int | None
    job: Assignment | None
    job_refs: list[str]
    #: For a courier off shift: when the last shift ended and, if not the courier's choice, why
    #: ("missed_offers", "silent_courier", "planned_end").
    ended_at: datetime | None = None
    ended_because: str | None = None


def roster(ctx: ServiceContext, *, principal: Principal) -> list[RosterRow]:
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        people = uow.couriers.list()
        jobs = {a.courier_id: a for a in uow.assignments.list(status=ACTIVE_JOB, limit=10_000)}
        ended = uow.journal.last_events([c.id for c in people if c.active and not c.on_shift], "courier.shift_ended")
    order = {CourierStatus.BUSY: 0, CourierStatus.AVAILABLE: 1, CourierStatus.OFF_SHIFT: 2}
    rows = []
    for c in sorted(people, key=lambda c: (not c.active, order[c.status], c.name)):
        age = int((now - c.position_at).total_seconds()) if c.position_at else None
        job, end = jobs.get(c.id), ended.get(c.id)
        rows.append(RosterRow(c, age, job, [order_ref(o) for o in job.order_ids] if job else [],
                              end.at if end else None, end.data.get("reason") if end else None))
    return rows


def available_couriers(ctx: ServiceContext, *, principal: Principal,
                       near: LatLon | None = None) -> list[tuple[Courier, int | None]]:
    """Couriers who can take a job now, nearest to `near` first, with the distance in metres."""
    from allo.domain.geo import LocalProjection

    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    with ctx.uow() as uow:
        free = uow.couriers.list(status=[CourierStatus.AVAILABLE], active=True)
    if near is None:
        return [(c, None) for c in free]
    plane = LocalProjection(near)
    origin = plane.to_plane(near)

    def distance(c: Courier) -> int | None:
        return int(plane.to_plane(c.position).distance_to(origin)) if c.position else None

    ranked = [(c, distance(c)) for c in free]
    ranked.sort(key=lambda cd: (cd[1] is None, cd[1] or 0, cd[0].name))
    return ranked
