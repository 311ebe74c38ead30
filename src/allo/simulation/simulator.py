"""Discrete-event replay of an MDRP instance through the dispatch engine (base rules).

The simulator owns the world: it reveals orders at placement, asks the engine for assignments
at each epoch, and executes them itself under the MDRP rules (leave at once, pick up at
max(ready, arrival + half the pickup service), drop off in sequence, no diversion, no
prepositioning, wait at the last drop-off). It never trusts the engine's planned times.
Travel follows the README's `ceil(euclid / speed)` unless another model is given; the recorded
times are then fractional (the solution files still round to whole minutes).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from allo.dispatch.engine import DispatchEngine
from allo.dispatch.model import CourierState, DispatchContext, OpenOrder, ServiceRules, Snapshot
from allo.dispatch.policy import DispatchPolicy, make_policy
from allo.dispatch.travel import CeilEuclideanTravel, TravelTimeModel
from allo.domain.geo import Point
from allo.simulation.instance import Courier, Instance, Order
from allo.simulation.solution import ON_LOCATION, AssignmentRecord, Move, OrderRecord, Solution

LOOKAHEAD_MINUTES = 90


@dataclass
class SimulationResult:
    instance_name: str
    policy: str
    solution: Solution
    undelivered: list[str]
    epoch_latencies_ms: list[float] = field(default_factory=list)
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0


@dataclass(slots=True)
class CourierRun:
    """Where a courier is and when it is free, as the replay executes its assignments."""

    id: str
    position: Point
    location: str
    free_at: float
    on_time: int
    off_time: int

    @classmethod
    def at_start(cls, courier: Courier) -> CourierRun:
        """At its on-location, free from its on-time."""
        return cls(courier.id, courier.position, ON_LOCATION, float(courier.on_time), courier.on_time, courier.off_time)


def order_view(instance: Instance, order: Order) -> OpenOrder:
    """An instance order as the dispatch engine sees it once placed."""
    merchant = instance.restaurants[order.restaurant_id].position
    return OpenOrder(order.id, order.restaurant_id, merchant, order.position,
                     float(order.placed_at), float(order.ready_at))


def rules_of(instance: Instance) -> ServiceRules:
    p = instance.params
    return ServiceRules(
        pickup_service=float(p.pickup_service), dropoff_service=float(p.dropoff_service),
        target_click_to_door=float(p.target_click_to_door), max_click_to_door=float(p.max_click_to_door),
    )


def simulate(
    instance: Instance,
    policy: str | DispatchPolicy = "rolling",
    *,
    seed: int = 0,
    epoch_minutes: int = 1,
    travel: TravelTimeModel | None = None,
) -> SimulationResult:
    """Replay a whole day; returns the solution, undelivered orders and per-epoch latencies."""
    wall0, cpu0 = time.perf_counter(), time.process_time()
    travel = travel or CeilEuclideanTravel()
    pol = make_policy(policy) if isinstance(policy, str) else policy
    engine = DispatchEngine(pol, DispatchContext(travel=travel, rules=rules_of(instance), epoch_minutes=epoch_minutes, seed=seed))
    speed = float(instance.params.meters_per_minute)

    arrivals = sorted(instance.orders.values(), key=lambda o: (o.placed_at, o.id))
    views = {o.id: order_view(instance, o) for o in arrivals}
    couriers = [CourierRun.at_start(c) for c in sorted(instance.couriers.values(), key=lambda c: c.id)]
    by_id = {c.id: c for c in couriers}
    last_off = max((c.off_time for c in couriers), default=0)
    sol = Solution()
    latencies: list[float] = []
    open_ids: dict[str, None] = {}
    next_arrival = 0
    t = min((o.placed_at for o in arrivals), default=0)

    while next_arrival < len(arrivals) or open_ids:
        while next_arrival < len(arrivals) and arrivals[next_arrival].placed_at <= t:
            open_ids[arrivals[next_arrival].id] = None
            next_arrival += 1
        if not open_ids:
            t = max(t + epoch_minutes, arrivals[next_arrival].placed_at)
            continue
        if t > last_off:
            break
        if any(c.free_at <= t and c.on_time <= t <= c.off_time for c in couriers):
            states = tuple(
                CourierState(c.id, c.position, max(c.free_at, c.on_time), float(c.on_time), float(c.off_time), speed)
                for c in couriers
                if c.off_time >= t and c.on_time <= t + LOOKAHEAD_MINUTES and max(c.free_at, c.on_time) <= c.off_time
            )
            snap = Snapshot(float(t), tuple(views[i] for i in open_ids), states)
            t0 = time.process_time()
            decided = engine.step(snap)
            latencies.append((time.process_time() - t0) * 1000.0)
            for a in decided:
                execute(instance, by_id[a.courier_id], a.order_ids, t, travel, sol)
                for oid in a.order_ids:
                    del open_ids[oid]
        t += epoch_minutes

    never_seen = [o.id for o in arrivals[next_arrival:]]  # placed after the last shift ended
    return SimulationResult(
        instance.name, pol.name, sol, sorted([*open_ids, *never_seen]), latencies,
        time.perf_counter() - wall0, time.process_time() - cpu0,
    )


def execute(
    instance: Instance, c: CourierRun, order_ids: tuple[str, ...], t: int, travel: TravelTimeModel, sol: Solution,
) -> None:
    """Courier `c` leaves at `t` for one merchant's `order_ids` (in drop-off sequence): record its
    moves, the assignment and the orders in `sol`, and move the courier to its last drop-off."""
    p = instance.params
    speed, half_pick, half_drop = float(p.meters_per_minute), p.pickup_service / 2, p.dropoff_service / 2
    orders = [instance.orders[i] for i in order_ids]
    rest = instance.restaurants[orders[0].restaurant_id]
    arrive = t + travel.travel_minutes(c.position, rest.position, speed)
    pickup = max(max(o.ready_at for o in orders), arrive + half_pick)
    if pickup > c.off_time:
        raise RuntimeError(f"engine assigned {order_ids} to {c.id} with pickup after its off-time")
    sol.moves.append(Move(c.id, t, c.location, rest.id))
    sol.assignments.append(AssignmentRecord(t, pickup, c.id, order_ids))
    leave, pos, loc = pickup + half_pick, rest.position, rest.id
    for o in orders:
        drop = leave + travel.travel_minutes(pos, o.position, speed) + half_drop
        sol.moves.append(Move(c.id, leave, loc, o.id))
        sol.orders.append(OrderRecord(o.id, o.placed_at, o.ready_at, pickup, drop, c.id))
        leave, pos, loc = drop + half_drop, o.position, o.id
    c.free_at, c.position, c.location = leave, pos, loc
