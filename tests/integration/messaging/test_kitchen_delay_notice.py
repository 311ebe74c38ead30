"""A kitchen running late: the customer who ordered by chat is told once, with the new arrival time."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from allo.bootstrap import Application
from allo.demo.seed import seed_demo
from allo.domain.clock import FixedClock
from allo.services import orders
from allo.services.principal import SYSTEM
from tests.integration.messaging.test_conversation_flow import Chat, _shop


def _placed_order(application: Application, client: TestClient) -> tuple[Chat, str]:
    seed_demo(application.ctx, password="a demo password")
    chat = Chat(client, application, _shop(client, "Pizzeria du Port"))
    chat.say("2 margherita au 14 boulevard des Moulins")
    chat.say("oui")
    with application.ctx.uow() as uow:
        (order,) = uow.orders.list()
    return chat, order.id


def _told(application: Application, chat: Chat) -> list[str]:
    """What the customer is told once the worker has handled the events so far."""
    assert application.worker is not None
    application.worker.run_once()
    return chat.replies()


def _kitchen_says(application: Application, chat: Chat, order_id: str, minutes: int) -> list[str]:
    orders.expect_ready(application.ctx, principal=SYSTEM, order_id=order_id, ready_in_minutes=minutes)
    return _told(application, chat)


def test_a_kitchen_an_hour_late_is_told_once_with_the_new_time_on_the_shops_clock(
        application: Application, client: TestClient, clock: FixedClock) -> None:
    chat, order_id = _placed_order(application, client)
    told = _kitchen_says(application, chat, order_id, 60)
    with application.ctx.uow() as uow:
        order = uow.orders.get(order_id)
        zone = uow.merchants.get(order.merchant_id).opening_hours.zone
    assert len(told) == 1 and "prend du retard" in told[0], told
    arrival = told[0].split("Arrivée prévue vers ")[1][:5]
    ready = (clock.now() + timedelta(minutes=60)).astimezone(zone)
    assert ready.strftime("%H:%M") < arrival <= (ready + timedelta(minutes=20)).strftime("%H:%M")  # a ride after
    assert order.tracking_token is not None and order.tracking_token in told[0]
    clock.advance(minutes=2)
    assert _kitchen_says(application, chat, order_id, 59) == []  # the same time again: no news
    assert _kitchen_says(application, chat, order_id, 75) != []  # a quarter of an hour later still: told


def test_an_estimate_within_the_promise_is_not_news(application: Application, client: TestClient) -> None:
    chat, order_id = _placed_order(application, client)
    assert _kitchen_says(application, chat, order_id, 10) == []
