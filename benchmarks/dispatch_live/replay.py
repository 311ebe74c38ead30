"""An MDRP day through the live loop: does `allo serve`'s dispatcher deliver what the simulator does?

    .venv/bin/python benchmarks/dispatch_live/replay.py ../shared/benchmarks/mdrp/instances/0o50t100s2p100
        [--policy rolling] [--seed 0] [--database-url postgresql://postgres@127.0.0.1:5432/test]

The instance is replayed minute by minute on a fresh database (SQLite in a temporary folder unless
`--database-url`, then a throw-away schema): one shop per restaurant and one driver per courier,
placed on the map around Monaco by the dispatcher's own projection. Each minute, as a shop and its
couriers would: the orders placed that minute are created, confirmed with the kitchen's estimate
(the instance's ready time, `ready_in_minutes`) and marked ready when it comes; couriers, whose
shifts were booked at the start of the day (start, end, place), start them at their on-time and
report where they are while idle; then one tick
of `LiveDispatcher` runs (interval one minute, the simulator's epoch), every offer is accepted at
once, and the job is driven under the MDRP rules (the simulator's `execute`: travel, services,
pickup no earlier than ready), with the arrival at the shop, the pickup and each drop-off reported
through the same services as
the courier app. The live run's solution is then checked by the MDRP checker and its metrics set
next to `simulate()` on the same instance, policy and seed, in the same process. Each order also
keeps the arrival time the chat would have told its customer on ordering, so the dispatcher's
lateness check runs as for chat customers: the replay reports how many were told their order runs
late, and how many orders came to the door 10 minutes or more after (or before) the last time told.

Variants: `--no-bookings` (couriers unknown until they start), `--usual-prep` (no estimate per
order: each shop's usual time), `--decline-rate` (couriers decline that share of their offers),
`--no-show-rate` (that share of the couriers never comes, booked or not), `--optimistic-kitchens`
(each kitchen's estimates are early by a bias of its own, learned by the dispatcher or not).

The dispatcher is given the instance's travel model (whole minutes at the instance's speed) and
service times; the live snapshot is its own (positions, jobs under way, shift ends and bookings
from the database), and so are its order and courier identifiers (issued in creation order, so a
replay repeats itself; the engine's tie-breaks follow them).
"""

from __future__ import annotations

import argparse
import itertools
import random
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

from allo.bootstrap import build
from allo.dispatch.travel import CeilEuclideanTravel
from allo.domain.assignment import AssignmentStatus
from allo.domain.catalog import Catalog, CatalogItem
from allo.domain.clock import FixedClock
from allo.domain.courier import Vehicle
from allo.domain.geo import LatLon, Point, Polygon
from allo.domain.money import Money
from allo.domain.order import OPEN_FOR_DISPATCH, DropOff, OrderStatus
from allo.services import assignments, couriers, lateness, merchants, orders
from allo.services.conversations import quoted_minutes
from allo.services.dispatching import LiveDispatcher
from allo.services.principal import SYSTEM
from allo.settings import Settings
from allo.simulation.checker import ViolationCounts, check_solution
from allo.simulation.instance import Instance, read_instance
from allo.simulation.metrics import compute_metrics
from allo.simulation.simulator import CourierRun, execute, rules_of, simulate
from allo.simulation.solution import Solution
from tick import KEY, _drop_schema, _in_schema  # noqa: E402 - this folder is on the path when run as a script

T0 = datetime(2026, 11, 30, 0, 0, tzinfo=timezone.utc)  # minute 0 of the instance
CITY = LatLon(43.7384, 7.4246)
AT_SHOP, PICKED_UP, DELIVERED = 0, 1, 2  # what a courier reports, in the order it happens in a minute


@dataclass(frozen=True)
class InstanceSpeed:
    """The instance's travel model whatever speed the live snapshot gives (its vehicles have theirs)."""

    speed: float
    inner: CeilEuclideanTravel = field(default_factory=CeilEuclideanTravel)

    def travel_minutes(self, origin: Point, destination: Point, speed_m_per_min: float) -> float:
        return self.inner.travel_minutes(origin, destination, self.speed)

    def travel_minutes_many(self, xs: np.ndarray, ys: np.ndarray, dest: Point, speeds: np.ndarray) -> np.ndarray:
        return self.inner.travel_minutes_many(xs, ys, dest, np.full_like(speeds, self.speed))


@dataclass(frozen=True)
class Variant:
    """How the replayed city behaves, beyond the instance."""

    label: str = "live loop"
    estimates: bool = True  # the kitchen gives each order's ready time at confirmation (else: its usual time)
    bookings: bool = True  # couriers book their shift ahead (else: the dispatcher sees them once they start)
    decline_rate: float = 0.0  # the share of offers couriers decline (the order goes back to dispatch)
    no_show_rate: float = 0.0  # the share of couriers who never come (a booked one has not cancelled)
    optimism: float = 0.0  # each kitchen announces its orders up to this many minutes too early (its own bias)
    learn: bool = True  # the dispatcher corrects each kitchen's estimates by its lateness (production)


@dataclass
class Replay:
    """The live world of one instance: its ids both ways and the jobs being driven."""

    inst: Instance
    app: Any
    clock: FixedClock
    dispatcher: LiveDispatcher
    centre: Point
    variant: Variant
    shop: dict[str, str] = field(default_factory=dict)  # restaurant -> merchant id
    driver: dict[str, str] = field(default_factory=dict)  # instance courier -> live courier
    courier_of: dict[str, str] = field(default_factory=dict)  # live courier -> instance courier
    order: dict[str, str] = field(default_factory=dict)  # instance order -> live order
    order_of: dict[str, str] = field(default_factory=dict)
    runs: dict[str, CourierRun] = field(default_factory=dict)  # instance courier -> where and when free
    started: set[str] = field(default_factory=set)  # instance couriers whose shift has started
    due: list[tuple[float, int, str, str, str]] = field(default_factory=list)  # (minute, kind, ...)
    solution: Solution = field(default_factory=Solution)
    tick_ms: list[float] = field(default_factory=list)
    broken: int = 0  # offers the MDRP rules could not drive (pickup after the off-time)
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    declined: int = 0
    absent: set[str] = field(default_factory=set)  # instance couriers who never start their shift
    optimism: dict[str, int] = field(default_factory=dict)  # restaurant -> minutes its estimates are early
    lateness: "LatenessTold | None" = None  # once the day is over
    quoted: dict[str, datetime] = field(default_factory=dict)  # live order -> arrival quoted on ordering

    def at(self, p: Point) -> LatLon:
        return self.dispatcher.projection.to_latlon(Point(p.x - self.centre.x, p.y - self.centre.y))

    def now(self, minute: float) -> None:
        self.clock.set(T0 + timedelta(minutes=minute))


def set_up(inst: Instance, url: str, folder: Path, seed: int, policy: str, variant: Variant) -> Replay:
    clock = FixedClock(T0)
    serial = itertools.count(1)  # identifiers in creation order, so a replay repeats itself (tie-breaks follow ids)
    app = build(Settings(data_dir=folder, database_url=url, secret_key=KEY, dispatch=False), clock=clock,
                migrate_now=True, new_id=lambda: str(uuid.UUID(int=next(serial))))
    travel = InstanceSpeed(float(inst.params.meters_per_minute))
    d = LiveDispatcher(app.ctx, holder="replay", policy=policy, origin=CITY, travel=travel,
                       interval=timedelta(minutes=1), seed=seed)
    d.rules = rules_of(inst)
    d.engine = d._new_engine()
    app.ctx.rides = d.rides  # what customers are told rides on the instance's travel times too
    xs = [r.position.x for r in inst.restaurants.values()] + [o.position.x for o in inst.orders.values()]
    ys = [r.position.y for r in inst.restaurants.values()] + [o.position.y for o in inst.orders.values()]
    rp = Replay(inst, app, clock, d, Point((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2), variant)
    zone = Polygon.circle(CITY, 4 * max(max(xs) - min(xs), max(ys) - min(ys), 1000.0))
    item = CatalogItem("meal", "Meal", Money(1000))
    preps: dict[str, list[float]] = {}
    for o in inst.orders.values():
        preps.setdefault(o.restaurant_id, []).append(o.ready_at - o.placed_at)
    for rid, r in sorted(inst.restaurants.items()):
        usual = int(round(float(np.median(preps.get(rid, [10.0])))))  # the shop's usual preparation time
        m = merchants.create_merchant(app.ctx, principal=SYSTEM, name=f"restaurant {rid}", address=f"{rid} rue",
                                      pickup=rp.at(r.position), delivery_zone=zone, prep_minutes=usual)
        merchants.replace_catalog(app.ctx, principal=SYSTEM, merchant_id=m.id,
                                  catalog=Catalog(m.name, "EUR", (item,)))
        rp.shop[rid] = m.id
    for cid, c in sorted(inst.couriers.items()):
        live = couriers.create_courier(app.ctx, principal=SYSTEM, name=f"courier {cid}", vehicle=Vehicle.CAR).id
        rp.driver[cid], rp.courier_of[live] = live, cid
        rp.runs[cid] = CourierRun.at_start(c)
        if variant.bookings:  # booked at the start of the day, where the shift begins
            couriers.book_shift(app.ctx, principal=SYSTEM, courier_id=live, starts_at=T0 + timedelta(minutes=c.on_time),
                                ends_at=T0 + timedelta(minutes=c.off_time), start_place=rp.at(c.position))
    return rp


def minute(rp: Replay, t: int) -> None:
    """Everything the instance's shops and couriers do at minute `t`, then one dispatch tick."""
    inst, ctx = rp.inst, rp.app.ctx
    rp.now(t)
    for cid, c in inst.couriers.items():
        if c.on_time <= t < c.off_time and cid not in rp.started and cid not in rp.absent:
            rp.started.add(cid)
            couriers.start_shift(ctx, principal=SYSTEM, courier_id=rp.driver[cid], until=T0 + timedelta(minutes=c.off_time))
    for kind_minute, kind, cid, live_job, oid in sorted(x for x in rp.due if x[0] <= t):
        if kind == AT_SHOP:
            assignments.at_shop(ctx, principal=SYSTEM, assignment_id=live_job)
        elif kind == PICKED_UP:
            assignments.picked_up(ctx, principal=SYSTEM, assignment_id=live_job)
            _told_on_the_way(rp, live_job)
        else:
            assignments.delivered(ctx, principal=SYSTEM, assignment_id=live_job, order_id=oid)
        rp.due.remove((kind_minute, kind, cid, live_job, oid))
    for cid, c in inst.couriers.items():  # idle couriers on shift say where they are
        run = rp.runs[cid]
        if cid in rp.started and t < c.off_time and run.free_at <= t:
            couriers.update_position(ctx, principal=SYSTEM, courier_id=rp.driver[cid], where=rp.at(run.position))
    for o in sorted((o for o in inst.orders.values() if o.placed_at == t), key=lambda o: o.id):
        r = inst.restaurants[o.restaurant_id]
        placed = orders.create_order(ctx, principal=SYSTEM, merchant_id=rp.shop[r.id],
                                     lines=[orders.LineRequest("meal")],
                                     dropoff=DropOff(f"order {o.id}", rp.at(o.position)), confirm=True,
                                     ready_in_minutes=_announced(rp, o) if rp.variant.estimates else None)
        rp.order[o.id], rp.order_of[placed.id] = placed.id, o.id
        _told_on_placing(rp, placed)
    for o in inst.orders.values():
        if o.ready_at == t and o.id in rp.order:
            try:
                orders.order_action(ctx, principal=SYSTEM, order_id=rp.order[o.id],
                                    action=orders.OrderAction.MARK_READY)
            except Exception:  # noqa: BLE001 - already picked up or delivered: nothing to mark
                pass
    w = time.perf_counter()
    rp.dispatcher.tick()
    rp.tick_ms.append((time.perf_counter() - w) * 1000)
    with rp.app.ctx.uow() as uow:
        offered = uow.assignments.list(status=[AssignmentStatus.OFFERED], limit=10_000)
    for a in offered:
        if rp.rng.random() < rp.variant.decline_rate:
            assignments.decline(rp.app.ctx, principal=SYSTEM, assignment_id=a.id, reason="not now")
            rp.declined += 1
        else:
            drive(rp, a, t)


def _told_on_placing(rp: Replay, order: Any) -> None:
    """The arrival time the chat would have told the order's customer on placing it, kept as told (so
    the dispatcher's lateness check tells the customer of a delay, as it would a chat customer; the
    times told when a courier accepts and picks up follow, `_told_on_the_way`)."""
    with rp.app.ctx.uow() as uow:
        shop = uow.merchants.get(order.merchant_id)
        minutes = quoted_minutes(uow, shop, order.dropoff.location, order.created_at, rp.app.ctx.rides,
                                 rp.dispatcher.quote, order.id)
        if minutes is not None:
            rp.quoted[order.id] = order.created_at + timedelta(minutes=minutes)
            uow.promises.tell(order.id, rp.quoted[order.id], at=order.created_at)
            uow.commit()


def _told_on_the_way(rp: Replay, job_id: str) -> None:
    """The arrival time the chat's customer is told when a courier accepts and picks up (as the
    customer notifier tells it), kept as told."""
    with rp.app.ctx.uow() as uow:
        for oid in uow.assignments.get(job_id).order_ids:
            lateness.arrival_to_tell(uow, uow.orders.get(oid), rp.clock.now(), rp.app.ctx.rides)
        uow.commit()


@dataclass(frozen=True)
class LatenessTold:
    """What the customers would have been told of delays, against when their orders came."""

    told: int  # orders whose customer was told it runs late
    notices: int  # running-late notices in all
    missed: int  # at the door `LATE_WORTH_TELLING` or more after the last time told
    early: int  # at the door `LATE_WORTH_TELLING` or more before the last time told
    delivered: int
    quote_late: int  # at the door `LATE_WORTH_TELLING` or more after the time quoted on ordering
    quote_early: int  # as long before it
    quote_error: float  # median minutes between the door and the time quoted on ordering, either way
    quote_spread: tuple[float, float, float]  # 10th, 50th and 90th percentiles of door minus quote, minutes

    @classmethod
    def of(cls, rp: Replay) -> "LatenessTold":
        from sqlalchemy import func, select

        from allo.adapters.storage.tables import arrival_promises, domain_events

        with rp.app.ctx.uow() as uow:
            per_order = dict(uow.conn.execute(select(domain_events.c.aggregate_id, func.count()).where(
                domain_events.c.name == lateness.RUNNING_LATE).group_by(domain_events.c.aggregate_id)).all())
            told = dict(uow.conn.execute(select(arrival_promises.c.order_id, arrival_promises.c.arrival_at)).all())
            came = {o.id: o.time_of(OrderStatus.DELIVERED) for o in uow.orders.list(
                status=[OrderStatus.DELIVERED], limit=1_000_000)}
        at_door = timedelta(minutes=rp.inst.params.dropoff_service / 2)  # reported delivered once handed over

        def door_minus(times: dict[str, datetime]) -> list[timedelta]:
            return [came[oid] - at_door - times[oid] for oid in came if oid in times and came[oid] is not None]

        gaps, quoted = door_minus(told), door_minus(rp.quoted)
        worth = lateness.LATE_WORTH_TELLING
        return cls(len(per_order), sum(per_order.values()), sum(g >= worth for g in gaps),
                   sum(-g >= worth for g in gaps), len(gaps), sum(g >= worth for g in quoted),
                   sum(-g >= worth for g in quoted),
                   float(np.median([abs(g.total_seconds()) / 60 for g in quoted])) if quoted else 0.0,
                   tuple(np.percentile([g.total_seconds() / 60 for g in quoted], [10, 50, 90])) if quoted else (0, 0, 0))


def _announced(rp: Replay, o: Any) -> int:
    """The kitchen's estimate for an order, in minutes from now: the truth, less the kitchen's optimism."""
    return max(0, int(o.ready_at - o.placed_at) - rp.optimism.get(o.restaurant_id, 0))


def drive(rp: Replay, a: Any, t: int) -> None:
    """The courier accepts at once and does the job under the MDRP rules."""
    assignments.accept(rp.app.ctx, principal=SYSTEM, assignment_id=a.id)
    _told_on_the_way(rp, a.id)
    cid = rp.courier_of[a.courier_id]
    ids = tuple(rp.order_of[oid] for oid in a.order_ids)
    before = len(rp.solution.orders)
    run, shop = rp.runs[cid], rp.inst.restaurants[rp.inst.orders[ids[0]].restaurant_id]
    arrive = t + rp.dispatcher.travel.travel_minutes(run.position, shop.position, float(rp.inst.params.meters_per_minute))
    try:
        execute(rp.inst, run, ids, t, rp.dispatcher.travel, rp.solution)
    except RuntimeError:
        rp.broken += 1
        return
    half = rp.inst.params.dropoff_service / 2
    pickup = rp.solution.assignments[-1].pickup_at
    rp.due.append((arrive, AT_SHOP, cid, a.id, ""))  # says so in the app, as a courier waiting for the food would
    rp.due.append((pickup, PICKED_UP, cid, a.id, ""))
    for rec in rp.solution.orders[before:]:
        rp.due.append((rec.dropoff_at + half, DELIVERED, cid, a.id, rp.order[rec.order_id]))


def replay(inst: Instance, url: str, folder: Path, seed: int, policy: str, variant: Variant = Variant()) -> Replay:
    rp = set_up(inst, url, folder, seed, policy, variant)
    rp.rng = random.Random(seed)
    ids = sorted(inst.couriers)
    rp.absent = set(random.Random(seed + 1).sample(ids, round(variant.no_show_rate * len(ids))))
    bias = random.Random(seed + 2)
    rp.optimism = {r: round(bias.uniform(0, variant.optimism)) for r in sorted(inst.restaurants)}
    rp.dispatcher.learn_lateness = variant.learn
    start = min(o.placed_at for o in inst.orders.values())
    last = max(c.off_time for c in inst.couriers.values())
    placed_last = max(o.placed_at for o in inst.orders.values())
    t = start
    while t <= last or rp.due:
        minute(rp, t)
        t += 1
        if t > placed_last and not rp.due and not _open_orders(rp):
            break  # every order placed is delivered (or out of every courier's reach): the day is over
    return rp


def _open_orders(rp: Replay) -> int:
    with rp.app.ctx.uow() as uow:
        return len(uow.orders.list(status=list(OPEN_FOR_DISPATCH), limit=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("instances", nargs="+", type=Path)
    ap.add_argument("--policy", default="rolling")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--usual-prep", action="store_true",
                    help="also replay with no per-order estimate: each shop's usual (median) preparation time, "
                         "and the order marked ready when it is")
    ap.add_argument("--decline-rate", type=float, default=0.0,
                    help="also replay with couriers declining this share of their offers (drawn with the seed)")
    ap.add_argument("--no-show-rate", type=float, default=0.0,
                    help="also replay with this share of the couriers never coming (with and without bookings)")
    ap.add_argument("--optimistic-kitchens", type=float, default=0.0,
                    help="also replay with each kitchen announcing its orders up to this many minutes early "
                         "(a bias of its own), with and without the dispatcher learning it")
    ap.add_argument("--no-bookings", action="store_true",
                    help="also replay with no shift booked ahead: couriers appear when they start")
    args = ap.parse_args()
    print("instance | run | delivered | mean CtD | excess over LB | % over 40 | avoidably over 90 | rules broken | CPU s")
    for path in args.instances:
        inst = read_instance(path)
        c0 = time.process_time()
        sim = simulate(inst, args.policy, seed=args.seed)
        sim_cpu = time.process_time() - c0
        runs = [("simulator", sim.solution, sim_cpu, None)]
        for variant in _variants(args):
            rp, cpu = _live(inst, args, variant)
            runs.append((variant.label, rp.solution, cpu, rp))
        for name, sol, cpu, rp in runs:
            m = compute_metrics(inst, sol)
            counts = ViolationCounts.of(check_solution(inst, sol))
            print(f"{inst.name} | {name} | {len(sol.orders)}/{len(inst.orders)} (left {counts.left}) | "
                  f"{m['ctd_mean']:.2f} | {m['excess_mean']:.3f} | {m['pct_over_target']:.1f} | {counts.late} | "
                  f"{counts.rule_breaks} | {cpu:.1f}")
            if rp is not None:
                ticks = np.array(rp.tick_ms)
                print(f"  {name} ticks: {len(ticks)}, wall ms p50 {np.percentile(ticks, 50):.1f} "
                      f"p99 {np.percentile(ticks, 99):.1f}; offers the rules could not drive: {rp.broken}; "
                      f"offers declined: {rp.declined}")
                late = rp.lateness
                assert late is not None
                print(f"  {name} customers told of a delay: {late.told} of {late.delivered} delivered "
                      f"({late.notices} notices); at the door {lateness.LATE_WORTH_TELLING.seconds // 60}+ min after "
                      f"the last time told: {late.missed}, as long before: {late.early}")
                print(f"  {name} against the time quoted on ordering: {late.quote_late} came "
                      f"{lateness.LATE_WORTH_TELLING.seconds // 60}+ min after it, {late.quote_early} as long "
                      f"before, median gap {late.quote_error:.1f} min; door minus quote p10 / p50 / p90 "
                      f"{' / '.join(f'{q:+.1f}' for q in late.quote_spread)} min")


def _variants(args: argparse.Namespace) -> list[Variant]:
    out = [Variant()]
    out += [Variant("live, no bookings", bookings=False)] if args.no_bookings else []
    out += [Variant("live, usual prep", estimates=False)] if args.usual_prep else []
    if args.decline_rate:
        out.append(Variant(f"live, {args.decline_rate:.0%} declined", decline_rate=args.decline_rate))
    if args.no_show_rate:
        share = f"{args.no_show_rate:.0%} no-shows"
        out += [Variant(f"live, {share}", no_show_rate=args.no_show_rate),
                Variant(f"live, {share}, no bookings", bookings=False, no_show_rate=args.no_show_rate)]
    if args.optimistic_kitchens:
        early = f"kitchens up to {args.optimistic_kitchens:g} min early"
        out += [Variant(f"live, {early}", optimism=args.optimistic_kitchens),
                Variant(f"live, {early}, not learned", optimism=args.optimistic_kitchens, learn=False)]
    return out


def _live(inst: Instance, args: argparse.Namespace, variant: Variant) -> tuple[Replay, float]:
    """One live replay on a fresh database; the replay and its process CPU seconds."""
    folder = Path(tempfile.mkdtemp(prefix="allo-replay-"))
    schema = f"allo_replay_{time.time_ns() % 10**12:012d}"
    url = _in_schema(args.database_url, schema) if args.database_url else f"sqlite:///{folder / 'allo.db'}"
    c0 = time.process_time()
    rp = None
    try:
        rp = replay(inst, url, folder, args.seed, args.policy, variant)
        cpu = time.process_time() - c0
        rp.lateness = LatenessTold.of(rp)
        return rp, cpu
    finally:
        if rp is not None:
            rp.app.close()
        if args.database_url:
            _drop_schema(args.database_url, schema)


if __name__ == "__main__":
    main()
