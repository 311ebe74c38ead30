"""Do a city's reads slow down as its history grows? The same reads on a city without history and
on one that has delivered `--history` orders, in the same process.

    .venv/bin/python benchmarks/dispatch_live/history_reads.py [--history 20000] [--repeat 7]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]

Each city is the demo's shops on a fresh database (SQLite in a temporary folder unless
`--database-url`, then a throw-away schema), 30 couriers on shift, and first `--history` orders of
days gone by, each through its whole life (`tick._live_history`: placed, offered, accepted, picked
up, delivered, one in four told an arrival), one every three minutes, then 60 confirmed orders
placed over the last 20 minutes, each told an arrival, and one tick of the live dispatcher. Then
each read below runs `--repeat` times and its median CPU milliseconds is kept:

- `board`: the console's board (open orders by state, the last finished ones);
- `kpis`: the console's figures of the day (orders, click-to-door, late share);
- `map`: the console map's live layers;
- `old order page` / `new order page`: the console's page of the first order ever placed and of the
  newest (its timeline, jobs, messages);
- `tracking`: ten customers' tracking views;
- `roster`: the console's list of couriers (jobs, last shift ends);
- `courier app`: a courier's home screen in the app (its offer, its job, its last deliveries);
- `lateness`: the dispatcher's once-a-minute running-late check;
- `tick`: one tick of the live dispatcher.

A ratio near 1 means the read does not care how long the city has been in service. See PROTOCOL.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from allo.domain.clock import FixedClock
from allo.domain.courier import Vehicle
from allo.domain.user import Role
from allo.services import console, console_detail, console_map, courier_app, couriers, lateness, tracking
from allo.services.dispatching import LiveDispatcher
from allo.services.principal import SYSTEM, Principal
from tick import _live_history, _near_centre, _place_orders, demo_city  # noqa: E402 - this folder is on the path

READS = ("board", "kpis", "map", "old order page", "new order page", "tracking", "roster", "courier app", "lateness",
         "tick")


def _reads(app: Any, dispatcher: LiveDispatcher) -> dict[str, Callable[[], Any]]:
    with app.ctx.uow() as uow:
        oldest = uow.orders.list(limit=1, oldest_first=True)[0].id
        newest = uow.orders.list(limit=10)
        courier = uow.couriers.list()[0]
    tokens = [o.tracking_token for o in newest if o.tracking_token]
    return {
        "board": lambda: console.board(app.ctx, principal=SYSTEM),
        "kpis": lambda: console.kpis(app.ctx, principal=SYSTEM),
        "map": lambda: console_map.live_layers(app.ctx, principal=SYSTEM),
        "old order page": lambda: console_detail.order_detail(app.ctx, principal=SYSTEM, order_id=oldest),
        "new order page": lambda: console_detail.order_detail(app.ctx, principal=SYSTEM, order_id=newest[0].id),
        "tracking": lambda: [tracking.track(app.ctx, token=t) for t in tokens],
        "roster": lambda: console.roster(app.ctx, principal=SYSTEM),
        "courier app": lambda: courier_app.home(app.ctx, principal=Principal("bench", "courier", Role.COURIER, courier_id=courier.id)),
        "lateness": lambda: lateness.tell_running_late(app.ctx, {}),
        "tick": dispatcher.tick,
    }


def city_reads(history: int, args: argparse.Namespace) -> dict[str, float]:
    """Median CPU milliseconds of each read on a city that has delivered `history` orders."""
    rng = random.Random(args.seed)
    clock = FixedClock()
    with demo_city(args.database_url, f"allo_hist_{rng.getrandbits(40):010x}_{history}", clock) as app:
        fleet = []
        for i in range(30):
            c = couriers.create_courier(app.ctx, principal=SYSTEM, name=f"courier {i}", vehicle=Vehicle.BIKE)
            couriers.start_shift(app.ctx, principal=SYSTEM, courier_id=c.id)
            fleet.append(c.id)
        _live_history(app, clock, rng, fleet, history)
        _place_orders(app, clock, rng, 60, 1200, told=True)
        for cid in fleet:
            couriers.update_position(app.ctx, principal=SYSTEM, courier_id=cid, where=_near_centre(rng))
        dispatcher = LiveDispatcher(app.ctx, holder="bench", policy="rolling", interval=timedelta(seconds=5))
        dispatcher.tick()
        medians = {}
        for name, read in _reads(app, dispatcher).items():
            samples = []
            for _ in range(args.repeat):
                cpu = time.process_time()
                read()
                samples.append((time.process_time() - cpu) * 1000)
            medians[name] = statistics.median(samples)
        return medians


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--history", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--database-url", default=None)
    args = ap.parse_args()
    fresh, aged = city_reads(0, args), city_reads(args.history, args)
    backend = "postgresql" if args.database_url else "sqlite"
    print(f"{backend}: median CPU ms of {args.repeat} reads, without history and after {args.history} orders")
    print(f"{'read':<16} {'no history':>11} {'history':>9} {'ratio':>6}")
    for name in READS:
        print(f"{name:<16} {fresh[name]:>11.2f} {aged[name]:>9.2f} {aged[name] / max(fresh[name], 1e-6):>6.2f}")


if __name__ == "__main__":
    main()
