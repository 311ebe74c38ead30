"""Fill-in: an idle courier whose planned bundle is not due yet serves an uncovered order first.

The one-bundle-per-courier plan cannot see that a courier waiting for a later pickup could do
a short job in between. This step pairs uncovered orders with such couriers when the courier
is back in time for its planned pickup (so the planned order loses nothing), cheapest delay
first, and returns the pairs that are due now.
"""

from __future__ import annotations

from dataclasses import dataclass

from allo.dispatch.model import Assignment, CourierState, OpenOrder, ServiceRules
from allo.dispatch.routing import BundleRoute, build_route, plan_assignment
from allo.dispatch.travel import TravelTimeModel


@dataclass(frozen=True, slots=True)
class PlannedLine:
    courier: CourierState
    route: BundleRoute | None  # None: the courier has nothing planned
    pickup_at: float  # planned pickup of `route` (ignored when None)


def fill_in(
    lines: list[PlannedLine],
    uncovered: list[OpenOrder],
    now: float,
    travel: TravelTimeModel,
    rules: ServiceRules,
    epoch_minutes: float,
) -> list[Assignment]:
    """Assignments due now for uncovered orders that fit before a courier's planned pickup."""
    options: list[tuple[float, str, str, Assignment]] = []
    routes: dict[tuple[str, float], BundleRoute] = {}  # an order's route depends only on the speed
    for line in lines:
        c = line.courier
        if not c.is_idle(now):
            continue
        for o in uncovered:
            route = routes.get((o.id, c.speed_m_per_min))
            if route is None:
                route = routes[o.id, c.speed_m_per_min] = build_route((o,), travel, c.speed_m_per_min, rules)
            a = plan_assignment(c, route, now, travel, rules)
            if a.pickup_at > c.shift_end:
                continue
            if line.route is not None:
                m = line.route.orders[0].pickup
                back = a.free_at + travel.travel_minutes(o.dropoff, m, c.speed_m_per_min) + rules.pickup_service / 2
                if back > line.pickup_at:
                    continue
            options.append((a.pickup_at - o.ready_at + 0.01 * (a.arrive_pickup_at - now), o.id, c.id, a))
    options.sort(key=lambda t: (t[0], t[1], t[2]))
    used_orders: set[str] = set()
    used_couriers: set[str] = set()
    ready = {o.id: o.ready_at for o in uncovered}
    out: list[Assignment] = []
    for _, oid, cid, a in options:
        if oid in used_orders or cid in used_couriers:
            continue
        used_orders.add(oid)
        used_couriers.add(cid)
        if a.arrive_pickup_at + rules.pickup_service / 2 + epoch_minutes > ready[oid]:
            out.append(a)
    return out
