"""The demo simulation, in-process on a FixedClock: customers order through the web chat, the live
dispatcher offers, couriers ride real streets and hand over with the PIN; orders end delivered."""

from __future__ import annotations

from datetime import timedelta

from allo.bootstrap import Application
from allo.demo.seed import seed_demo
from allo.domain.assignment import AssignmentStatus
from allo.domain.clock import FixedClock
from allo.domain.order import OrderStatus
from allo.simulation.live.runner import build_demo_world, road_routers
from allo.simulation.live.world import DemoOptions

STEP = timedelta(seconds=10)
S = OrderStatus


def _run(application: Application, clock: FixedClock, *, minutes: int, seed: int) -> list:  # type: ignore[type-arg]
    seed_demo(application.ctx, password="a demo password")
    # speed 6 with a 10 s step: a customer a minute, couriers report every 6 s of demo time
    world = build_demo_world(application, DemoOptions(rate_per_minute=6, speed=6, seed=seed),
                             router_for=road_routers())
    assert application.worker is not None
    for _ in range(int(timedelta(minutes=minutes) / STEP)):
        clock.advance(seconds=STEP.total_seconds())
        application.worker.run_once()
        world.step()
    with application.ctx.uow() as uow:
        return uow.orders.list(limit=500)


def test_orders_placed_through_the_chat_are_dispatched_picked_up_and_delivered(
        application: Application, clock: FixedClock) -> None:
    start = clock.now()
    orders = _run(application, clock, minutes=25, seed=11)
    delivered = [o for o in orders if o.status is S.DELIVERED]
    assert len(orders) >= 10 and len(delivered) >= 3, {o.status.value for o in orders}
    with application.ctx.uow() as uow:
        for o in orders:
            assert o.conversation_id is not None  # every order came from a chat conversation
            conv = uow.messaging.get_conversation(o.conversation_id)
            assert conv is not None and conv.channel == "webchat"
        for o in delivered:
            steps = [t.status for t in o.history]
            assert steps[:2] == [S.DRAFT, S.CONFIRMED] and steps[-2:] == [S.PICKED_UP, S.DELIVERED]
            assert S.ASSIGNED in steps and steps.index(S.ASSIGNED) < steps.index(S.PICKED_UP)
            times = [t.at for t in o.history]
            assert times == sorted(times) and start < times[0] < o.time_of(S.PICKED_UP) < o.time_of(S.DELIVERED)
            assert o.pin and o.pin_failures == 0  # handed over with the customer's PIN, first try
            assert o.expected_ready_at is not None and o.ready_at is not None  # the kitchen said when, then did
            assert abs(o.ready_at - o.expected_ready_at) < timedelta(minutes=1, seconds=10)
            a = [a for a in uow.assignments.list(courier_id=o.courier_id) if o.id in a.order_ids]
            done = (AssignmentStatus.ACCEPTED, AssignmentStatus.COMPLETED)  # accepted: more stops to go
            assert any(x.status in done and not x.manual and x.responded_at for x in a)
            told = [m.text for m in uow.messaging.outbound_for_order(o.id)]
            assert len(told) >= 3  # placed, on its way, delivered
        couriers = uow.couriers.list()
    assert all(c.position is not None and clock.now() - c.position_at < timedelta(minutes=1) for c in couriers)

