"""What a planner that knew the whole day in advance could do: a diagnostic, not a bound.

    .venv/bin/python benchmarks/mdrp/hindsight.py INSTANCE_DIR... [--seed 0] [--iterations 20000] [--out DIR]

Starts from the rolling policy's solution of the day and improves it with the production route
search (`allo.dispatch.route_search`, the scarce-epoch planner) run once over the whole day, every
order known from the start: remove a few related orders, re-insert each where it costs least (a new
job anywhere in a courier's sequence, or into a job of the same merchant at any drop-off position),
keep the change by simulated annealing, cooling over `--stages` temperatures. The objective ranks,
through its weights, orders left first, then avoidable orders over the maximum click-to-door, then
the total excess over the lower bound. Timing follows the base rules: a courier leaves for the
merchant when the job is assigned, which is never before every order of the job is placed nor
before the courier's on-time (no prepositioning), picks up no earlier than the bundle is ready and
never after its off-time, and delivers in the job's sequence. The result is executed by the
simulator's own step into the reference format and passed through our checker (`--out` writes its
three files).

Finding a clean solution shows that the day can be clean, with hindsight; not finding one proves
nothing. The gap between the two tells how much an online policy could still gain at most in
principle, not what it can gain.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from pathlib import Path

from allo.dispatch.model import CourierState, DispatchContext, OpenOrder
from allo.dispatch.route_search import RouteSearchParams, plan_routes
from allo.dispatch.travel import CeilEuclideanTravel
from allo.simulation.checker import ViolationCounts, check_solution, undeliverable
from allo.simulation.instance import Instance, read_instance
from allo.simulation.metrics import compute_metrics
from allo.simulation.simulator import CourierRun, execute, order_view, rules_of, simulate
from allo.simulation.solution import Solution, write_solution

Plan = dict[str, list[tuple[str, ...]]]  # courier id -> jobs (order ids in drop-off sequence)


def whole_day(inst: Instance) -> tuple[list[OpenOrder], list[CourierState]]:
    """Every deliverable order and every courier, as the route search sees them."""
    gone = undeliverable(inst)
    orders = [order_view(inst, o) for o in sorted(inst.orders.values(), key=lambda o: o.id) if o.id not in gone]
    speed = float(inst.params.meters_per_minute)
    couriers = [CourierState(c.id, c.position, float(c.on_time), float(c.on_time), float(c.off_time), speed)
                for c in sorted(inst.couriers.values(), key=lambda c: c.id)]
    return orders, couriers


def from_solution(sol: Solution) -> Plan:
    """A solution's assignments as per-courier job lists, in assignment order."""
    plan: Plan = {}
    for a in sorted(sol.assignments, key=lambda a: (a.assigned_at, a.courier_id)):
        plan.setdefault(a.courier_id, []).append(a.order_ids)
    return plan


def to_solution(inst: Instance, plan: Plan) -> Solution:
    """The three records of `plan`, executed as the simulator does, each job assigned as soon as the
    courier is free and its orders are placed (the first whole minute)."""
    travel, sol = CeilEuclideanTravel(), Solution()
    for cid, jobs in sorted(plan.items()):
        run = CourierRun.at_start(inst.couriers[cid])
        for job in jobs:
            t = math.ceil(max(run.free_at, max(inst.orders[i].placed_at for i in job)))
            execute(inst, run, tuple(job), t, travel, sol)
    sol.assignments.sort(key=lambda a: (a.assigned_at, a.courier_id))
    return sol


def _summary(inst: Instance, sol: Solution) -> str:
    counts = ViolationCounts.of(check_solution(inst, sol))
    m = compute_metrics(inst, sol)
    return f"left={counts.left} late={counts.late} rule_breaks={counts.rule_breaks} excess={m['excess_mean']:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("instances", nargs="+", type=Path)
    ap.add_argument("--seed", type=int, default=0, help="tie-break seed of the rolling run and of the search")
    ap.add_argument("--iterations", type=int, default=20000)
    ap.add_argument("--stages", type=int, default=20, help="annealing temperatures, from --hot down to --cold")
    ap.add_argument("--hot", type=float, default=20.0)
    ap.add_argument("--cold", type=float, default=0.5)
    ap.add_argument("--out", type=Path, help="write the solution of each day under DIR/<instance>")
    args = ap.parse_args()
    for folder in args.instances:
        inst = read_instance(folder)
        online = simulate(inst, "rolling", seed=args.seed).solution
        t0 = time.process_time()
        orders, couriers = whole_day(inst)
        context = DispatchContext(CeilEuclideanTravel(), rules_of(inst), seed=args.seed)
        plan, rng = from_solution(online), random.Random(args.seed)
        for stage in range(args.stages):  # annealing cools from stage to stage
            temperature = args.hot * (args.cold / args.hot) ** (stage / max(1, args.stages - 1))
            params = RouteSearchParams(iterations=args.iterations // args.stages, temperature=temperature)
            plan = plan_routes(orders, couriers, min(c.shift_start for c in couriers), context, params, rng,
                               plan).by_courier()
        sol = to_solution(inst, plan)
        print(f"{inst.name}: rolling {_summary(inst, online)} | hindsight {_summary(inst, sol)}"
              f" ({args.iterations} iterations, {time.process_time() - t0:.0f} s CPU)", flush=True)
        if args.out:
            write_solution(sol, args.out / inst.name)


if __name__ == "__main__":
    main()
