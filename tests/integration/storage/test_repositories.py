"""Repositories and the unit of work, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from allo.bootstrap import Application
from allo.domain.clock import FixedClock
from allo.domain.courier import Courier, CourierStatus, Vehicle
from allo.domain.customer import Customer, Language
from allo.domain.errors import Conflict, NotFound
from allo.domain.geo import LatLon, Polygon
from allo.domain.merchant import Merchant
from allo.domain.money import Money
from allo.domain.order import DropOff, Order, OrderLine, OrderStatus
from tests.support.api import sample_catalog


def add_merchant(app: Application) -> Merchant:
    m = Merchant("m-1", "Pizzeria", LatLon(43.73, 7.42), "4 quai Antoine Ier",
                 Polygon.circle(LatLon(43.73, 7.42), 2000))
    with app.ctx.uow() as uow:
        uow.merchants.add(m)
        uow.merchants.replace_catalog(m.id, sample_catalog("Pizzeria"))
        uow.commit()
    return m


def make_order(clock: FixedClock, order_id: str = "o-1") -> Order:
    return Order(order_id, "m-1", None, [OrderLine("coke", "Coke", 3, Money(250), {"size": ["33cl"]}, ("ice",))],
                 DropOff("14 boulevard des Moulins", LatLon(43.741, 7.428), "4521B", "3", "ring twice", "Marie"),
                 clock.now(), notes="no straw")


def test_order_round_trip_with_history_and_events(application: Application, clock: FixedClock) -> None:
    add_merchant(application)
    order = make_order(clock)
    with application.ctx.uow() as uow:
        uow.orders.add(order)
        uow.commit()
    clock.advance(minutes=2)
    with application.ctx.uow() as uow:
        o = uow.orders.get("o-1")
        o.confirm(clock.now())
        uow.orders.save(o)
        uow.commit()
    with application.ctx.uow() as uow:
        loaded = uow.orders.get("o-1")
        events = uow.journal.events_for("o-1")
    assert loaded.status is OrderStatus.CONFIRMED and loaded.version == 2
    assert loaded.lines == order.lines and loaded.dropoff == order.dropoff and loaded.notes == "no straw"
    assert [t.status for t in loaded.history] == [OrderStatus.DRAFT, OrderStatus.CONFIRMED]
    assert loaded.history[1].at == clock.now()
    assert [e.name for e in events] == ["order.confirm"]
    assert loaded.total == Money(750)


def test_leaving_without_commit_rolls_back(application: Application, clock: FixedClock) -> None:
    add_merchant(application)
    with application.ctx.uow() as uow:
        uow.orders.add(make_order(clock))
    with application.ctx.uow() as uow, pytest.raises(NotFound):
        uow.orders.get("o-1")


def test_an_error_inside_the_unit_of_work_keeps_nothing(application: Application, clock: FixedClock) -> None:
    add_merchant(application)
    with pytest.raises(RuntimeError), application.ctx.uow() as uow:
        uow.orders.add(make_order(clock))
        uow.commit  # noqa: B018 - not called
        raise RuntimeError("boom")
    with application.ctx.uow() as uow:
        assert uow.orders.list() == []


def test_stale_version_raises_conflict_and_keeps_the_winner(application: Application, clock: FixedClock) -> None:
    add_merchant(application)
    with application.ctx.uow() as uow:
        uow.orders.add(make_order(clock))
        uow.commit()
    with application.ctx.uow() as first:
        a = first.orders.get("o-1")
    with application.ctx.uow() as second:
        b = second.orders.get("o-1")
        b.notes = "second"
        second.orders.save(b)
        second.commit()
    a.notes = "first"
    with application.ctx.uow() as uow, pytest.raises(Conflict):
        uow.orders.save(a)
    with application.ctx.uow() as uow:
        assert uow.orders.get("o-1").notes == "second"


def test_list_filters(application: Application, clock: FixedClock) -> None:
    add_merchant(application)
    with application.ctx.uow() as uow:
        for i in range(5):
            o = make_order(clock, f"o-{i}")
            if i % 2:
                o.confirm(clock.now())
            uow.orders.add(o)
            clock.advance(seconds=1)
        uow.commit()
    with application.ctx.uow() as uow:
        confirmed = uow.orders.list(status=[OrderStatus.CONFIRMED])
        page = uow.orders.list(limit=2, offset=1)
    assert {o.id for o in confirmed} == {"o-1", "o-3"}
    assert [o.id for o in page] == ["o-3", "o-2"]  # newest first


def test_the_last_finished_orders_and_a_days_times_are_read_newest_first(application: Application,
                                                                          clock: FixedClock) -> None:
    """Seven orders a second apart: o-0, o-2, o-4 cancelled, o-6 delivered, the others still open. The
    last finished are found across pages of the walk (two rows a page here), newest first; a day's
    times give each order's delivery, if any."""
    add_merchant(application)
    start = clock.now()
    with application.ctx.uow() as uow:
        for i in range(7):
            o = make_order(clock, f"o-{i}")
            o.confirm(clock.now())
            if i in (0, 2, 4):
                o.cancel(clock.now(), "customer changed their mind")
            uow.orders.add(o)
            clock.advance(seconds=1)
        uow.commit()
    with application.ctx.uow() as uow:
        uow.couriers.add(Courier("c-1", "Lucas", Vehicle.BIKE))
        o6 = uow.orders.get("o-6")
        o6.assign("c-1", clock.now())
        o6.pick_up(clock.now())
        o6.deliver(clock.now() + timedelta(minutes=20))
        uow.orders.save(o6)
        uow.commit()
    with application.ctx.uow() as uow:
        assert [o.id for o in uow.orders.recently_finished(3, page=2)] == ["o-6", "o-4", "o-2"]
        assert [o.id for o in uow.orders.recently_finished(10, page=2)] == ["o-6", "o-4", "o-2", "o-0"]
        assert uow.orders.recently_finished(3, merchant_id="m-other") == []
        times = uow.orders.times_since(start + timedelta(seconds=2))
    assert [t.id for t in times] == ["o-6", "o-5", "o-4", "o-3", "o-2"]
    assert times[0].delivered_at == clock.now() + timedelta(minutes=20) and times[0].status is OrderStatus.DELIVERED
    assert all(t.delivered_at is None for t in times[1:]) and times[2].is_terminal and not times[1].is_terminal


def test_customer_found_by_phone_hash_only(application: Application, clock: FixedClock) -> None:
    c = Customer("c-1", "+33612345642", "Marie Dupont", Language.FR, created_at=clock.now())
    with application.ctx.uow() as uow:
        uow.customers.add(c)
        uow.commit()
    with application.ctx.uow() as uow:
        found = uow.customers.find_by_phone("+33612345642")
        assert found is not None and found.name == "Marie Dupont"
        assert uow.customers.find_by_phone("+33612345643") is None
        with pytest.raises(Conflict):
            uow.customers.add(Customer("c-2", "+33612345642", created_at=clock.now()))


def test_erased_customer_keeps_no_contact(application: Application, clock: FixedClock) -> None:
    with application.ctx.uow() as uow:
        uow.customers.add(Customer("c-1", "+33612345642", "Marie", created_at=clock.now()))
        uow.commit()
    with application.ctx.uow() as uow:
        c = uow.customers.get("c-1")
        c.erase(clock.now())
        uow.customers.save(c)
        uow.commit()
    with application.ctx.uow() as uow:
        c = uow.customers.get("c-1")
        assert c.phone == "" and c.name is None and c.erased_at is not None
        assert uow.customers.find_by_phone("+33612345642") is None


def test_courier_position_and_status_round_trip(application: Application, clock: FixedClock) -> None:
    k = Courier("k-1", "Lucas", Vehicle.SCOOTER)
    k.start_shift(clock.now(), until=clock.now() + timedelta(hours=3))
    k.update_position(LatLon(43.74, 7.42), clock.now())
    with application.ctx.uow() as uow:
        uow.couriers.add(k)
        uow.commit()
    with application.ctx.uow() as uow:
        loaded = uow.couriers.get("k-1")
        assert loaded.status is CourierStatus.AVAILABLE and loaded.position == LatLon(43.74, 7.42)
        assert uow.couriers.list(status=[CourierStatus.AVAILABLE])[0].id == "k-1"
        assert loaded.position_at == clock.now() and loaded.shift_ends_at == clock.now() + timedelta(hours=3)
        clock.advance(minutes=1)
        loaded.update_position(LatLon(43.75, 7.43), clock.now() - timedelta(minutes=5))  # stale fix
        assert loaded.position == LatLon(43.74, 7.42)


def test_catalog_round_trip(application: Application) -> None:
    add_merchant(application)
    with application.ctx.uow() as uow:
        assert uow.merchants.get_catalog("m-1") == sample_catalog("Pizzeria")


def test_the_latest_event_of_a_name_for_each_of_several_aggregates_in_one_read(application: Application,
                                                                                clock: FixedClock) -> None:
    from allo.domain.events import Event

    at = clock.now()
    with application.ctx.uow() as uow:
        uow.journal.append_events([
            Event("order.running_late", "a", at, {"n": 1}), Event("order.running_late", "b", at, {"n": 2}),
            Event("order.confirm", "a", at + timedelta(minutes=1), {"n": 3}),
            Event("order.running_late", "a", at + timedelta(minutes=2), {"n": 4}),
            Event("order.running_late", "c", at, {"n": 5})])
        uow.commit()
    with application.ctx.uow() as uow:
        latest = uow.journal.last_events(["a", "b", "z"], "order.running_late")
        assert uow.journal.last_events([], "order.running_late") == {}
    assert {k: e.data["n"] for k, e in latest.items()} == {"a": 4, "b": 2}  # c not asked, z has none
    assert latest["a"].at == at + timedelta(minutes=2)
