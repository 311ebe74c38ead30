"""A kitchen late against its own estimates: the dispatcher learns by how much and plans for it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from allo.bootstrap import Application
from allo.domain.clock import FixedClock
from allo.services import orders
from allo.services.dispatching import kitchen_lateness
from allo.services.principal import SYSTEM
from tests.support.api import World
from tests.support.dispatching import NEAR_SHOP, dispatcher, on_shift

T = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
M = timedelta(minutes=1)


def test_the_lateness_is_each_kitchens_median_once_it_has_three_orders_clipped_to_its_range() -> None:
    rows = [("late", T, T + 8 * M), ("late", T, T + 10 * M), ("late", T, T + 90 * M),
            ("early", T, T - 4 * M), ("early", T, T - 6 * M), ("early", T, T - 60 * M),
            ("new", T, T + 20 * M), ("new", T, T + 20 * M)]
    assert kitchen_lateness(rows) == {"late": 10 * M, "early": -6 * M}  # "new": two orders are not enough
    assert kitchen_lateness([("slow", T, T + 50 * M)] * 3) == {"slow": 30 * M}  # clipped
    assert kitchen_lateness([("rushed", T, T - 50 * M)] * 3) == {"rushed": -15 * M}


def test_a_kitchen_ten_minutes_late_on_its_last_orders_has_its_next_estimate_moved_ten_minutes(
        world: World, application: Application, clock: FixedClock) -> None:
    ctx = application.ctx
    for _ in range(3):  # each announced ready in 15 minutes, ready in 25
        done = world.new_order(ready_in_minutes=15)
        clock.advance(minutes=25)
        orders.order_action(ctx, principal=SYSTEM, order_id=done["id"], action=orders.OrderAction.MARK_READY)
    on_shift(world, world.courier_id, NEAR_SHOP)
    order = world.new_order(ready_in_minutes=20)
    announced = datetime.fromisoformat(order["expected_ready_at"])
    d = dispatcher(application, policy="rolling")
    (seen,) = [o for o in d.snapshot(clock.now())[0].orders if o.id == order["id"]]
    assert d._at(seen.ready_at) == announced + 10 * M
    d.learn_lateness = False
    d._lateness = None
    (seen,) = [o for o in d.snapshot(clock.now())[0].orders if o.id == order["id"]]
    assert d._at(seen.ready_at) == announced  # taken at its word
