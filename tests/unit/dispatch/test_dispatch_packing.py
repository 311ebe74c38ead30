import numpy as np

from allo.dispatch.packing import PackingParams, match, select_lines
from allo.dispatch.rolling import RollingHorizonPolicy, RollingParams
from allo.dispatch.routing import BundleRoute

from tests.unit.dispatch.dispatch_builders import order


def _bundles(rows: list[tuple[str, ...]]) -> list[BundleRoute]:
    return [BundleRoute(tuple(order(i) for i in r), 10.0, tuple(0.0 for _ in r), 0.0) for r in rows]


def test_order_prices_pack_overlapping_bundles_better_than_rounds() -> None:
    # Rows: orders a, b, c alone, then bundles {a, b} and {b, c}; columns: couriers 0 and 1.
    bundles = _bundles([("a",), ("b",), ("c",), ("a", "b"), ("b", "c")])
    cost = np.array([[-26.0, -20.0], [-34.0, -22.0], [-31.0, -28.0], [-22.0, -34.0], [-43.0, -56.0]])
    # The matching alone takes {b, c} on courier 1 and b again on courier 0 (b's reward counted twice).
    # Rounds keep b alone (cheaper per order), then c on courier 1: -62. The best packing is
    # {b, c} on courier 1 and a on courier 0: -82, which the order prices find.
    rounds = select_lines(bundles, cost, PackingParams(iterations=0))
    packed = select_lines(bundles, cost, PackingParams())
    assert sorted(rounds) == [(1, 0), (2, 1)]
    assert sorted(packed) == [(0, 0), (4, 1)]
    for plan in (rounds, packed):
        ids = [o.id for r, _ in plan for o in bundles[r].orders]
        assert len(ids) == len(set(ids))


def test_a_line_that_costs_nothing_or_more_is_left_for_later() -> None:
    bundles = _bundles([("a",), ("b",)])
    cost = np.array([[-5.0, 3.0], [0.0, 2.0]])  # b is not worth covering now on either courier
    assert select_lines(bundles, cost, PackingParams()) == [(0, 0)]
    assert match(cost, [1], [0, 1]) == []


def test_the_rolling_policy_packs_with_its_own_settings() -> None:
    policy = RollingHorizonPolicy(RollingParams(packing_iterations=3, packing_step=5.0, packing_decay=0.5, max_rounds=2))
    assert policy.packing == PackingParams(iterations=3, step=5.0, decay=0.5, max_rounds=2)
    assert RollingHorizonPolicy().packing == PackingParams()  # production settings are the module's defaults
