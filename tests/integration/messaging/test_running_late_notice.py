"""An order running late for any reason (its courier late to the shop, no courier free yet): the
customer who ordered by chat is told once, with the new arrival time, and again only if it slips
further. The time told is the one to beat: the time given on ordering, or a later one since."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from allo.bootstrap import Application
from allo.demo.seed import seed_demo
from allo.domain.assignment import Assignment
from allo.domain.clock import FixedClock
from allo.domain.geo import LatLon
from allo.domain.errors import Conflict
from allo.services import assignments, couriers, lateness, orders
from allo.services.console import promised_at
from allo.services.dispatching import LiveDispatcher
from allo.services.notifications import DELAY_WORTH_TELLING
from allo.services.principal import SYSTEM
from allo.services.tracking import eta_of
from tests.integration.messaging.test_conversation_flow import Chat, _shop
from tests.support.dispatching import dispatcher

NEXT_TO_THE_PIZZERIA = LatLon(43.7341, 7.4224)
LATE = "aura du retard"


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"dispatch": False}  # the tests tick their own dispatcher


class City:
    """The demo city, one courier on shift next to the pizzeria, a customer chatting with it."""

    def __init__(self, application: Application, client: TestClient, clock: FixedClock,
                 on_duty: bool = True) -> None:
        seed_demo(application.ctx, password="a demo password")
        self.app, self.clock = application, clock
        with application.ctx.uow() as uow:
            self.courier_id = sorted(uow.couriers.list(), key=lambda c: c.name)[0].id
            self.zone = uow.merchants.list()[0].opening_hours.zone
        self.chat = Chat(client, application, _shop(client, "Pizzeria du Port"))
        self.dispatcher: LiveDispatcher = dispatcher(application)
        if on_duty:
            self.come_on_shift()

    def come_on_shift(self) -> None:
        couriers.start_shift(self.app.ctx, principal=SYSTEM, courier_id=self.courier_id)
        self.here()

    def here(self) -> None:
        """The courier shares its position, next to the pizzeria (late, but not silent)."""
        couriers.update_position(self.app.ctx, principal=SYSTEM, courier_id=self.courier_id,
                                 where=NEXT_TO_THE_PIZZERIA)

    def order(self) -> tuple[str, datetime]:
        """An order by chat; its id and the arrival time the customer was told."""
        self.chat.say("2 margherita au 14 boulevard des Moulins")
        placed = self.chat.say("oui")
        minutes = re.search(r"(\d+) min", "\n".join(placed))
        assert minutes is not None, placed
        with self.app.ctx.uow() as uow:
            order = uow.orders.list(limit=1)[0]
            told = uow.promises.told(order.id)
        assert told == order.created_at + timedelta(minutes=int(minutes.group(1)))
        return order.id, told

    def offer(self, order_ids: list[str], pickup: datetime, dropoff: datetime,
              keep_replies: bool = False) -> Assignment:
        """The orders offered to the courier with that plan, and accepted; what the customer is told of
        it is read and dropped, unless `keep_replies`."""
        job = assignments.offer(self.app.ctx, principal=SYSTEM, courier_id=self.courier_id, order_ids=order_ids,
                                planned_pickup_at=pickup, planned_dropoff_at={oid: dropoff for oid in order_ids},
                                manual=False)
        job = assignments.accept(self.app.ctx, principal=SYSTEM, assignment_id=job.id)
        assert self.app.worker is not None
        self.app.worker.run_once()
        if not keep_replies:
            self.chat.replies()  # "a courier is on the way", and the relay's note
        return job

    def minutes_later(self, minutes: int) -> list[str]:
        """`minutes` on, the courier still sharing its position: a tick, then what the customer is told."""
        self.clock.advance(minutes=minutes)
        self.here()
        self.dispatcher.tick()
        assert self.app.worker is not None
        self.app.worker.run_once()
        return self.chat.replies()

    def clock_time(self, at: datetime) -> str:
        return at.astimezone(self.zone).strftime("%H:%M")


@pytest.fixture
def city(application: Application, client: TestClient, clock: FixedClock) -> City:
    return City(application, client, clock)


def test_a_courier_late_to_the_shop_is_told_once_then_again_only_if_it_slips_further(city: City) -> None:
    order_id, told = city.order()
    pickup = city.clock.now() + timedelta(minutes=10)
    city.offer([order_id], pickup, told)
    assert city.minutes_later(5) == []  # on plan
    late = city.minutes_later(20)  # 15 minutes past the planned pickup, not yet at the shop
    assert len(late) == 1 and LATE in late[0], late
    assert f"Arrivée prévue vers {city.clock_time(told + timedelta(minutes=15))}" in late[0]
    assert city.minutes_later(1) == []  # a minute more: already told
    again = city.minutes_later(10)  # 26 minutes past the pickup: 11 more than told
    assert len(again) == 1 and LATE in again[0], again
    assert city.clock_time(told + timedelta(minutes=26)) in again[0]


def test_the_tracking_page_says_the_order_runs_late_once_its_customer_was_told(city: City, client: TestClient) -> None:
    order_id, told = city.order()
    with city.app.ctx.uow() as uow:
        token = uow.orders.get(order_id).tracking_token
    assert client.get(f"/track/{token}.json").json()["running_late"] is False
    assert 'id="late" class="late" hidden' in client.get(f"/track/{token}").text
    city.offer([order_id], city.clock.now() + timedelta(minutes=10), told)
    assert LATE in "\n".join(city.minutes_later(25))
    assert client.get(f"/track/{token}.json").json()["running_late"] is True
    page = client.get(f"/track/{token}").text
    assert 'id="late" class="late" >Votre commande a pris du retard, nous en sommes désolés.' in page
    english = client.get(f"/track/{token}", headers={"Accept-Language": "en"}).text
    assert "Your order is running late, sorry." in english


def test_an_order_waiting_for_a_busy_courier_is_told_when_it_will_come(city: City) -> None:
    order_id, told = city.order()
    other = orders.create_order(city.app.ctx, principal=SYSTEM, merchant_id=_pizzeria(city), lines=[
        orders.LineRequest(sku="MARGHERITA")], dropoff=_far_away(), confirm=True)
    now = city.clock.now()
    city.offer([other.id], now + timedelta(minutes=5), now + timedelta(minutes=55))  # busy for an hour
    late = city.minutes_later(1)
    assert len(late) == 1 and LATE in late[0], late
    with city.app.ctx.uow() as uow:
        tracked = eta_of(uow, uow.orders.get(order_id), city.clock.now(), city.app.ctx.rides)  # what its tracking page says
        assert uow.promises.told(order_id) == tracked
    assert tracked is not None and tracked - told >= timedelta(minutes=30)
    assert f"Arrivée prévue vers {city.clock_time(tracked)}" in late[0]


def test_an_order_on_time_is_not_told_anything(city: City) -> None:
    order_id, told = city.order()
    city.offer([order_id], city.clock.now() + timedelta(minutes=10), told)
    assert city.minutes_later(5) == [] and city.minutes_later(4) == []


def test_a_kitchen_delay_already_told_as_running_late_is_not_told_again(city: City) -> None:
    order_id, told = city.order()
    city.offer([order_id], city.clock.now() + timedelta(minutes=10), told)
    assert len(city.minutes_later(35)) == 1  # told: 25 minutes late
    with city.app.ctx.uow() as uow:
        order, new_time = uow.orders.get(order_id), uow.promises.told(order_id)
        shop = uow.merchants.get(order.merchant_id)
    ride = city.app.ctx.rides.shop_ride_minutes(shop, order.dropoff.location)
    assert new_time is not None
    ready_in = int((new_time - timedelta(minutes=ride) - city.clock.now()).total_seconds() // 60)
    assert city.clock.now() + timedelta(minutes=ready_in + ride) - promised_at(order, shop) >= DELAY_WORTH_TELLING
    orders.expect_ready(city.app.ctx, principal=SYSTEM, order_id=order_id, ready_in_minutes=ready_in)
    assert city.minutes_later(0) == []  # news against the platform's promise, not against the time told


def _pizzeria(city: City) -> str:
    with city.app.ctx.uow() as uow:
        return next(m.id for m in uow.merchants.list() if m.name == "Pizzeria du Port")


def _far_away():  # type: ignore[no-untyped-def]
    from allo.domain.order import DropOff

    return DropOff("Stade Louis II, Fontvieille", LatLon(43.7276, 7.4155))


def test_a_customer_who_asked_where_the_order_is_was_told_the_new_time_already(city: City) -> None:
    order_id, told = city.order()
    city.offer([order_id], city.clock.now() + timedelta(minutes=10), told)
    city.clock.advance(minutes=20)  # 10 minutes past the planned pickup
    city.here()
    answer = city.chat.say("où en est ma commande ?")
    minutes = round((told + timedelta(minutes=10) - city.clock.now()).total_seconds() / 60)
    assert f"Arrivée dans environ {minutes} min" in "\n".join(answer), answer
    assert city.minutes_later(0) == []  # the dispatcher finds it 10 minutes late: not news to this customer


def test_an_order_held_past_the_time_told_is_told_it_runs_late_once_without_a_made_up_time(city: City) -> None:
    order_id, told = city.order()
    orders.hold_for_dispatcher(city.app.ctx, principal=SYSTEM, order_id=order_id, reason="il faut une voiture")
    city.clock.set(told)
    assert city.minutes_later(9) == []
    late = city.minutes_later(1)  # 10 minutes past the time told, and no estimate to give
    assert len(late) == 1 and LATE in late[0] and "Arrivée prévue" not in late[0], late
    assert city.minutes_later(15) == []  # once while it stays so


def test_a_lateness_check_that_meets_a_busy_database_never_stops_the_dispatch(
        city: City, monkeypatch: pytest.MonkeyPatch) -> None:
    order_id, told = city.order()
    calls: list[int] = []

    def busy(*args: object, **kw: object) -> list[str]:
        calls.append(1)
        raise Conflict("the database is busy; try again")

    monkeypatch.setattr(lateness, "tell_running_late", busy)
    assert city.dispatcher.tick() == 1  # the order is offered all the same
    city.clock.advance(seconds=5)
    city.dispatcher.tick()
    assert len(calls) == 2  # and the check is tried again at the next tick, not a minute later


def test_an_order_placed_with_no_courier_on_duty_is_told_its_time_once_a_courier_accepts(
        application: Application, client: TestClient, clock: FixedClock) -> None:
    city = City(application, client, clock, on_duty=False)
    city.chat.say("2 margherita au 14 boulevard des Moulins")
    placed = "\n".join(city.chat.say("oui"))
    assert "min" not in placed.split("Suivi")[0], placed  # no time could be given: nobody on duty
    with application.ctx.uow() as uow:
        order_id = uow.orders.list(limit=1)[0].id
        assert uow.promises.told(order_id) is None
    city.come_on_shift()
    plan = clock.now() + timedelta(minutes=30)
    city.offer([order_id], clock.now() + timedelta(minutes=20), plan, keep_replies=True)
    accepted = "\n".join(city.chat.replies())
    assert "va chercher votre commande" in accepted and f"Arrivée prévue vers {city.clock_time(plan)}" in accepted
    with application.ctx.uow() as uow:
        assert uow.promises.told(order_id) == plan  # the time told, from now on
    late = city.minutes_later(35)  # 15 minutes past the planned pickup
    assert len(late) == 1 and LATE in late[0], late
