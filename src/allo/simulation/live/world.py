"""The demo world: simulated customers, shops and couriers of the demo city, stepped together.

`DemoWorld.step()` does what is due at the clock's current time; the caller decides how often to
call it (a background thread in `allo demo`, a loop over a FixedClock in tests). Randomness comes
from one seed: each actor gets its own generator drawn from it, in a fixed order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

from allo.domain.catalog import Catalog
from allo.domain.courier import Vehicle
from allo.domain.geo import LatLon, LocalProjection
from allo.domain.user import Role, User
from allo.services.context import ServiceContext
from allo.services.ports.channel import Channel
from allo.services.principal import Principal
from allo.simulation.live import messages
from allo.simulation.live.addresses import AddressBook
from allo.simulation.live.couriers import CourierHabits, Router, SimCourier
from allo.simulation.live.customers import CustomerHabits, SimCustomer
from allo.simulation.live.replies import CustomerMind
from allo.simulation.live.schedule import Arrivals
from allo.simulation.live.shops import SimShop

log = logging.getLogger("allo.demo")
CITY_CENTRE = LatLon(43.7384, 7.4246)
FIRST_CUSTOMER_WITHIN_M = 700.0


@dataclass(frozen=True)
class DemoOptions:
    #: New customers per minute of wall-clock time (what a visitor watches).
    rate_per_minute: float = 3.0
    #: Demo seconds per wall second (the demo clock's speed; 1 in tests driven by a FixedClock).
    speed: float = 1.0
    seed: int = 0
    #: Wall seconds between position reports of each courier.
    report_every_wall_seconds: float = 1.0
    #: Wall seconds before the first customer writes.
    first_customer_after_wall_seconds: float = 2.0
    decline_rate: float = 0.1
    status_question_rate: float = 0.25
    #: Courier usernames the simulation leaves alone (a visitor drives them in the courier app).
    human_couriers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.rate_per_minute < 0 or self.speed <= 0:
            raise ValueError("the rate cannot be negative and the speed must be positive")

    def demo_seconds(self, wall_seconds: float) -> timedelta:
        return timedelta(seconds=wall_seconds * self.speed)


@dataclass
class DemoWorld:
    ctx: ServiceContext
    channel: Channel
    addresses: AddressBook
    router_for: Callable[[Vehicle], Router]
    options: DemoOptions = field(default_factory=DemoOptions)
    wake: Callable[[], None] = lambda: None
    shops: list[SimShop] = field(default_factory=list)
    couriers: list[SimCourier] = field(default_factory=list)
    customers: list[SimCustomer] = field(default_factory=list)
    served: int = 0  # customers who have come and gone

    def __post_init__(self) -> None:
        self.rng = Random(self.options.seed)
        self.projection = LocalProjection(CITY_CENTRE)
        start = self.ctx.clock.now()
        self.arrivals = Arrivals(self.options.rate_per_minute / self.options.speed, Random(self.rng.getrandbits(64)),
                                 start, self.options.demo_seconds(self.options.first_customer_after_wall_seconds))
        self._catalogs: dict[str, Catalog] = {}
        self._pickups: dict[str, LatLon] = {}
        self._names: dict[str, str] = {}
        self._load_actors()

    # -- set-up ----------------------------------------------------------------------------------

    def _load_actors(self) -> None:
        with self.ctx.uow() as uow:
            users = uow.users.list()
            merchants = [m for m in uow.merchants.list() if m.active]
            roster = uow.couriers.list(active=True)
            for m in merchants:
                self._catalogs[m.id] = uow.merchants.get_catalog(m.id)
                self._pickups[m.id] = m.pickup
                self._names[m.id] = m.name
        humans = set(self.options.human_couriers)
        for m in sorted(merchants, key=lambda m: m.name):
            principal = _principal(users, Role.MERCHANT, merchant_id=m.id)
            self.shops.append(SimShop(self.ctx, m.id, principal, timedelta(minutes=m.prep_minutes),
                                      Random(self.rng.getrandbits(64)),
                                      poll_every=self.options.demo_seconds(1.0), name=m.name))
        habits = CourierHabits(decline_rate=self.options.decline_rate,
                               report_every=self.options.demo_seconds(self.options.report_every_wall_seconds),
                               poll_every=self.options.demo_seconds(0.5))
        # waiting spots: the fastest couriers near the quickest shops, then round again
        pickups = [m.pickup for m in sorted(merchants, key=lambda m: (m.prep_minutes, m.name))] or [CITY_CENTRE]
        for i, c in enumerate(sorted(roster, key=lambda c: (-c.profile.speed_m_per_min, c.name))):
            principal = _principal(users, Role.COURIER, courier_id=c.id)
            rng = Random(self.rng.getrandbits(64))
            if principal.username in humans:
                continue
            home = self._waiting_spot(pickups[i % len(pickups)], rng)
            self.couriers.append(SimCourier(self.ctx, c.id, principal, c.profile.speed_m_per_min,
                                            self.router_for(c.vehicle), self.projection, home, rng, c.name,
                                            habits))

    def _waiting_spot(self, shop: LatLon, rng: Random) -> LatLon:
        """A real address a short walk from the shop (on land, unlike a random offset by the port)."""
        return self.addresses.near(rng, shop, 300.0).location or shop

    # -- the loop --------------------------------------------------------------------------------

    def step(self, now: datetime | None = None) -> None:
        """Everything due at `now` (default: the clock's time): new customers, shops, couriers."""
        now = now or self.ctx.clock.now()
        for at in self.arrivals.due(now):
            self._new_customer(at)
        for actor in (*self.shops, *self.couriers, *self.customers):
            try:
                actor.step(now)
            except Exception:  # noqa: BLE001 - one actor's trouble must not stop the city
                log.exception("demo actor %s failed", type(actor).__name__)
        before = len(self.customers)
        self.customers = [c for c in self.customers if not c.finished(now)]
        self.served += before - len(self.customers)

    def _new_customer(self, at: datetime) -> None:
        if not self.shops:
            return
        rng = Random(self.rng.getrandbits(64))
        if self.served + len(self.customers) == 0:
            # the very first customer lives near the quickest shop: a whole delivery shows early
            shop = min(self.shops, key=lambda s: s.prep)
            address = self.addresses.near(rng, self._pickups[shop.merchant_id], FIRST_CUSTOMER_WITHIN_M)
        else:
            shop = rng.choice(self.shops)
            address = self.addresses.draw(rng)
        plan = messages.compose_order(rng, self._catalogs[shop.merchant_id], address)
        mind = CustomerMind(plan, address, rng, spare_addresses=self.addresses.spares(rng))
        habits = CustomerHabits(status_question_rate=self.options.status_question_rate)
        self.customers.append(SimCustomer(self.ctx, self.channel, shop.merchant_id, messages.session_id(rng),
                                          mind, rng, at, wake=self.wake, habits=habits,
                                          shop_name=self._names[shop.merchant_id]))


def _principal(users: list[User], role: Role, *, merchant_id: str | None = None,
               courier_id: str | None = None) -> Principal:
    """The login of this shop or courier; a stand-in principal of the same scope when it has none."""
    for u in users:
        if u.role is role and u.active and (u.merchant_id, u.courier_id) == (merchant_id, courier_id):
            return Principal.of(u)
    name = f"sim-{merchant_id or courier_id}"
    return Principal(user_id=name, username=name, role=role, merchant_id=merchant_id, courier_id=courier_id)

