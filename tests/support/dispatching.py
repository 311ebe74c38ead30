"""Couriers on shift at a place, a live dispatcher, the offers made: shared by the live-loop tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from allo.adapters.storage.repositories.couriers import SqlCourierRepository
from allo.adapters.storage.tables import couriers as couriers_table

from allo.bootstrap import Application
from allo.domain.assignment import Assignment, AssignmentStatus
from allo.domain.geo import LatLon
from allo.services import assignments, couriers
from allo.services.dispatching import LiveDispatcher
from allo.services.principal import SYSTEM
from tests.support.api import World

NEAR_SHOP = LatLon(43.7386, 7.4250)
FAR = LatLon(43.7480, 7.4380)


def on_shift(world: World, courier_id: str, where: LatLon, until: datetime | None = None) -> None:
    ctx = world.app.ctx
    couriers.start_shift(ctx, principal=SYSTEM, courier_id=courier_id, until=until)
    couriers.update_position(ctx, principal=SYSTEM, courier_id=courier_id, where=where)


def dispatcher(app: Application, holder: str = "test", policy: str = "greedy") -> LiveDispatcher:
    return LiveDispatcher(app.ctx, holder=holder, policy=policy, interval=timedelta(seconds=5))


def first_offer(world: World, app: Application, *, near_until: datetime | None = None,
                rival: bool = True) -> tuple[LiveDispatcher, Assignment, str]:
    """Lucas on shift next to the shop (until `near_until`, if given) and Inès across town (if
    `rival`), a new order, one tick of the dispatcher: the one offer it makes. The dispatcher, the
    offer and the order's id."""
    on_shift(world, world.courier_id, NEAR_SHOP, until=near_until)
    if rival:
        on_shift(world, world.other_courier_id, FAR)
    order = world.new_order()
    d = dispatcher(app)
    assert d.tick() == 1
    (job,) = offers(app)
    assert job.order_ids == [order["id"]]
    return d, job, order["id"]


def offered_near_the_shop(world: World, app: Application, *, rival: bool = True,
                          accept: bool = False) -> tuple[LiveDispatcher, Assignment, str]:
    """`first_offer`: the order is offered to Lucas, next to the shop (accepted, if `accept`)."""
    d, job, order_id = first_offer(world, app, rival=rival)
    assert job.courier_id == world.courier_id
    if accept:
        assignments.accept(app.ctx, principal=SYSTEM, assignment_id=job.id)
    return d, job, order_id


def offers(app: Application, status: AssignmentStatus = AssignmentStatus.OFFERED) -> list[Assignment]:
    with app.ctx.uow() as uow:
        return uow.assignments.list(status=[status])


def courier_changes_after_read(monkeypatch: pytest.MonkeyPatch, method: str, courier_id: str,
                               when: Callable[[dict[str, Any]], bool] = lambda kw: True) -> None:
    """Make courier `courier_id` change (its version moves on, as a concurrent position report would
    make it) right after `SqlCourierRepository.<method>` has read it, when `when(kwargs)` holds."""
    real = getattr(SqlCourierRepository, method)

    def read_then_change(self: SqlCourierRepository, *args: Any, **kw: Any) -> Any:
        found = real(self, *args, **kw)
        if when(kw) and (method != "get" or args[0] == courier_id):
            self.conn.execute(update(couriers_table).where(couriers_table.c.id == courier_id)
                              .values(version=couriers_table.c.version + 1))
        return found

    monkeypatch.setattr(SqlCourierRepository, method, read_then_change)
