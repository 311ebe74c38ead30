"""Synthetic days for speed tests: merge real days into one larger city day (seeded)."""

from __future__ import annotations

import random
from dataclasses import replace

from allo.domain.geo import Point
from allo.simulation.instance import Courier, Instance, Order, Restaurant


def merge_days(days: list[Instance], *, orders: int, couriers: int, seed: int = 0, name: str = "synthetic",
               courier_draw: str = "shift-length") -> Instance:
    """One day with `orders` orders and `couriers` couriers drawn from several real days.

    Ids are prefixed by the day's index so they never collide; parameters come from the first
    day. Orders are sampled without replacement; when the days hold fewer than asked, extra
    copies are made, shifted by up to ±20 minutes and ±300 m. Couriers are drawn without
    replacement, by default with probability proportional to their shift length (long shifts
    are over-represented); `courier_draw="uniform"` draws every courier alike, so the crew on
    duty at each hour is, in expectation, the same share of the real days' crews.
    """
    if courier_draw not in ("shift-length", "uniform"):
        raise ValueError(f"courier_draw must be 'shift-length' or 'uniform', not {courier_draw!r}")
    rng = random.Random(seed)
    restaurants: dict[str, Restaurant] = {}
    pool: list[Order] = []
    crew: list[Courier] = []
    for k, day in enumerate(days):
        for r in day.restaurants.values():
            restaurants[f"d{k}{r.id}"] = Restaurant(f"d{k}{r.id}", r.position)
        pool.extend(replace(o, id=f"d{k}{o.id}", restaurant_id=f"d{k}{o.restaurant_id}") for o in day.orders.values())
        crew.extend(replace(c, id=f"d{k}{c.id}") for c in day.couriers.values())
    pool.sort(key=lambda o: o.id)
    crew.sort(key=lambda c: c.id)
    chosen = rng.sample(pool, min(orders, len(pool)))
    copy = 0
    while len(chosen) < orders:
        o = rng.choice(pool)
        shift = rng.randint(-20, 20)
        copy += 1
        chosen.append(Order(
            f"x{copy}{o.id}", Point(o.position.x + rng.uniform(-300, 300), o.position.y + rng.uniform(-300, 300)),
            max(0, o.placed_at + shift), o.restaurant_id, max(0, o.ready_at + shift),
        ))
    picked: list[Courier] = []
    left = list(crew)
    if courier_draw == "uniform":
        picked = rng.sample(crew, min(couriers, len(crew)))
        left = []
    while len(picked) < couriers and left:
        weights = [max(1, c.off_time - c.on_time) for c in left]
        c = rng.choices(left, weights=weights)[0]
        left.remove(c)
        picked.append(c)
    return Instance(
        name, restaurants, {o.id: o for o in sorted(chosen, key=lambda o: o.id)},
        {c.id: c for c in sorted(picked, key=lambda c: c.id)}, days[0].params,
    )
