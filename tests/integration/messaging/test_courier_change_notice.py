"""The customer who ordered by chat and was told a courier is coming hears when that courier has
to give the job up (taken back from a silent courier, given back): another is found."""

from __future__ import annotations

from fastapi.testclient import TestClient

from allo.bootstrap import Application
from allo.domain.assignment import Assignment
from allo.domain.clock import FixedClock
from allo.services import assignments, couriers, orders
from allo.services.principal import SYSTEM
from tests.integration.messaging.test_kitchen_delay_notice import _placed_order, _told
from tests.integration.messaging.test_conversation_flow import Chat


def _offered(application: Application, order_id: str, nth: int = 0) -> Assignment:
    """The order offered by hand to the demo's `nth` courier, who starts a shift for it."""
    with application.ctx.uow() as uow:
        courier = sorted(uow.couriers.list(), key=lambda c: c.name)[nth]
    couriers.start_shift(application.ctx, principal=SYSTEM, courier_id=courier.id)
    return assignments.offer(application.ctx, principal=SYSTEM, courier_id=courier.id, order_ids=[order_id])


def test_a_job_taken_back_from_a_silent_courier_is_told_with_the_tracking_link(
        application: Application, client: TestClient, clock: FixedClock) -> None:
    chat, order_id = _placed_order(application, client)
    job = _offered(application, order_id)
    assignments.accept(application.ctx, principal=SYSTEM, assignment_id=job.id)
    assert any("va chercher votre commande" in t for t in _told(application, chat))
    clock.advance(minutes=31)  # offered by hand: due 15 minutes after the acceptance, then 15 more
    assert [a.id for a in assignments.take_back_silent_jobs(application.ctx)] == [job.id]
    told = _told(application, chat)
    assert len(told) == 1 and "Changement de livreur" in told[0], told
    with application.ctx.uow() as uow:
        token = uow.orders.get(order_id).tracking_token
    assert token is not None and token in told[0]
    assert _told(application, chat) == []  # once


def test_a_job_given_back_is_told_and_an_offer_never_accepted_is_not(
        application: Application, client: TestClient) -> None:
    chat, order_id = _placed_order(application, client)
    first = _offered(application, order_id)
    assignments.withdraw(application.ctx, principal=SYSTEM, assignment_id=first.id, reason="reassigning")
    assert _told(application, chat) == []  # nobody had told the customer of that courier
    job = _offered(application, order_id, nth=1)
    assignments.accept(application.ctx, principal=SYSTEM, assignment_id=job.id)
    _told(application, chat)
    assignments.decline(application.ctx, principal=SYSTEM, assignment_id=job.id, reason="given back: flat tyre")
    told = _told(application, chat)
    assert len(told) == 1 and "Changement de livreur" in told[0], told


def test_a_cancelled_order_is_not_told_of_a_courier_change(application: Application, client: TestClient) -> None:
    chat, order_id = _placed_order(application, client)
    job = _offered(application, order_id)
    assignments.accept(application.ctx, principal=SYSTEM, assignment_id=job.id)
    _told(application, chat)
    orders.order_action(application.ctx, principal=SYSTEM, order_id=order_id, action=orders.OrderAction.CANCEL,
                        reason="the shop ran out")
    told = _told(application, chat)
    assert told and not any("Changement de livreur" in t for t in told), told
