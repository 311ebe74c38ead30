"""What a planner that knew the whole day in advance could do: a diagnostic, not a bound.

    .venv/bin/python benchmarks/mdrp/hindsight.py INSTANCE_DIR... [--seed 0] [--iterations 20000] [--out DIR]
        [--keep-before T [T ...]]

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

With `--keep-before T`, the rolling policy's assignments made before minute T are kept as they were
and only the rest of the day is planned with hindsight (from T on): run for several T, it tells when
the online run's loss became unavoidable, i.e. which epochs to look at when tracing it.

Finding a clean solution shows that the day can be clean, with hindsight; not finding one proves
nothing. The gap between the two tells how much an online policy could still gain at most in
principle, not what it can gain.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from copy import deepcopy
from dataclasses import dataclass
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


@dataclass
class Start:
    """Where the search starts: the assignments kept, each courier after them, the orders still open."""

    solution: Solution
    runs: dict[str, CourierRun]
    orders: list[OpenOrder]
    couriers: list[CourierState]
    at: float


def after(inst: Instance, kept: Solution, t: float) -> Start:
    """Keep `kept`'s assignments made before minute `t` (executed again, in time order); every other
    deliverable order is open, and each courier free from `t` at the earliest (or its on-time)."""
    travel, sol = CeilEuclideanTravel(), Solution()
    runs = {cid: CourierRun.at_start(c) for cid, c in sorted(inst.couriers.items())}
    for a in sorted(kept.assignments, key=lambda a: (a.assigned_at, a.courier_id)):
        if a.assigned_at < t:
            execute(inst, runs[a.courier_id], a.order_ids, a.assigned_at, travel, sol)
    done, gone = {r.order_id for r in sol.orders}, undeliverable(inst)
    orders = [order_view(inst, o) for o in sorted(inst.orders.values(), key=lambda o: o.id)
              if o.id not in gone and o.id not in done]
    speed = float(inst.params.meters_per_minute)
    couriers = [CourierState(cid, r.position, max(r.free_at, t), float(r.on_time), float(r.off_time), speed)
                for cid, r in runs.items() if max(r.free_at, t, r.on_time) <= r.off_time]
    return Start(sol, runs, orders, couriers, t)


def whole_day(inst: Instance) -> tuple[list[OpenOrder], list[CourierState]]:
    """Every deliverable order and every courier, as the route search sees them."""
    start = after(inst, Solution(), -math.inf)
    return start.orders, start.couriers


def from_solution(sol: Solution, since: float = -math.inf) -> Plan:
    """A solution's assignments made from `since` on, as per-courier job lists in assignment order."""
    plan: Plan = {}
    for a in sorted(sol.assignments, key=lambda a: (a.assigned_at, a.courier_id)):
        if a.assigned_at >= since:
            plan.setdefault(a.courier_id, []).append(a.order_ids)
    return plan


def to_solution(inst: Instance, plan: Plan, start: Start | None = None) -> Solution:
    """The three records of `plan` (after `start`'s kept assignments), executed as the simulator does,
    each job assigned as soon as the courier is free and its orders are placed (the first whole
    minute, not before the start)."""
    start = start or after(inst, Solution(), -math.inf)
    travel, sol, runs = CeilEuclideanTravel(), deepcopy(start.solution), deepcopy(start.runs)
    for cid, jobs in sorted(plan.items()):
        run = runs[cid]
        for job in jobs:
            t = math.ceil(max(run.free_at, start.at, max(inst.orders[i].placed_at for i in job)))
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
    ap.add_argument("--keep-before", type=float, nargs="+", metavar="T",
                    help="keep the rolling policy's assignments made before minute T, plan the rest (each T in turn)")
    args = ap.parse_args()
    for folder in args.instances:
        inst = read_instance(folder)
        online = simulate(inst, "rolling", seed=args.seed).solution
        for t in args.keep_before or [-math.inf]:
            t0 = time.process_time()
            start = after(inst, online, t)
            sol = to_solution(inst, search(inst, start, from_solution(online, since=t), args), start)
            kept = f", kept before {t:g}" if t > -math.inf else ""
            print(f"{inst.name}: rolling {_summary(inst, online)} | hindsight{kept} {_summary(inst, sol)}"
                  f" ({args.iterations} iterations, {time.process_time() - t0:.0f} s CPU)", flush=True)
            if args.out:
                write_solution(sol, args.out / (inst.name if t == -math.inf else f"{inst.name}-kept-{t:g}"))


def search(inst: Instance, start: Start, plan: Plan, args: argparse.Namespace) -> Plan:
    """The route search over every order still open, knowing them all, from `plan`; annealing cools
    from stage to stage."""
    context = DispatchContext(CeilEuclideanTravel(), rules_of(inst), seed=args.seed)
    now = start.at if start.at > -math.inf else min(c.shift_start for c in start.couriers)
    rng = random.Random(args.seed)
    for stage in range(args.stages):
        temperature = args.hot * (args.cold / args.hot) ** (stage / max(1, args.stages - 1))
        params = RouteSearchParams(iterations=args.iterations // args.stages, temperature=temperature)
        plan = plan_routes(start.orders, start.couriers, now, context, params, rng, plan).by_courier()
    return plan

if __name__ == "__main__":
    main()
