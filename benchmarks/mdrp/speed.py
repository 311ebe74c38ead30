"""Wall time of a whole simulated day and the engine's epoch latency (p50, p99), one core.

    .venv/bin/python benchmarks/mdrp/speed.py INSTANCE_DIR [INSTANCE_DIR ...] [--policy rolling] [--repeat 3]
        [--params '{"overage_weight": 6}']

Prints one line per instance: orders, couriers, the best run's process CPU time and wall time
(CPU time is the fair figure on a shared machine), epochs, epoch latency p50/p99/max in CPU
milliseconds, delivered orders and feasibility. `--params` runs the rolling policy with
`RollingParams` overrides (JSON), e.g. the previous settings as a same-minute baseline.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from allo.dispatch.rolling import RollingHorizonPolicy, RollingParams
from allo.simulation.checker import ViolationCounts, check_solution
from allo.simulation.instance import read_instance
from allo.simulation.simulator import simulate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("instances", nargs="+", type=Path)
    ap.add_argument("--policy", default="rolling")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--params", help="JSON object of RollingParams overrides (rolling policy only)")
    args = ap.parse_args()
    overrides = json.loads(args.params) if args.params else None

    def policy() -> str | RollingHorizonPolicy:
        return RollingHorizonPolicy(RollingParams(**overrides)) if overrides is not None else args.policy

    for folder in args.instances:
        inst = read_instance(folder)
        runs = [simulate(inst, policy()) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r.cpu_seconds)
        lat = np.array(best.epoch_latencies_ms)
        feasible = not ViolationCounts.of(check_solution(inst, best.solution, require_all=False)).rule_breaks
        print(
            f"{inst.name}: orders={len(inst.orders)} couriers={len(inst.couriers)} policy={args.policy} params={args.params or '{}'} "
            f"cpu={best.cpu_seconds:.2f}s wall={best.wall_seconds:.2f}s "
            f"(cpu per run: {', '.join(f'{r.cpu_seconds:.2f}' for r in runs)}) "
            f"epochs={lat.size} epoch_ms p50={np.percentile(lat, 50):.2f} p99={np.percentile(lat, 99):.2f} "
            f"max={lat.max():.2f} delivered={len(best.solution.orders)}/{len(inst.orders)} feasible={feasible}"
        )


if __name__ == "__main__":
    main()
