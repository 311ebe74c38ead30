"""The last-couriers proof (`benchmarks/mdrp/last_couriers_bound.py`) on hand-made endings of a day."""

from __future__ import annotations

from allo.domain.geo import Point
from allo.simulation.instance import Courier, Instance, InstanceParameters, Order, Restaurant

from tests.unit.simulation.sim_builders import benchmark_script


def _ending(last_off: int, placed_a: int = 100, placed_b: int = 100) -> Instance:
    """Merchants 10 minutes apart; each order's customer is 10 minutes from its merchant and 15 from
    the other one. Order a is ready at 140, b at 145; after 130 one courier is left until `last_off`.
    One courier doing both: pickups at 140 and 173 (a first), or 145 and 178 (b first)."""
    restaurants = {"r1": Restaurant("r1", Point(0, 0)), "r2": Restaurant("r2", Point(3200, 0))}
    orders = {
        "a": Order("a", Point(0, 3200), placed_a, "r1", 140),
        "b": Order("b", Point(3200, 3200), placed_b, "r2", 145),
    }
    couriers = {"early": Courier("early", Point(0, 0), 100, 130), "last": Courier("last", Point(0, 0), 100, last_off)}
    return Instance("ending", restaurants, orders, couriers, InstanceParameters())


def test_one_courier_cannot_carry_two_orders_whose_second_pickup_falls_after_its_shift() -> None:
    bound = benchmark_script("last_couriers_bound")
    assert bound.can_be_clean(_ending(last_off=160), 130) is False
    assert bound.can_be_clean(_ending(last_off=160), 130, within_max=False) is False


def test_two_orders_the_last_courier_can_carry_within_the_maximum_prove_nothing() -> None:
    assert benchmark_script("last_couriers_bound").can_be_clean(_ending(last_off=180), 130) is True


def test_both_deliverable_but_one_past_the_maximum_whatever_the_order() -> None:
    bound = benchmark_script("last_couriers_bound")
    tight = _ending(last_off=180, placed_a=96, placed_b=95)  # the second drop-off at 187 or 192: a is due by 186, b by 185
    assert bound.can_be_clean(tight, 130) is False
    assert bound.can_be_clean(tight, 130, within_max=False) is True
