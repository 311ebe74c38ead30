"""Proof that an instance cannot be clean: the last couriers cannot carry the last orders.

    .venv/bin/python benchmarks/mdrp/last_couriers_bound.py ../shared/benchmarks/mdrp/instances/*

Relaxation, valid for any solution under the base rules. Take a time T; only couriers whose
off-time is after T can pick up an order ready after T (no pickup after the off-time). Keep just
those orders and those couriers, and let each courier start its first job at the merchant, with no
trip to get there, as early as its on-time allows. Any real solution restricted to them is a
solution of this smaller problem, so if the small one cannot deliver every order, each one within
90 minutes of its placement unless its own lower bound is already over 90 ("clean"), no solution of
the instance can be clean. The small problem is solved exactly (every sequence of same-merchant jobs
of every size, memoised), for T at each courier's off-time while at most `--max-orders` orders and
`--max-couriers` couriers are left.
"""

from __future__ import annotations

import argparse
import math
from functools import lru_cache
from itertools import combinations, permutations
from pathlib import Path

from allo.dispatch.travel import CeilEuclideanTravel
from allo.domain.geo import Point
from allo.simulation.checker import undeliverable
from allo.simulation.instance import Instance, Order, read_instance
from allo.simulation.metrics import lower_bound_click_to_door

TRAVEL = CeilEuclideanTravel()  # the MDRP rule, as the simulator applies it


def _minutes(a: Point, b: Point, speed: float) -> float:
    return TRAVEL.travel_minutes(a, b, speed)


def _jobs(inst: Instance, orders: list[Order]) -> list[tuple[frozenset[str], float, float, str, dict[str, float]]]:
    """Every same-merchant subset in every drop-off sequence: (ids, ready, minutes from pickup until
    the courier is free, the last customer, drop-off minutes after pickup per order)."""
    p = inst.params
    speed, hd = p.meters_per_minute, p.dropoff_service / 2
    out = []
    for merchant in sorted({o.restaurant_id for o in orders}):
        group = [o for o in orders if o.restaurant_id == merchant]
        for size in range(1, len(group) + 1):
            for combo in combinations(group, size):
                for seq in permutations(combo):
                    t, pos, offs = p.pickup_service / 2, inst.restaurants[merchant].position, {}
                    for o in seq:
                        t += _minutes(pos, o.position, speed) + hd
                        offs[o.id] = t
                        t += hd
                        pos = o.position
                    out.append((frozenset(offs), max(o.ready_at for o in combo), t, seq[-1].id, offs))
    return out


def can_be_clean(inst: Instance, T: float, *, within_max: bool = True) -> bool:
    """Whether the couriers still on after T can carry every order ready after T (each within the
    maximum click-to-door when its lower bound allows, if `within_max`), in the relaxation above."""
    p = inst.params
    speed, half = p.meters_per_minute, p.pickup_service / 2
    gone = undeliverable(inst)
    orders = [o for o in inst.orders.values() if o.ready_at > T and o.id not in gone]
    couriers = sorted((c for c in inst.couriers.values() if c.off_time > T), key=lambda c: c.id)
    if not orders:
        return True
    if not couriers:
        return False
    deadline = {}
    for o in orders:
        lb = lower_bound_click_to_door(inst, o.id)
        deadline[o.id] = o.placed_at + p.max_click_to_door if within_max and lb <= p.max_click_to_door else math.inf
    jobs = _jobs(inst, orders)
    merchant_of = {o.id: o.restaurant_id for o in orders}
    where = {o.id: o.position for o in orders}

    @lru_cache(maxsize=None)
    def solve(left: frozenset[str], states: tuple[tuple[float, str, float, float], ...]) -> bool:
        """`states`: per courier still at work, (free from, last customer or "" before its first
        job, off-time, on-time), sorted; the courier free first is extended (or stops)."""
        if not left:
            return True
        if not states:
            return False
        (free, at, off, on), rest = states[0], states[1:]
        if solve(left, rest):  # this courier takes nothing more
            return True
        for ids, ready, after, end_id, offs in jobs:
            if not ids <= left:
                continue
            m = inst.restaurants[merchant_of[end_id]].position
            pickup = max(ready, on + half) if at == "" else max(ready, free + _minutes(where[at], m, speed) + half)
            if pickup > off or any(pickup + offs[i] > deadline[i] for i in ids):
                continue
            if solve(left - ids, tuple(sorted(rest + ((pickup + after, end_id, off, on),)))):
                return True
        return False

    start = tuple(sorted((-math.inf, "", float(c.off_time), float(c.on_time)) for c in couriers))
    return solve(frozenset(o.id for o in orders), start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("instances", nargs="+", type=Path)
    ap.add_argument("--max-orders", type=int, default=7)
    ap.add_argument("--max-couriers", type=int, default=3)
    args = ap.parse_args()
    for folder in args.instances:
        inst = read_instance(folder)
        proof = None
        for T in sorted({c.off_time for c in inst.couriers.values()}, reverse=True):
            n_orders = sum(1 for o in inst.orders.values() if o.ready_at > T)
            n_couriers = sum(1 for c in inst.couriers.values() if c.off_time > T)
            if n_orders > args.max_orders or n_couriers > args.max_couriers:
                break
            if not can_be_clean(inst, T):
                proof = (T, n_orders, n_couriers, can_be_clean(inst, T, within_max=False))
                break
        if proof:
            T, n, k, all_ok = proof
            print(f"{inst.name}: cannot be clean: {n} orders ready after {T} for {k} courier(s) still on;"
                  f" {'delivering them all is possible, but not all within 90' if all_ok else 'they cannot all be delivered'}")
        else:
            print(f"{inst.name}: no proof")


if __name__ == "__main__":
    main()
