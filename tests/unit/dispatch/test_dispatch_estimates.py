"""Delivery-time estimates for waiting orders: the queue ahead counts, and so do busy couriers."""

from __future__ import annotations

from allo.dispatch.estimates import estimate_dropoffs
from allo.dispatch.model import CourierState, OpenOrder, ServiceRules, Snapshot
from allo.dispatch.travel import CeilEuclideanTravel
from allo.domain.geo import Point

RULES = ServiceRules()  # 4 minutes at the shop and at the door: 2 before and 2 after each
TRAVEL = CeilEuclideanTravel()
SHOP = Point(0, 0)


def order(oid: str, placed: float, ready: float, door: Point = Point(1000, 0)) -> OpenOrder:
    return OpenOrder(oid, "shop", SHOP, door, placed_at=placed, ready_at=ready)


def courier(cid: str, where: Point, free_at: float = 0.0, shift_end: float = 600.0) -> CourierState:
    return CourierState(cid, where, free_at=free_at, shift_start=0.0, shift_end=shift_end, speed_m_per_min=100.0)


def test_an_order_with_a_courier_at_the_shop_arrives_at_its_lower_bound() -> None:
    est = estimate_dropoffs(Snapshot(0.0, (order("o1", 0, 10),), (courier("c1", SHOP),)), TRAVEL, RULES)
    assert est == {"o1": 10 + 2 + 10 + 2}  # ready, pickup service, 1 km at 100 m/min, drop-off service


def test_the_second_order_waits_for_the_only_courier_to_come_back() -> None:
    orders = (order("late", 1, 10), order("first", 0, 10))
    est = estimate_dropoffs(Snapshot(0.0, orders, (courier("c1", SHOP),)), TRAVEL, RULES)
    assert est["first"] == 24
    # free at 26 at the first door, 10 minutes back to the shop, 2 minutes of pickup service...
    assert est["late"] == 26 + 10 + 2 + 2 + 10 + 2


def test_a_busy_courier_finishing_next_to_the_shop_beats_an_idle_one_far_away() -> None:
    near_but_busy = courier("busy", Point(100, 0), free_at=12.0)
    far = courier("far", Point(0, 3000))
    est = estimate_dropoffs(Snapshot(0.0, (order("o1", 0, 5),), (far, near_but_busy)), TRAVEL, RULES)
    assert est["o1"] == 12 + 1 + 2 + 2 + 10 + 2  # free at 12, one minute away; the far one needs 30


def test_no_estimate_when_no_courier_can_pick_up_before_its_shift_ends() -> None:
    snap = Snapshot(0.0, (order("o1", 0, 50), order("o2", 0, 5)), (courier("c1", SHOP, shift_end=30.0),))
    assert estimate_dropoffs(snap, TRAVEL, RULES) == {"o2": 19}
    assert estimate_dropoffs(Snapshot(0.0, (order("o1", 0, 5),), ()), TRAVEL, RULES) == {}
