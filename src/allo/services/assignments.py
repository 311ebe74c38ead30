"""Assignment use cases: offer (by the engine or a dispatcher), accept, decline, expire, withdraw,
pick up, deliver, fail. Orders and the courier change in the same transaction as the assignment."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from allo.domain.assignment import Assignment, AssignmentStatus
from allo.adapters.storage.repositories.journal import AuditEntry
from allo.domain.courier import Courier, CourierStatus
from allo.domain.errors import Conflict, InvalidTransition, ValidationFailed
from allo.domain.handover import check_pin, ensure_pin, reset_pin_lock, wrong_pin_error
from allo.domain.order import Order, OrderAction, OrderStatus
from allo.domain.user import Role
from allo.services.context import ServiceContext
from allo.services.principal import Principal

log = logging.getLogger("allo.dispatch")


def offer(ctx: ServiceContext, *, principal: Principal, courier_id: str, order_ids: list[str],
          planned_pickup_at: datetime | None = None, planned_dropoff_at: dict[str, datetime] | None = None,
          manual: bool = True) -> Assignment:
    """Offer a bundle of orders of one shop to an available courier; the orders become assigned."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        courier = uow.couriers.get(courier_id)
        orders = [uow.orders.get(oid) for oid in order_ids]
        merchants = {o.merchant_id for o in orders}
        if len(merchants) != 1:
            raise ValidationFailed("a bundle holds orders of one shop only", code="mixed_merchants")
        most = courier.profile.capacity
        if len(order_ids) > most:
            raise ValidationFailed(f"this courier ({courier.vehicle.value}) carries at most {most} orders at once",
                                   code="over_capacity")
        courier.take_job(now)
        for o in orders:
            o.assign(courier_id, now)
            uow.orders.save(o)
        a = Assignment(ctx.new_id(), courier_id, merchants.pop(), list(order_ids), now, now + ctx.offer_ttl,
                       planned_pickup_at, dict(planned_dropoff_at or {}), manual=manual)
        uow.assignments.add(a)
        uow.couriers.save(courier)
        uow.commit()
    return a


def _load_for_courier(uow: object, principal: Principal, assignment_id: str) -> Assignment:
    a: Assignment = uow.assignments.get(assignment_id)  # type: ignore[attr-defined]
    principal.require_courier(a.courier_id)
    return a


def accept(ctx: ServiceContext, *, principal: Principal, assignment_id: str) -> Assignment:
    with ctx.uow() as uow:
        a = _load_for_courier(uow, principal, assignment_id)
        a.accept(ctx.clock.now())
        uow.assignments.save(a)
        uow.commit()
    return a


def _release(uow: object, a: Assignment, now: datetime, reason: str) -> None:
    """Orders not yet picked up go back to dispatch; the courier is free again."""
    for oid in a.order_ids:
        o: Order = uow.orders.get(oid)  # type: ignore[attr-defined]
        if o.status is OrderStatus.ASSIGNED and o.courier_id == a.courier_id:
            o.unassign(now, reason)
            uow.orders.save(o)  # type: ignore[attr-defined]
    courier = uow.couriers.get(a.courier_id)  # type: ignore[attr-defined]
    courier.release(now)
    uow.couriers.save(courier)  # type: ignore[attr-defined]


def decline(ctx: ServiceContext, *, principal: Principal, assignment_id: str, reason: str | None = None) -> Assignment:
    """The courier refuses an offer, or gives back a job accepted but not picked up (a flat tyre):
    its orders go back to dispatch at once, never again to this courier (a refusal), who stays on
    shift. Once anything is picked up the food is with the courier: deliver it or report a failure."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        a = _load_for_courier(uow, principal, assignment_id)
        if a.status is AssignmentStatus.ACCEPTED and _any_picked_up(uow, a):
            raise InvalidTransition("the orders are picked up: deliver them or report a failed delivery",
                                    code="already_picked_up")
        a.decline(now, reason)
        _release(uow, a, now, reason or "declined")
        uow.assignments.save(a)
        uow.commit()
    return a


MISSED_OFFERS = "missed_offers"  # why a courier was taken off shift
#: Offers expired this recently are looked at again for a shift end a concurrent change deferred.
MISSED_RECHECK = timedelta(minutes=10)


def expire_offers(ctx: ServiceContext) -> list[Assignment]:
    """Offers nobody answered in time: expire them and put their orders back (idempotent).

    A courier whose last `ctx.missed_offers_limit` offers all expired (a phone off, an app closed)
    is taken off shift, so the next orders are not held for the offer's whole lifetime each; the
    shift-ended event says why, and starting the shift again makes the courier available."""
    now = ctx.clock.now()
    expired = []
    with ctx.uow() as uow:
        for a in uow.assignments.list(status=[AssignmentStatus.OFFERED], limit=10_000):
            if a.expires_at > now:
                continue
            try:
                with uow.undoable():  # a courier or order changed meanwhile: this one waits for the next call
                    a.expire(now)
                    _release(uow, a, now, "offer expired")
                    uow.assignments.save(a)
            except Conflict:
                log.info("offer %s changed while expiring it: next tick", a.id)
                continue
            expired.append(a)
        # the couriers of offers expired now, and of those expired lately (a shift end deferred by a
        # concurrent change is retried at the next call, not left for the courier's next missed offer)
        lately = uow.assignments.list(status=[AssignmentStatus.EXPIRED], offered_since=now - MISSED_RECHECK,
                                      limit=10_000)
        candidates = {a.courier_id for a in [*expired, *lately]} if ctx.missed_offers_limit else set()
        for courier_id in sorted(candidates):
            courier = uow.couriers.get(courier_id)
            if courier.status is not CourierStatus.AVAILABLE:
                continue
            if not _missed_in_a_row(uow, courier, ctx.missed_offers_limit):
                continue
            try:
                with uow.undoable():
                    courier.end_shift(now, reason=MISSED_OFFERS)
                    uow.couriers.save(courier)
            except Conflict:
                log.info("courier %s changed while ending its shift for missed offers: next call", courier_id)
        uow.commit()
    return expired


def _missed_in_a_row(uow: object, courier: Courier, limit: int) -> bool:
    """The courier's last `limit` offers of the shift under way all expired unanswered (offers missed
    before a shift ended for them do not count again once the courier starts anew)."""
    recent: list[Assignment] = uow.assignments.list(courier_id=courier.id, limit=limit)  # type: ignore[attr-defined]
    started = courier.shift_started_at
    return (len(recent) == limit and all(a.status is AssignmentStatus.EXPIRED for a in recent)
            and (started is None or all(a.offered_at >= started for a in recent)))


SILENT_COURIER = "silent_courier"  # why a job was taken back and its courier taken off shift
SILENT_JOB_REASON = "courier silent past the planned pickup"  # on the job and its orders
#: An accepted job whose courier has not reached the shop this long after the planned pickup ...
PICKUP_OVERDUE = timedelta(minutes=15)
#: (a job offered by hand without a plan is due this long after its acceptance) ...
UNPLANNED_PICKUP = timedelta(minutes=15)
#: ... and has not been heard from (a position, the acceptance) for this long, is taken back.
SILENT_FOR = timedelta(minutes=10)


def _pickup_overdue(a: Assignment, now: datetime) -> bool:
    due = a.planned_pickup_at or (a.responded_at + UNPLANNED_PICKUP if a.responded_at else None)
    return a.arrived_at is None and due is not None and now >= due + PICKUP_OVERDUE


def _silent(a: Assignment, position_at: datetime | None, now: datetime) -> bool:
    heard = max((t for t in (position_at, a.responded_at) if t is not None), default=a.offered_at)
    return now - heard >= SILENT_FOR


def take_back_silent_jobs(ctx: ServiceContext) -> list[Assignment]:
    """Accepted jobs nobody is doing: the courier is `PICKUP_OVERDUE` past the planned pickup, not at
    the shop, and silent for `SILENT_FOR` (a phone off after accepting). The job is withdrawn, its
    orders go back to dispatch and the courier off shift (`SILENT_COURIER`, which the courier app
    explains). A job with anything picked up stays: the food is with the courier. A courier late but
    still reporting positions keeps the job (the console flags the order late). Idempotent; a job or
    courier changed meanwhile waits for the next call."""
    now = ctx.clock.now()
    taken = []
    with ctx.uow() as uow:
        overdue = [a for a in uow.assignments.list(status=[AssignmentStatus.ACCEPTED], limit=10_000)
                   if _pickup_overdue(a, now)]
        heard = {c.id: c.position_at for c in uow.couriers.list(status=[CourierStatus.BUSY])} if overdue else {}
        for a in overdue:
            if not _silent(a, heard.get(a.courier_id), now):
                continue
            if _any_picked_up(uow, a):
                continue
            try:
                with uow.undoable():
                    a.withdraw(now, SILENT_JOB_REASON)
                    _release(uow, a, now, SILENT_JOB_REASON)
                    uow.assignments.save(a)
                    courier = uow.couriers.get(a.courier_id)
                    courier.end_shift(now, reason=SILENT_COURIER)
                    uow.couriers.save(courier)
            except Conflict:
                log.info("job %s changed while taking it back from its silent courier: next tick", a.id)
                continue
            log.warning("job %s taken back from courier %s, silent past the planned pickup", a.id, a.courier_id)
            taken.append(a)
        uow.commit()
    return taken


def _any_picked_up(uow: object, a: Assignment) -> bool:
    return any(uow.orders.get(oid).status is OrderStatus.PICKED_UP for oid in a.order_ids)  # type: ignore[attr-defined]


def withdraw(ctx: ServiceContext, *, principal: Principal, assignment_id: str, reason: str) -> Assignment:
    """A dispatcher takes a job back (unassign). Not possible once anything is picked up."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        a = uow.assignments.get(assignment_id)
        if _any_picked_up(uow, a):
            raise InvalidTransition("an order of this job is already on its way", code="already_picked_up")
        a.withdraw(now, reason)
        _release(uow, a, now, reason)
        uow.assignments.save(a)
        uow.commit()
    return a


def withdraw_order_from_assignment(uow: object, order: Order, now: datetime, reason: str) -> None:
    """Inside a unit of work: the order leaves its active assignment (used when it is cancelled)."""
    a = uow.assignments.active_for_order(order.id, order.courier_id)  # type: ignore[attr-defined]
    if a is None:
        return
    a.order_ids = [oid for oid in a.order_ids if oid != order.id]
    if not a.order_ids:
        a.order_ids = [order.id]  # keep the record whole; the job ends with it
        a.withdraw(now, reason)
        courier = uow.couriers.get(a.courier_id)  # type: ignore[attr-defined]
        courier.release(now)
        uow.couriers.save(courier)  # type: ignore[attr-defined]
    uow.assignments.save(a)  # type: ignore[attr-defined]


def picked_up(ctx: ServiceContext, *, principal: Principal, assignment_id: str) -> Assignment:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        a = _load_for_courier(uow, principal, assignment_id)
        if a.status in (AssignmentStatus.WITHDRAWN, AssignmentStatus.DECLINED, AssignmentStatus.EXPIRED):
            raise _no_longer_yours()
        if a.status is not AssignmentStatus.ACCEPTED:
            raise InvalidTransition("accept the job before picking it up", code="not_accepted")
        for oid in a.order_ids:
            o = uow.orders.get(oid)
            if o.courier_id != a.courier_id:  # taken back between our two reads (PostgreSQL reads committed rows)
                raise _no_longer_yours()
            if o.status is OrderStatus.ASSIGNED:
                o.pick_up(now)
                ensure_pin(o, ctx.new_pin)  # orders confirmed before PINs existed
                uow.orders.save(o)
        uow.commit()
    return a


def _no_longer_yours() -> InvalidTransition:
    return InvalidTransition("this job was taken back: its orders are no longer yours", code="job_taken_back")


def at_shop(ctx: ServiceContext, *, principal: Principal, assignment_id: str) -> Assignment:
    """The courier has arrived at the shop (the shop and the dispatcher see it)."""
    with ctx.uow() as uow:
        a = _load_for_courier(uow, principal, assignment_id)
        a.arrive(ctx.clock.now())
        uow.assignments.save(a)
        uow.commit()
    return a


def _finish_order(ctx: ServiceContext, principal: Principal, assignment_id: str, order_id: str,
                  reason: str | None, pin: str | None = None) -> Order:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        a = _load_for_courier(uow, principal, assignment_id)
        if order_id not in a.order_ids:
            raise ValidationFailed("this order is not part of the job", code="order_not_in_assignment")
        o = uow.orders.get(order_id)
        if reason is None:
            _check_handover(uow, principal, o, pin, now)
            o.deliver(now)
        else:
            o.fail(now, reason)
        uow.orders.save(o)
        others = [uow.orders.get(oid) for oid in a.order_ids if oid != order_id]
        if all(x.is_terminal for x in others):
            a.complete(now)
            uow.assignments.save(a)
            courier = uow.couriers.get(a.courier_id)
            courier.release(now)
            uow.couriers.save(courier)
        uow.commit()
    return o


def _check_handover(uow: object, principal: Principal, o: Order, pin: str | None, now: datetime) -> None:
    """The courier must give the customer's PIN. A dispatcher may confirm a handover without it
    (after phoning the customer); that override is written to the audit log."""
    if principal.is_staff and not pin:
        entry = AuditEntry(now, principal.user_id, "handover_without_pin", "order", o.id, None)
        uow.journal.audit(entry)  # type: ignore[attr-defined]
        return
    if not o.can(OrderAction.DELIVER):  # the usual error, before any PIN is counted
        raise InvalidTransition(f"cannot deliver an order that is {o.status.value}", code="invalid_transition")
    if check_pin(o, pin, now):
        return
    uow.orders.save(o)  # type: ignore[attr-defined]
    uow.commit()  # type: ignore[attr-defined]  # the failed try counts even though we refuse
    raise wrong_pin_error(o)


def delivered(ctx: ServiceContext, *, principal: Principal, assignment_id: str, order_id: str,
              pin: str | None = None) -> Order:
    """The order was handed over. A courier gives the PIN the customer received by message:
    a wrong one is refused with `wrong_pin`; after five, `pin_locked` until a dispatcher resets it."""
    return _finish_order(ctx, principal, assignment_id, order_id, None, pin)


def reset_pin_lock_for(ctx: ServiceContext, *, principal: Principal, order_id: str) -> Order:
    """A dispatcher unlocks a handover locked by wrong PINs (after checking with the customer)."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        o = uow.orders.get(order_id)
        reset_pin_lock(o, now)
        uow.orders.save(o)
        uow.journal.audit(AuditEntry(now, principal.user_id, "pin_unlocked", "order", order_id, None))
        uow.commit()
    return o


def failed(ctx: ServiceContext, *, principal: Principal, assignment_id: str, order_id: str, reason: str) -> Order:
    if not reason.strip():
        raise ValidationFailed("say why the delivery failed", code="reason_required")
    return _finish_order(ctx, principal, assignment_id, order_id, reason)


def list_assignments(ctx: ServiceContext, *, principal: Principal, courier_id: str | None = None,
                     status: list[AssignmentStatus] | None = None) -> list[Assignment]:
    if principal.role is Role.COURIER:
        courier_id = principal.courier_id
    else:
        principal.require_role(Role.ADMIN, Role.DISPATCHER)
    with ctx.uow() as uow:
        return uow.assignments.list(courier_id=courier_id, status=status)
