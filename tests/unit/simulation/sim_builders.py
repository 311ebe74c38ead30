"""A tiny synthetic MDRP instance built in code (two merchants, three couriers, eight orders), random
small days with edge cases, and a loader for the scripts under benchmarks/mdrp (not a package)."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

from allo.domain.geo import Point
from allo.simulation.instance import Courier, Instance, InstanceParameters, Order, Restaurant


OrderRow = tuple[str, float, float, int, str, int]  # id, x, y, placed, restaurant, ready
CourierRow = tuple[str, float, float, int, int]  # id, x, y, on-time, off-time


def instance_of(name: str, restaurants: dict[str, tuple[float, float]], orders: list[OrderRow],
                couriers: list[CourierRow]) -> Instance:
    """An instance from rows laid out as in the library's files (default parameters: 320 m/min)."""
    return Instance(
        name,
        {r: Restaurant(r, Point(*xy)) for r, xy in restaurants.items()},
        {o[0]: Order(o[0], Point(o[1], o[2]), o[3], o[4], o[5]) for o in orders},
        {c[0]: Courier(c[0], Point(c[1], c[2]), c[3], c[4]) for c in couriers},
        InstanceParameters(),
    )


def tiny_instance() -> Instance:
    return instance_of(
        "tiny", {"r1": (0, 0), "r2": (3200, 0)},
        [("o1", 1600, 0, 0, "r1", 10), ("o2", 0, 1600, 2, "r1", 12), ("o3", 3200, 1600, 5, "r2", 20),
         ("o4", 1000, 1000, 20, "r1", 35), ("o5", -640, 0, 21, "r1", 35), ("o6", 4800, 0, 30, "r2", 45),
         ("o7", 3200, -960, 40, "r2", 50), ("o8", 320, 320, 60, "r1", 70)],
        [("c1", 0, 320, 0, 120), ("c2", 3200, 320, 0, 120), ("c3", 1600, 1600, 30, 90)],
    )


def benchmark_script(name: str) -> ModuleType:
    """`benchmarks/mdrp/<name>.py` loaded as a module."""
    path = Path(__file__).resolve().parents[3] / "benchmarks" / "mdrp" / f"{name}.py"
    if str(path.parent) not in sys.path:  # the scripts import each other, as when run from their folder
        sys.path.append(str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def random_instance(seed: int) -> Instance:
    """A small random day with the edge cases real days rarely show: one courier or many, shifts of a
    minute, orders ready at placement or an hour later, customers at the restaurant's door, two
    restaurants at one place, slow and fast couriers, no service time, a tighter maximum."""
    rng = random.Random(seed)
    span = rng.choice([2000.0, 8000.0, 20000.0])

    def anywhere() -> Point:
        return Point(rng.uniform(0, span), rng.uniform(0, span))

    restaurants = {f"r{i}": Restaurant(f"r{i}", anywhere()) for i in range(rng.randint(1, 6))}
    if rng.random() < 0.2:
        restaurants["r-twin"] = Restaurant("r-twin", restaurants["r0"].position)
    day = rng.choice([120, 300, 600])
    orders = {}
    for i in range(rng.randint(1, 80)):
        rid = rng.choice(sorted(restaurants))
        placed = rng.randint(0, day)
        at_door = rng.random() < 0.1
        orders[f"o{i}"] = Order(f"o{i}", restaurants[rid].position if at_door else anywhere(), placed, rid,
                                placed + rng.choice([0, 0, 1, 5, 15, 30, 60]))
    couriers = {}
    for i in range(rng.randint(1, 15)):
        on = rng.randint(0, day)
        couriers[f"c{i}"] = Courier(f"c{i}", anywhere(), on, on + rng.choice([1, 10, 30, 120, 600]))
    params = InstanceParameters(
        meters_per_minute=rng.choice([100.0, 320.0, 427.0, 1000.0]), pickup_service=rng.choice([0, 1, 4]),
        dropoff_service=rng.choice([0, 4]), target_click_to_door=rng.choice([30, 40]),
        max_click_to_door=rng.choice([60, 90, 120]),
    )
    return Instance(f"random{seed}", restaurants, orders, couriers, params)
