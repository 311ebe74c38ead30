"""Courier use cases: roster, shifts, positions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from allo.domain.courier import Courier, CourierStatus, ShiftBooking, Vehicle
from allo.domain.errors import Conflict
from allo.domain.geo import LatLon
from allo.domain.user import Role
from allo.services.context import ServiceContext
from allo.services.principal import Principal

log = logging.getLogger("allo.dispatch")


def create_courier(ctx: ServiceContext, *, principal: Principal, name: str, vehicle: Vehicle) -> Courier:
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    c = Courier(ctx.new_id(), name.strip(), vehicle)
    with ctx.uow() as uow:
        uow.couriers.add(c)
        uow.commit()
    return c


def get_courier(ctx: ServiceContext, *, principal: Principal, courier_id: str) -> Courier:
    principal.require_courier(courier_id)
    with ctx.uow() as uow:
        return uow.couriers.get(courier_id)


def list_couriers(ctx: ServiceContext, *, principal: Principal, status: list[CourierStatus] | None = None,
                  active: bool | None = None) -> list[Courier]:
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    with ctx.uow() as uow:
        return uow.couriers.list(status=status, active=active)


def update_courier(ctx: ServiceContext, *, principal: Principal, courier_id: str, expected_version: int | None,
                   name: str | None = None, vehicle: Vehicle | None = None, active: bool | None = None) -> Courier:
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    with ctx.uow() as uow:
        c = uow.couriers.get(courier_id)
        if expected_version is not None:
            c.version = expected_version
        if name is not None:
            c.name = name.strip()
        if vehicle is not None:
            c.vehicle = vehicle
        if active is not None:
            c.active = active
        c.__post_init__()
        uow.couriers.save(c)
        uow.commit()
    return c


def deactivate_courier(ctx: ServiceContext, *, principal: Principal, courier_id: str) -> Courier:
    """Couriers are never deleted (their deliveries stay auditable); they are deactivated."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    with ctx.uow() as uow:
        c = uow.couriers.get(courier_id)
        if c.on_shift:
            c.end_shift(ctx.clock.now())
        c.active = False
        uow.couriers.save(c)
        uow.commit()
    return c


def _change_own(ctx: ServiceContext, principal: Principal, courier_id: str,
                change: Callable[[Courier, datetime], None]) -> Courier:
    """A courier (or staff for them) changes the courier's own state, in one unit of work."""
    principal.require_courier(courier_id)
    with ctx.uow() as uow:
        c = uow.couriers.get(courier_id)
        change(c, ctx.clock.now())
        uow.couriers.save(c)
        uow.commit()
    return c


def start_shift(ctx: ServiceContext, *, principal: Principal, courier_id: str,
                until: datetime | None = None) -> Courier:
    """On shift now; `until` is when the courier plans to stop (no end if None)."""
    return _change_own(ctx, principal, courier_id, lambda c, now: c.start_shift(now, until))


def plan_shift_end(ctx: ServiceContext, *, principal: Principal, courier_id: str, until: datetime | None) -> Courier:
    """Stay longer, leave sooner, or drop the planned end (None), during the shift."""
    return _change_own(ctx, principal, courier_id, lambda c, now: c.plan_shift_end(until, now))


def book_shift(ctx: ServiceContext, *, principal: Principal, courier_id: str, starts_at: datetime,
               ends_at: datetime, start_place: LatLon | None = None) -> Courier:
    """Book the courier's next shift (replacing an earlier booking): the dispatcher counts on the
    courier from then, at `start_place` (or where the courier last was)."""
    booking = ShiftBooking(starts_at, ends_at, start_place)
    return _change_own(ctx, principal, courier_id, lambda c, now: c.book_shift(booking, now))


def cancel_booking(ctx: ServiceContext, *, principal: Principal, courier_id: str) -> Courier:
    return _change_own(ctx, principal, courier_id, lambda c, now: c.cancel_booking(now))


PLANNED_END = "planned_end"  # why a shift ended when the courier did not end it


def end_shifts_due(ctx: ServiceContext) -> list[Courier]:
    """End the shift of every free courier past its planned end (a busy one finishes its job first and
    is ended at the next call after it). Idempotent: the dispatcher calls it every tick. A courier
    changed meanwhile (a position report between the read and the write) is left for the next call;
    the others are ended all the same."""
    now = ctx.clock.now()
    ended = []
    with ctx.uow() as uow:
        for c in uow.couriers.list(status=[CourierStatus.AVAILABLE], active=True):
            if not c.shift_is_over(now):
                continue
            try:
                with uow.undoable():
                    c.end_shift(now, reason=PLANNED_END)
                    uow.couriers.save(c)
            except Conflict:
                log.info("courier %s changed while its shift was being ended: next tick", c.id)
                continue
            ended.append(c)
        uow.commit()
    return ended


def end_shift(ctx: ServiceContext, *, principal: Principal, courier_id: str) -> Courier:
    return _change_own(ctx, principal, courier_id, Courier.end_shift)


def update_position(ctx: ServiceContext, *, principal: Principal, courier_id: str, where: LatLon) -> Courier:
    return _change_own(ctx, principal, courier_id, lambda c, now: c.update_position(where, now))
