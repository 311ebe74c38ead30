"""Console forms change orders and couriers: assign, reassign, unassign, ready, cancel, shifts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import unquote

from httpx import Response

from allo.domain.assignment import AssignmentStatus
from allo.domain.courier import CourierStatus
from allo.domain.order import Order, OrderStatus
from allo.entrypoints.http.pages.web import day_time
from allo.services import couriers, orders
from allo.services.principal import SYSTEM
from tests.support.api import World
from tests.support.pages import Pages

OnShift = Callable[[str], None]


def _order(world: World, order_id: str) -> Order:
    return orders.get_order(world.app.ctx, principal=SYSTEM, order_id=order_id)


def _flash(response: Response) -> str:
    return unquote(response.cookies.get("allo_flash", ""))


def test_manual_assign_reassign_and_unassign(world: World, pages: Pages, on_shift: OnShift) -> None:
    on_shift(world.courier_id)
    on_shift(world.other_courier_id)
    order = world.new_order()
    url = f"/console/orders/{order['id']}"
    html = pages.as_("dispatcher").get(url).text
    assert '<label for="assign-courier">Assigner à</label>' in html and "Lucas" in html

    r = pages.post(f"{url}/assign", {"courier_id": world.courier_id})
    assert r.status_code == 303 and r.headers["location"] == url and "assignée à Lucas" in _flash(r)
    o = _order(world, order["id"])
    assert o.status is OrderStatus.ASSIGNED and o.courier_id == world.courier_id
    with world.app.ctx.uow() as uow:
        job = uow.assignments.active_for_order(order["id"])
        assert job is not None and job.manual
        first_job = job.id

    r = pages.post(f"{url}/assign", {"courier_id": world.other_courier_id})
    assert "réassignée à Inès" in _flash(r)
    o = _order(world, order["id"])
    assert o.status is OrderStatus.ASSIGNED and o.courier_id == world.other_courier_id
    with world.app.ctx.uow() as uow:
        assert uow.assignments.get(first_job).status is AssignmentStatus.WITHDRAWN
        assert uow.couriers.get(world.courier_id).status is CourierStatus.AVAILABLE

    r = pages.post(f"{url}/unassign", {"reason": "customer asked to wait"})
    assert "désassignée" in _flash(r).lower()
    o = _order(world, order["id"])
    assert o.status is OrderStatus.CONFIRMED and o.courier_id is None
    with world.app.ctx.uow() as uow:
        assert uow.couriers.get(world.other_courier_id).status is CourierStatus.AVAILABLE
    timeline = pages.get(url).text
    assert "customer asked to wait" in timeline and "proposée à Lucas (manuel)" in timeline
    assert "course retirée (Inès)" in timeline


def test_assigning_to_a_courier_off_shift_is_refused_with_a_message(world: World, pages: Pages) -> None:
    order = world.new_order()
    r = pages.as_("dispatcher").post(f"/console/orders/{order['id']}/assign", {"courier_id": world.courier_id})
    assert r.status_code == 303 and _flash(r).startswith("!")
    assert _order(world, order["id"]).status is OrderStatus.CONFIRMED
    html = pages.get(f"/console/orders/{order['id']}", cookies={"allo_flash": r.cookies["allo_flash"]}).text
    assert 'class="flash flash-error" role="alert"' in html


def test_merchant_may_not_assign(world: World, pages: Pages, on_shift: OnShift) -> None:
    on_shift(world.courier_id)
    order = world.new_order()
    r = pages.as_("merchant").post(f"/console/orders/{order['id']}/assign", {"courier_id": world.courier_id})
    assert r.status_code == 403
    assert _order(world, order["id"]).status is OrderStatus.CONFIRMED


def test_mark_ready_and_cancel_with_a_reason(world: World, pages: Pages) -> None:
    order = world.new_order()
    url = f"/console/orders/{order['id']}"
    pages.as_("merchant").post(f"{url}/actions", {"action": "mark_ready"})
    assert _order(world, order["id"]).status is OrderStatus.READY
    r = pages.post(f"{url}/actions", {"action": "cancel", "reason": " "})
    assert _flash(r).startswith("!") and _order(world, order["id"]).status is OrderStatus.READY
    pages.post(f"{url}/actions", {"action": "cancel", "reason": "out of dough"})
    o = _order(world, order["id"])
    assert o.status is OrderStatus.CANCELLED and o.reason == "out of dough"
    theirs = world.new_order(merchant_id=world.other_merchant_id)
    assert pages.post(f"/console/orders/{theirs['id']}/actions", {"action": "cancel", "reason": "x"}).status_code == 403


def test_roster_and_shifts(world: World, pages: Pages) -> None:
    html = pages.as_("dispatcher").get("/console/couriers").text
    assert "Lucas" in html and "Inès" in html and "hors service" in html
    assert 'aria-label="Commencer le service de Lucas"' in html
    r = pages.post(f"/console/couriers/{world.courier_id}/shift/start")
    assert r.status_code == 303 and r.headers["location"] == "/console/couriers"
    with world.app.ctx.uow() as uow:
        assert uow.couriers.get(world.courier_id).status is CourierStatus.AVAILABLE
    assert 'aria-label="Terminer le service de Lucas"' in pages.get("/console/couriers").text
    until = world.app.ctx.clock.now() + timedelta(hours=3)
    couriers.plan_shift_end(world.app.ctx, principal=SYSTEM, courier_id=world.courier_id, until=until)
    assert f"jusqu'à {until.astimezone(world.app.ctx.city_zone):%H:%M}" in pages.get("/console/couriers").text
    pages.post(f"/console/couriers/{world.courier_id}/shift/stop")
    with world.app.ctx.uow() as uow:
        assert uow.couriers.get(world.courier_id).status is CourierStatus.OFF_SHIFT
    now = world.app.ctx.clock.now()
    couriers.book_shift(world.app.ctx, principal=SYSTEM, courier_id=world.courier_id,
                        starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=4))
    zone = world.app.ctx.city_zone
    booked = f"réservé {day_time(now + timedelta(days=1), zone)}–{(now + timedelta(days=1, hours=4)).astimezone(zone):%H:%M}"
    assert booked in pages.get("/console/couriers").text


def test_the_console_starts_a_shift_with_a_planned_end_chosen_as_in_the_courier_app(world: World,
                                                                                    pages: Pages) -> None:
    html = pages.as_("dispatcher").get("/console/couriers").text
    assert f'<select name="hours" id="hours-{world.courier_id}" aria-label="Durée du service de Lucas">' in html
    assert '<option value="">sans heure de fin</option>' in html and '<option value="0.5">30 min</option>' in html
    assert '<option value="10">10 h</option>' in html
    now = world.app.ctx.clock.now()
    r = pages.post(f"/console/couriers/{world.courier_id}/shift/start", {"hours": "3"})
    assert r.status_code == 303 and "Service commencé pour Lucas" in _flash(r)
    with world.app.ctx.uow() as uow:
        c = uow.couriers.get(world.courier_id)
    assert c.status is CourierStatus.AVAILABLE and c.shift_ends_at == now + timedelta(hours=3)
    assert f"jusqu'à {c.shift_ends_at.astimezone(world.app.ctx.city_zone):%H:%M}" in pages.get("/console/couriers").text


def test_the_console_starts_a_shift_without_a_planned_end_and_refuses_a_bad_length(world: World,
                                                                                  pages: Pages) -> None:
    pages.as_("dispatcher")
    for bad in ("nan", "0", "abc", "20"):  # "20": longer than a shift may last (16 h)
        r = pages.post(f"/console/couriers/{world.courier_id}/shift/start", {"hours": bad})
        assert r.status_code == 303 and _flash(r).startswith("!"), bad
    with world.app.ctx.uow() as uow:
        assert uow.couriers.get(world.courier_id).status is CourierStatus.OFF_SHIFT
    r = pages.post(f"/console/couriers/{world.courier_id}/shift/start", {"hours": ""})
    assert r.status_code == 303 and not _flash(r).startswith("!")
    with world.app.ctx.uow() as uow:
        c = uow.couriers.get(world.courier_id)
    assert c.status is CourierStatus.AVAILABLE and c.shift_ends_at is None


def test_the_shop_says_in_the_console_when_an_order_will_be_ready(world: World, pages: Pages) -> None:
    order = world.new_order()
    url = f"/console/orders/{order['id']}"
    html = pages.as_("merchant").get(url).text
    assert 'id="ready-estimate"' in html and '<option value="45">45 min</option>' in html
    now = world.app.ctx.clock.now()
    r = pages.post(f"{url}/ready-estimate", {"ready_in_minutes": "45"})
    assert r.status_code == 303 and "Prête vers" in _flash(r)
    assert _order(world, order["id"]).expected_ready_at == now + timedelta(minutes=45)
    expected = (now + timedelta(minutes=45)).astimezone(world.app.ctx.city_zone).strftime("%H:%M")
    assert f"annoncée vers {expected}" in pages.get(url).text
    r = pages.post(f"{url}/ready-estimate", {"ready_in_minutes": "500"})  # out of range: refused, kept
    assert r.status_code == 303 and "between 0 and 240" in _flash(r)
    assert _order(world, order["id"]).expected_ready_at == now + timedelta(minutes=45)
    pages.post(f"{url}/actions", {"action": "mark_ready"})
    assert 'id="ready-estimate"' not in pages.get(url).text  # ready: nothing left to announce


def test_the_roster_says_why_a_shift_ended_when_the_courier_did_not_end_it(world: World, pages: Pages) -> None:
    from allo.services import assignments
    from tests.support.jobs import accepted_job

    clock = world.app.ctx.clock
    job = accepted_job(world)  # Lucas accepts, then nothing more comes from him
    couriers.start_shift(world.app.ctx, principal=SYSTEM, courier_id=world.other_courier_id)
    clock.advance(minutes=31)  # type: ignore[attr-defined]
    assert [a.id for a in assignments.take_back_silent_jobs(world.app.ctx)] == [job.assignment_id]
    pages.as_("dispatcher").post(f"/console/couriers/{world.other_courier_id}/shift/stop")  # Inès stops herself
    html = pages.get("/console/couriers").text
    at = clock.now().astimezone(world.app.ctx.city_zone)
    assert f'<span class="small ended late">fini à {at:%H:%M} — course reprise, sans nouvelles</span>' in html
    assert f'<span class="small ended muted">fini à {at:%H:%M}</span>' in html  # her own choice: no reason


def test_a_dispatcher_keeps_an_order_for_manual_dispatch_and_gives_it_back(world: World, pages: Pages) -> None:
    order = world.new_order()
    page = pages.as_("dispatcher").get(f"/console/orders/{order['id']}").text
    assert 'id="hold"' in page and 'id="release"' not in page
    r = pages.post(f"/console/orders/{order['id']}/hold", {"reason": ""})
    assert _flash(r).startswith("!") and _order(world, order["id"]).held_reason is None  # a reason is needed
    r = pages.post(f"/console/orders/{order['id']}/hold", {"reason": "il faut une voiture"})
    assert "le dispatch automatique ne la proposera pas" in _flash(r)
    assert _order(world, order["id"]).held_reason == "il faut une voiture"
    assert "attribution manuelle — il faut une voiture" in pages.get("/console/board").text
    assert "attribution manuelle — il faut une voiture" in pages.as_("merchant").get("/console/board").text
    assert 'id="hold"' not in pages.get(f"/console/orders/{order['id']}").text  # shops do not hold orders
    page = pages.as_("dispatcher").get(f"/console/orders/{order['id']}").text
    assert 'id="release"' in page and "Gardée pour attribution manuelle" in page
    r = pages.post(f"/console/orders/{order['id']}/release")
    assert "rendue au dispatch automatique" in _flash(r) and _order(world, order["id"]).held_reason is None
    assert "attribution manuelle" not in pages.get("/console/board").text
    page = pages.get(f"/console/orders/{order['id']}").text  # the timeline says who kept it, and why
    assert "gardée pour attribution manuelle <span class=\"muted\">— il faut une voiture</span>" in page
    assert "rendue au dispatch automatique</li>" in page
