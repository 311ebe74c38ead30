"""The end-of-shift sequence search: the last courier serves orders one after the other."""

from allo.dispatch.endgame import EndgameCourier, plan_endgame
from allo.dispatch.model import DispatchContext
from allo.dispatch.rolling import RollingHorizonPolicy, RollingParams
from allo.dispatch.routing import build_route, lower_bound_dropoff
from allo.domain.geo import Point

from tests.unit.dispatch.dispatch_builders import A, END, SPEED, served_by_the_last_courier, two_merchants

# the last courier's two orders: see `two_merchants` (only "there" first fits both in the shift)


def test_the_sequence_search_starts_with_the_job_that_leaves_room_for_the_next(context: DispatchContext) -> None:
    orders = two_merchants()
    bundles = [build_route((o,), context.travel, SPEED, context.rules) for o in orders]
    lbs = {o.id: lower_bound_dropoff(o, context.travel, SPEED, context.rules) for o in orders}
    last = EndgameCourier(column=0, position=Point(*A), start=0.0, shift_end=END, speed=SPEED)
    [(row, column)] = plan_endgame([last], bundles, lbs, context.travel, context.rules)
    assert (bundles[row].orders[0].id, column) == ("there", 0)


def test_the_sequence_search_leaves_nothing_when_nobody_can_go(context: DispatchContext) -> None:
    orders = two_merchants()
    bundles = [build_route((o,), context.travel, SPEED, context.rules) for o in orders]
    lbs = {o.id: lower_bound_dropoff(o, context.travel, SPEED, context.rules) for o in orders}
    gone = EndgameCourier(column=0, position=Point(9000.0, 9000.0), start=0.0, shift_end=1.0, speed=SPEED)
    assert plan_endgame([gone], bundles, lbs, context.travel, context.rules) == []


def test_at_the_end_of_the_shifts_the_last_courier_serves_both_orders(context: DispatchContext) -> None:
    """Played epoch by epoch (the one-job matching in scarce epochs too): with the sequence search
    the courier carries both orders before its shift ends; the matching takes the order at hand
    first and leaves the other."""
    search = RollingParams(endgame_minutes=60, scarce_routes=False)
    matching = RollingParams(endgame_minutes=0, scarce_routes=False)
    assert served_by_the_last_courier(RollingHorizonPolicy(search), context) == ["there", "here"]
    assert served_by_the_last_courier(RollingHorizonPolicy(matching), context) == ["here"]
