"""Wall time of a whole simulated day and the engine's epoch latency (p50, p99), one core.

    .venv/bin/python benchmarks/mdrp/speed.py INSTANCE_DIR [INSTANCE_DIR ...] [--policy rolling] [--repeat 3]

Prints one line per instance: orders, couriers, the best run's process CPU time and wall time
(CPU time is the fair figure on a shared machine), epochs, epoch latency p50/p99/max in CPU
milliseconds, delivered orders and feasibility.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from allo.simulation.checker import check_solution
from allo.simulation.instance import read_instance
from allo.simulation.simulator import simulate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("instances", nargs="+", type=Path)
    ap.add_argument("--policy", default="rolling")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    for folder in args.instances:
        inst = read_instance(folder)
        runs = [simulate(inst, args.policy) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r.cpu_seconds)
        lat = np.array(best.epoch_latencies_ms)
        feasible = not [v for v in check_solution(inst, best.solution, require_all=False)]
        print(
            f"{inst.name}: orders={len(inst.orders)} couriers={len(inst.couriers)} policy={args.policy} "
            f"cpu={best.cpu_seconds:.2f}s wall={best.wall_seconds:.2f}s "
            f"(cpu per run: {', '.join(f'{r.cpu_seconds:.2f}' for r in runs)}) "
            f"epochs={lat.size} epoch_ms p50={np.percentile(lat, 50):.2f} p99={np.percentile(lat, 99):.2f} "
            f"max={lat.max():.2f} delivered={len(best.solution.orders)}/{len(inst.orders)} feasible={feasible}"
        )


if __name__ == "__main__":
    main()
