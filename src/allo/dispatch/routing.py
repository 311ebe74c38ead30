"""Timing of one bundle for one courier, and the best drop-off sequence of a small bundle."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

from allo.dispatch.model import Assignment, CourierState, OpenOrder, ServiceRules
from allo.dispatch.travel import TravelTimeModel

MAX_EXACT_SEQUENCE = 4


@dataclass(frozen=True, slots=True)
class BundleRoute:
    """A bundle's drop-off sequence with times relative to leaving the merchant."""

    orders: tuple[OpenOrder, ...]
    ready_at: float
    drop_offsets: tuple[float, ...]  # drop-off time minus pickup time, per order in sequence
    duration_after_pickup: float  # from pickup to the courier being free again


def lower_bound_dropoff(order: OpenOrder, travel: TravelTimeModel, speed: float, rules: ServiceRules) -> float:
    """Earliest possible drop-off: ready, then straight to the customer."""
    return (
        max(order.ready_at, order.placed_at)
        + rules.pickup_service / 2
        + travel.travel_minutes(order.pickup, order.dropoff, speed)
        + rules.dropoff_service / 2
    )


def latest_dropoff(order: OpenOrder, lower_bound: float, rules: ServiceRules) -> float:
    """The maximum click-to-door, or the order's own lower bound (`lower_bound_dropoff`) when that is later."""
    return max(order.placed_at + rules.max_click_to_door, lower_bound)


def _sequence_offsets(
    seq: tuple[OpenOrder, ...], travel: TravelTimeModel, speed: float, rules: ServiceRules
) -> tuple[tuple[float, ...], float]:
    t = rules.pickup_service / 2
    pos = seq[0].pickup
    offsets = []
    for o in seq:
        t += travel.travel_minutes(pos, o.dropoff, speed)
        t += rules.dropoff_service / 2
        offsets.append(t)
        t += rules.dropoff_service / 2
        pos = o.dropoff
    return tuple(offsets), t


def route_in_sequence(
    seq: tuple[OpenOrder, ...], travel: TravelTimeModel, speed: float, rules: ServiceRules
) -> BundleRoute:
    """One merchant's orders dropped off in the given sequence."""
    offsets, duration = _sequence_offsets(seq, travel, speed, rules)
    return BundleRoute(seq, max(o.ready_at for o in seq), offsets, duration)


def build_route(
    orders: tuple[OpenOrder, ...], travel: TravelTimeModel, speed: float, rules: ServiceRules,
    *, mind_the_maximum: bool = True,
) -> BundleRoute:
    """Pick the drop-off sequence with the least total drop-off time (exact up to 4 orders).

    With `mind_the_maximum`, when that sequence takes an order past its maximum click-to-door even
    with the pickup as soon as the bundle is ready, take instead the sequence with the fewest such
    orders, then the least total time.
    """
    ready = max(o.ready_at for o in orders)
    if len(orders) <= MAX_EXACT_SEQUENCE:
        candidates = list(permutations(orders))
    else:
        candidates = [_nearest_neighbour(orders, travel, speed)]
    routes = [(seq, *_sequence_offsets(seq, travel, speed, rules)) for seq in candidates]
    best = min(routes, key=lambda r: (sum(r[1]), [o.id for o in r[0]]))
    if mind_the_maximum and len(routes) > 1:
        limits = {o.id: latest_dropoff(o, lower_bound_dropoff(o, travel, speed, rules), rules) for o in orders}

        def late(route: tuple[tuple[OpenOrder, ...], tuple[float, ...], float]) -> int:
            return sum(1 for o, d in zip(route[0], route[1]) if ready + d > limits[o.id])

        if late(best):
            best = min(routes, key=lambda r: (late(r), sum(r[1]), [o.id for o in r[0]]))
    return BundleRoute(best[0], ready, best[1], best[2])


def _nearest_neighbour(orders: tuple[OpenOrder, ...], travel: TravelTimeModel, speed: float) -> tuple[OpenOrder, ...]:
    left = sorted(orders, key=lambda o: o.id)
    pos = left[0].pickup
    seq = []
    while left:
        nxt = min(left, key=lambda o: travel.travel_minutes(pos, o.dropoff, speed))
        left.remove(nxt)
        seq.append(nxt)
        pos = nxt.dropoff
    return tuple(seq)


def plan_assignment(
    courier: CourierState, route: BundleRoute, now: float, travel: TravelTimeModel, rules: ServiceRules
) -> Assignment:
    """Times of `route` if `courier` leaves for the merchant as soon as it can."""
    start = courier.start_time(now)
    arrive = start + travel.travel_minutes(courier.position, route.orders[0].pickup, courier.speed_m_per_min)
    pickup = max(route.ready_at, arrive + rules.pickup_service / 2)
    return Assignment(
        courier_id=courier.id,
        order_ids=tuple(o.id for o in route.orders),
        assigned_at=start,
        arrive_pickup_at=arrive,
        pickup_at=pickup,
        dropoff_at=tuple(pickup + d for d in route.drop_offsets),
        free_at=pickup + route.duration_after_pickup,
    )
