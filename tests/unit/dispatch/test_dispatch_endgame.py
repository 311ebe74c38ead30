"""The end-of-shift sequence search: the last courier serves orders one after the other."""

from allo.dispatch.endgame import EndgameCourier, plan_endgame
from allo.dispatch.model import DispatchContext, Snapshot
from allo.dispatch.rolling import RollingHorizonPolicy, RollingParams
from allo.dispatch.routing import build_route, lower_bound_dropoff
from allo.domain.geo import Point

from tests.unit.dispatch.dispatch_builders import SPEED, courier, order

# One courier at A, on shift until minute 35. Order "here" is ready at A now and goes 10 minutes
# west, to C; order "there" is ready at B, 10 minutes east, at 12. There first: pickups at 12 and
# 12 + 2 + 1 + 4 + 11 + 2 = 32. Here first (it is ready, and the courier is at its door): pickups at
# 2 and 2 + 2 + 10 + 4 + 20 + 2 = 40, after the shift.
A, B, C = (0.0, 0.0), (3200.0, 0.0), (-3200.0, 0.0)
END = 35.0


def _orders() -> tuple:
    return (
        order("here", merchant="ma", at=A, to=C, ready=0),
        order("there", merchant="mb", at=B, to=(3200.0, 320.0), ready=12),
    )


def test_the_sequence_search_starts_with_the_job_that_leaves_room_for_the_next(context: DispatchContext) -> None:
    orders = _orders()
    bundles = [build_route((o,), context.travel, SPEED, context.rules) for o in orders]
    lbs = {o.id: lower_bound_dropoff(o, context.travel, SPEED, context.rules) for o in orders}
    last = EndgameCourier(column=0, position=Point(*A), start=0.0, shift_end=END, speed=SPEED)
    [(row, column)] = plan_endgame([last], bundles, lbs, context.travel, context.rules)
    assert (bundles[row].orders[0].id, column) == ("there", 0)


def test_the_sequence_search_leaves_nothing_when_nobody_can_go(context: DispatchContext) -> None:
    orders = _orders()
    bundles = [build_route((o,), context.travel, SPEED, context.rules) for o in orders]
    lbs = {o.id: lower_bound_dropoff(o, context.travel, SPEED, context.rules) for o in orders}
    gone = EndgameCourier(column=0, position=Point(9000.0, 9000.0), start=0.0, shift_end=1.0, speed=SPEED)
    assert plan_endgame([gone], bundles, lbs, context.travel, context.rules) == []


def test_at_the_end_of_the_shifts_the_last_courier_serves_both_orders(context: DispatchContext) -> None:
    """Played epoch by epoch: with the sequence search the courier carries both orders before its
    shift ends; the one-job matching takes the order at hand first and leaves the other."""

    def play(params: RollingParams) -> list[str]:
        policy, orders = RollingHorizonPolicy(params), list(_orders())
        c, served = courier("last", at=A, end=END), []
        for now in range(0, int(END) + 1):
            if c.free_at > now:
                continue
            for a in policy.decide(Snapshot(float(now), tuple(orders), (c,)), context):
                served += a.order_ids
                orders = [o for o in orders if o.id not in a.order_ids]
                c = courier("last", at=C if a.order_ids == ("here",) else (3200.0, 320.0), free_at=a.free_at, end=END)
        return served

    assert play(RollingParams(endgame_minutes=60, scarce_routes=False)) == ["there", "here"]
    assert play(RollingParams(endgame_minutes=0, scarce_routes=False)) == ["here"]
