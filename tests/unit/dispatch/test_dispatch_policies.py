from dataclasses import replace

import pytest

from allo.dispatch.engine import DispatchEngine, InvalidAssignment
from allo.dispatch.model import Assignment, DispatchContext, Snapshot
from allo.dispatch.policy import make_policy, policy_names
from allo.dispatch.rolling import RollingHorizonPolicy, RollingParams
from allo.dispatch.travel import CeilEuclideanTravel

from tests.unit.dispatch.dispatch_builders import courier, order


def test_registry_knows_the_baseline_and_the_production_policy() -> None:
    assert {"greedy", "greedy-jit", "rolling"} <= set(policy_names())
    assert make_policy("rolling").name == "rolling"
    with pytest.raises(KeyError, match="known"):
        make_policy("no-such-policy")


def test_greedy_sends_the_nearest_idle_courier_at_once(context: DispatchContext) -> None:
    snap = Snapshot(0, (order("o1", ready=30),), (courier("far", at=(9000, 0)), courier("near", at=(320, 0))))
    [a] = make_policy("greedy").decide(snap, context)
    assert (a.courier_id, a.order_ids, a.assigned_at) == ("near", ("o1",), 0)
    assert a.arrive_pickup_at == 1 and a.pickup_at == 30 and a.dropoff_at == (30 + 2 + 5 + 2,)


def test_greedy_skips_couriers_whose_shift_ends_before_pickup(context: DispatchContext) -> None:
    snap = Snapshot(0, (order("o1", ready=30),), (courier("ending", end=20), courier("ok", at=(3200, 0))))
    [a] = make_policy("greedy").decide(snap, context)
    assert a.courier_id == "ok"


def test_greedy_jit_sends_the_courier_only_when_it_must_leave(context: DispatchContext) -> None:
    policy = make_policy("greedy-jit")
    o = order("o1", ready=20)
    c = courier("c1", at=(3200, 0))  # 10 minutes away: must leave at 20 - 2 - 10 = 8
    assert policy.decide(Snapshot(7, (o,), (c,)), context) == []
    [a] = policy.decide(Snapshot(8, (o,), (c,)), context)
    assert (a.courier_id, a.assigned_at, a.pickup_at) == ("c1", 8, 20)


def test_greedy_jit_keeps_the_courier_for_an_order_ready_sooner(context: DispatchContext) -> None:
    """The older order is not ready for half an hour: the plain greedy ties the only courier up with
    it at once, the just-in-time greedy sends it to the order that is ready now."""
    slow = order("slow", merchant="m1", ready=30)
    quick = order("quick", merchant="m2", at=(320, 0), placed=0.5, ready=1)
    snap = Snapshot(1, (slow, quick), (courier("c1"),))
    [plain] = make_policy("greedy").decide(snap, context)
    [jit] = make_policy("greedy-jit").decide(snap, context)
    assert plain.order_ids == ("slow",)
    assert jit.order_ids == ("quick",) and jit.pickup_at == 4  # 1 minute away, then half the service


def test_rolling_postpones_until_the_courier_must_leave(context: DispatchContext) -> None:
    policy = make_policy("rolling")
    o = order("o1", ready=20)
    c = courier("c1", at=(3200, 0))  # 10 minutes away: must leave at 20 - 2 - 10 = 8
    assert policy.decide(Snapshot(0, (o,), (c,)), context) == []
    assert policy.decide(Snapshot(7, (o,), (c,)), context) == []
    [a] = policy.decide(Snapshot(8, (o,), (c,)), context)
    assert a.pickup_at == 20 and a.arrive_pickup_at == 18


def test_rolling_waits_for_a_busy_courier_who_will_be_much_closer(context: DispatchContext) -> None:
    o = order("o1", ready=5)
    idle_far = courier("far", at=(9600, 0))  # 30 minutes away
    busy_near = courier("near", at=(320, 0), free_at=3)  # free in 3 minutes, 1 minute away
    assert make_policy("rolling").decide(Snapshot(0, (o,), (idle_far, busy_near)), context) == []


def test_rolling_bundles_same_merchant_orders_when_couriers_are_scarce(context: DispatchContext) -> None:
    orders = (order("o1", ready=5, to=(1600, 0)), order("o2", ready=5, to=(1920, 0)))
    [a] = make_policy("rolling").decide(Snapshot(3, orders, (courier("c1"),)), context)
    assert sorted(a.order_ids) == ["o1", "o2"] and a.order_ids[0] == "o1"  # nearer customer first
    assert a.dropoff_at[1] > a.dropoff_at[0]


def test_rolling_bundles_no_more_orders_than_the_courier_carries(context: DispatchContext) -> None:
    """Three orders ready together at one shop, one courier: bundled all three on a bike without a limit,
    two at most for a courier who carries two (the third waits for the next trip)."""
    orders = tuple(order(f"o{i}", ready=5, to=(1600, 320 * i)) for i in range(3))
    [free] = make_policy("rolling").decide(Snapshot(3, orders, (courier("c1"),)), context)
    assert len(free.order_ids) == 3
    small = replace(courier("c1"), capacity=2)
    out = make_policy("rolling").decide(Snapshot(3, orders, (small,)), context)
    assert out and all(len(a.order_ids) <= 2 for a in out)


def test_engine_rejects_more_orders_than_the_courier_carries() -> None:
    engine = DispatchEngine(_Broken(), DispatchContext(travel=CeilEuclideanTravel()))
    snap = Snapshot(0, (order("o1"), order("o2"), order("o3")), (replace(courier("c1"), capacity=2),))
    with pytest.raises(InvalidAssignment, match="carries 2"):
        engine.step(snap)


def test_rolling_does_not_bundle_when_couriers_are_plentiful(context: DispatchContext) -> None:
    orders = (order("o1", ready=5, to=(1600, 0)), order("o2", ready=5, to=(-1600, 0)))
    out = make_policy("rolling").decide(Snapshot(3, orders, (courier("c1"), courier("c2"))), context)
    assert sorted(len(a.order_ids) for a in out) == [1, 1]


def test_rolling_never_mixes_merchants_and_is_deterministic(context: DispatchContext) -> None:
    orders = tuple(order(f"o{i}", merchant=f"m{i % 3}", at=(100 * i, 0), to=(100 * i, 2000), ready=2) for i in range(9))
    couriers = tuple(courier(f"c{i}", at=(50 * i, 300)) for i in range(4))
    snap = Snapshot(0, orders, couriers)
    first = make_policy("rolling").decide(snap, context)
    assert first == make_policy("rolling").decide(snap, context)
    by_id = {o.id: o for o in orders}
    for a in first:
        assert len({by_id[i].merchant_id for i in a.order_ids}) == 1
    DispatchEngine(make_policy("rolling"), context).step(snap)  # passes validation


class _Broken:
    name = "broken"

    def decide(self, snapshot: Snapshot, context: DispatchContext) -> list[Assignment]:
        c = snapshot.couriers[0]
        return [Assignment(c.id, tuple(o.id for o in snapshot.orders), snapshot.now, 0, 0, (0, 0), 0)]


def test_engine_rejects_a_bundle_across_merchants() -> None:
    engine = DispatchEngine(_Broken(), DispatchContext(travel=CeilEuclideanTravel()))
    snap = Snapshot(0, (order("o1", merchant="a"), order("o2", merchant="b")), (courier("c1"),))
    with pytest.raises(InvalidAssignment, match="spans merchants"):
        engine.step(snap)


def test_engine_rejects_a_busy_courier() -> None:
    engine = DispatchEngine(_Broken(), DispatchContext(travel=CeilEuclideanTravel()))
    with pytest.raises(InvalidAssignment, match="not idle"):
        engine.step(Snapshot(0, (order("o1"),), (courier("c1", free_at=5),)))


def test_engine_from_name_accepts_a_live_travel_model() -> None:
    from allo.dispatch.travel import DetourTravel

    engine = DispatchEngine.from_name("rolling", travel=DetourTravel(1.3), epoch_minutes=0.5)
    out = engine.step(Snapshot(100.25, (order("o1", placed=99.5, ready=100.0),), (courier("c1", free_at=90.0),)))
    assert [a.courier_id for a in out] == ["c1"] and out[0].pickup_at == pytest.approx(102.25)


def test_demand_field_scores_busy_areas_higher_and_forgets_old_orders() -> None:
    import numpy as np

    from allo.dispatch.demand import DemandField

    field = DemandField(window_minutes=30, reach_minutes=5)
    field.observe([order(f"o{i}", at=(0, 0), placed=i) for i in range(10)], now=10)
    v = field.value(np.array([0.0, 6400.0]), np.array([0.0, 0.0]), np.array([320.0, 320.0]))
    assert v[0] > 10 * v[1] > 0
    field.observe([], now=100)
    assert field.value(np.array([0.0]), np.array([0.0]), np.array([320.0]))[0] == 0


def test_fill_in_uses_a_waiting_courier_for_a_due_order(context: DispatchContext) -> None:
    from allo.dispatch.fill_in import PlannedLine, fill_in
    from allo.dispatch.routing import build_route

    later = build_route((order("late", ready=60),), context.travel, 320, context.rules)
    due = order("due", merchant="m2", at=(320, 0), to=(640, 0), ready=0)
    line = PlannedLine(courier("c1"), later, 60.0)
    [a] = fill_in([line], [due], 0, context.travel, context.rules, 1.0)
    assert a.order_ids == ("due",) and a.free_at < 60
    too_far = order("far", merchant="m3", at=(9600, 0), to=(19200, 0), ready=0)
    assert fill_in([line], [too_far], 0, context.travel, context.rules, 1.0) == []


def test_orders_already_ready_at_one_merchant_can_ride_together(context: DispatchContext) -> None:
    from allo.dispatch.bundling import candidate_bundles

    late = (order("o1", ready=0, to=(1600, 0)), order("o2", ready=30, to=(1920, 0)))
    sizes = lambda now: sorted(len(b.orders) for b in candidate_bundles(late, context.travel, 320, context.rules, now=now))
    assert sizes(None) == [1, 1]  # ready 30 minutes apart: no bundle
    assert sizes(30.0) == [1, 1, 2]  # both ready by now: a bundle


def test_rolling_serves_the_short_job_first_when_courier_time_runs_out(context: DispatchContext) -> None:
    # One courier whose shift ends at 115 (no pickup after it); an old order with a long trip
    # (waiting since 75) and a fresh order next door. Old first: the courier is back at 120 and
    # the fresh order is lost. Fresh first: back at 111, then the old one is picked up at 114.
    orders = (order("old", merchant="m1", at=(640, 0), to=(3840, 0), placed=60, ready=75),
              order("fresh", merchant="m2", at=(320, 0), to=(960, 0), placed=98, ready=100))
    c = courier("c1", end=115)
    [a] = RollingHorizonPolicy(RollingParams(scarce_ratio=0.0)).decide(Snapshot(100, orders, (c,)), context)
    assert a.order_ids == ("old",) and a.free_at > 115
    scarce = RollingHorizonPolicy(RollingParams())
    [a] = scarce.decide(Snapshot(100, orders, (c,)), context)
    assert a.order_ids == ("fresh",) and a.free_at == 111
    back = courier("c1", at=(960, 0), free_at=111, end=115)
    [b] = scarce.decide(Snapshot(111, orders[:1], (back,)), context)
    assert b.order_ids == ("old",) and b.pickup_at <= 115


def test_an_order_at_drop_risk_may_wait_for_a_bundle_beyond_the_ready_window(context: DispatchContext) -> None:
    from allo.dispatch.bundling import candidate_bundles

    pair = (order("o1", ready=0, to=(1600, 0)), order("o2", ready=30, to=(1920, 0)))
    sizes = lambda risky: sorted(len(b.orders) for b in candidate_bundles(
        pair, context.travel, 320, context.rules, unbounded=frozenset(risky)))
    assert sizes(()) == [1, 1]
    assert sizes(("o1",)) == [1, 1]  # only the later order may make the earlier ones wait
    assert sizes(("o2",)) == [1, 1, 2]


def test_rolling_lets_the_last_courier_wait_for_an_order_it_could_not_come_back_for(context: DispatchContext) -> None:
    # The last courier (no pickup after 33) is at the merchant. Taking o1 alone now, it is free
    # at 33 at the customer and o2 (ready 32, 12 minutes later) is lost; waiting, it takes both.
    orders = (order("o1", ready=20, to=(1600, 0), placed=15), order("o2", ready=32, to=(1920, 0), placed=18))
    last = courier("c1", end=33)
    # (the one-job matching of a scarce epoch needs the risk bundles; the route search finds it as well)
    [alone] = RollingHorizonPolicy(RollingParams(risk_bundles=False, scarce_routes=False)).decide(
        Snapshot(20, orders, (last,)), context)
    assert alone.order_ids == ("o1",) and alone.free_at == 33
    for params in (RollingParams(scarce_routes=False), RollingParams()):
        waits = RollingHorizonPolicy(params)
        assert waits.decide(Snapshot(20, orders, (last,)), context) == []
        [both] = waits.decide(Snapshot(30, orders, (last,)), context)
        assert sorted(both.order_ids) == ["o1", "o2"] and both.pickup_at == 32


def test_in_a_scarce_epoch_an_order_that_can_still_make_the_maximum_goes_first(context: DispatchContext) -> None:
    # One courier for an order waiting since 6 with a 20-minute trip and a fresh order next door.
    # Fresh first (throughput): the old order is dropped off 92 minutes after it was placed. Old
    # first: 82 minutes, and the fresh order is still delivered within 61.
    orders = (order("old", merchant="m1", at=(640, 0), to=(7040, 0), placed=6, ready=11),
              order("fresh", merchant="m2", at=(320, 0), to=(960, 0), placed=58, ready=60))
    c = courier("c1", end=200)
    matching = RollingParams(scarce_routes=False)  # the one-job matching of scarce epochs, then the routes
    [a] = RollingHorizonPolicy(RollingParams(scarce_deadline_weight=0.0, scarce_routes=False)).decide(
        Snapshot(60, orders, (c,)), context)
    assert a.order_ids == ("fresh",)
    for params in (matching, RollingParams()):
        [b] = RollingHorizonPolicy(params).decide(Snapshot(60, orders, (c,)), context)
        assert b.order_ids == ("old",) and b.dropoff_at[0] - 6 == 82


def test_in_a_scarce_epoch_the_matching_prices_no_minute_after_a_couriers_shift(context: DispatchContext) -> None:
    """A long trip (20 minutes to the door) in a scarce epoch planned by the matching (as a backlog over
    the route search's size is). "leaving", one minute further from the merchant, stops at 15 and
    may finish the drop-off after its shift: its job costs it 15 shift minutes (0 to 15) against 28 for
    "staying" (free again at 28), who then stays free for the orders to come. Priced to the end of the
    job, minutes after the shift included (before 30 November), the job went to "staying"."""
    far = order("far", at=(0.0, 0.0), to=(6400.0, 0.0), ready=0)
    pair = (courier("staying", at=(0.0, 0.0)), courier("leaving", at=(320.0, 0.0), end=15))
    policy = RollingHorizonPolicy(RollingParams(scarce_routes=False))
    [a] = policy.decide(Snapshot(0, (far,), pair), context)
    assert a.courier_id == "leaving" and a.pickup_at <= 15 and a.dropoff_at == (27.0,)
