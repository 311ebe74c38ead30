"""Courier use cases: roster, shifts, positions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from allo.domain.courier import Courier, CourierStatus, Vehicle
from allo.domain.geo import LatLon
from allo.domain.user import Role
from allo.services.context import ServiceContext
from allo.services.principal import Principal


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


def start_shift(ctx: ServiceContext, *, principal: Principal, courier_id: str) -> Courier:
    return _change_own(ctx, principal, courier_id, Courier.start_shift)


def end_shift(ctx: ServiceContext, *, principal: Principal, courier_id: str) -> Courier:
    return _change_own(ctx, principal, courier_id, Courier.end_shift)


def update_position(ctx: ServiceContext, *, principal: Principal, courier_id: str, where: LatLon) -> Courier:
    return _change_own(ctx, principal, courier_id, lambda c, now: c.update_position(where, now))
