"""The arrival time a customer sees moves when the pickup runs late: a kitchen later than it said
when the job was planned, a courier still far from the shop past the planned pickup."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from allo.bootstrap import Application
from allo.domain.assignment import Assignment
from allo.domain.clock import FixedClock
from allo.domain.order import OrderStatus
from allo.services import assignments, console, couriers, tracking
from allo.services.principal import SYSTEM
from tests.support.api import World
from tests.support.dispatching import FAR, NEAR_SHOP, dispatcher, offered_near_the_shop
from tests.support.pages import Pages


def accepted_plan(world: World, application: Application) -> tuple[Assignment, str]:
    _, job, order_id = offered_near_the_shop(world, application, rival=False, accept=True)
    assert job.planned_pickup_at is not None and order_id in job.planned_dropoff_at
    return job, order_id


def eta(application: Application, order_id: str) -> datetime | None:
    with application.ctx.uow() as uow:
        token = str(uow.orders.get(order_id).tracking_token)
    return tracking.track(application.ctx, token=token).eta


def test_the_planned_arrival_is_shown_while_the_job_runs_on_time(
        world: World, application: Application, clock: FixedClock) -> None:
    job, order_id = accepted_plan(world, application)
    assert eta(application, order_id) == job.planned_dropoff_at[order_id]
    clock.set(job.planned_pickup_at - timedelta(minutes=1))  # type: ignore[operator]
    couriers.update_position(application.ctx, principal=SYSTEM, courier_id=world.courier_id, where=NEAR_SHOP)
    assert eta(application, order_id) == job.planned_dropoff_at[order_id]


def test_a_kitchen_running_late_after_the_plan_moves_the_arrival_by_as_much(
        world: World, application: Application, clock: FixedClock) -> None:
    job, order_id = accepted_plan(world, application)
    r = world.call("merchant", "PUT", f"/api/orders/{order_id}/ready-estimate", json={"ready_in_minutes": 40})
    assert r.status_code == 200, r.text
    slip = clock.now() + timedelta(minutes=40) - job.planned_pickup_at  # type: ignore[operator]
    assert slip > timedelta(minutes=20)
    assert eta(application, order_id) == job.planned_dropoff_at[order_id] + slip
    # the dispatcher sees it too: the board's card and the order's page, after the promise
    later = (job.planned_dropoff_at[order_id] + slip).astimezone(application.ctx.city_zone)
    card = next(c for c in console.board(application.ctx, principal=SYSTEM).columns[OrderStatus.ASSIGNED]
                if c.id == order_id)
    assert card.planned_dropoff_at == job.planned_dropoff_at[order_id] + slip and card.at_risk
    page = Pages(world).as_("dispatcher").get(f"/console/orders/{order_id}").text
    assert f'<dd id="arrival">{later:%H:%M}' in page and "le retrait prend du retard" in page
    assert "après la promesse" in page


def test_a_courier_still_far_from_the_shop_past_the_planned_pickup_moves_the_arrival(
        world: World, application: Application, clock: FixedClock) -> None:
    job, order_id = accepted_plan(world, application)
    clock.set(job.planned_pickup_at + timedelta(minutes=3))  # type: ignore[operator]
    couriers.update_position(application.ctx, principal=SYSTEM, courier_id=world.courier_id, where=FAR)
    with application.ctx.uow() as uow:
        shop, speed = uow.merchants.get(job.merchant_id).pickup, uow.couriers.get(world.courier_id).profile.speed_m_per_min
    ride = timedelta(minutes=application.ctx.rides.minutes(FAR, shop, speed))
    shown = eta(application, order_id)
    assert shown == job.planned_dropoff_at[order_id] + (clock.now() + ride - job.planned_pickup_at)  # type: ignore[operator]
    assert shown - clock.now() > ride  # type: ignore[operator]
    clock.advance(minutes=2)  # no news since: two minutes of that ride are done, the arrival holds
    assert eta(application, order_id) == shown
    assignments.at_shop(application.ctx, principal=SYSTEM, assignment_id=job.id)  # there after all
    assert eta(application, order_id) == job.planned_dropoff_at[order_id] + timedelta(minutes=5)  # picks up now


def test_the_dispatcher_counts_on_a_busy_courier_later_when_its_pickup_runs_late(
        world: World, application: Application, clock: FixedClock) -> None:
    job, order_id = accepted_plan(world, application)
    d = dispatcher(application)

    def free_at() -> float:
        snapshot, _ = d.snapshot(clock.now())
        return next(c.free_at for c in snapshot.couriers if c.id == world.courier_id)

    on_plan = free_at()
    r = world.call("merchant", "PUT", f"/api/orders/{order_id}/ready-estimate", json={"ready_in_minutes": 40})
    assert r.status_code == 200, r.text
    slip = clock.now() + timedelta(minutes=40) - job.planned_pickup_at  # type: ignore[operator]
    assert free_at() - on_plan == pytest.approx(slip.total_seconds() / 60)


def test_food_picked_up_late_arrives_as_much_later_with_no_position_to_say_so(
        world: World, application: Application, clock: FixedClock) -> None:
    job, order_id = accepted_plan(world, application)
    d = dispatcher(application)
    clock.set(job.planned_pickup_at + timedelta(minutes=14))  # type: ignore[operator]
    assignments.picked_up(application.ctx, principal=SYSTEM, assignment_id=job.id)
    clock.advance(minutes=1)  # the courier's last position (24 minutes old) is stale: only the late pickup tells
    late = job.planned_dropoff_at[order_id] + timedelta(minutes=14)
    assert eta(application, order_id) == late  # the tracking page and "where is my order?"
    card = next(c for c in console.board(application.ctx, principal=SYSTEM).columns[OrderStatus.PICKED_UP]
                if c.id == order_id)
    assert card.planned_dropoff_at == late
    snapshot, _ = d.snapshot(clock.now())  # and the engine counts on the courier as much later
    (courier,) = [c for c in snapshot.couriers if c.id == world.courier_id]
    assert courier.free_at == pytest.approx(d._minutes(late) + d.rules.dropoff_service / 2)
