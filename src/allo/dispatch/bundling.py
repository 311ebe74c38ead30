"""Candidate bundles: every open order alone, plus small groups of one merchant's orders ready together."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from allo.dispatch.model import OpenOrder, ServiceRules
from allo.dispatch.routing import BundleRoute, build_route
from allo.dispatch.travel import TravelTimeModel


def candidate_bundles(
    orders: tuple[OpenOrder, ...] | list[OpenOrder],
    travel: TravelTimeModel,
    speed: float,
    rules: ServiceRules,
    *,
    max_size: int = 3,
    ready_window: float = 10.0,
    max_extra_minutes: float = 25.0,
    max_group: int = 8,
    now: float | None = None,
    unbounded: frozenset[str] = frozenset(),
    mind_the_maximum: bool = True,
) -> list[BundleRoute]:
    """Singletons for every order, then same-merchant groups of 2..max_size.

    A group is kept when its ready times lie within `ready_window` minutes and the extra
    drop-off delay it causes (against each order going alone) stays under `max_extra_minutes`
    per order. Only the `max_group` earliest-ready orders of a merchant are combined. With `now`,
    orders already ready count as ready now (a backlog at one merchant can ride together). A group
    whose latest-ready order is in `unbounded` (say, an order no courier may be left to carry later)
    ignores the ready window: the earlier orders may wait for it.
    """
    floor = -float("inf") if now is None else now

    def ready(o: OpenOrder) -> float:
        return max(o.ready_at, floor)

    singles = {o.id: build_route((o,), travel, speed, rules) for o in orders}
    out = [singles[o.id] for o in sorted(orders, key=lambda o: o.id)]
    by_merchant: dict[str, list[OpenOrder]] = defaultdict(list)
    for o in orders:
        by_merchant[o.merchant_id].append(o)
    for merchant in sorted(by_merchant):
        group = sorted(by_merchant[merchant], key=lambda o: (ready(o), o.id))[:max_group]
        if len(group) < 2:
            continue
        for size in range(2, max_size + 1):
            for combo in combinations(group, size):
                if ready(combo[-1]) - ready(combo[0]) > ready_window and combo[-1].id not in unbounded:
                    continue
                route = build_route(combo, travel, speed, rules, mind_the_maximum=mind_the_maximum)
                alone = sum(ready(o) + singles[o.id].drop_offsets[0] for o in route.orders)
                together = sum(max(route.ready_at, floor) + d for d in route.drop_offsets)
                if together - alone <= max_extra_minutes * size:
                    out.append(route)
    return out
