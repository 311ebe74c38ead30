"""A simulated courier: starts a shift, shares its position, answers offers, rides real streets,
picks up at the shop and hands over at the door with the customer's PIN.

It acts only through the courier use cases (allo.services.couriers and .assignments) with its own
courier principal, exactly as the courier app does; the dispatcher offers it work as it would any
courier. Between jobs it rides back to its waiting spot near a shop.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from random import Random
from typing import Protocol

from allo.domain.assignment import Assignment, AssignmentStatus
from allo.domain.errors import DomainError
from allo.domain.geo import LatLon, LocalProjection
from allo.domain.order import OrderStatus, order_number
from allo.services import assignments, couriers
from allo.services.context import ServiceContext
from allo.services.principal import Principal
from allo.simulation.live.movement import Leg
from allo.simulation.live.schedule import Every, between

log = logging.getLogger("allo.demo")
#: what the demo tells in the terminal: offers answered, pickups, deliveries
story = logging.getLogger("allo.demo.story")
DECLINE_REASONS = ("trop loin", "pause", "batterie faible", "too far")


class Router(Protocol):
    def route(self, origin: LatLon, destination: LatLon) -> list[LatLon]:
        """Street path from origin to destination, both ends included."""
        ...


class Phase(StrEnum):
    OFF = "off"
    IDLE = "idle"  # free, waiting or riding back to the waiting spot
    OFFERED = "offered"  # thinking about an offer
    TO_SHOP = "to_shop"
    AT_SHOP = "at_shop"
    TO_DOOR = "to_door"
    AT_DOOR = "at_door"


@dataclass(frozen=True)
class CourierHabits:
    """How couriers behave, in demo-time seconds."""

    accept_after: tuple[float, float] = (5, 25)
    decline_rate: float = 0.1
    report_every: timedelta = timedelta(seconds=5)
    poll_every: timedelta = timedelta(seconds=3)
    shop_dwell: tuple[float, float] = (30, 90)
    door_dwell: tuple[float, float] = (20, 60)

    def planned_service_minutes(self) -> tuple[float, float]:
        """The service times (pickup, drop-off: `Settings.pickup_service_minutes`, ...) a dispatcher
        should plan with for these couriers. They pick up after their stay at the shop and leave at
        once, hand over after their stay at the door and leave at once; the plan splits each service
        time in halves around the pickup and the handover. Planning the two stays as the pickup's
        service and no drop-off service times the handover and the leaving right on average (and the
        pickup a few seconds early)."""
        return (sum(self.shop_dwell) + sum(self.door_dwell)) / 2 / 60, 0.0


@dataclass
class SimCourier:
    ctx: ServiceContext
    courier_id: str
    principal: Principal
    speed_m_per_min: float
    router: Router
    projection: LocalProjection
    home: LatLon
    rng: Random
    name: str = "courier"
    habits: CourierHabits = field(default_factory=CourierHabits)
    phase: Phase = Phase.OFF
    assignment_id: str | None = None
    stops: list[str] = field(default_factory=list)  # orders still to hand over, in sequence
    handovers: int = 0  # orders delivered so far
    _leg: Leg | None = None
    _until: datetime | None = None  # end of a wait (thinking, at the shop, at the door)
    _declining: bool = False

    def __post_init__(self) -> None:
        self._reports = Every(self.habits.report_every)
        self._polls = Every(self.habits.poll_every)

    # -- movement --------------------------------------------------------------------------------

    def position(self, now: datetime) -> LatLon:
        return self._leg.position(now) if self._leg is not None else self.home

    def _ride_to(self, destination: LatLon, now: datetime) -> None:
        here = self.position(now)
        try:
            route = self.router.route(here, destination)
        except Exception:  # noqa: BLE001 - a routing hiccup must not stop the courier
            log.exception("no route for courier %s; riding straight", self.courier_id)
            route = [here, destination]
        self._leg = Leg(tuple(route), now, self.speed_m_per_min, self.projection)

    def _stop_here(self, now: datetime) -> None:
        self._leg = Leg.stay(self.position(now), now, self.projection)

    def _arrived(self, now: datetime) -> bool:
        return self._leg is None or self._leg.arrived(now)

    # -- the loop --------------------------------------------------------------------------------

    def step(self, now: datetime) -> None:
        """Do what is due at `now`; every service error leaves the courier to try again later."""
        try:
            getattr(self, f"_{self.phase.value}")(now)
        except DomainError as exc:
            log.debug("courier %s (%s): %s", self.principal.username, self.phase.value, exc)
            self._recover(now)
        if self.phase is not Phase.OFF and self._reports.due(now):
            try:
                couriers.update_position(self.ctx, principal=self.principal, courier_id=self.courier_id,
                                         where=self.position(now))
            except DomainError as exc:  # a concurrent change of the courier row: next report
                log.debug("position of %s not saved: %s", self.courier_id, exc)

    def _recover(self, now: datetime) -> None:
        """After a refused action: carry on with the job if it is still ours, else become free."""
        if self.phase is Phase.OFF:
            return  # the shift did not start: try again at the next step
        job = self._job()
        if job is None or job.status is not AssignmentStatus.ACCEPTED:
            self._free(now)

    def _job(self) -> Assignment | None:
        if self.assignment_id is None:
            return None
        with self.ctx.uow() as uow:
            return uow.assignments.get(self.assignment_id)

    def _free(self, now: datetime) -> None:
        self.phase, self.assignment_id, self.stops, self._until = Phase.IDLE, None, [], None
        self._ride_to(self.home, now)

    # -- phases ----------------------------------------------------------------------------------

    def _off(self, now: datetime) -> None:
        with self.ctx.uow() as uow:
            on_shift = uow.couriers.get(self.courier_id).on_shift
        if not on_shift:
            couriers.start_shift(self.ctx, principal=self.principal, courier_id=self.courier_id)
        self._stop_here(now)
        self.phase = Phase.IDLE
        self._reports.last = None  # report at once: dispatch needs a recent position

    def _idle(self, now: datetime) -> None:
        if not self._polls.due(now):
            return
        mine = assignments.list_assignments(self.ctx, principal=self.principal, courier_id=self.courier_id,
                                            status=[AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED])
        if not mine:
            return
        job = mine[0]
        self.assignment_id = job.id
        if job.status is AssignmentStatus.ACCEPTED:  # accepted elsewhere (e.g. in the courier app)
            self._head_to_shop(job.merchant_id, now)
            return
        self.phase = Phase.OFFERED
        self._until = now + between(self.rng, *self.habits.accept_after)
        # fresh on shift, a courier takes its first offer; later ones are declined now and then
        self._declining = self.handovers > 0 and self.rng.random() < self.habits.decline_rate

    def _offered(self, now: datetime) -> None:
        assert self.assignment_id is not None and self._until is not None
        if now < self._until:
            return
        if self._declining:
            reason = self.rng.choice(DECLINE_REASONS)
            assignments.decline(self.ctx, principal=self.principal, assignment_id=self.assignment_id, reason=reason)
            story.info("%s declines a job (%s)", self.name, reason)
            self._free(now)
            return
        job = assignments.accept(self.ctx, principal=self.principal, assignment_id=self.assignment_id)
        story.info("%s accepts %s and rides to the shop", self.name, _numbers(job.order_ids))
        self._head_to_shop(job.merchant_id, now)

    def _head_to_shop(self, merchant_id: str, now: datetime) -> None:
        with self.ctx.uow() as uow:
            pickup = uow.merchants.get(merchant_id).pickup
        self._ride_to(pickup, now)
        self.phase = Phase.TO_SHOP

    def _still_mine(self, now: datetime) -> bool:
        """Checked now and then on the way: a dispatcher may take the job back."""
        if not self._polls.due(now):
            return True
        job = self._job()
        if job is None or job.status is not AssignmentStatus.ACCEPTED:
            self._free(now)
            return False
        return True

    def _to_shop(self, now: datetime) -> None:
        if not self._still_mine(now) or not self._arrived(now):
            return
        arrive = getattr(assignments, "at_shop", None)
        if arrive is not None:
            arrive(self.ctx, principal=self.principal, assignment_id=self.assignment_id)
        self.phase = Phase.AT_SHOP
        self._until = now + between(self.rng, *self.habits.shop_dwell)

    def _at_shop(self, now: datetime) -> None:
        assert self._until is not None
        if now < self._until or not self._still_mine(now):
            return
        job = self._job()
        with self.ctx.uow() as uow:
            orders = [uow.orders.get(oid) for oid in job.order_ids]
        waiting = [o for o in orders if o.status is OrderStatus.ASSIGNED]
        if any(o.ready_at is None for o in waiting):
            return  # the shop is still preparing
        if waiting:
            assignments.picked_up(self.ctx, principal=self.principal, assignment_id=job.id)
            story.info("%s picks up %s", self.name, _numbers([o.id for o in waiting]))
        self.stops = [o.id for o in orders if o.status in (OrderStatus.ASSIGNED, OrderStatus.PICKED_UP)]
        self._next_door(now)

    def _next_door(self, now: datetime) -> None:
        while self.stops:
            with self.ctx.uow() as uow:
                order = uow.orders.get(self.stops[0])
            if order.status is OrderStatus.PICKED_UP and order.dropoff.location is not None:
                self._ride_to(order.dropoff.location, now)
                self.phase = Phase.TO_DOOR
                return
            self.stops.pop(0)  # cancelled or handed over meanwhile
        self._free(now)

    def _to_door(self, now: datetime) -> None:
        if self._arrived(now):
            self.phase = Phase.AT_DOOR
            self._until = now + between(self.rng, *self.habits.door_dwell)

    def _at_door(self, now: datetime) -> None:
        assert self._until is not None and self.assignment_id is not None
        if now < self._until:
            return
        order_id = self.stops[0]
        with self.ctx.uow() as uow:
            order = uow.orders.get(order_id)
        if order.status is OrderStatus.PICKED_UP:  # not closed meanwhile by a dispatcher
            assignments.delivered(self.ctx, principal=self.principal, assignment_id=self.assignment_id,
                                  order_id=order_id, pin=order.pin)  # the PIN the customer reads out
            self.handovers += 1
            story.info("%s hands over %s with the customer's PIN: delivered", self.name, _numbers([order_id]))
        self.stops.pop(0)
        self._next_door(now)


def _numbers(order_ids: list[str]) -> str:
    return ", ".join(f"#{order_number(oid)}" for oid in order_ids)
