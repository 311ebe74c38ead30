"""A dispatcher keeps an order for manual dispatch (a courier by car, one the customer asked for): the
engine leaves it alone until it is released, and a dispatcher may still assign it by hand."""

from __future__ import annotations

import pytest

from allo.bootstrap import Application
from allo.domain.errors import InvalidTransition, ValidationFailed
from allo.services import assignments, orders
from allo.services.principal import SYSTEM
from tests.support.api import World
from tests.support.dispatching import NEAR_SHOP, dispatcher, offers, on_shift


def test_a_held_order_is_left_to_the_dispatcher_until_released(world: World, application: Application) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP)
    held = world.new_order()
    other = world.new_order()
    r = world.call("dispatcher", "PUT", f"/api/orders/{held['id']}/hold", json={"reason": "six crates: needs a car"})
    assert r.status_code == 200 and r.json()["held_reason"] == "six crates: needs a car", r.text
    d = dispatcher(application)
    assert d.tick() == 1
    assert [o.order_ids for o in offers(application)] == [[other["id"]]]  # the engine took the other one only
    snapshot, _ = d.snapshot(application.ctx.clock.now())
    assert held["id"] not in {o.id for o in snapshot.orders}
    r = world.call("dispatcher", "DELETE", f"/api/orders/{held['id']}/hold")
    assert r.status_code == 200 and r.json()["held_reason"] is None
    snapshot, _ = d.snapshot(application.ctx.clock.now())
    assert held["id"] in {o.id for o in snapshot.orders}  # the engine sees it again
    (job,) = offers(application)
    assignments.decline(application.ctx, principal=SYSTEM, assignment_id=job.id, reason="not that one")
    assert d.tick() == 1
    assert [o.order_ids for o in offers(application)] == [[held["id"]]]


def test_a_held_order_can_be_assigned_by_hand_and_stays_held_if_declined(world: World, application: Application) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP)
    order = world.new_order()
    orders.hold_for_dispatcher(application.ctx, principal=SYSTEM, order_id=order["id"], reason="the customer asked for Lucas")
    job = assignments.offer(application.ctx, principal=SYSTEM, courier_id=world.courier_id, order_ids=[order["id"]])
    assignments.decline(application.ctx, principal=SYSTEM, assignment_id=job.id, reason="not now")
    on_shift(world, world.other_courier_id, NEAR_SHOP)  # free, next door: the engine would send Inès
    assert dispatcher(application).tick() == 0  # back to waiting, still the dispatcher's to place
    assert world.call("admin", "GET", f"/api/orders/{order['id']}").json()["held_reason"] == "the customer asked for Lucas"


def test_a_hold_needs_a_reason_and_an_order_still_to_dispatch(world: World, application: Application) -> None:
    order = world.new_order()
    with pytest.raises(ValidationFailed):
        orders.hold_for_dispatcher(application.ctx, principal=SYSTEM, order_id=order["id"], reason="  ")
    assert world.call("merchant", "PUT", f"/api/orders/{order['id']}/hold", json={"reason": "x"}).status_code == 403
    with pytest.raises(InvalidTransition):
        orders.release_to_dispatch(application.ctx, principal=SYSTEM, order_id=order["id"])  # not held
    orders.order_action(application.ctx, principal=SYSTEM, order_id=order["id"], action=orders.OrderAction.CANCEL,
                        reason="gone")
    r = world.call("dispatcher", "PUT", f"/api/orders/{order['id']}/hold", json={"reason": "too late"})
    assert r.status_code == 409
