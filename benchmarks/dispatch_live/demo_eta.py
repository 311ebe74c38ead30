"""How well the times told to the demo's customers hold, with one travel model or another.

    .venv/bin/python benchmarks/dispatch_live/demo_eta.py [--travel straight] [--minutes 120] [--seed 0]
        [--service demo|mdrp] [--rate 3] [--speed 20] [--ratios]

The demo world (`allo demo`'s simulation: customers ordering by web chat, shops confirming with a
ready estimate, couriers riding the shipped streets of Monaco, at their vehicle's speed, on the
drivable network or, on foot, the walkable one; `--rate` customers a wall minute at `--speed`, the
demo's defaults: 0.15 a simulated minute for its five couriers) runs for `--minutes` simulated minutes on a fresh
SQLite database and a FixedClock, in steps of 10 seconds; each step runs the worker once (the chat,
the notifications, a dispatcher tick when due). The dispatcher's travel model is `--travel`
(`Settings.travel_model`); the service times it plans with are `--service`: the demo couriers' stays
at the shop and the door, as `allo demo` sets them (`CourierHabits.planned_service_minutes`), or the
MDRP's 4 + 4 minutes, the default of `allo serve`. For each order delivered, the report sets the door time against the
arrival time its customer was told on ordering (by the chat), against the dispatcher's plan when
a courier was offered the order, and against the time its tracking page showed at every step while
a courier had it; it also gives the orders' click-to-door time and the ticks'
CPU. With `--ratios`, it prints instead how much longer than the straight line the streets are
between 400 pairs of the demo's addresses (more than 200 m apart), by road and on foot. See PROTOCOL.md.
"""

from __future__ import annotations

import argparse
import itertools
import re
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from allo.bootstrap import build
from allo.demo.seed import seed_demo
from allo.domain.clock import FixedClock
from allo.domain.order import OrderStatus
from allo.settings import Settings
from allo.simulation.live.couriers import CourierHabits
from allo.simulation.live.runner import build_demo_world, road_routers
from allo.simulation.live.world import DemoOptions

KEY = "x4hVh0wM3Bz5yH2k9nQ7cR1tL6pD8sF0aJ2eG4iK6mM="
STEP = timedelta(seconds=10)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Door minus the time told on ordering, door minus the first offer's plan (minutes, per delivered
    order), click-to-door minutes, and the dispatcher's ticks' CPU milliseconds."""
    folder = Path(tempfile.mkdtemp(prefix="allo-demo-eta-"))
    clock = FixedClock()
    serial = itertools.count(1)  # identifiers in creation order, so a run repeats itself (tie-breaks follow ids)
    pickup, dropoff = CourierHabits().planned_service_minutes() if args.service == "demo" else (4.0, 4.0)
    app = build(Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'allo.db'}", secret_key=KEY,
                         travel_model=args.travel, pickup_service_minutes=pickup, dropoff_service_minutes=dropoff),
                clock=clock, migrate_now=True,
                new_id=lambda: str(uuid.UUID(int=next(serial))))
    try:
        app.ctx.password_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        seed_demo(app.ctx, password="a demo password")
        world = build_demo_world(app, DemoOptions(rate_per_minute=args.rate, speed=args.speed, seed=args.seed,
                                                  decline_rate=0.0, status_question_rate=0.0),
                                 router_for=road_routers())
        assert app.worker is not None and app.dispatcher is not None
        ticks: list[float] = []
        tick = app.dispatcher.tick

        def timed_tick() -> int:
            cpu = time.process_time()
            try:
                return tick()
            finally:
                ticks.append((time.process_time() - cpu) * 1000)

        app.dispatcher.tick = timed_tick  # type: ignore[method-assign]
        told: dict[str, datetime] = {}
        planned: dict[str, datetime] = {}
        shown: dict[str, list[datetime]] = {}
        for _ in range(int(timedelta(minutes=args.minutes) / STEP)):
            clock.advance(seconds=STEP.total_seconds())
            app.worker.run_once()
            world.step()
            _note_first_times(app, told, planned)
            _note_tracking_pages(app, shown)
        with app.ctx.uow() as uow:
            done = [o for o in uow.orders.list(status=[OrderStatus.DELIVERED], limit=10_000)]
        door = {o.id: o.time_of(OrderStatus.DELIVERED) for o in done}
        return {
            "orders": len(told), "delivered": len(done),
            "vs_told": [_minutes(door[i] - told[i]) for i in door if i in told],
            "vs_plan": [_minutes(door[i] - planned[i]) for i in door if i in planned],
            "vs_shown": [_minutes(door[i] - at) for i in door for at in shown.get(i, [])],
            "click_to_door": [_minutes(door[o.id] - o.created_at) for o in done],
            "ticks": ticks,
            "chats": _chat_figures(app),
        }
    finally:
        app.close()
        shutil.rmtree(folder, ignore_errors=True)


def _chat_figures(app: Any) -> dict[str, int]:
    """What the simulated customers went through in the chat: how many wrote, how many orders were
    placed, how many messages they sent, and the replies that mean the shop did not follow."""
    from sqlalchemy import select

    from allo.adapters.storage.repositories.messaging import INBOX_TEXT_CTX, OUTBOX_TEXT_CTX
    from allo.adapters.storage.tables import inbox_messages, outbox_messages

    with app.engine.connect() as conn:
        inbound = list(conn.execute(select(inbox_messages.c.sender_hash, inbox_messages.c.text_enc)))
        replies = [app.cipher.decrypt(r.text_enc, OUTBOX_TEXT_CTX) or ""
                   for r in conn.execute(select(outbox_messages.c.text_enc))]
    assert all(app.cipher.decrypt(r.text_enc, INBOX_TEXT_CTX) is not None for r in inbound)
    return {
        "customers": len({r.sender_hash for r in inbound}), "messages": len(inbound),
        "placed": sum(bool(re.search(r"(?:confirmée|confirmed)\. Total", t)) for t in replies),
        "not_understood": sum("n'ai pas compris" in t or "didn't understand" in t for t in replies),
        "address_not_found": sum("Je ne trouve pas l'adresse" in t or "I can't find the address" in t for t in replies),
    }


def _note_first_times(app: Any, told: dict[str, datetime], planned: dict[str, datetime]) -> None:
    """The first arrival time told to each order's customer, and the first offer's planned drop-off."""
    with app.ctx.uow() as uow:
        for o in uow.orders.list(status=[OrderStatus.CONFIRMED, OrderStatus.READY, OrderStatus.ASSIGNED],
                                 limit=1_000):
            if o.id not in told and (at := uow.promises.told(o.id)) is not None:
                told[o.id] = at
        for a in uow.assignments.list(limit=200):
            for oid, at in a.planned_dropoff_at.items():
                planned.setdefault(oid, at)


def street_ratios(seed: int, pairs: int = 400) -> dict[str, list[float]]:
    """Street distance over straight distance between random pairs of the demo's address points more
    than 200 m apart, on the drivable and on the walkable network."""
    import random

    from allo.adapters.geo.road_network import load_monaco_road_network
    from allo.demo.seed import DELIVERY_RADIUS_M, MONACO_CENTRE
    from allo.domain.geo import LocalProjection, Polygon
    from allo.services.rides import CITY_ORIGIN
    from allo.simulation.live.addresses import load_demo_addresses

    plane = LocalProjection(CITY_ORIGIN)
    book = load_demo_addresses(Polygon.circle(MONACO_CENTRE, DELIVERY_RADIUS_M))
    points = [plane.to_plane(p.location) for p in book.points if p.location is not None]
    ratios: dict[str, list[float]] = {}
    for mode in ("drive", "walk"):
        rng, network = random.Random(seed), load_monaco_road_network(mode, plane)  # type: ignore[arg-type]
        ratios[mode] = [network.distance_m(a, b) / a.distance_to(b)
                        for a, b in (rng.sample(points, 2) for _ in range(pairs)) if a.distance_to(b) > 200]
    return ratios


def _note_tracking_pages(app: Any, shown: dict[str, list[datetime]]) -> None:
    """The arrival time each order's tracking page shows now, while a courier has the order."""
    from allo.services import tracking

    with app.ctx.uow() as uow:
        tokens = [o.tracking_token for o in uow.orders.list(status=[OrderStatus.ASSIGNED, OrderStatus.PICKED_UP],
                                                            limit=1_000) if o.tracking_token]
    for token in tokens:
        page = tracking.track(app.ctx, token=token)
        if page.eta is not None:
            shown.setdefault(page.order_id, []).append(page.eta)


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60


def _summary(name: str, gaps: list[float]) -> str:
    if not gaps:
        return f"{name}: none"
    qs = statistics.quantiles(gaps, n=10)
    late, early = sum(g >= 10 for g in gaps), sum(g <= -10 for g in gaps)
    return (f"{name}: {len(gaps)} orders, 10+ min late {late}, 10+ min early {early}, "
            f"p10 / p50 / p90 {qs[0]:+.1f} / {statistics.median(gaps):+.1f} / {qs[-1]:+.1f} min, "
            f"mean |gap| {statistics.fmean(abs(g) for g in gaps):.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--travel", default="straight")
    ap.add_argument("--minutes", type=int, default=120)
    ap.add_argument("--service", choices=("demo", "mdrp"), default="demo",
                    help="service times planned: the demo couriers' stays (as `allo demo`) or the MDRP's 4 + 4 min")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rate", type=float, default=3.0, help="new customers a wall minute (the demo's default)")
    ap.add_argument("--speed", type=float, default=20.0, help="demo minutes a wall minute (the demo's default)")
    ap.add_argument("--ratios", action="store_true", help="print the streets' length against the straight line")
    args = ap.parse_args()
    if args.ratios:
        for mode, rs in street_ratios(args.seed).items():
            q = statistics.quantiles(rs, n=10)
            print(f"{mode}: {len(rs)} pairs, street / straight p10 {q[0]:.2f}, median {statistics.median(rs):.2f}, "
                  f"p90 {q[-1]:.2f}")
        return
    r = run(args)
    print(f"travel {args.travel}, service {args.service}, seed {args.seed}, {args.minutes} min: "
          f"{r['orders']} orders told a time, "
          f"{r['delivered']} delivered")
    print(_summary("door − time told on ordering", r["vs_told"]))
    print(_summary("door − first offer's plan", r["vs_plan"]))
    print(_summary("door − tracking page's time, every 10 s while a courier has the order", r["vs_shown"])
          .replace(" orders,", " views,"))
    ctd = r["click_to_door"]
    if ctd:
        print(f"click-to-door: mean {statistics.fmean(ctd):.1f} min, p90 {statistics.quantiles(ctd, n=10)[-1]:.1f}")
    c = r["chats"]
    print(f"chats: {c['customers']} customers, {c['placed']} orders placed, "
          f"{c['messages'] / max(c['placed'], 1):.2f} customer messages an order, "
          f"{c['not_understood']} replies 'not understood', {c['address_not_found']} 'address not found'")
    t = r["ticks"]
    print(f"dispatcher ticks: {len(t)}, CPU p50 {statistics.median(t):.1f} ms, p99 "
          f"{sorted(t)[int(0.99 * (len(t) - 1))]:.1f} ms, total {sum(t):.0f} ms")


if __name__ == "__main__":
    main()
