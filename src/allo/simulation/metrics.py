"""The README's metrics of a solution, plus the excess over the per-order lower bound."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from allo.simulation.instance import Instance
from allo.simulation.solution import Solution


def lower_bound_click_to_door(instance: Instance, order_id: str) -> float:
    """max(ready, placement) − placement + pickup/2 + travel(restaurant, customer) + drop-off/2."""
    o = instance.orders[order_id]
    r = instance.restaurants[o.restaurant_id]
    p = instance.params
    travel = math.ceil(r.position.distance_to(o.position) / p.meters_per_minute)
    return max(o.ready_at, o.placed_at) - o.placed_at + p.pickup_service / 2 + travel + p.dropoff_service / 2


def _describe(prefix: str, xs: np.ndarray) -> dict[str, float]:
    if xs.size == 0:
        return {f"{prefix}_{k}": float("nan") for k in ("mean", "sd", "min", "p10", "median", "p90", "max")}
    return {
        f"{prefix}_mean": float(xs.mean()), f"{prefix}_sd": float(xs.std(ddof=1)) if xs.size > 1 else 0.0,
        f"{prefix}_min": float(xs.min()), f"{prefix}_p10": float(np.percentile(xs, 10)),
        f"{prefix}_median": float(np.median(xs)), f"{prefix}_p90": float(np.percentile(xs, 90)),
        f"{prefix}_max": float(xs.max()),
    }


@dataclass(frozen=True)
class Metrics:
    values: dict[str, float]

    def __getitem__(self, key: str) -> float:
        return self.values[key]


def compute_metrics(instance: Instance, sol: Solution) -> Metrics:
    """Order-side, courier-side and bundle metrics (delivered orders only)."""
    p = instance.params
    recs = [r for r in sol.orders if r.order_id in instance.orders]
    placed = np.array([instance.orders[r.order_id].placed_at for r in recs], dtype=float)
    ready = np.array([instance.orders[r.order_id].ready_at for r in recs], dtype=float)
    pickup = np.array([r.pickup_at for r in recs], dtype=float)
    drop = np.array([r.dropoff_at for r in recs], dtype=float)
    ctd = drop - placed
    lb = np.array([lower_bound_click_to_door(instance, r.order_id) for r in recs], dtype=float)
    all_lb = np.array([lower_bound_click_to_door(instance, oid) for oid in instance.orders], dtype=float)
    from allo.simulation.checker import undeliverable

    v: dict[str, float] = {
        "orders": float(len(instance.orders)), "delivered": float(len(recs)),
        "undeliverable": float(len(undeliverable(instance))),
    }
    v.update(_describe("ctd", ctd))
    n = max(len(recs), 1)
    v["pct_over_target"] = 100.0 * float((ctd > p.target_click_to_door).sum()) / n
    v["pct_over_max"] = 100.0 * float((ctd > p.max_click_to_door).sum()) / n
    v["overage_mean"] = float(np.maximum(0.0, ctd - p.target_click_to_door).mean()) if recs else math.nan
    v["lb_mean"] = float(all_lb.mean()) if all_lb.size else math.nan
    v["lb_pct_over_target"] = 100.0 * float((all_lb > p.target_click_to_door).sum()) / max(all_lb.size, 1)
    v["excess_mean"] = float((ctd - lb).mean()) if recs else math.nan
    v.update(_describe("ready_to_door", drop - ready))
    v.update(_describe("ready_to_pickup", pickup - ready))
    v.update(_courier_metrics(instance, sol))
    sizes = np.array([len(a.order_ids) for a in sol.assignments], dtype=float)
    v["orders_per_bundle"] = float(sizes.mean()) if sizes.size else math.nan
    v["max_bundle"] = float(sizes.max()) if sizes.size else math.nan
    return Metrics(v)


def _courier_metrics(instance: Instance, sol: Solution) -> dict[str, float]:
    p = instance.params
    delivered = Counter(r.courier_id for r in sol.orders)
    bundles = Counter(a.courier_id for a in sol.assignments)
    driving: Counter[str] = Counter()
    places = {**{r.id: r.position for r in instance.restaurants.values()}, **{o.id: o.position for o in instance.orders.values()}}
    for m in sol.moves:
        a = instance.couriers[m.courier_id].position if m.origin == "0" else places[m.origin]
        driving[m.courier_id] += math.ceil(a.distance_to(places[m.destination]) / p.meters_per_minute)
    total_pay = 0.0
    trueup = 0
    shift_h = 0.0
    util = []
    for c in instance.couriers.values():
        hours = (c.off_time - c.on_time) / 60.0
        shift_h += hours
        guaranteed = p.guaranteed_pay_per_hour * hours
        earned = p.pay_per_order * delivered[c.id]
        total_pay += max(guaranteed, earned)
        trueup += earned < guaranteed
        busy = driving[c.id] + p.dropoff_service * delivered[c.id] + p.pickup_service * bundles[c.id]
        util.append(busy / (c.off_time - c.on_time) if c.off_time > c.on_time else 0.0)
    n_orders = max(sum(delivered.values()), 1)
    return {
        "total_pay": total_pay,
        "pay_per_order": total_pay / n_orders,
        "pct_guaranteed": 100.0 * trueup / max(len(instance.couriers), 1),
        "utilisation": float(np.mean(util)) if util else math.nan,
        "orders_per_courier_hour": sum(delivered.values()) / shift_h if shift_h else math.nan,
        "bundles_per_courier_hour": sum(bundles.values()) / shift_h if shift_h else math.nan,
    }
