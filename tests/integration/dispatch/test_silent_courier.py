"""A courier who accepts a job and then goes silent before the pickup: the job is taken back and the
order dispatched again; a courier late but still reporting, waiting at the shop or carrying the
food keeps it. And offers missed before a restart do not count against the new shift."""

from __future__ import annotations

from datetime import timedelta

import pytest

from allo.bootstrap import Application
from allo.domain.assignment import Assignment, AssignmentStatus
from allo.domain.clock import FixedClock
from allo.domain.courier import CourierStatus
from allo.domain.user import Role
from allo.services import assignments, courier_app, couriers
from allo.services.dispatching import LiveDispatcher
from allo.services.principal import SYSTEM, Principal
from tests.support.api import World
from tests.support.dispatching import (FAR, NEAR_SHOP, courier_changes_after_read, offered_near_the_shop, offers,
                                      on_shift)


def accepted_by_the_courier_near_the_shop(world: World, application: Application) -> tuple[LiveDispatcher, Assignment, str]:
    """Lucas next to the shop, Inès across town; the dispatcher offers the new order to Lucas, who accepts."""
    d, job, order_id = offered_near_the_shop(world, application, accept=True)
    assert job.planned_pickup_at is not None
    return d, job, order_id


def until_overdue(clock: FixedClock, job: Assignment, minutes_past: float) -> None:
    assert job.planned_pickup_at is not None
    clock.set(job.planned_pickup_at + timedelta(minutes=minutes_past))


def ines_reports(application: Application, world: World) -> None:
    couriers.update_position(application.ctx, principal=SYSTEM, courier_id=world.other_courier_id, where=FAR)


def job_status(application: Application, job: Assignment) -> AssignmentStatus:
    with application.ctx.uow() as uow:
        return uow.assignments.get(job.id).status


def courier_status(application: Application, courier_id: str) -> CourierStatus:
    with application.ctx.uow() as uow:
        return uow.couriers.get(courier_id).status


def test_a_job_whose_courier_goes_silent_is_taken_back_and_offered_to_another_courier(
        world: World, application: Application, clock: FixedClock) -> None:
    d, job, order_id = accepted_by_the_courier_near_the_shop(world, application)
    until_overdue(clock, job, 14)  # 14 minutes past the planned pickup, nothing heard since the start
    ines_reports(application, world)
    assert d.tick() == 0
    assert job_status(application, job) is AssignmentStatus.ACCEPTED
    until_overdue(clock, job, 15)
    ines_reports(application, world)
    assert d.tick() == 1
    assert job_status(application, job) is AssignmentStatus.WITHDRAWN
    (again,) = offers(application)
    assert again.courier_id == world.other_courier_id and again.order_ids == [order_id]
    assert courier_status(application, world.courier_id) is CourierStatus.OFF_SHIFT
    me = Principal("u", "rider", Role.COURIER, courier_id=world.courier_id)
    home = courier_app.home(application.ctx, principal=me)
    assert home.job is None and home.ended_because == assignments.SILENT_COURIER
    got = world.call("admin", "GET", f"/api/orders/{order_id}").json()
    assert got["status"] == "assigned" and got["courier_id"] == world.other_courier_id
    with application.ctx.uow() as uow:
        ended = uow.journal.last_event(world.courier_id, "courier.shift_ended")
        assert ended is not None and ended.data == {"reason": assignments.SILENT_COURIER}
        assert uow.assignments.get(job.id).reason == assignments.SILENT_JOB_REASON


def test_a_late_courier_who_still_reports_positions_keeps_the_job(
        world: World, application: Application, clock: FixedClock) -> None:
    d, job, _ = accepted_by_the_courier_near_the_shop(world, application)
    for past in (5, 12, 19, 26):  # stuck in traffic, the phone still sending fixes
        until_overdue(clock, job, past)
        couriers.update_position(application.ctx, principal=SYSTEM, courier_id=world.courier_id, where=FAR)
        ines_reports(application, world)
        assert d.tick() == 0
    assert job_status(application, job) is AssignmentStatus.ACCEPTED
    assert courier_status(application, world.courier_id) is CourierStatus.BUSY


@pytest.mark.parametrize(("step", "order_status"), [
    (assignments.at_shop, "assigned"),  # waiting at the shop, however long the kitchen takes
    (assignments.picked_up, "picked_up"),  # the food is with the courier
])
def test_a_courier_at_the_shop_or_with_the_food_keeps_the_job(
        world: World, application: Application, clock: FixedClock, step, order_status: str) -> None:  # type: ignore[no-untyped-def]
    d, job, order_id = accepted_by_the_courier_near_the_shop(world, application)
    step(application.ctx, principal=SYSTEM, assignment_id=job.id)
    until_overdue(clock, job, 45)
    ines_reports(application, world)
    assert d.tick() == 0
    assert job_status(application, job) is AssignmentStatus.ACCEPTED
    assert world.call("admin", "GET", f"/api/orders/{order_id}").json()["status"] == order_status


def test_a_job_whose_courier_changed_meanwhile_is_taken_back_at_the_next_call(
        world: World, application: Application, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    _, job, order_id = accepted_by_the_courier_near_the_shop(world, application)
    until_overdue(clock, job, 20)
    courier_changes_after_read(monkeypatch, "get", world.courier_id)
    assert assignments.take_back_silent_jobs(application.ctx) == []
    assert job_status(application, job) is AssignmentStatus.ACCEPTED
    assert world.call("admin", "GET", f"/api/orders/{order_id}").json()["status"] == "assigned"
    with application.ctx.uow() as uow:  # nothing half done: no shift ended, no order released
        assert uow.journal.last_event(world.courier_id, "courier.shift_ended") is None
    monkeypatch.undo()
    assert [a.id for a in assignments.take_back_silent_jobs(application.ctx)] == [job.id]
    assert world.call("admin", "GET", f"/api/orders/{order_id}").json()["status"] == "confirmed"


def test_offers_missed_before_a_restart_do_not_count_against_the_new_shift(
        world: World, application: Application, clock: FixedClock) -> None:
    ctx = application.ctx

    def miss_one() -> None:
        order = world.new_order()
        assignments.offer(ctx, principal=SYSTEM, courier_id=world.courier_id, order_ids=[order["id"]])
        clock.advance(seconds=ctx.offer_ttl.total_seconds() + 1)
        assignments.expire_offers(ctx)

    on_shift(world, world.courier_id, NEAR_SHOP)
    miss_one()
    miss_one()
    assert courier_status(application, world.courier_id) is CourierStatus.OFF_SHIFT
    on_shift(world, world.courier_id, NEAR_SHOP)  # back at the phone
    miss_one()  # one miss on the new shift: still on it
    assert courier_status(application, world.courier_id) is CourierStatus.AVAILABLE
    miss_one()
    assert courier_status(application, world.courier_id) is CourierStatus.OFF_SHIFT


def test_a_shift_end_for_missed_offers_deferred_by_a_concurrent_change_comes_at_the_next_call(
        world: World, application: Application, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    # The second missed offer should end Lucas's shift, but his record changes at that moment (the
    # save conflicts): his shift ends at the next call, not after a third missed offer.
    from allo.adapters.storage.repositories.couriers import SqlCourierRepository
    from allo.domain.errors import Conflict

    ctx = application.ctx
    real_save = SqlCourierRepository.save
    clashes = []

    def save_clashing_once(self: SqlCourierRepository, c) -> None:  # type: ignore[no-untyped-def]
        if c.status is CourierStatus.OFF_SHIFT and not clashes:
            clashes.append(c.id)
            raise Conflict("changed meanwhile")
        real_save(self, c)

    on_shift(world, world.courier_id, NEAR_SHOP)
    monkeypatch.setattr(SqlCourierRepository, "save", save_clashing_once)
    for _ in range(2):
        order = world.new_order()
        assignments.offer(ctx, principal=SYSTEM, courier_id=world.courier_id, order_ids=[order["id"]])
        clock.advance(seconds=ctx.offer_ttl.total_seconds() + 1)
        assignments.expire_offers(ctx)
    assert clashes == [world.courier_id]
    assert courier_status(application, world.courier_id) is CourierStatus.AVAILABLE
    clock.advance(seconds=5)
    assert assignments.expire_offers(ctx) == []  # nothing new expires ...
    assert courier_status(application, world.courier_id) is CourierStatus.OFF_SHIFT  # ... the end comes


def test_a_courier_back_after_the_take_back_cannot_pick_up_the_orders(
        world: World, application: Application, clock: FixedClock) -> None:
    _, job, order_id = accepted_by_the_courier_near_the_shop(world, application)
    until_overdue(clock, job, 20)
    assignments.take_back_silent_jobs(application.ctx)
    r = world.call("courier", "POST", f"/api/assignments/{job.id}/picked-up")
    assert r.status_code == 409 and r.json()["code"] == "job_taken_back"
    assert world.call("admin", "GET", f"/api/orders/{order_id}").json()["status"] == "confirmed"


def test_a_pickup_racing_the_take_back_picks_up_nothing_and_says_so(
        world: World, application: Application, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    # The take-back commits the orders between the pickup's read of the job and its read of the
    # orders (possible on PostgreSQL): the pickup must not pass silently, nor touch the orders.
    from allo.adapters.storage.repositories.assignments import SqlAssignmentRepository
    from allo.domain.errors import InvalidTransition

    _, job, order_id = accepted_by_the_courier_near_the_shop(world, application)
    real_get = SqlAssignmentRepository.get
    with application.ctx.uow() as uow:
        as_read = uow.assignments.get(job.id)  # the job as the pickup read it, still accepted
    until_overdue(clock, job, 20)
    assignments.take_back_silent_jobs(application.ctx)
    monkeypatch.setattr(SqlAssignmentRepository, "get",
                        lambda self, assignment_id: as_read if assignment_id == job.id else real_get(self, assignment_id))
    with pytest.raises(InvalidTransition) as refused:
        assignments.picked_up(application.ctx, principal=SYSTEM, assignment_id=job.id)
    assert refused.value.code == "job_taken_back"
    assert world.call("admin", "GET", f"/api/orders/{order_id}").json()["status"] == "confirmed"
