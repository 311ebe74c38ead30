"""The per-order lower bound with whole-minute travel (the README's) and with fractional travel.

    .venv/bin/python benchmarks/mdrp/fractional_lb.py ../shared/benchmarks/mdrp/instances/*o100t100s2p100

FoodMatch's figures in the README were measured with fractional travel times, so its mean
click-to-door should be set against the fractional bound: the merchant-to-customer leg alone is
about half a minute shorter per order than `ceil(euclid / speed)`. Prints, per instance, both
bound means, their gap, and FoodMatch's mean minus each bound.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from summarise import FOODMATCH  # day -> (mean click-to-door, % over 40), README

from allo.simulation.instance import read_instance


def bounds(path: Path) -> tuple[float, float]:
    """Mean lower bound with whole-minute and with fractional merchant-to-customer travel."""
    inst = read_instance(path)
    p = inst.params
    whole = frac = 0.0
    for o in inst.orders.values():
        minutes = inst.restaurants[o.restaurant_id].position.distance_to(o.position) / p.meters_per_minute
        base = max(o.ready_at, o.placed_at) - o.placed_at + p.pickup_service / 2 + p.dropoff_service / 2
        whole += base + math.ceil(minutes)
        frac += base + minutes
    n = max(1, len(inst.orders))
    return whole / n, frac / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("instances", nargs="+", type=Path)
    args = ap.parse_args()
    print("instance  LB(whole)  LB(fractional)  gap  FoodMatch-LB(whole)  FoodMatch-LB(fractional)")
    for path in args.instances:
        whole, frac = bounds(path)
        fm = FOODMATCH[int(path.name[0])][0] if path.name.endswith("o100t100s2p100") else None
        tail = f"  {fm - whole:+.2f}  {fm - frac:+.2f}" if fm is not None else ""
        print(f"{path.name}  {whole:.2f}  {frac:.2f}  {whole - frac:.2f}{tail}")


if __name__ == "__main__":
    main()
