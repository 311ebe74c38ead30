"""What one read of a customer's tracking page costs when the city is busy.

    .venv/bin/python benchmarks/dispatch_live/tracking_read.py [--jobs 300] [--waiting 200] [--reads 3]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]

Seeds the demo shops on a fresh database (SQLite in a temporary folder unless `--database-url`, then a
throw-away schema), then `--jobs` couriers each with an accepted job (half of them picked up) and
`--waiting` confirmed orders no courier has yet. Every order's tracking view (`tracking.track`: the
order, its job, its courier, the arrival time) is then read `--reads` times over, and each read is
timed (wall and CPU milliseconds), apart for orders with a job and orders still waiting. Customers'
pages read it at every change of their order, so its cost grows with the city. See PROTOCOL.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from allo.domain.clock import FixedClock
from allo.domain.courier import Vehicle
from allo.services import assignments, couriers, tracking
from allo.services.principal import SYSTEM
from tick import _near_centre, _place_orders, demo_city  # noqa: E402 - this folder is on the path


def run(args: argparse.Namespace) -> dict[str, list[tuple[float, float]]]:
    rng = random.Random(args.seed)
    clock = FixedClock()
    with demo_city(args.database_url, f"allo_track_{rng.getrandbits(40):010x}", clock) as app:
        _place_orders(app, clock, rng, args.jobs + args.waiting, 0)
        with app.ctx.uow() as uow:
            placed = uow.orders.list(limit=args.jobs + args.waiting, oldest_first=True)
        for i, order in enumerate(placed[:args.jobs]):
            c = couriers.create_courier(app.ctx, principal=SYSTEM, name=f"courier {i}", vehicle=Vehicle.BIKE)
            couriers.start_shift(app.ctx, principal=SYSTEM, courier_id=c.id)
            couriers.update_position(app.ctx, principal=SYSTEM, courier_id=c.id, where=_near_centre(rng))
            job = assignments.offer(app.ctx, principal=SYSTEM, courier_id=c.id, order_ids=[order.id],
                                    planned_pickup_at=clock.now(), planned_dropoff_at={order.id: clock.now()})
            assignments.accept(app.ctx, principal=SYSTEM, assignment_id=job.id)
            if i % 2:
                assignments.picked_up(app.ctx, principal=SYSTEM, assignment_id=job.id)
        tokens = [("with a job" if i < args.jobs else "waiting", o.tracking_token or "") for i, o in enumerate(placed)]
        samples: dict[str, list[tuple[float, float]]] = {"with a job": [], "waiting": []}
        for _ in range(args.reads):
            for kind, token in tokens:
                w, c = time.perf_counter(), time.process_time()
                tracking.track(app.ctx, token=token)
                samples[kind].append(((time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000))
        return samples


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--waiting", type=int, default=200)
    parser.add_argument("--reads", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    samples = run(args)
    backend = "postgresql" if args.database_url else "sqlite"
    print(f"{backend}: {args.jobs} orders with a job, {args.waiting} waiting, {args.reads} reads of each")
    print(f"{'orders':<11} {'n':>5} {'wall p50':>9} {'wall p99':>9} {'cpu p50':>8} {'cpu mean':>9} {'cpu total':>10}")
    for kind, rows in samples.items():
        walls, cpus = [r[0] for r in rows], [r[1] for r in rows]
        print(f"{kind:<11} {len(rows):>5} {_pct(walls, .5):>9.2f} {_pct(walls, .99):>9.2f} {_pct(cpus, .5):>8.2f} "
              f"{statistics.fmean(cpus):>9.2f} {sum(cpus):>10.0f}")


if __name__ == "__main__":
    main()
