"""The kitchen's estimate for one order: through the API, and the dispatcher plans its pickup for then."""

from __future__ import annotations

from datetime import datetime, timedelta

from allo.bootstrap import Application
from allo.domain.clock import FixedClock
from tests.support.api import World
from tests.support.dispatching import NEAR_SHOP, dispatcher, offers, on_shift


def test_a_shop_confirms_with_an_estimate_and_says_again_when_it_runs_late(world: World, clock: FixedClock) -> None:
    order = world.new_order(confirm=False)
    r = world.call("merchant", "POST", f"/api/orders/{order['id']}/actions",
                   json={"action": "confirm", "ready_in_minutes": 25})
    assert r.status_code == 200, r.text
    assert datetime.fromisoformat(r.json()["expected_ready_at"]) == clock.now() + timedelta(minutes=25)
    clock.advance(minutes=20)
    r = world.call("merchant", "PUT", f"/api/orders/{order['id']}/ready-estimate", json={"ready_in_minutes": 15})
    assert r.status_code == 200, r.text
    assert datetime.fromisoformat(r.json()["expected_ready_at"]) == clock.now() + timedelta(minutes=15)
    r = world.call("merchant", "POST", f"/api/orders/{order['id']}/actions", json={"action": "mark_ready"})
    assert r.json()["ready_at"] is not None and r.json()["expected_ready_at"] is None  # ready: no estimate left


def test_a_bad_estimate_is_a_clear_error_and_changes_nothing(world: World) -> None:
    order = world.new_order(ready_in_minutes=20)
    for body in ({"ready_in_minutes": -5}, {"ready_in_minutes": 600}, {}):
        r = world.call("merchant", "PUT", f"/api/orders/{order['id']}/ready-estimate", json=body)
        assert r.status_code == 422 and r.json()["code"] == "invalid_request", r.text
    r = world.call("merchant", "POST", f"/api/orders/{order['id']}/actions",
                   json={"action": "mark_ready", "ready_in_minutes": 5})
    assert r.status_code == 422 and r.json()["code"] == "invalid_ready_estimate"
    r = world.call("merchant", "POST", f"/api/orders/{order['id']}/cancel", json={"reason": "out of dough"})
    r = world.call("merchant", "PUT", f"/api/orders/{order['id']}/ready-estimate", json={"ready_in_minutes": 5})
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    after = world.call("merchant", "GET", f"/api/orders/{order['id']}").json()
    assert after["status"] == "cancelled" and after["expected_ready_at"] == order["expected_ready_at"]


def _first_offer_minute(application: Application, world: World, clock: FixedClock, limit: int) -> int | None:
    d = dispatcher(application, policy="rolling")
    for minute in range(limit):
        world.call("courier", "PUT", f"/api/couriers/{world.courier_id}/position",
                   json={"lat": NEAR_SHOP.lat, "lon": NEAR_SHOP.lon})
        if d.tick():
            return minute
        clock.advance(minutes=1)
    return None


def test_the_courier_is_sent_for_when_the_kitchen_said_not_the_shops_usual_time(
        world: World, application: Application, clock: FixedClock) -> None:
    # the shop usually needs 10 minutes; this order, 45: the courier next door is not sent for 40 minutes
    on_shift(world, world.courier_id, NEAR_SHOP)
    order = world.new_order(ready_in_minutes=45)
    sent = _first_offer_minute(application, world, clock, limit=60)
    assert sent is not None and 35 <= sent <= 45, sent
    (offer,) = offers(application)
    assert offer.order_ids == [order["id"]]
    assert offer.planned_pickup_at >= datetime.fromisoformat(order["expected_ready_at"])


def test_without_an_estimate_the_shops_usual_time_still_applies(
        world: World, application: Application, clock: FixedClock) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP)
    world.new_order()
    sent = _first_offer_minute(application, world, clock, limit=60)
    assert sent is not None and sent <= 10, sent
