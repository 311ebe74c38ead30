"""Simulated actors against the real services: a job taken back by a dispatcher, a courier left to
a person, the shipped address book."""

from __future__ import annotations

from random import Random

from allo.bootstrap import Application
from allo.demo.seed import DELIVERY_RADIUS_M, MONACO_CENTRE, seed_demo
from allo.domain.clock import FixedClock
from allo.domain.courier import CourierStatus
from allo.domain.geo import Polygon
from allo.domain.order import OrderStatus
from allo.services import assignments
from allo.services.principal import SYSTEM
from allo.simulation.live.addresses import load_demo_addresses
from allo.simulation.live.couriers import Phase
from allo.simulation.live.runner import StraightLines, build_demo_world
from allo.simulation.live.world import DemoOptions, DemoWorld


def _world(application: Application, **options: object) -> DemoWorld:
    seed_demo(application.ctx, password="a demo password")
    return build_demo_world(application, DemoOptions(**{"rate_per_minute": 6, "speed": 6, "seed": 2, **options}),
                            router_for=lambda vehicle: StraightLines())


def _tick(application: Application, clock: FixedClock, world: DemoWorld) -> None:
    clock.advance(seconds=10)
    assert application.worker is not None
    application.worker.run_once()
    world.step()


def test_a_job_taken_back_by_the_dispatcher_sends_the_courier_back_and_the_order_elsewhere(
        application: Application, clock: FixedClock) -> None:
    world = _world(application)
    for _ in range(200):
        _tick(application, clock, world)
        riding = [c for c in world.couriers if c.phase is Phase.TO_SHOP]
        if riding:
            break
    assert riding, "no courier got a job"
    courier = riding[0]
    taken = courier.assignment_id
    assert taken is not None
    assignments.withdraw(application.ctx, principal=SYSTEM, assignment_id=taken, reason="dispatcher's choice")
    _tick(application, clock, world)
    assert courier.phase is not Phase.TO_SHOP and courier.assignment_id != taken
    with application.ctx.uow() as uow:
        order_id = uow.assignments.get(taken).order_ids[0]
    for _ in range(200):  # the order is dispatched again and delivered all the same
        _tick(application, clock, world)
        with application.ctx.uow() as uow:
            if uow.orders.get(order_id).status is OrderStatus.DELIVERED:
                break
    with application.ctx.uow() as uow:
        assert uow.orders.get(order_id).status is OrderStatus.DELIVERED


def test_a_human_courier_is_left_alone(application: Application, clock: FixedClock) -> None:
    world = _world(application, human_couriers=("courier1",))
    for _ in range(3):
        _tick(application, clock, world)
    with application.ctx.uow() as uow:
        courier1 = next(u.courier_id for u in uow.users.list() if u.username == "courier1")
        on_shift = {c.id: c.status for c in uow.couriers.list()}
    assert len(world.couriers) == 4 and courier1 not in {c.courier_id for c in world.couriers}
    assert on_shift.pop(courier1) is CourierStatus.OFF_SHIFT
    assert set(on_shift.values()) == {CourierStatus.AVAILABLE}


def test_the_address_book_holds_real_places_of_the_delivery_zone() -> None:
    zone = Polygon.circle(MONACO_CENTRE, DELIVERY_RADIUS_M)
    book = load_demo_addresses(zone)
    assert len(book.points) >= 30 and len(book.streets) >= 100
    assert all(p.location is not None and zone.contains(p.location) for p in book.points)
    assert not any(ch.isdigit() for street, _, _ in book.streets for ch in street)
    rng = Random(4)
    drawn = [book.draw(rng) for _ in range(50)]
    assert all(a.number[:1].isdigit() and a.street for a in drawn)
    near = book.near(rng, MONACO_CENTRE, 300)
    assert near.location is not None
    assert len(book.spares(rng)) == 3
