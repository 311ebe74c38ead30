"""Customers hear when their order runs late, whatever the cause: no courier free yet, a courier
late to the shop, a slow ride.

The arrival time a customer was last told is kept (`uow.promises`: on placing by chat, on asking
"where is my order?", on a delay notice). The city's dispatcher, once a minute, times every open
order that has one as its tracking page would (the waiting orders' fresh estimates, the job's plan
moved by a late pickup, the courier's ride once picked up) and records `order.running_late` for
each now due `LATE_WORTH_TELLING` or more after what was told; the customer notifier tells it.
That time becomes the one told, so a delay is told once and only a further slip is told again.
An order that late with no time to give (held for a dispatcher, no courier able to take it, a plan
passed with no position to say when) is told it runs late without a made-up time, once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.domain.assignment import AssignmentStatus
from allo.domain.events import Event
from allo.domain.order import OPEN_FOR_DISPATCH, Order, OrderStatus
from allo.services.context import ServiceContext
from allo.services.rides import CityRides
from allo.services.tracking import RUNNING_LATE, eta_of, job_arrivals

#: A new arrival time is told when it is this much later than the one the customer was last told.
LATE_WORTH_TELLING = timedelta(minutes=10)


def current_arrivals(uow: SqlUnitOfWork, order_ids: Collection[str], waiting: Mapping[str, datetime],
                     now: datetime, rides: CityRides) -> dict[str, datetime]:
    """When each of `order_ids` should arrive now, as its tracking page says: a waiting order by
    `waiting` (the dispatcher's estimates of this tick), one in a job by the job's plan, moved by a
    late pickup and, once picked up, by the courier's position (`tracking.job_arrivals`). Orders
    nobody can time are left out."""
    orders = {o.id: o for o in uow.orders.list(ids=order_ids, limit=max(1, len(order_ids)))}
    arrivals = {oid: waiting[oid] for oid, o in orders.items() if o.status in OPEN_FOR_DISPATCH and oid in waiting}
    riding = {o.courier_id for o in orders.values()
              if o.status in (OrderStatus.ASSIGNED, OrderStatus.PICKED_UP) and o.courier_id}
    if not riding:
        return arrivals
    active = [AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED]
    jobs = [a for a in uow.assignments.list(status=active, limit=100_000) if a.courier_id in riding]
    others = {oid for a in jobs for oid in a.order_ids} - orders.keys()  # their ready times count too
    orders.update((o.id, o) for o in uow.orders.list(ids=others, limit=max(1, len(others))))
    couriers = {c.id: c for c in uow.couriers.list() if c.id in riding}
    shops = {m.id: m.pickup for m in uow.merchants.list()}
    arrivals.update(job_arrivals(jobs, orders, couriers, shops, now, rides))
    return arrivals


def arrival_to_tell(uow: SqlUnitOfWork, order: Order, now: datetime, rides: CityRides) -> datetime | None:
    """The arrival time to tell the order's customer now (its tracking page's, `tracking.eta_of`),
    kept as the time told; None when unknown or the order is finished."""
    eta = None if order.is_terminal else eta_of(uow, order, now, rides)
    if eta is not None:
        uow.promises.tell(order.id, eta, at=now)
    return eta


def tell_running_late(ctx: ServiceContext, waiting: Mapping[str, datetime]) -> list[str]:
    """Record `order.running_late` for every open order now due `LATE_WORTH_TELLING` or more after the
    arrival its customer was last told, and make that the time told. An order that far past the time
    told with no time to give (held for a dispatcher, no courier can take it, a plan passed 10
    minutes ago with no position to say when) is recorded without one, once while it stays so, and
    the time told becomes now. A plan passed less long ago is a courier at the door: nothing. The
    ids, in order."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        told = uow.promises.of_open_orders()
        if not told:
            return []
        arrivals = current_arrivals(uow, told, waiting, now, ctx.rides)
        late: dict[str, datetime | None] = {
            oid: at for oid, at in arrivals.items() if at > now and at - told[oid] >= LATE_WORTH_TELLING}
        timeless = [oid for oid in told if now - told[oid] >= LATE_WORTH_TELLING  # no time, or one long passed
                    and (oid not in arrivals or now - arrivals[oid] >= LATE_WORTH_TELLING)]
        last_notices = uow.journal.last_events(timeless, RUNNING_LATE)
        late.update({oid: None for oid in timeless if not _told_without_a_time(last_notices.get(oid))})
        uow.journal.append_events([Event(RUNNING_LATE, oid, now, {"arrival": at.isoformat() if at else None,
                                                                  "told": told[oid].isoformat()})
                                   for oid, at in sorted(late.items())])
        for oid, at in sorted(late.items()):
            uow.promises.tell(oid, at or now, at=now)
        uow.commit()
    return sorted(late)


def _told_without_a_time(last_notice: Event | None) -> bool:
    """The customer's last running-late notice had no time to give (and none came since)."""
    return last_notice is not None and last_notice.data.get("arrival") is None
