"""The hindsight search (`benchmarks/mdrp/hindsight.py`) on a hand-made day: a courier's two jobs."""

from __future__ import annotations

import random

from allo.dispatch.model import DispatchContext
from allo.dispatch.route_search import RouteSearchParams, plan_routes
from allo.dispatch.travel import CeilEuclideanTravel
from allo.domain.geo import Point
from allo.simulation.checker import check_solution
from allo.simulation.instance import Courier, Instance, InstanceParameters, Order, Restaurant
from allo.simulation.simulator import rules_of
from allo.simulation.solution import Solution

from tests.unit.simulation.sim_builders import benchmark_script


def _day() -> Instance:
    """One courier at merchant A until 35. "here" (at A, ready 0) goes 10 minutes west; "there" (at B,
    10 minutes east) is placed at 2 and ready at 12. Only "there" first delivers both: pickups at 14
    (leaving at 2, when it is placed) and 34 (back at A from "there"'s customer at 32)."""
    restaurants = {"A": Restaurant("A", Point(0, 0)), "B": Restaurant("B", Point(3200, 0))}
    orders = {
        "here": Order("here", Point(-3200, 0), 0, "A", 0),
        "there": Order("there", Point(3200, 320), 2, "B", 12),
    }
    return Instance("two-jobs", restaurants, orders, {"c1": Courier("c1", Point(0, 0), 0, 35)}, InstanceParameters())


def test_knowing_the_day_the_courier_waits_for_the_later_order_and_the_solution_passes_the_checker() -> None:
    hindsight, inst = benchmark_script("hindsight"), _day()
    orders, couriers = hindsight.whole_day(inst)
    context = DispatchContext(CeilEuclideanTravel(), rules_of(inst))
    first_come = hindsight.from_solution(Solution())  # nothing planned: the search starts from scratch
    routes = plan_routes(orders, couriers, 0.0, context, RouteSearchParams(iterations=10), random.Random(0), first_come)
    assert routes.by_courier() == {"c1": [("there",), ("here",)]}
    sol = hindsight.to_solution(inst, routes.by_courier())
    assert check_solution(inst, sol) == []
    # the courier leaves only once "there" is placed (no prepositioning), and picks up at the door
    assert [(a.assigned_at, a.pickup_at, a.order_ids) for a in sol.assignments] == [(2, 14, ("there",)), (21, 34, ("here",))]


def test_keeping_an_earlier_choice_the_search_plans_only_the_rest_and_the_loss_stays() -> None:
    """The online run sent the courier with "here" at 0; kept from minute 1 on, "there" can no longer
    be picked up before the courier's off-time at 35 (back from "here"'s customer at 18, 20 minutes
    from B). Kept before 0 (nothing kept), the search finds both again."""
    hindsight, inst = benchmark_script("hindsight"), _day()
    online = hindsight.to_solution(inst, {"c1": [("here",)]})
    context = DispatchContext(CeilEuclideanTravel(), rules_of(inst))
    for t, plan in ((1.0, {}), (0.0, {"c1": [("there",), ("here",)]})):
        start = hindsight.after(inst, online, t)
        routes = plan_routes(start.orders, start.couriers, t, context, RouteSearchParams(iterations=10),
                             random.Random(0), hindsight.from_solution(online, since=t))
        assert routes.by_courier() == plan
        sol = hindsight.to_solution(inst, routes.by_courier(), start)
        assert [v.code for v in check_solution(inst, sol)] == (["undelivered"] if t else [])
        assert {r.order_id for r in sol.orders} == ({"here"} if t else {"here", "there"})
