"""A necessary condition for delivering every order (within 90 minutes) after a time T.

    .venv/bin/python benchmarks/mdrp/capacity_bound.py ../shared/benchmarks/mdrp/instances/1o50t100s1p125

Relaxation (valid for any solution under the base rules): orders ready at or after T are picked
up after T. Orders of one merchant may share a visit only if one pickup time suits them all
(within 90 minutes: at or after every ready time and no later than each order's latest pickup
`placed + 90 − 4 − travel(merchant, customer)`), so a merchant needs at least the number of
points that stab all these intervals (greedy, exact). Between two consecutive pickups of one
courier lie at least the pickup service, one drop-off service, the shortest direct trip from that
merchant and the shortest trip from any customer or on-location to a merchant. A courier's
pickups after T lie in [max(T, on), off], so the gaps of all couriers but each one's last visit
fit in the sum of those spans. If, for some T (with more visits than couriers), the gaps the visits need (the `couriers` largest
left out) exceed that sum, the orders cannot all be delivered (within 90). Prints the smallest
slack over T; a positive slack proves nothing.
"""

from __future__ import annotations

import argparse
import math
from collections import defaultdict
from pathlib import Path

from allo.domain.geo import Point
from allo.simulation.instance import Instance, Order, read_instance


def _minutes(a: Point, b: Point, speed: float) -> int:
    return math.ceil(a.distance_to(b) / speed)


def visits_needed(orders: list[Order], latest: dict[str, float]) -> int:
    """Fewest pickup times that suit every order (interval stabbing; orders already hopeless skipped)."""
    count, point = 0, -math.inf
    for o in sorted(orders, key=lambda o: latest[o.id]):
        if o.ready_at > latest[o.id]:
            continue
        if o.ready_at > point:
            count, point = count + 1, latest[o.id]
    return count


def min_slack(inst: Instance, within_max: bool, step: int = 5) -> tuple[float, int]:
    """Smallest (courier minutes available − minutes the visits need) over T, and its T."""
    p, v = inst.params, inst.params.meters_per_minute
    places = [o.position for o in inst.orders.values()] + [c.position for c in inst.couriers.values()]
    to_merchant = min(_minutes(q, r.position, v) for r in inst.restaurants.values() for q in places)
    trip = {o.id: _minutes(inst.restaurants[o.restaurant_id].position, o.position, v) for o in inst.orders.values()}
    latest = {
        o.id: (o.placed_at + p.max_click_to_door - p.pickup_service / 2 - p.dropoff_service / 2 - trip[o.id])
        if within_max else math.inf
        for o in inst.orders.values()
    }
    best = (math.inf, -1)
    last = max(c.off_time for c in inst.couriers.values())
    for t in range(0, last + 1, step):
        by_merchant: dict[str, list[Order]] = defaultdict(list)
        for o in inst.orders.values():
            if o.ready_at >= t:
                by_merchant[o.restaurant_id].append(o)
        couriers = [c for c in inst.couriers.values() if c.off_time >= t]
        supply = sum(max(0, c.off_time - max(t, c.on_time)) for c in couriers)
        gaps: list[float] = []
        for orders in by_merchant.values():
            gap = p.pickup_service + p.dropoff_service + min(trip[o.id] for o in orders) + to_merchant
            gaps += [gap] * visits_needed(orders, latest)
        gaps.sort(reverse=True)
        need = sum(gaps[len(couriers):])
        slack = supply - need
        if need > 0 and slack < best[0]:
            best = (slack, t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("instances", nargs="+", type=Path)
    args = ap.parse_args()
    for path in args.instances:
        inst = read_instance(path)
        (all_slack, all_t), (max_slack, max_t) = min_slack(inst, False), min_slack(inst, True)
        print(f"{inst.name}: deliver all: min slack {all_slack:.0f} min at T={all_t}; "
              f"all within the maximum: min slack {max_slack:.0f} min at T={max_t}")


if __name__ == "__main__":
    main()
