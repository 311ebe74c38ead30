"""How long one tick of the live dispatcher takes, and where the time goes.

    .venv/bin/python benchmarks/dispatch_live/tick.py [--orders 300] [--couriers 100] [--ticks 120]
        [--rate 10] [--told] [--history 0] [--travel straight]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]

Seeds the demo shops on a fresh database (SQLite in a temporary folder unless `--database-url`),
then `--couriers` couriers on shift around Monaco and `--orders` confirmed orders placed over the
last 30 minutes, and runs `--ticks` ticks of `LiveDispatcher` (production policy), five simulated
seconds apart, while `--rate` new orders a minute keep arriving. Every offer is accepted and picked
up at once and delivered 20 simulated minutes later, so busy couriers, jobs under way and new
offers all appear. Each tick is timed (wall and CPU
milliseconds) whole and by part: reading the snapshot, publishing the estimates, the engine's step,
the once-a-minute lateness check (with `--told`, every customer was told an arrival 25 minutes after
placing, so it has orders to time and to record as late); the rest is expiring offers, the lease and
writing the offers. The engine's share is the baseline:
the same process, the same ticks. With `--history N`, N orders of days gone by went through their
whole life first (placed, offered, accepted, picked up, delivered, a quarter of them told an arrival),
so the ticks run on a database that has been in service. See PROTOCOL.md.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from allo.bootstrap import build, travel_model
from allo.demo.seed import MONACO_CENTRE, seed_demo
from allo.domain.clock import FixedClock
from allo.domain.courier import Vehicle
from allo.domain.errors import DomainError
from allo.domain.geo import LatLon
from allo.domain.order import DropOff
from allo.services import assignments, couriers, lateness, orders
from allo.services.dispatching import LiveDispatcher
from allo.services.principal import SYSTEM
from allo.services.rides import CityRides
from allo.settings import Settings

KEY = "x4hVh0wM3Bz5yH2k9nQ7cR1tL6pD8sF0aJ2eG4iK6mM="
TOLD_AFTER = timedelta(minutes=25)


def _near_centre(rng: random.Random, metres: float = 1800.0) -> LatLon:
    dlat, dlon = rng.uniform(-1, 1) * metres / 111_000, rng.uniform(-1, 1) * metres / 80_000
    return LatLon(MONACO_CENTRE.lat + dlat, MONACO_CENTRE.lon + dlon)


def _timed(samples: dict[str, list[tuple[float, float]]], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kw: Any) -> Any:
        w, c = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kw)
        finally:
            samples[name].append(((time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000))
    return wrapper


def _shops(app: Any) -> list[tuple[str, list[str]]]:
    """Each demo shop with the skus of its catalog."""
    with app.ctx.uow() as uow:
        return [(m.id, [i.sku for i in uow.merchants.get_catalog(m.id).items]) for m in uow.merchants.list()]


def _one_order(app: Any, rng: random.Random, shops: list[tuple[str, list[str]]], street: str,
               told: bool) -> Any:
    """A confirmed order of one item (the first that needs no option) from a random shop to a place
    around the centre; with `told`, its customer was told an arrival `TOLD_AFTER` after placing (as
    the chat does). None if no item of that shop could be ordered so."""
    merchant, skus = rng.choice(shops)
    for sku in skus:
        try:
            order = orders.create_order(app.ctx, principal=SYSTEM, merchant_id=merchant,
                                        lines=[orders.LineRequest(sku, 1)],
                                        dropoff=DropOff(street, _near_centre(rng)), confirm=True)
        except DomainError:
            continue  # an item with a required option: try the next
        if told:
            with app.ctx.uow() as uow:
                uow.promises.tell(order.id, order.created_at + TOLD_AFTER, at=order.created_at)
                uow.commit()
        return order
    return None


def _place_orders(app: Any, clock: FixedClock, rng: random.Random, n: int, over_seconds: float,
                  told: bool = False) -> None:
    """`n` confirmed orders to places around the centre, spread over `over_seconds`; with `told`, each
    customer was told an arrival `TOLD_AFTER` after placing (as the chat does)."""
    shops = _shops(app)
    for placed in range(n):
        _one_order(app, rng, shops, f"{placed} rue de test", told)
        if over_seconds:
            clock.advance(seconds=over_seconds / n)


@contextmanager
def demo_city(database_url: str | None, name: str, clock: FixedClock) -> Iterator[Any]:
    """The demo's shops on a fresh database of their own, without a dispatcher of their own: SQLite in
    a temporary folder, or a throw-away PostgreSQL schema (`name`) dropped afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="allo-bench-"))
    url = _in_schema(database_url, name) if database_url else f"sqlite:///{folder / 'allo.db'}"
    app = build(Settings(data_dir=folder, database_url=url, secret_key=KEY, dispatch=False), clock=clock,
                migrate_now=True)
    try:
        seed_demo(app.ctx, password="benchmark password")
        yield app
    finally:
        app.close()
        shutil.rmtree(folder, ignore_errors=True)
        if database_url:
            _drop_schema(database_url, name)


def _live_history(app: Any, clock: FixedClock, rng: random.Random, couriers_on_shift: list[str], n: int) -> None:
    """`n` orders of days gone by, each through its whole life (placed, offered to a courier, accepted,
    picked up, delivered; one in four told an arrival as the chat does), one every three minutes of
    simulated time, so the database holds the orders, jobs and events of a city in service."""
    shops = _shops(app)
    start = clock.now()
    clock.set(start - timedelta(minutes=3 * n))
    for k in range(n):
        order = _one_order(app, rng, shops, f"{k} rue du passé", told=k % 4 == 0)
        if order is None:
            continue
        a = assignments.offer(app.ctx, principal=SYSTEM, courier_id=couriers_on_shift[k % len(couriers_on_shift)],
                              order_ids=[order.id], manual=False)
        assignments.accept(app.ctx, principal=SYSTEM, assignment_id=a.id)
        assignments.picked_up(app.ctx, principal=SYSTEM, assignment_id=a.id)
        clock.advance(minutes=2)
        assignments.delivered(app.ctx, principal=SYSTEM, assignment_id=a.id, order_id=order.id)
        clock.advance(minutes=1)
    clock.set(start)


def run(args: argparse.Namespace) -> dict[str, list[tuple[float, float]]]:
    rng = random.Random(args.seed)
    clock = FixedClock()
    with demo_city(args.database_url, f"allo_tick_{rng.getrandbits(40):010x}", clock) as app:
        fleet = []
        for i in range(args.couriers):
            vehicle = rng.choice([Vehicle.BIKE, Vehicle.BIKE, Vehicle.SCOOTER, Vehicle.FOOT])
            c = couriers.create_courier(app.ctx, principal=SYSTEM, name=f"courier {i}", vehicle=vehicle)
            couriers.start_shift(app.ctx, principal=SYSTEM, courier_id=c.id)
            fleet.append(c.id)
        if args.history:
            _live_history(app, clock, rng, fleet, args.history)
        _place_orders(app, clock, rng, args.orders, 1800, args.told)
        for cid in fleet:
            couriers.update_position(app.ctx, principal=SYSTEM, courier_id=cid, where=_near_centre(rng))
        app.ctx.rides = CityRides(travel_model(getattr(args, "travel", "straight")))  # as `build` sets it
        d = LiveDispatcher(app.ctx, holder="bench", policy=args.policy, interval=timedelta(seconds=5),
                           travel=app.ctx.rides.travel)
        samples: dict[str, list[tuple[float, float]]] = defaultdict(list)
        d.snapshot_in = _timed(samples, "snapshot", d.snapshot_in)  # type: ignore[method-assign]
        d.publish_estimates = _timed(samples, "estimates", d.publish_estimates)  # type: ignore[method-assign]
        d.engine.step = _timed(samples, "engine", d.engine.step)  # type: ignore[method-assign]
        untimed = lateness.tell_running_late
        lateness.tell_running_late = _timed(samples, "lateness", untimed)  # put back below
        try:
            _tick_on(app, clock, rng, d, args, _timed(samples, "tick", d.tick))
        finally:
            lateness.tell_running_late = untimed
        return samples


def _tick_on(app: Any, clock: FixedClock, rng: random.Random, d: LiveDispatcher, args: argparse.Namespace,
             tick: Callable[[], int]) -> None:
    """`args.ticks` ticks five simulated seconds apart, new orders arriving, every offer accepted and
    picked up at once and delivered 20 minutes later."""
    due: list[tuple[Any, str, str]] = []  # (delivery time, assignment, order)
    owed = 0.0
    for _ in range(args.ticks):
        owed += args.rate / 12
        if owed >= 1:
            _place_orders(app, clock, rng, int(owed), 0, args.told)
            owed -= int(owed)
        tick()
        with app.ctx.uow() as uow:
            offered = uow.assignments.list(status=[assignments.AssignmentStatus.OFFERED], limit=10_000)
        for a in offered:
            assignments.accept(app.ctx, principal=SYSTEM, assignment_id=a.id)
            assignments.picked_up(app.ctx, principal=SYSTEM, assignment_id=a.id)
            due += [(clock.now() + timedelta(minutes=20), a.id, oid) for oid in a.order_ids]
        clock.advance(seconds=5)
        for item in [x for x in due if x[0] <= clock.now()]:
            assignments.delivered(app.ctx, principal=SYSTEM, assignment_id=item[1], order_id=item[2])
            due.remove(item)


def _in_schema(base_url: str, schema: str) -> str:
    """A throw-away PostgreSQL schema, so the benchmark never touches the database's own tables."""
    from urllib.parse import quote

    from sqlalchemy import create_engine, text

    from allo.adapters.storage.database import normalise_url

    admin = create_engine(normalise_url(base_url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return f"{base_url}{'&' if '?' in base_url else '?'}options={quote(f'-csearch_path={schema}')}"


def _drop_schema(base_url: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    from allo.adapters.storage.database import normalise_url

    admin = create_engine(normalise_url(base_url))
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orders", type=int, default=300)
    ap.add_argument("--couriers", type=int, default=100)
    ap.add_argument("--ticks", type=int, default=120)
    ap.add_argument("--rate", type=float, default=10.0, help="new orders a minute during the ticks")
    ap.add_argument("--policy", default="rolling")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--told", action="store_true",
                    help="each customer was told an arrival 25 min after placing: the lateness check has work")
    ap.add_argument("--travel", default="straight", help="the dispatcher's travel model (Settings.travel_model)")
    ap.add_argument("--history", type=int, default=0,
                    help="orders of days gone by, each placed, dispatched and delivered before the ticks")
    args = ap.parse_args()
    samples = run(args)
    backend = "postgresql" if args.database_url else "sqlite"
    print(f"{backend}, travel {args.travel}: {args.history} orders delivered before, {args.orders} orders waiting, {args.couriers} couriers, {args.ticks} ticks with {args.rate:g} "
          f"new orders a minute, policy {args.policy}")
    print(f"{'part':<10} {'n':>4} {'wall p50':>9} {'wall p99':>9} {'cpu p50':>8} {'cpu p99':>8} {'cpu total':>10}")
    total_cpu = sum(c for _, c in samples["tick"])
    for name in ("tick", "snapshot", "estimates", "engine", "lateness"):
        rows = samples[name]
        if not rows:
            continue
        walls, cpus = [w for w, _ in rows], [c for _, c in rows]
        print(f"{name:<10} {len(rows):>4} {_pct(walls, .5):>9.1f} {_pct(walls, .99):>9.1f} {_pct(cpus, .5):>8.1f} "
              f"{_pct(cpus, .99):>8.1f} {sum(cpus):>10.1f}")
    engine = sum(c for _, c in samples["engine"])
    print(f"engine share of the ticks' CPU: {engine / total_cpu:.2f}; "
          f"snapshot {sum(c for _, c in samples['snapshot']) / total_cpu:.2f}; "
          f"estimates {sum(c for _, c in samples['estimates']) / total_cpu:.2f}")
    first = samples["tick"][0]
    print(f"first tick (the whole backlog at once): {first[0]:.1f} ms wall, {first[1]:.1f} ms CPU; later ticks "
          f"median {statistics.median(w for w, _ in samples['tick'][1:]):.1f} ms wall")


if __name__ == "__main__":
    main()
