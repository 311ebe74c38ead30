"""An order taken while its shop is closed (by the API or the console, which do not refuse it) is not
sent to a courier before the kitchen opens and has had its usual time to cook."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from allo.bootstrap import Application
from allo.domain.clock import FixedClock
from allo.domain.merchant import OpeningHours
from allo.services import merchants, orders, tracking
from allo.services.principal import SYSTEM
from tests.support.api import World
from tests.support.dispatching import NEAR_SHOP, dispatcher, offers, on_shift

MONACO = ZoneInfo("Europe/Monaco")
EVENINGS = OpeningHours({d: ((time(18, 30), time(23, 0)),) for d in ("mon", "tue", "wed", "thu", "fri", "sat")})


def _open_evenings(world: World, application: Application) -> int:
    """The world's pizzeria, open 18:30–23:00 Monday to Saturday; its usual preparation minutes."""
    m = merchants.update_merchant(application.ctx, principal=SYSTEM, merchant_id=world.merchant_id,
                                  opening_hours=EVENINGS)
    return m.prep_minutes


def test_an_order_taken_at_lunch_by_a_shop_open_in_the_evening_leaves_after_the_kitchen_opens(
        world: World, application: Application, clock: FixedClock) -> None:
    prep = _open_evenings(world, application)
    on_shift(world, world.courier_id, NEAR_SHOP)
    order = world.new_order()  # Thursday 1 January, 13:00 in Monaco: closed until 18:30
    opening = clock.now().astimezone(MONACO).replace(hour=18, minute=30)
    d = dispatcher(application, policy="rolling")
    assert d.tick() == 0
    with application.ctx.uow() as uow:  # the customer's tracking page: the shop's time from its opening
        placed = uow.orders.get(order["id"])
        ride = application.ctx.rides.shop_ride_minutes(uow.merchants.get(world.merchant_id), placed.dropoff.location)
        assert tracking.eta_of(uow, placed, clock.now(), application.ctx.rides) == opening + timedelta(minutes=prep + ride)
    sent_at = None
    for _ in range(7 * 60):  # minute by minute until 20:00, the courier's position kept fresh
        if d.tick():
            sent_at = clock.now()
            break
        clock.advance(minutes=1)
        world.call("courier", "PUT", f"/api/couriers/{world.courier_id}/position",
                   json={"lat": NEAR_SHOP.lat, "lon": NEAR_SHOP.lon})
    assert sent_at is not None and opening - timedelta(minutes=30) <= sent_at <= opening + timedelta(minutes=prep)
    (offer,) = offers(application)
    assert offer.order_ids == [order["id"]]
    assert offer.planned_pickup_at is not None and offer.planned_pickup_at >= opening + timedelta(minutes=prep)


def test_a_closed_shop_that_says_when_the_order_is_ready_is_believed(
        world: World, application: Application, clock: FixedClock) -> None:
    _open_evenings(world, application)
    on_shift(world, world.courier_id, NEAR_SHOP)
    order = world.new_order()
    orders.expect_ready(application.ctx, principal=SYSTEM, order_id=order["id"], ready_in_minutes=5)
    assert dispatcher(application).tick() == 1  # cooking out of hours, as it said: a courier goes


def test_an_order_taken_while_the_shop_is_open_leaves_at_once(
        world: World, application: Application, clock: FixedClock) -> None:
    _open_evenings(world, application)
    clock.advance(hours=7)  # 20:00 in Monaco
    on_shift(world, world.courier_id, NEAR_SHOP)
    world.new_order()
    assert dispatcher(application).tick() == 1


def test_the_tracking_page_says_the_order_waits_for_the_shop_to_open(
        world: World, application: Application, clock: FixedClock) -> None:
    _open_evenings(world, application)
    order = world.new_order()  # 13:00: closed until 18:30
    with application.ctx.uow() as uow:
        token = uow.orders.get(order["id"]).tracking_token
    assert world.client.get(f"/track/{token}.json").json()["shop_opens_at"] == "2026-01-01T17:30:00+00:00"
    page = world.client.get(f"/track/{token}").text
    assert "La boutique ouvre à <strong id=\"opens-time\">18:30</strong> : votre commande sera préparée" in page
    english = world.client.get(f"/track/{token}", headers={"Accept-Language": "en"}).text
    assert "The shop opens at <strong id=\"opens-time\">18:30</strong>: your order will be prepared" in english
    clock.advance(hours=6)  # 19:00: open, the kitchen at work
    assert world.client.get(f"/track/{token}.json").json()["shop_opens_at"] is None
    assert 'id="opens" hidden' in world.client.get(f"/track/{token}").text


def test_an_order_taken_just_before_closing_is_not_said_to_wait_for_tomorrow(
        world: World, application: Application, clock: FixedClock) -> None:
    _open_evenings(world, application)
    clock.advance(hours=9, minutes=55)  # 22:55 in Monaco: open for five more minutes
    order = world.new_order()
    with application.ctx.uow() as uow:
        token = uow.orders.get(order["id"]).tracking_token
    clock.advance(minutes=10)  # 23:05: closed, the kitchen finishing what it took
    assert world.client.get(f"/track/{token}.json").json()["shop_opens_at"] is None


def test_a_closed_shops_orders_do_not_crowd_out_an_open_shops_order(
        world: World, application: Application, clock: FixedClock) -> None:
    _open_evenings(world, application)  # the pizzeria: closed until 18:30
    on_shift(world, world.courier_id, NEAR_SHOP)
    for _ in range(7):  # taken first, so the oldest open orders
        world.new_order()
    clock.advance(minutes=1)
    open_shops = world.new_order(merchant_id=world.other_merchant_id)
    d = dispatcher(application, policy="greedy")
    d.max_open_orders = 3  # a tick sees three orders at most: the walk goes past the seven waiting
    assert d.tick() == 1
    assert offers(application)[0].order_ids == [open_shops["id"]]
