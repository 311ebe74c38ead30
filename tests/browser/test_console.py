"""The dispatcher console in a real browser: log in, see the board, open an order, assign it,
reveal the contact (audited), see the map draw the streets, and watch the board update live.

The server runs as its own process (`allo serve`) on a database seeded here with the demo city,
with the automatic dispatcher off so that the assignment is the dispatcher's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from allo.bootstrap import Application, build
from allo.domain.geo import LatLon
from allo.domain.order import DropOff
from allo.services import console, couriers, orders
from allo.services.orders import CustomerRequest, LineRequest
from allo.services.principal import SYSTEM
from allo.settings import Settings
from tests.browser.conftest import shot
from tests.support.server import ServerProcess, allo_env, free_port

if TYPE_CHECKING:  # the package is optional: the browser fixture skips without it
    from playwright.sync_api import Browser, Page

PASSWORD = "demo-allo"
DROP = LatLon(43.7395, 7.4270)


@dataclass
class Console:
    server: ServerProcess
    app: Application
    merchant_id: str
    order_id: str

    def url(self, path: str) -> str:
        return self.server.base_url + path

    def new_order(self, phone: str) -> str:
        return orders.create_order(
            self.app.ctx, principal=SYSTEM, merchant_id=self.merchant_id, lines=[LineRequest("DOLI1000", 2)],
            dropoff=DropOff("14 boulevard des Moulins, 98000 Monaco", DROP, door_code="4521B",
                            recipient_name="Marie Dupont"),
            customer=CustomerRequest(phone, "Marie Dupont"), confirm=True).id


@pytest.fixture(scope="module")
def live_console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    from allo.demo.seed import SHOPS, seed_demo

    data_dir: Path = tmp_path_factory.mktemp("console")
    app = build(Settings(data_dir=data_dir), migrate_now=True)
    seed_demo(app.ctx, password=PASSWORD)
    with app.ctx.uow() as uow:
        shops = {m.name: m for m in uow.merchants.list()}
        people = uow.couriers.list()
    pharmacy = shops[SHOPS[0].name]
    for c, where in zip(people[:3], (LatLon(43.7405, 7.4280), LatLon(43.7350, 7.4210), LatLon(43.7380, 7.4240))):
        couriers.start_shift(app.ctx, principal=SYSTEM, courier_id=c.id)
        couriers.update_position(app.ctx, principal=SYSTEM, courier_id=c.id, where=where)
    env = allo_env(data_dir, ALLO_DISPATCH="false")
    server = ServerProcess(["serve"], env, free_port()).start()
    state = Console(server, app, pharmacy.id, "")
    state.order_id = state.new_order("+33612345642")
    try:
        yield state
    finally:
        server.stop()
        app.close()


def login(page: Page, c: Console, username: str = "dispatch") -> None:
    page.goto(c.url("/login"))
    page.get_by_label("Identifiant / Username").fill(username)
    page.get_by_label("Mot de passe / Password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r".*/console$"))


def unlabelled_controls(page: Page) -> int:
    return page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).length""")


def test_dispatcher_sees_the_board_opens_an_order_and_assigns_it(page: Page, live_console: Console) -> None:
    c = live_console
    ref = console.order_ref(c.order_id)
    login(page, c)
    assert page.title() == "Tableau des commandes — Console Allo"
    card = page.locator(".order-card", has_text=f"#{ref}")
    card.wait_for()
    assert "Pharmacie des Moulins" in card.inner_text()
    assert unlabelled_controls(page) == 0
    shot(page, "console_board")

    card.get_by_role("link").click()
    page.wait_for_url(f"**/console/orders/{c.order_id}")
    assert page.get_by_test_id("customer-phone").inner_text() == "+33 6 •• •• •• 42"
    assert "Marie Dupont" not in page.content()
    assert unlabelled_controls(page) == 0
    page.get_by_label("Assigner à").select_option(index=0)
    chosen = page.get_by_label("Assigner à").locator("option").first.inner_text().split(" (")[0]
    page.get_by_role("button", name="Assigner", exact=True).click()
    page.wait_for_load_state()
    assert f"assignée à {chosen}" in page.locator(".flash").inner_text()
    assert page.locator("h1 .badge").inner_text() == "Assignée"
    shot(page, "console_order_assigned")
    o = orders.get_order(c.app.ctx, principal=SYSTEM, order_id=c.order_id)
    assert o.status.value == "assigned"

    page.get_by_label("Afficher les coordonnées — motif (journalisé)").fill("le coursier ne trouve pas l'entrée")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("customer-phone").inner_text() == "+33612345642"
    shot(page, "console_order_revealed")
    with c.app.ctx.uow() as uow:
        assert any(e.action == "reveal_contact" for e in uow.journal.audit_entries(subject_id=o.customer_id))

    page.get_by_label("Désassigner — motif (facultatif)").fill("test")
    page.get_by_role("button", name="Désassigner").click()
    page.wait_for_load_state()
    assert orders.get_order(c.app.ctx, principal=SYSTEM, order_id=c.order_id).status.value == "confirmed"


def test_map_draws_the_streets_and_credits_openstreetmap(page: Page, live_console: Console) -> None:
    c = live_console
    login(page, c)
    page.get_by_role("link", name="Carte").click()
    page.wait_for_url("**/console/map")
    page.wait_for_selector("#map[data-streets-loaded][data-live-at]", timeout=20_000)
    assert int(page.get_attribute("#map", "data-streets-loaded") or 0) > 1000
    assert int(page.get_attribute("#map", "data-couriers") or 0) == 3
    assert "OpenStreetMap contributors" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.locator(".leaflet-marker-icon.shop-icon").count() == 3
    shot(page, "console_map")


def test_board_updates_live_when_an_order_arrives(page: Page, live_console: Console) -> None:
    c = live_console
    login(page, c)
    page.wait_for_function("() => window.htmx !== undefined")
    page.wait_for_timeout(1500)  # let the event stream connect
    new_id = c.new_order("+33612345643")
    page.locator(".order-card", has_text=f"#{console.order_ref(new_id)}").wait_for(timeout=15_000)


def test_roster_starts_and_ends_a_shift_with_the_keyboard(page: Page, live_console: Console) -> None:
    c = live_console
    login(page, c)
    page.goto(c.url("/console/couriers"))
    assert page.title() == "Coursiers — Console Allo"
    start = page.get_by_role("button", name=re.compile("^Commencer le service de "))
    name = (start.first.get_attribute("aria-label") or "").removeprefix("Commencer le service de ")
    start.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert f"Service commencé pour {name}" in page.locator(".flash").inner_text()
    shot(page, "console_couriers")
    page.get_by_role("button", name=f"Terminer le service de {name}").click()
    page.wait_for_load_state()
    assert f"Service terminé pour {name}" in page.locator(".flash").inner_text()


def test_busy_board_flags_late_orders(page: Page, live_console: Console) -> None:
    """Orders at every stage, one of them late: the alert names it and the screenshot shows it all."""
    from datetime import timedelta

    from allo.services import assignments

    c = live_console
    ctx = c.app.ctx
    now = ctx.clock.now()
    late = orders.create_order(
        ctx, principal=SYSTEM, merchant_id=c.merchant_id, lines=[LineRequest("SIROP_TOUX")],
        dropoff=DropOff("3 avenue de la Costa, 98000 Monaco", LatLon(43.7413, 7.4262)),
        customer=CustomerRequest("+33612345644", "Paul Martin"), confirm=True,
        requested_for=now - timedelta(minutes=7)).id
    ready = c.new_order("+33612345645")
    orders.order_action(ctx, principal=SYSTEM, order_id=ready, action=orders.OrderAction.MARK_READY)
    with ctx.uow() as uow:
        free = [x for x in uow.couriers.list() if x.status.value == "available" and x.position]
    on_road = c.new_order("+33612345646")
    job = assignments.offer(ctx, principal=SYSTEM, courier_id=free[0].id, order_ids=[on_road])
    assignments.accept(ctx, principal=SYSTEM, assignment_id=job.id)
    assignments.picked_up(ctx, principal=SYSTEM, assignment_id=job.id)
    done = c.new_order("+33612345647")
    orders.order_action(ctx, principal=SYSTEM, order_id=done, action=orders.OrderAction.CANCEL,
                        reason="rupture de stock")
    login(page, c)
    alert = page.locator(".alert-late")
    alert.wait_for()
    assert f"#{console.order_ref(late)}" in alert.inner_text()
    assert page.locator(".order-card.is-late").count() >= 1
    assert page.locator("#col-picked_up").locator("xpath=..").locator(".order-card").count() >= 1
    shot(page, "console_board_busy")
    page.goto(c.url("/console/map"))
    page.wait_for_selector("#map[data-streets-loaded][data-live-at]", timeout=20_000)
    shot(page, "console_map_busy")


def test_console_works_without_javascript(browser: Browser, live_console: Console) -> None:
    """Forms POST and redirect: with JavaScript off, a dispatcher still assigns and unassigns."""
    c = live_console
    order_id = c.new_order("+33612345648")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1024, "height": 800})
    try:
        page = context.new_page()
        login(page, c)
        page.goto(c.url(f"/console/orders/{order_id}"))
        page.get_by_role("button", name="Assigner", exact=True).click()
        page.wait_for_url(f"**/console/orders/{order_id}")
        assert "assignée à" in page.locator(".flash").inner_text()
        page.get_by_role("button", name="Désassigner").click()
        page.wait_for_url(f"**/console/orders/{order_id}")
        assert "désassignée" in page.locator(".flash").inner_text().lower()
        shot(page, "console_order_no_javascript")
    finally:
        context.close()
    assert orders.get_order(c.app.ctx, principal=SYSTEM, order_id=order_id).status.value == "confirmed"


def test_merchant_sees_its_own_orders_without_personal_data(page: Page, live_console: Console) -> None:
    c = live_console
    login(page, c, username="pharmacie")
    page.locator(".order-card").first.wait_for()
    assert page.get_by_role("link", name="Coursiers").count() == 0
    assert "Pizzeria du Port" not in page.content() and "boulevard des Moulins" not in page.content()
    shot(page, "console_board_merchant")
    page.locator(".order-card a").first.click()
    page.wait_for_url("**/console/orders/*")
    assert page.get_by_role("button", name="Afficher").count() == 0  # no reveal for shops
    assert page.get_by_role("button", name="Assigner", exact=True).count() == 0
    assert "+33612345642" not in page.content()
    shot(page, "console_order_merchant")


def test_order_page_has_its_map_and_follows_changes_live(page: Page, live_console: Console) -> None:
    c = live_console
    order_id = c.new_order("+33612345649")
    login(page, c)
    page.goto(c.url(f"/console/orders/{order_id}"))
    page.wait_for_selector("#order-map[data-streets-loaded]", timeout=20_000)
    assert page.locator("#order-map .shop-icon").count() == 1
    assert "OpenStreetMap contributors" in page.locator("#order-map .leaflet-control-attribution").inner_text()
    page.wait_for_timeout(1500)  # let the event stream connect
    orders.order_action(c.app.ctx, principal=SYSTEM, order_id=order_id, action=orders.OrderAction.MARK_READY)
    page.wait_for_function("() => document.querySelector('#order-title .badge').textContent.trim() === 'Prête'",
                           timeout=15_000)
    assert "prête" in page.locator("#order-timeline").inner_text()
    page.wait_for_function("() => !document.querySelector('#order-actions').textContent.includes('Marquer prête')")
    shot(page, "console_order_map")
