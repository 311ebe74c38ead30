"""Courier routes in scarce epochs: a sequence of jobs per courier, committed just in time."""

import random
from dataclasses import replace

from allo.dispatch.engine import validate
from allo.dispatch.model import DispatchContext, Snapshot
from allo.dispatch.rolling import RollingHorizonPolicy, RollingParams
from allo.dispatch.route_search import RouteSearch, RouteSearchParams, plan_routes

from tests.unit.dispatch.dispatch_builders import (
    A, B, END, courier, order, served_by_the_last_courier, two_merchants,
)

# the last courier's two orders: see `two_merchants` (only "there" first fits both in the shift)


def test_the_route_takes_first_the_job_that_leaves_room_for_the_second(context: DispatchContext) -> None:
    search = RouteSearch()
    [a] = search.decide(list(two_merchants()), [courier("last", at=A, end=END)], 0.0, context)
    assert a.order_ids == ("there",)
    assert a.pickup_at == 12.0 and a.pickup_at <= END
    assert search.plan == {"last": [("here",)]}  # the second job stays planned for later


def test_a_job_is_committed_only_when_the_courier_must_leave(context: DispatchContext) -> None:
    """Ready at 30, ten minutes away: leaving before minute 18 would only mean waiting at the merchant."""
    search = RouteSearch()
    far = order("later", merchant="mb", at=B, to=(3200.0, 3200.0), placed=0, ready=30)
    assert search.decide([far], [courier("c1", at=A)], 0.0, context) == []
    assert search.plan == {"c1": [("later",)]}
    [a] = search.decide([far], [courier("c1", at=A)], 18.0, context)
    assert (a.order_ids, a.assigned_at, a.pickup_at) == (("later",), 18.0, 30.0)


def test_orders_of_one_merchant_ready_together_ride_in_one_job(context: DispatchContext) -> None:
    orders = [order(f"o{i}", merchant="m1", at=A, to=(1600.0, 320.0 * i), ready=5) for i in range(3)]
    [a] = RouteSearch().decide(orders, [courier("c1", at=(960.0, 0.0), end=20)], 0.0, context)
    assert sorted(a.order_ids) == ["o0", "o1", "o2"]


def test_the_last_pickup_of_a_shift_takes_six_orders_of_its_merchant(context: DispatchContext) -> None:
    """Six orders ready at 5 at one merchant, one courier whose shift ends at 20: it can pick up only
    once (back from the customers after 20), so all six ride in that job (the rules set no bundle size)."""
    orders = [order(f"o{i}", merchant="m1", at=A, to=(1600.0, 320.0 * i), ready=5) for i in range(6)]
    search = RouteSearch()
    [a] = search.decide(orders, [courier("c1", at=(960.0, 0.0), end=20)], 2.0, context)
    assert sorted(a.order_ids) == [f"o{i}" for i in range(6)] and a.pickup_at <= 20
    assert search.plan == {}


def test_an_order_no_courier_can_reach_before_the_shift_ends_is_left_open(context: DispatchContext) -> None:
    search = RouteSearch()
    late = order("late", merchant="mb", at=B, to=(3200.0, 3200.0), ready=50)
    assert search.decide([late], [courier("c1", at=A, end=40)], 0.0, context) == []
    assert search.plan == {}


def test_many_epochs_give_valid_assignments_and_the_same_ones_for_the_same_seed(context: DispatchContext) -> None:
    """A busy hour on a 6 km square: nothing assigned twice, no courier twice, no pickup after a shift."""

    def play(seed: int) -> list[tuple]:
        rng = random.Random(7)
        orders = [order(f"o{i}", merchant=f"m{rng.randrange(5)}", at=(rng.randrange(5) * 1200.0, 0.0),
                        to=(rng.uniform(0, 6000), rng.uniform(0, 6000)), placed=i, ready=i + rng.uniform(5, 20))
                  for i in range(40)]
        couriers = {f"c{k}": courier(f"c{k}", at=(k * 1000.0, 3000.0), end=45 + 5 * k) for k in range(4)}
        search, done = RouteSearch(), []
        ctx = DispatchContext(context.travel, context.rules, context.epoch_minutes, seed)
        for now in range(0, 70):
            open_now = tuple(o for o in orders if o.placed_at <= now and o.id not in {i for d in done for i in d[1]})
            snap = Snapshot(float(now), open_now, tuple(c for c in couriers.values() if c.shift_end >= now))
            out = search.decide(list(open_now), list(snap.couriers), float(now), ctx)
            validate(snap, out)
            for a in out:
                assert a.pickup_at <= couriers[a.courier_id].shift_end
                c = couriers[a.courier_id]
                couriers[a.courier_id] = courier(c.id, at=(0.0, 0.0), free_at=a.free_at, end=c.shift_end)
                done.append((a.courier_id, a.order_ids, a.pickup_at))
        return done

    first = play(3)
    assert sum(len(ids) for _, ids, _ in first) >= 12
    assert first == play(3)


def test_the_rolling_policy_plans_routes_in_a_scarce_epoch(context: DispatchContext) -> None:
    """Played epoch by epoch to the end of the shift: with routes the last courier carries both
    orders; the one-job matching takes the order at hand first and leaves the other."""
    routes = RollingParams()
    matching = RollingParams(scarce_routes=False)
    assert served_by_the_last_courier(RollingHorizonPolicy(routes), context) == ["there", "here"]
    assert served_by_the_last_courier(RollingHorizonPolicy(matching), context) == ["here"]
    # a backlog over the route search's size limit goes to the matching (here: more than one order)
    backlog = RollingParams(route_max_orders=1)
    assert served_by_the_last_courier(RollingHorizonPolicy(backlog), context) == ["here"]


def test_a_small_epoch_is_searched_longer_than_a_large_one() -> None:
    """A round costs about in proportion to the open orders: 1,200 order-rounds an epoch, 20 to 60."""
    search = RouteSearch(RouteSearchParams(iterations=20, order_rounds=1200, max_iterations=60))
    assert [search.rounds_for(n) for n in (5, 20, 30, 60, 89, 120)] == [60, 60, 40, 20, 20, 20]
    assert RouteSearch(RouteSearchParams(iterations=20)).rounds_for(5) == 20  # fixed unless asked
    assert RollingHorizonPolicy().routes.rounds_for(24) == 50  # the production setting


def test_a_small_pool_of_couriers_plans_routes_from_a_lower_load(context: DispatchContext) -> None:
    """Two orders (34 courier minutes with the trips to the merchant) for one courier at hand and one
    starting at 110: 85 courier minutes in the next hour, a load of 0.4. Under the general ratio (0.5)
    that is calm, planned by the matching; a pool of fewer than 25 couriers is scarce from 0.375 and
    keeps a route plan (nothing is committed yet: the food is ready at 80 and the courier is there).
    With one courier at hand and two orders, the lone-courier rule plans routes at any load too."""
    orders = (order("a", to=(1600, 0), placed=70, ready=80), order("b", to=(0, 960), placed=70, ready=80))
    pool = (courier("here"), courier("later", at=(6400, 0), free_at=110, start=110))

    def planned_by_routes(params: RollingParams) -> bool:
        policy = RollingHorizonPolicy(params)
        assert policy.decide(Snapshot(75.0, orders, pool), context) == []
        return bool(policy.routes.plan)

    small_pool_only = RollingParams(lone_pool_couriers=0)
    assert planned_by_routes(small_pool_only)
    assert not planned_by_routes(replace(small_pool_only, small_fleet_couriers=0))
    assert not planned_by_routes(replace(small_pool_only, small_fleet_couriers=1))  # one at hand is not fewer than 1
    assert planned_by_routes(RollingParams(small_fleet_couriers=0))  # the lone-courier rule
    assert not planned_by_routes(RollingParams(small_fleet_couriers=0, lone_pool_couriers=0))


def test_a_long_job_goes_to_the_courier_whose_shift_ends_before_its_drop_off(context: DispatchContext) -> None:
    """Both couriers stand at the merchant; the order is ready now and its customer is 20 minutes away.
    Either delivers it at the same minute, but "leaving" stops at 15 and may finish the drop-off after
    its shift: priced by the shift minutes a plan uses, the job costs it 15 and "staying" 28, who then
    stays free for the orders to come. Unpriced, the tie goes to the first courier listed."""
    long_trip = order("far", at=A, to=(6400.0, 0.0), ready=0)
    pair = [courier("staying", at=A), courier("leaving", at=A, end=15)]

    def taker(capacity_weight: float) -> str:
        search = RouteSearch(RouteSearchParams(capacity_weight=capacity_weight))
        [a] = search.decide([long_trip], pair, 0.0, context)
        assert a.dropoff_at == (26.0,) and a.pickup_at <= 15
        return a.courier_id

    assert taker(RollingHorizonPolicy().routes.params.capacity_weight) == "leaving"  # the production price
    assert taker(0.0) == "staying"


def test_an_insertion_is_the_cheapest_place_among_the_couriers_positions_it_may_take(context: DispatchContext) -> None:
    """Busy random epochs: every order taken out and put back goes where an exhaustive evaluation of
    the same positions finds the least cost, and each courier's quick lower bound (used to skip
    couriers and positions) is never above what its positions really cost. (Every order of an epoch
    is already placed, so a courier leaves for a job as soon as it is free: a job put before others
    can only delay them, which is what the bounds rely on.)"""
    for seed in range(40):
        params = RouteSearchParams(capacity_weight=0.75 if seed % 4 == 3 else 0.0)
        rng = random.Random(seed)
        merchants = [rng.randrange(4) for _ in range(24)]
        orders = [order(f"o{i}", merchant=f"m{m}", at=(m * 1600.0, 0.0),  # one place per merchant
                        to=(rng.uniform(0, 6000), rng.uniform(0, 6000)), placed=rng.uniform(0, 20),
                        ready=rng.uniform(20, 40)) for i, m in enumerate(merchants)]
        couriers = [courier(f"c{k}", at=(rng.uniform(0, 6000), 3000.0), free_at=rng.uniform(0, 30),
                            end=rng.uniform(40, 120)) for k in range(8)]
        routes = plan_routes(orders, couriers, 20.0, context, params, random.Random(seed))
        ep = routes.ep
        for i in range(len(orders)):
            routes.remove(i)
            routes.left.discard(i)
            before = routes.objective()
            base = max(ep.ready[i], ep.placed[i]) - ep.hp
            best = params.left_weight
            for least, k, lo, hi, _ in routes._candidates(i, base):
                jobs = routes.jobs[k]
                for pos in range(lo, hi + 1):
                    options = [((i,), False)]
                    same = pos < len(jobs) and ep.merchant[jobs[pos][0]] == ep.merchant[i]
                    if same and len(jobs[pos]) < params.max_bundle:  # into that job, at any drop-off position
                        options += [(jobs[pos][:s] + (i,) + jobs[pos][s:], True) for s in range(len(jobs[pos]) + 1)]
                    for job, replace_job in options:
                        delta = routes._delta(k, pos, job, replace_job, float("inf"))
                        if delta is None:
                            continue
                        assert least <= delta + 1e-9
                        if not replace_job:  # the order's own delay in a new job here, as `insert` bounds it
                            own = max(routes.free[k][pos], ep.placed[i]) + ep.minutes[0][routes.at[k][pos]][ep.m_loc[i]]
                            assert own - base <= delta + 1e-9
                        best = min(best, delta)
            routes.insert(i)
            assert abs(routes.objective() - before - best) < 1e-6


def test_a_courier_who_carries_two_orders_takes_at_most_two_of_the_six(context: DispatchContext) -> None:
    """The same six orders and shift, but a courier on foot (two orders at once): one job of two; the
    other four stay open for another courier, never over the courier's capacity."""
    orders = [order(f"o{i}", merchant="m1", at=A, to=(1600.0, 320.0 * i), ready=5) for i in range(6)]
    on_foot = replace(courier("c1", at=(960.0, 0.0), end=20), capacity=2)
    search = RouteSearch()
    [a] = search.decide(orders, [on_foot], 2.0, context)
    assert len(a.order_ids) == 2 and a.pickup_at <= 20
    assert all(len(job) <= 2 for jobs in search.plan.values() for job in jobs)
