"""A bundle's drop-off sequence keeps its orders within the 90-minute maximum when one can."""

from dataclasses import replace

from allo.dispatch.model import DispatchContext, Snapshot
from allo.dispatch.rolling import RollingHorizonPolicy, RollingParams
from allo.dispatch.routing import build_route

from tests.unit.dispatch.dispatch_builders import SPEED, courier, order

# Both ready at 80 at one merchant. The pre-order "far" (placed at 3, customer 5 minutes east) must
# arrive by 93. Dropping "near" (customer 3 minutes north) first is the shorter total (24 minutes
# against 28), but then "far" arrives at 97; dropped first, it arrives at 89.
FAR = order("far", merchant="m1", at=(0, 0), to=(1600, 0), placed=3, ready=80)
NEAR = order("near", merchant="m1", at=(0, 0), to=(0, 960), placed=75, ready=80)


def test_the_order_that_would_pass_the_maximum_is_dropped_first(context: DispatchContext) -> None:
    minding = build_route((NEAR, FAR), context.travel, SPEED, context.rules)
    shortest = build_route((NEAR, FAR), context.travel, SPEED, context.rules, mind_the_maximum=False)
    assert [o.id for o in minding.orders] == ["far", "near"]
    assert minding.ready_at + minding.drop_offsets[0] == 89
    assert [o.id for o in shortest.orders] == ["near", "far"]
    assert shortest.ready_at + shortest.drop_offsets[1] == 97


def test_when_no_order_is_at_stake_the_shortest_sequence_stays(context: DispatchContext) -> None:
    placed_later = order("far", merchant="m1", at=(0, 0), to=(1600, 0), placed=10, ready=80)  # may arrive by 100
    route = build_route((NEAR, placed_later), context.travel, SPEED, context.rules)
    assert [o.id for o in route.orders] == ["near", "far"]


def test_the_policy_delivers_the_pre_order_within_the_maximum(context: DispatchContext) -> None:
    """One courier at the merchant with a long shift (a calm epoch at a scarce ratio of 0.6 without the
    small-pool ratio and the lone-courier rule; by default two orders for one courier count as
    scarce, planned by routes): both orders ride together, and "far" arrives at 89 (at 97, four
    minutes past its maximum, with the shortest sequence)."""

    def far_dropoff(params: RollingParams) -> float:
        policy = RollingHorizonPolicy(params)
        for now in range(75, 81):
            for a in policy.decide(Snapshot(float(now), (FAR, NEAR), (courier("c1", at=(0, 0)),)), context):
                assert set(a.order_ids) == {"far", "near"}
                return a.dropoff_at[a.order_ids.index("far")]
        raise AssertionError("never committed")

    calm = RollingParams(scarce_ratio=0.6, small_fleet_couriers=0, lone_pool_couriers=0)
    assert far_dropoff(calm) == 89
    assert far_dropoff(replace(calm, sequence_for_maximum=False)) == 97
    assert far_dropoff(RollingParams()) == 89  # the routes of a scarce epoch keep it within 90 as well
