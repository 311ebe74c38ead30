"""An order asked for a later time leaves the shop in time for it, not as soon as it is placed."""

from __future__ import annotations

from datetime import timedelta

from allo.bootstrap import Application
from allo.domain.clock import FixedClock
from allo.services import tracking
from tests.support.api import World
from tests.support.dispatching import NEAR_SHOP, dispatcher, offers, on_shift


def test_an_order_for_three_hours_from_now_is_offered_just_in_time_for_it(
        world: World, application: Application, clock: FixedClock) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP)
    wanted = clock.now() + timedelta(hours=3)
    order = world.new_order(requested_for=wanted.isoformat())
    d = dispatcher(application, policy="rolling")
    assert d.tick() == 0 and offers(application) == []  # three hours early: nobody is sent
    with application.ctx.uow() as uow:  # the customer is told the time they asked for
        assert tracking.eta_of(uow, uow.orders.get(order["id"]), clock.now(), application.ctx.rides) == wanted
    sent_at = None
    for _ in range(4 * 60):  # minute by minute for up to four hours, the courier's position kept fresh
        clock.advance(minutes=1)
        world.call("courier", "PUT", f"/api/couriers/{world.courier_id}/position",
                   json={"lat": NEAR_SHOP.lat, "lon": NEAR_SHOP.lon})
        if d.tick():
            sent_at = clock.now()
            break
    assert sent_at is not None and wanted - timedelta(minutes=45) < sent_at < wanted
    (offer,) = offers(application)
    planned = offer.planned_dropoff_at[order["id"]]
    assert abs(planned - wanted) <= timedelta(minutes=3), (planned, wanted)  # at the door at the time asked


def test_pre_orders_for_tomorrow_do_not_crowd_out_an_order_for_now(
        world: World, application: Application, clock: FixedClock) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP)
    for _ in range(3):  # placed first, so the oldest open orders
        world.new_order(requested_for=(clock.now() + timedelta(days=1)).isoformat())
    clock.advance(minutes=1)
    now_order = world.new_order()
    d = dispatcher(application, policy="greedy")
    d.max_open_orders = 3  # the dispatcher reads no more than three open orders a tick
    assert d.tick() == 1
    assert offers(application)[0].order_ids == [now_order["id"]]
