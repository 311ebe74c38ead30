"""Where a day's excess over the lower bound comes from, per delivered order (rolling policy).

    .venv/bin/python benchmarks/mdrp/breakdown.py ../shared/benchmarks/mdrp/instances/4o100t100s2p100 --seed 0

Splits each order's excess into the pickup wait after max(ready, placement) and the bundling
detour (the rest). The pickup wait is counted as `busy` when the courier came straight from its
previous job (assigned within a minute of becoming free) and `idle` otherwise. It is also split by
the fleet as it was: `no courier in time` is the part no courier could have avoided even if it had
left at the order's placement from where it then was (or from where it became free), ignoring the
other orders; `choice` is the rest (what other assignments and timing cost). Figures are minutes
per delivered order, as the excess itself.
"""

from __future__ import annotations

import argparse
import math
from collections import defaultdict
from pathlib import Path

from allo.domain.geo import Point
from allo.simulation.instance import Instance, read_instance
from allo.simulation.metrics import lower_bound_click_to_door
from allo.simulation.simulator import simulate
from allo.simulation.solution import Solution


def _idle_spells(inst: Instance, sol: Solution) -> dict[str, list[tuple[float, float, Point]]]:
    """Per courier: (free from, assigned at, position) spells, the last one open until the end."""
    drop = {r.order_id: r.dropoff_at for r in sol.orders}
    jobs: dict[str, list] = defaultdict(list)
    for a in sol.assignments:
        jobs[a.courier_id].append(a)
    spells: dict[str, list[tuple[float, float, Point]]] = {}
    for cid, c in inst.couriers.items():
        free, pos, out = float(c.on_time), c.position, []
        for a in sorted(jobs[cid], key=lambda a: a.assigned_at):
            out.append((free, float(a.assigned_at), pos))
            last = a.order_ids[-1]
            free, pos = drop[last] + inst.params.dropoff_service / 2, inst.orders[last].position
        out.append((free, math.inf, pos))
        spells[cid] = out
    return spells


def breakdown(inst: Instance, sol: Solution) -> dict[str, float]:
    """Minutes per delivered order: excess, busy/idle pickup wait, detour, no courier in time, choice."""
    speed, half = inst.params.meters_per_minute, inst.params.pickup_service / 2
    spells = _idle_spells(inst, sol)
    job = {oid: a for a in sol.assignments for oid in a.order_ids}
    out: dict[str, float] = defaultdict(float)
    for r in sol.orders:
        o = inst.orders[r.order_id]
        merchant = inst.restaurants[o.restaurant_id].position
        start = max(o.ready_at, o.placed_at)
        excess = r.dropoff_at - o.placed_at - lower_bound_click_to_door(inst, o.id)
        wait = r.pickup_at - start
        a = job[o.id]
        came_from = max(f for f, until, _ in spells[a.courier_id] if until == a.assigned_at)
        out["excess"] += excess
        out["detour"] += excess - wait
        out["busy wait" if a.assigned_at - came_from <= 1 else "idle wait"] += wait
        best = math.inf
        for cid, c in inst.couriers.items():
            spell = next(((f, p) for f, until, p in spells[cid] if until >= o.placed_at), None)
            if spell is None or c.off_time < o.placed_at:
                continue
            leave = max(spell[0], o.placed_at, c.on_time)
            pickup = max(o.ready_at, leave + math.ceil(spell[1].distance_to(merchant) / speed) + half)
            if pickup <= c.off_time:
                best = min(best, pickup)
        forced = max(0.0, min(best, r.pickup_at) - start)
        out["no courier in time"] += forced
        out["choice"] += wait - forced
    n = max(1, len(sol.orders))
    return {k: v / n for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("instances", nargs="+", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    for path in args.instances:
        inst = read_instance(path)
        parts = breakdown(inst, simulate(inst, "rolling", seed=args.seed).solution)
        print(f"{inst.name} (seed {args.seed}): " + ", ".join(f"{k} {v:.3f}" for k, v in sorted(parts.items())))


if __name__ == "__main__":
    main()
