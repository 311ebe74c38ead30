"""A courier who cannot do a job after accepting it (a flat tyre) gives it back before the pickup:
the orders go to another courier at once; the console's timeline says who did what, and when."""

from __future__ import annotations

from datetime import timedelta

import pytest

from allo.bootstrap import Application
from allo.domain.assignment import AssignmentStatus
from allo.domain.clock import FixedClock
from allo.domain.courier import CourierStatus
from allo.domain.errors import InvalidTransition
from allo.services import assignments, console_detail
from allo.services.principal import SYSTEM
from tests.support.api import World
from tests.support.dispatching import offered_near_the_shop, offers


def test_a_job_given_back_goes_to_another_courier_and_the_courier_stays_on_shift(
        world: World, application: Application, clock: FixedClock) -> None:
    d, job, order_id = offered_near_the_shop(world, application)
    r = world.call("courier", "POST", f"/api/assignments/{job.id}/accept")
    assert r.status_code == 200, r.text
    clock.advance(minutes=4)
    r = world.call("courier", "POST", f"/api/assignments/{job.id}/decline", json={"reason": "flat tyre"})
    assert r.status_code == 200 and r.json()["status"] == "declined", r.text
    assert world.call("admin", "GET", f"/api/orders/{order_id}").json()["status"] == "confirmed"
    got = world.call("admin", "GET", f"/api/couriers/{world.courier_id}").json()
    assert got["status"] == CourierStatus.AVAILABLE.value
    assert d.tick() == 1
    (again,) = offers(application)  # to Inès, though Lucas is nearer: he gave it back
    assert again.courier_id == world.other_courier_id and again.order_ids == [order_id]
    detail = console_detail.order_detail(application.ctx, principal=SYSTEM, order_id=order_id)
    steps = [(e.at - job.offered_at, e.what, e.detail) for e in detail.timeline if "Lucas" in e.what]
    assert steps == [(timedelta(0), "proposée à Lucas (automatique)", None),
                     (timedelta(0), "course acceptée (Lucas)", None),
                     (timedelta(minutes=4), "course rendue (Lucas)", "flat tyre")]


def test_a_job_picked_up_cannot_be_given_back(world: World, application: Application) -> None:
    _, job, order_id = offered_near_the_shop(world, application, rival=False, accept=True)
    assignments.picked_up(application.ctx, principal=SYSTEM, assignment_id=job.id)
    with pytest.raises(InvalidTransition) as refused:
        assignments.decline(application.ctx, principal=SYSTEM, assignment_id=job.id, reason="tired")
    assert refused.value.code == "already_picked_up"
    with application.ctx.uow() as uow:
        assert uow.assignments.get(job.id).status is AssignmentStatus.ACCEPTED
        assert uow.orders.get(order_id).status.value == "picked_up"


def test_the_timeline_shows_a_silent_courier_taken_back_when_it_happened_and_why(
        world: World, application: Application, clock: FixedClock) -> None:
    _, job, order_id = offered_near_the_shop(world, application, rival=False, accept=True)
    assert job.planned_pickup_at is not None
    clock.set(job.planned_pickup_at + assignments.PICKUP_OVERDUE)
    assert [a.id for a in assignments.take_back_silent_jobs(application.ctx)] == [job.id]
    detail = console_detail.order_detail(application.ctx, principal=SYSTEM, order_id=order_id)
    (taken,) = [e for e in detail.timeline if e.what.startswith("course retirée")]
    assert taken.at == clock.now() and taken.detail == assignments.SILENT_JOB_REASON  # not the acceptance's time
