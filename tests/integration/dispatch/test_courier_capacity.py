"""A courier carries no more orders at once than its vehicle allows, whoever makes the offer."""

from __future__ import annotations

import pytest

from allo.bootstrap import Application
from allo.domain.clock import FixedClock
from allo.domain.errors import ValidationFailed
from allo.services import assignments
from allo.services.principal import SYSTEM
from tests.support.api import World
from tests.support.dispatching import NEAR_SHOP, dispatcher, offers, on_shift


def test_a_dispatcher_cannot_give_three_orders_to_a_courier_on_foot(world: World, application: Application) -> None:
    on_shift(world, world.other_courier_id, NEAR_SHOP)  # Inès walks: two orders at once
    ids = [world.new_order()["id"] for _ in range(3)]
    with pytest.raises(ValidationFailed) as err:
        assignments.offer(application.ctx, principal=SYSTEM, courier_id=world.other_courier_id, order_ids=ids)
    assert err.value.code == "over_capacity"
    r = world.call("dispatcher", "POST", "/api/assignments",
                   json={"courier_id": world.other_courier_id, "order_ids": ids})
    assert r.status_code == 422 and r.json()["code"] == "over_capacity"
    statuses = {world.call("admin", "GET", f"/api/orders/{i}").json()["status"] for i in ids}
    assert statuses == {"confirmed"}  # nothing half-assigned
    assert assignments.offer(application.ctx, principal=SYSTEM, courier_id=world.other_courier_id,
                             order_ids=ids[:2]).order_ids == ids[:2]


def test_the_dispatcher_bundles_within_the_couriers_capacity(world: World, application: Application,
                                                             clock: FixedClock) -> None:
    on_shift(world, world.other_courier_id, NEAR_SHOP)  # the only courier, on foot
    for _ in range(3):
        world.new_order()
    d = dispatcher(application, policy="rolling")
    made = []
    for _ in range(12 * 20):  # up to 20 minutes of 5-second ticks
        if d.tick():
            made = offers(application)
            break
        clock.advance(seconds=5)
    assert made and all(len(o.order_ids) <= 2 for o in made)
