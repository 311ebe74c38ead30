"""A courier who says when the shift ends: no pickup planned after it, off shift once free past it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from allo.bootstrap import Application
from allo.domain.clock import FixedClock
from allo.domain.courier import CourierStatus
from allo.domain.user import Role
from allo.services import assignments, courier_app, couriers
from allo.services.principal import SYSTEM, Principal
from tests.support.api import World
from tests.support.dispatching import (
    FAR, NEAR_SHOP, courier_changes_after_read, dispatcher, first_offer, offers, on_shift,
)


def status_of(application: Application, courier_id: str) -> CourierStatus:
    with application.ctx.uow() as uow:
        return uow.couriers.get(courier_id).status


def test_no_order_is_offered_to_a_courier_whose_shift_ends_before_the_food_is_ready(
        world: World, application: Application, clock: FixedClock) -> None:
    # the shop prepares for 10 minutes: the courier next door stops in 5, the one across town stays
    _, offer, _ = first_offer(world, application, near_until=clock.now() + timedelta(minutes=5))
    assert offer.courier_id == world.other_courier_id
    assert world.call("admin", "GET", f"/api/couriers/{world.courier_id}").json()["shift_ends_at"] is not None


def test_the_same_courier_gets_it_once_the_shift_is_planned_to_last(
        world: World, application: Application, clock: FixedClock) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP, until=clock.now() + timedelta(minutes=5))
    on_shift(world, world.other_courier_id, FAR)
    couriers.plan_shift_end(application.ctx, principal=SYSTEM, courier_id=world.courier_id,
                            until=clock.now() + timedelta(hours=2))
    world.new_order()
    assert dispatcher(application).tick() == 1
    assert offers(application)[0].courier_id == world.courier_id


def test_a_free_courier_past_the_planned_end_goes_off_shift_and_is_told_why(
        world: World, application: Application, clock: FixedClock) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP, until=clock.now() + timedelta(minutes=30))
    d = dispatcher(application)
    d.tick()
    assert status_of(application, world.courier_id) is CourierStatus.AVAILABLE
    clock.advance(minutes=31)
    d.tick()
    assert status_of(application, world.courier_id) is CourierStatus.OFF_SHIFT
    me = Principal("u", "rider", Role.COURIER, courier_id=world.courier_id)
    assert courier_app.home(application.ctx, principal=me).ended_because == couriers.PLANNED_END
    with application.ctx.uow() as uow:
        assert uow.couriers.get(world.courier_id).shift_ends_at is None  # the next shift starts afresh


def test_a_busy_courier_finishes_the_job_then_goes_off_shift_without_a_new_one(
        world: World, application: Application, clock: FixedClock) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP, until=clock.now() + timedelta(minutes=30))
    first = world.new_order()
    d = dispatcher(application)
    d.tick()
    (job,) = offers(application)
    assignments.accept(application.ctx, principal=SYSTEM, assignment_id=job.id)
    clock.advance(minutes=31)  # past the end with the job under way
    couriers.update_position(application.ctx, principal=SYSTEM, courier_id=world.courier_id, where=NEAR_SHOP)
    second = world.new_order()
    assert d.tick() == 0
    assert status_of(application, world.courier_id) is CourierStatus.BUSY  # never taken off mid-job
    assignments.picked_up(application.ctx, principal=SYSTEM, assignment_id=job.id)
    assignments.delivered(application.ctx, principal=SYSTEM, assignment_id=job.id, order_id=first["id"])
    assert d.tick() == 0
    assert status_of(application, world.courier_id) is CourierStatus.OFF_SHIFT
    got = world.call("admin", "GET", f"/api/orders/{second['id']}").json()
    assert got["status"] == "confirmed"  # still waiting for a courier, not lost


def test_a_courier_changed_while_the_shift_is_being_ended_is_left_for_the_next_call_and_the_others_end(
        world: World, application: Application, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    # Both couriers are past their planned end; Lucas reports a position between the read and the
    # write. Inès is ended all the same (before, the Conflict undid both and aborted the tick), Lucas
    # at the next call.
    on_shift(world, world.courier_id, NEAR_SHOP, until=clock.now() + timedelta(minutes=30))
    on_shift(world, world.other_courier_id, NEAR_SHOP, until=clock.now() + timedelta(minutes=30))
    clock.advance(minutes=31)
    courier_changes_after_read(monkeypatch, "list", world.courier_id,
                               when=lambda kw: kw.get("status") == [CourierStatus.AVAILABLE])
    ended = couriers.end_shifts_due(application.ctx)
    assert [c.id for c in ended] == [world.other_courier_id]
    assert status_of(application, world.other_courier_id) is CourierStatus.OFF_SHIFT
    assert status_of(application, world.courier_id) is CourierStatus.AVAILABLE
    with application.ctx.uow() as uow:  # no trace of an ending that did not happen
        assert uow.journal.last_event(world.other_courier_id, "courier.shift_ended") is not None
        assert uow.journal.last_event(world.courier_id, "courier.shift_ended") is None
    monkeypatch.undo()
    assert [c.id for c in couriers.end_shifts_due(application.ctx)] == [world.courier_id]
