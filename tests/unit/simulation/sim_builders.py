"""A tiny synthetic MDRP instance built in code (two merchants, three couriers, eight orders), and a
loader for the scripts under benchmarks/mdrp (not a package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from allo.domain.geo import Point
from allo.simulation.instance import Courier, Instance, InstanceParameters, Order, Restaurant


def tiny_instance() -> Instance:
    restaurants = {"r1": Restaurant("r1", Point(0, 0)), "r2": Restaurant("r2", Point(3200, 0))}
    spec = [  # id, x, y, placed, restaurant, ready
        ("o1", 1600, 0, 0, "r1", 10), ("o2", 0, 1600, 2, "r1", 12), ("o3", 3200, 1600, 5, "r2", 20),
        ("o4", 1000, 1000, 20, "r1", 35), ("o5", -640, 0, 21, "r1", 35), ("o6", 4800, 0, 30, "r2", 45),
        ("o7", 3200, -960, 40, "r2", 50), ("o8", 320, 320, 60, "r1", 70),
    ]
    orders = {o[0]: Order(o[0], Point(o[1], o[2]), o[3], o[4], o[5]) for o in spec}
    couriers = {
        "c1": Courier("c1", Point(0, 320), 0, 120),
        "c2": Courier("c2", Point(3200, 320), 0, 120),
        "c3": Courier("c3", Point(1600, 1600), 30, 90),
    }
    return Instance("tiny", restaurants, orders, couriers, InstanceParameters())


def benchmark_script(name: str) -> ModuleType:
    """`benchmarks/mdrp/<name>.py` loaded as a module."""
    path = Path(__file__).resolve().parents[3] / "benchmarks" / "mdrp" / f"{name}.py"
    if str(path.parent) not in sys.path:  # the scripts import each other, as when run from their folder
        sys.path.append(str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
