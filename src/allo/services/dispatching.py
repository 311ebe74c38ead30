"""The live dispatch loop: the same engine as the simulator, over a snapshot of the database.

Every tick, the process that holds the city's dispatch lease expires unanswered offers, takes
back accepted jobs whose courier went silent before the pickup, builds a
snapshot (the oldest open orders; available couriers with a recent position; busy couriers at the
place and time their current job is planned to end, so the engine can wait for one finishing next
to a shop rather than send someone from afar), publishes when each waiting order should arrive
(for its tracking page), once a minute records the orders running late past what their customers
were told (`allo.services.lateness`), asks the engine, and turns its assignments into offers (only ever to
available couriers: the engine commits idle couriers only). Offers reserve their orders
(confirmed/ready → assigned, checked by the state machine and the version column), so even two
dispatchers could not offer one order twice; the lease makes sure only one tries.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.dispatch.engine import DispatchEngine
from allo.dispatch.estimates import estimate_dropoffs
from allo.dispatch.model import Assignment as EngineAssignment
from allo.dispatch.model import CourierState, OpenOrder, ServiceRules, Snapshot
from allo.dispatch.travel import DetourTravel, TravelTimeModel
from allo.domain.assignment import Assignment, AssignmentStatus
from allo.domain.courier import NO_SHOW_AFTER, VEHICLES, Courier, CourierStatus, Vehicle
from allo.domain.errors import DomainError
from allo.domain.geo import LatLon, LocalProjection, Point, haversine_m
from allo.domain.merchant import Merchant
from allo.domain.order import OPEN_FOR_DISPATCH, Order, OrderStatus
from allo.services import assignments, couriers as courier_service, lateness
from allo.services.context import ServiceContext
from allo.services.principal import SYSTEM
from allo.services.rides import CITY_ORIGIN, CityRides
from allo.services.tracking import ESTIMATE_MAX_AGE

log = logging.getLogger("allo.dispatch")
#: How long a courier's reported position stays usable for dispatch.
POSITION_MAX_AGE = timedelta(minutes=15)
#: A shift with no planned end: the engine sees this much of the courier's time.
SHIFT_AHEAD_MINUTES = 8 * 60.0
#: An order asked for a later time enters the engine's snapshot this long before its pickup is due.
SCHEDULED_LEAD = timedelta(minutes=30)
#: ... so pre-orders asked for later than this plus the lead are not even read (no ride is longer).
SCHEDULED_RIDE_MAX = timedelta(hours=3)
#: Couriers with a shift booked to start within this long are in the snapshot (as the MDRP simulator
#: shows the engine the shifts starting within its lookahead), from their booked start and place.
BOOKED_AHEAD = timedelta(minutes=90)
#: A kitchen's lateness against its own estimates is learned from the orders of this last stretch ...
LATENESS_WINDOW = timedelta(hours=24)
#: ... once it has at least this many (the median of them; clipped to `LATENESS_RANGE`) ...
LATENESS_MIN_ORDERS = 3
LATENESS_RANGE = (timedelta(minutes=-15), timedelta(minutes=30))
#: ... and read again this often.
LATENESS_REFRESH = timedelta(minutes=5)
#: How often the orders running late are looked for, to tell their customers (`allo.services.lateness`).
LATE_CHECK_EVERY = timedelta(minutes=1)
#: A shop farther than this from the flat map's centre has its rides stretched (`_warn_of_far_shops`).
FAR_FROM_CENTRE_M = 50_000
#: How many pages of `max_open_orders` open orders a tick reads at most, passing over those out of the
#: engine's sight (a closed shop's night of orders) to find the ones it should see.
OUT_OF_SIGHT_PAGES = 10
#: An order is never offered again to a courier who declined it this recently.
REFUSALS_REMEMBERED = timedelta(hours=12)
#: Nor, for this long after the offer expired, to a courier who let it expire (a phone in a pocket):
#: the other couriers get it first, and where there is none, the same courier again rather than no
#: one (a second miss in a row ends that courier's shift, `ServiceContext.missed_offers_limit`).
MISSED_OFFER_REST = timedelta(minutes=5)


@dataclass
class LiveDispatcher:
    ctx: ServiceContext
    holder: str  # this process's name for the lease
    city: str = "default"
    policy: str = "rolling"
    origin: LatLon = field(default_factory=lambda: CITY_ORIGIN)
    travel: TravelTimeModel = field(default_factory=DetourTravel)
    interval: timedelta = timedelta(seconds=5)
    lease_for: timedelta = timedelta(seconds=20)
    seed: int = 0
    rules: ServiceRules = field(default_factory=ServiceRules)  # service times and click-to-door targets
    max_open_orders: int = 500  # the oldest open orders the engine sees in a tick (the rest wait)
    _last_tick: datetime | None = None
    _estimates_out: bool = True  # estimates may be published (by this or an earlier process): clear them once
    quote_cache: timedelta = timedelta(seconds=5)  # how long `quote` reuses the city it read
    _quoted: tuple[datetime, Snapshot] | None = None
    learn_lateness: bool = True  # correct each kitchen's estimates by how late it has been against them
    _lateness: tuple[datetime, dict[str, timedelta]] | None = None
    _late_told: datetime | None = None  # when customers were last told of orders running late
    _far_shops_told: bool = False  # whether the log said a shop lies far from the flat map's centre

    def __post_init__(self) -> None:
        self.projection = LocalProjection(self.origin)
        self.rides = CityRides(self.travel, self.projection)
        self.engine = self._new_engine()
        #: the engine's clock: minutes since this dispatcher started (stateful policies need one origin)
        self.t0 = self.ctx.clock.now()

    def _new_engine(self) -> DispatchEngine:
        return DispatchEngine.from_name(self.policy, travel=self.travel, rules=self.rules,
                                        epoch_minutes=self.epoch_minutes, seed=self.seed)

    @property
    def epoch_minutes(self) -> float:
        """The engine's epoch: the interval between ticks, in minutes."""
        return self.interval.total_seconds() / 60

    def describe(self) -> str:
        """One line for the operator starting the process: what this dispatcher plans with."""
        travel = getattr(self.travel, "description", type(self.travel).__name__)
        shop, door = round(self.rules.pickup_service, 1), round(self.rules.dropoff_service, 1)
        return (f"dispatcher: {self.policy}, every {self.interval.total_seconds():g} s; rides by {travel}; "
                f"{shop:g} min at the shop, {door:g} at the door; "
                f"map centred on {self.origin.lat:.4f},{self.origin.lon:.4f}")

    @property
    def lease_name(self) -> str:
        return f"dispatch:{self.city}"

    def __call__(self) -> int:
        """A worker job: tick when the interval has passed; returns the number of offers made."""
        now = self.ctx.clock.now()
        if self._last_tick is not None and now - self._last_tick < self.interval:
            return 0
        self._last_tick = now
        return self.tick()

    def tick(self) -> int:
        now = self.ctx.clock.now()
        with self.ctx.uow() as uow:
            mine = uow.leases.acquire(self.lease_name, self.holder, now, now + self.lease_for)
            uow.commit()
        if not mine:
            return 0
        assignments.expire_offers(self.ctx)
        assignments.take_back_silent_jobs(self.ctx)
        courier_service.end_shifts_due(self.ctx)
        snapshot, refused = self.snapshot(now)
        waiting = self.publish_estimates(snapshot, now)
        self._tell_lateness(waiting, now)
        if not snapshot.orders or not snapshot.couriers:
            return 0
        made = 0
        for proposal in self.plan(snapshot, refused):
            planned = {oid: self._at(t) for oid, t in zip(proposal.order_ids, proposal.dropoff_at)}
            try:
                assignments.offer(self.ctx, principal=SYSTEM, courier_id=proposal.courier_id,
                                  order_ids=list(proposal.order_ids), planned_pickup_at=self._at(proposal.pickup_at),
                                  planned_dropoff_at=planned, manual=False)
                made += 1
            except DomainError as exc:  # someone changed the order or courier meanwhile
                log.info("offer skipped: %s", exc.message)
        return made

    def _tell_lateness(self, waiting: dict[str, datetime], now: datetime) -> None:
        """Once a minute, the orders running late past what their customers were told
        (`lateness.tell_running_late`). A conflict there (the database busy) is tried again at the
        next tick and never stops the dispatch."""
        if self._late_told is not None and now - self._late_told < LATE_CHECK_EVERY:
            return
        try:
            lateness.tell_running_late(self.ctx, waiting)
        except DomainError as exc:
            log.warning("lateness check deferred: %s", exc.message)
            return
        self._late_told = now

    def publish_estimates(self, snapshot: Snapshot, now: datetime) -> dict[str, datetime]:
        """When each waiting order should arrive (`allo.dispatch.estimates`), for its tracking page;
        an order offered this tick is shown its offer's plan instead, from the assignment. Returns
        the estimates published, by order."""
        if not snapshot.orders and not self._estimates_out:
            return {}  # nothing waiting now or at the last tick: no write
        dropoffs = {oid: self._at(t) for oid, t in estimate_dropoffs(snapshot, self.travel, self.rules).items()}
        self._estimates_out = bool(dropoffs)
        with self.ctx.uow() as uow:
            uow.estimates.publish(dropoffs, orders=[o.id for o in snapshot.orders], computed_at=now,
                                  forget_before=now - ESTIMATE_MAX_AGE)
            uow.commit()
        return dropoffs

    def plan(self, snapshot: Snapshot, refused: set[tuple[str, str]]) -> list[EngineAssignment]:
        """The engine's plan, without offering an order again to a courier who refused it. Such
        orders are planned once more, alone, among the couriers left who have not refused them; then
        the orders the engine left unplanned may take the couriers still free (one it had given to a
        refused order would otherwise stay idle, tick after tick, while others wait). Both by an
        engine of their own: the dispatcher's engine keeps state from tick to tick, such as the
        production policy's route plan, and must only ever see the whole snapshot."""
        kept: list[EngineAssignment] = []
        blocked: list[str] = []
        for p in self.engine.step(snapshot):
            if any((oid, p.courier_id) in refused for oid in p.order_ids):
                blocked.extend(p.order_ids)
            else:
                kept.append(p)
        if not blocked:
            return kept
        used = {p.courier_id for p in kept}
        by_id = {o.id: o for o in snapshot.orders}
        for oid in blocked:
            others = tuple(c for c in snapshot.couriers if c.id not in used and (oid, c.id) not in refused)
            if not others:
                continue
            for p in self._new_engine().step(Snapshot(snapshot.now, (by_id[oid],), others)):
                kept.append(p)
                used.add(p.courier_id)
        planned = {oid for p in kept for oid in p.order_ids} | set(blocked)
        rest = tuple(o for o in snapshot.orders if o.id not in planned)
        free = tuple(c for c in snapshot.couriers if c.id not in used)
        if rest and free:
            for p in self._new_engine().step(Snapshot(snapshot.now, rest, free)):
                if not any((oid, p.courier_id) in refused for oid in p.order_ids):
                    kept.append(p)
        return kept

    def _minutes(self, when: datetime) -> float:
        return (when - self.t0).total_seconds() / 60

    def _at(self, minutes: float) -> datetime:
        return self.t0 + timedelta(minutes=minutes)

    def quote(self, uow: SqlUnitOfWork, merchant: Merchant, where: LatLon, now: datetime,
              order_id: str | None = None) -> datetime | None:
        """When an order of `merchant` to `where` should arrive, given the couriers and the orders
        ahead of it (the estimate its tracking page will show): the order `order_id` if it is open
        in `uow`'s transaction already, else one placed now. None if no courier can take it.
        The city is read at most once per `quote_cache` (a chat summary should not cost a tick)."""
        cached = self._quoted
        if cached is not None and timedelta(0) <= now - cached[0] < self.quote_cache:
            snapshot = cached[1]
        else:
            snapshot = self.snapshot_in(uow, now)
            self._quoted = (now, snapshot)
        if order_id is None or all(o.id != order_id for o in snapshot.orders):
            order_id = order_id or "quote"
            new = self._open_order(order_id, merchant, where, now, now + timedelta(minutes=merchant.prep_minutes))
            snapshot = replace(snapshot, orders=(*snapshot.orders, new))
        minutes = estimate_dropoffs(snapshot, self.travel, self.rules).get(order_id)
        return None if minutes is None else self._at(minutes)

    def snapshot(self, now: datetime) -> tuple[Snapshot, set[tuple[str, str]]]:
        """Open orders and couriers (available, or busy until a planned time), times in minutes; and
        the (order, courier) pairs not to be offered now: declined in the last `REFUSALS_REMEMBERED`,
        let expire in the last `MISSED_OFFER_REST`."""
        with self.ctx.uow() as uow:
            recent = uow.assignments.list(status=[AssignmentStatus.DECLINED, AssignmentStatus.EXPIRED],
                                          offered_since=now - REFUSALS_REMEMBERED, limit=1_000_000)
            barred = {(oid, a.courier_id) for a in recent for oid in a.order_ids
                      if a.status is AssignmentStatus.DECLINED or now - a.expires_at < MISSED_OFFER_REST}
            return self.snapshot_in(uow, now), barred

    def _open_order(self, order_id: str, merchant: Merchant, where: LatLon, placed: datetime,
                    ready: datetime) -> OpenOrder:
        return OpenOrder(order_id, merchant.id, self.projection.to_plane(merchant.pickup), self.projection.to_plane(where),
                         placed_at=self._minutes(placed), ready_at=self._minutes(ready))

    def snapshot_in(self, uow: SqlUnitOfWork, now: datetime) -> Snapshot:
        """The snapshot, read in a unit of work already open (reads only)."""
        merchants = {m.id: m for m in uow.merchants.list()}
        self._warn_of_far_shops(merchants.values())
        couriers = uow.couriers.list(status=[CourierStatus.AVAILABLE, CourierStatus.BUSY], active=True)
        booked = uow.couriers.list(status=[CourierStatus.OFF_SHIFT], active=True,  # then `_booked` decides
                                   booked_between=(now - NO_SHOW_AFTER, now + BOOKED_AHEAD))
        jobs = {a.courier_id: a for a in uow.assignments.list(
            status=[AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED], limit=10_000)}
        on_the_way = {o.id: o for o in uow.orders.list(
            status=[OrderStatus.ASSIGNED, OrderStatus.PICKED_UP], limit=10_000)}
        open_orders = self._orders_in_sight(uow, merchants, now)
        t = self._minutes(now)
        states = []
        for c in couriers:
            if c.shift_is_over(now):
                continue  # going home once free: no more pickups
            speed, capacity = c.profile.speed_m_per_min, c.profile.capacity
            shift_end = t + SHIFT_AHEAD_MINUTES if c.shift_ends_at is None else self._minutes(c.shift_ends_at)
            if c.status is CourierStatus.BUSY:
                end = self._job_end(uow, jobs.get(c.id), on_the_way, c, merchants, now)
                if end is not None:
                    where, free_at = end
                    states.append(CourierState(c.id, where, free_at=free_at, shift_start=t, shift_end=shift_end,
                                               speed_m_per_min=speed, capacity=capacity))
                continue
            here = _usable_position(c, now)
            if here is None:
                continue
            states.append(CourierState(c.id, self.projection.to_plane(here), free_at=t, shift_start=t,
                                       shift_end=shift_end, speed_m_per_min=speed, capacity=capacity))
        states += [state for c in booked if (state := self._booked(c, now, t)) is not None]
        return Snapshot(t, tuple(open_orders), tuple(states))

    def _warn_of_far_shops(self, shops: Iterable[Merchant]) -> None:
        """Once per process, a warning if an active shop lies more than `FAR_FROM_CENTRE_M` from the
        centre of the flat map (set when the process started, before the city had shops, or by
        ALLO_CITY_CENTRE): east-west rides are stretched there until the next start."""
        if self._far_shops_told:
            return
        far = [m.name for m in shops if m.active and haversine_m(m.pickup, self.origin) > FAR_FROM_CENTRE_M]
        if far:
            self._far_shops_told = True
            log.warning("%s more than %d km from the dispatcher's map centre (%.4f,%.4f): restart to centre "
                        "it on the shops, or set ALLO_CITY_CENTRE", ", ".join(sorted(far)[:3]),
                        FAR_FROM_CENTRE_M // 1000, self.origin.lat, self.origin.lon)

    def _orders_in_sight(self, uow: SqlUnitOfWork, merchants: dict[str, Merchant], now: datetime) -> list[OpenOrder]:
        """The oldest `max_open_orders` open orders the engine should see now. Orders out of its sight
        (a closed shop's, a pre-order's not yet due) are passed over page by page, so a night's worth
        of them never crowds out the orders of the shops that are open; the walk stops after
        `OUT_OF_SIGHT_PAGES` pages."""
        found: list[OpenOrder] = []
        for page in range(OUT_OF_SIGHT_PAGES):
            rows = uow.orders.list(status=list(OPEN_FOR_DISPATCH), limit=self.max_open_orders, oldest_first=True,
                                   offset=page * self.max_open_orders, held=False,
                                   requested_before=now + SCHEDULED_LEAD + SCHEDULED_RIDE_MAX)
            for o in rows:
                seen = self._in_sight(uow, o, merchants.get(o.merchant_id), now)
                if seen is not None:
                    found.append(seen)
                    if len(found) == self.max_open_orders:
                        log.warning("%d open orders or more: the engine sees the oldest %d this tick",
                                    self.max_open_orders, self.max_open_orders)
                        return found
            if len(rows) < self.max_open_orders:
                return found
        log.warning("%d open orders out of the engine's sight: the ones after them wait a tick",
                    OUT_OF_SIGHT_PAGES * self.max_open_orders - len(found))
        return found

    def _in_sight(self, uow: SqlUnitOfWork, o: Order, m: Merchant | None, now: datetime) -> OpenOrder | None:
        """An open order as the engine should see it now; None while it is out of its sight (no shop
        or address, its shop closed and its kitchen far from its time, a pre-order not yet due)."""
        if m is None or o.dropoff.location is None:
            return None
        ready = o.ready_at or self._expected_ready(uow, o, now)
        placed = o.created_at
        if ready is None:  # no word from the kitchen (one cooking out of hours says so): its usual time
            opening = m.awaited_opening(o.entered_status_at)
            ready = (opening or o.entered_status_at) + timedelta(minutes=m.prep_minutes)
            if opening is not None and o.requested_for is None:  # came in while the shop was closed
                if ready - now > SCHEDULED_LEAD:
                    return None  # until the kitchen nears its time
                placed = min(now, opening)
        if o.requested_for is not None:
            due = self._scheduled(o.requested_for, m, o.dropoff.location, now)
            if due is None:
                return None  # for later: until its pickup nears
            placed, ready = due[0], max(ready, due[1])
        return self._open_order(o.id, m, o.dropoff.location, placed, ready)

    def _booked(self, c: Courier, now: datetime, t: float) -> CourierState | None:
        """A courier whose booked shift starts soon, as the engine should count on it: from its booked
        start and place (or where it last was), never before the next tick (so the engine plans with
        it but offers it nothing before it is on shift). None without a place to start from."""
        b = c.booking
        where = (b.start_place or c.position) if b else None
        if b is None or where is None or not b.expected(now, BOOKED_AHEAD):
            return None
        start = max(self._minutes(b.starts_at), t + self.epoch_minutes)
        return CourierState(c.id, self.projection.to_plane(where), free_at=start, shift_start=start,
                            shift_end=self._minutes(b.ends_at), speed_m_per_min=c.profile.speed_m_per_min,
                            capacity=c.profile.capacity)

    def _expected_ready(self, uow: SqlUnitOfWork, order: Order, now: datetime) -> datetime | None:
        """The kitchen's estimate for the order, corrected by how late the kitchen has been against its
        estimates lately (see `kitchen_lateness`); None without an estimate."""
        if order.expected_ready_at is None:
            return None
        if not self.learn_lateness:
            return order.expected_ready_at
        if self._lateness is None or now - self._lateness[0] >= LATENESS_REFRESH:
            self._lateness = (now, kitchen_lateness(uow.orders.ready_against_estimate(now - LATENESS_WINDOW)))
        return order.expected_ready_at + self._lateness[1].get(order.merchant_id, timedelta(0))

    def _scheduled(self, requested_for: datetime, merchant: Merchant, where: LatLon,
                   now: datetime) -> tuple[datetime, datetime] | None:
        """An order asked for a given time, as the engine should see it: ready to leave the shop when a
        bike would reach the door at that time, and placed a click-to-door target before it (no
        earlier than now). None while that pickup is more than `SCHEDULED_LEAD` away."""
        ride = self.rides.minutes(merchant.pickup, where, VEHICLES[Vehicle.BIKE].speed_m_per_min)
        pickup = requested_for - timedelta(minutes=ride + (self.rules.pickup_service + self.rules.dropoff_service) / 2)
        if pickup - now > SCHEDULED_LEAD:
            return None
        placed = min(now, requested_for - timedelta(minutes=self.rules.target_click_to_door))
        return placed, pickup

    def _job_end(self, uow: SqlUnitOfWork, job: Assignment | None, on_the_way: dict[str, Order], courier: Courier,
                 merchants: dict[str, Merchant], now: datetime) -> tuple[Point, float] | None:
        """Where and when a busy courier's current job should end: its last drop-off still to make,
        plus half the drop-off service, later by as much as a pickup not yet made runs late
        (`Assignment.pickup_slip`: the courier's ride to the shop from its last usable position, the
        kitchens' estimates as learned) or as the pickup made ran late (`Assignment.pickup_lateness`). Always after now (a job running late ends "soon"), so the
        engine plans with the courier but never commits it. None if the job has no plan."""
        if job is None:
            return None
        stops = [(job.planned_dropoff_at[oid], where) for oid in job.order_ids
                 if oid in on_the_way and oid in job.planned_dropoff_at
                 and (where := on_the_way[oid].dropoff.location) is not None]
        if not stops:
            return None
        when, where = max(stops, key=lambda stop: stop[0])
        mine = [on_the_way[oid] for oid in job.order_ids if oid in on_the_way]
        shop = merchants.get(job.merchant_id)
        picked = [t for o in mine if (t := o.time_of(OrderStatus.PICKED_UP)) is not None]
        if shop is not None and any(o.status is OrderStatus.ASSIGNED for o in mine):
            ready = [o.ready_at or self._expected_ready(uow, o, now) for o in mine]
            when += job.pickup_slip(now, ready, self.rides.reach(courier, shop.pickup, POSITION_MAX_AGE, now))
        elif picked:
            when += job.pickup_lateness(min(picked))
        free_at = max(self._minutes(when) + self.rules.dropoff_service / 2, self._minutes(now) + self.epoch_minutes)
        return self.projection.to_plane(where), free_at


def _usable_position(courier: Courier, now: datetime) -> LatLon | None:
    """The courier's last position, if recent enough to dispatch from (`POSITION_MAX_AGE`)."""
    if courier.position is None or courier.position_at is None or now - courier.position_at > POSITION_MAX_AGE:
        return None
    return courier.position


def kitchen_lateness(rows: list[tuple[str, datetime, datetime]]) -> dict[str, timedelta]:
    """Per merchant, the median of (marked ready − estimated) over its rows, once it has
    `LATENESS_MIN_ORDERS` of them, clipped to `LATENESS_RANGE`."""
    by_merchant: dict[str, list[timedelta]] = {}
    for merchant_id, expected, ready in rows:
        by_merchant.setdefault(merchant_id, []).append(ready - expected)
    low, high = LATENESS_RANGE
    return {m: min(max(statistics.median(gaps), low), high)
            for m, gaps in by_merchant.items() if len(gaps) >= LATENESS_MIN_ORDERS}


def lease_holder(ctx: ServiceContext, city: str = "default") -> str | None:
    with ctx.uow() as uow:
        return uow.leases.holder(f"dispatch:{city}")
