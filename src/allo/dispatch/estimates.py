"""Delivery-time estimates for orders still waiting for a courier (what the customer is told).

A forward pass over the snapshot: the open orders, oldest first, each take the courier who can drop
them off earliest, alone, and that courier is then busy until that drop-off (and stands at the
customer's door). Orders ahead in the queue so delay the later ones, and a courier finishing a job
next to the shop counts from when it is free. It is deliberately plain (no bundles, no waiting for
a better courier): an estimate the live loop can afford every tick for every open order, not a plan.
"""

from __future__ import annotations

import numpy as np

from allo.dispatch.model import ServiceRules, Snapshot
from allo.dispatch.travel import TravelTimeModel, travel_from_many
from allo.domain.geo import Point


def estimate_dropoffs(snapshot: Snapshot, travel: TravelTimeModel, rules: ServiceRules) -> dict[str, float]:
    """Estimated drop-off time (the snapshot's minutes) of each open order some courier can pick up
    before its shift ends; orders no courier can reach in time are left out."""
    couriers = sorted(snapshot.couriers, key=lambda c: c.id)
    if not couriers or not snapshot.orders:
        return {}
    now = snapshot.now
    positions: list[Point] = [c.position for c in couriers]
    xs = np.array([p.x for p in positions], dtype=float)
    ys = np.array([p.y for p in positions], dtype=float)
    free = np.array([c.start_time(now) for c in couriers], dtype=float)
    ends = np.array([c.shift_end for c in couriers], dtype=float)
    speeds = np.array([c.speed_m_per_min for c in couriers], dtype=float)
    kinds, kind_of = np.unique(speeds, return_inverse=True)  # a few vehicle speeds among many couriers
    half_pick, half_drop = rules.pickup_service / 2, rules.dropoff_service / 2
    out: dict[str, float] = {}
    for order in sorted(snapshot.orders, key=lambda o: (o.placed_at, o.id)):
        to_shop = travel_from_many(travel, positions, xs, ys, order.pickup, speeds)
        pickup = np.maximum(order.ready_at, np.maximum(free, order.placed_at) + to_shop + half_pick)
        ride = np.array([travel.travel_minutes(order.pickup, order.dropoff, float(s)) for s in kinds])[kind_of]
        drop = np.where(pickup <= ends, pickup + half_pick + ride + half_drop, np.inf)
        k = int(np.argmin(drop))
        if not np.isfinite(drop[k]):
            continue
        out[order.id] = float(drop[k])
        free[k] = drop[k] + half_drop
        positions[k] = order.dropoff
        xs[k], ys[k] = order.dropoff.x, order.dropoff.y
    return out
