"""The courier app and the customer's tracking page in a real browser (a phone-sized window):
a courier starts a shift, sees an offer arrive live, accepts it with the keyboard, picks up,
chats with the customer through the relay, enters a wrong then the right PIN; the customer's
tracking page follows along, showing the courier's rounded position on the map.

The server runs as its own process (`allo serve`) on a database seeded here with the demo city,
with the automatic dispatcher off so that the offers are the test's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from allo.bootstrap import Application, build
from allo.domain.geo import LatLon
from allo.domain.order import DropOff, order_number
from allo.services import assignments, couriers, orders
from allo.services.orders import CustomerRequest, LineRequest
from allo.entrypoints.http.pages.web import clock_time
from allo.services.principal import SYSTEM
from allo.settings import Settings
from tests.browser.conftest import ARTIFACTS, shot
from tests.support.server import ServerProcess, allo_env, free_port

if TYPE_CHECKING:  # the package is optional: the browser fixture skips without it
    from playwright.sync_api import Browser, Page

PASSWORD = "demo-allo"
DROP = LatLon(43.7395, 7.4270)
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "fr-FR"}
CHAT_SESSION = "browser-test-customer-session-01"


@dataclass
class City:
    server: ServerProcess
    app: Application
    merchant_id: str
    courier_id: str
    pizzeria_id: str

    def url(self, path: str) -> str:
        return self.server.base_url + path

    def new_order(self, phone: str) -> tuple[str, str, str]:
        """An order from a web chat customer: (order id, tracking token, handover PIN)."""
        ctx = self.app.ctx
        order = orders.create_order(
            ctx, principal=SYSTEM, merchant_id=self.merchant_id, lines=[LineRequest("DOLI1000", 2)],
            dropoff=DropOff("14 boulevard des Moulins, 98000 Monaco", DROP, door_code="4521B", floor="3e",
                            instructions="Interphone en panne", recipient_name="Marie Dupont"),
            customer=CustomerRequest(phone, "Marie Dupont"), confirm=True)
        with ctx.uow() as uow:
            conv = uow.messaging.conversation(channel="webchat", address=f"{self.merchant_id}_{CHAT_SESSION}",
                                              merchant_id=self.merchant_id, new_id=ctx.new_id(), now=ctx.clock.now())
            o = uow.orders.get(order.id)
            o.conversation_id = conv.id
            uow.orders.save(o)
            uow.commit()
        return order.id, str(order.tracking_token), str(order.pin)

    def customer_writes(self, text: str, n: int) -> None:
        r = httpx.post(self.url(f"/chat/api/{self.merchant_id}/messages"), cookies={"allo_chat": CHAT_SESSION},
                       json={"message_id": f"browser-customer-{n:04d}", "text": text}, timeout=10)
        assert r.status_code == 202, r.text


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    from allo.demo.seed import SHOPS, seed_demo

    data_dir: Path = tmp_path_factory.mktemp("courier")
    app = build(Settings(data_dir=data_dir), migrate_now=True)
    seed_demo(app.ctx, password=PASSWORD)
    with app.ctx.uow() as uow:
        shops = {m.name: m for m in uow.merchants.list()}
        lucas = next(c for c in uow.couriers.list() if c.name == "Lucas")  # the login courier1
    port = free_port()
    env = allo_env(data_dir, ALLO_DISPATCH="false", ALLO_WORKER_POLL_SECONDS="0.2",
                   ALLO_PUBLIC_URL=f"http://127.0.0.1:{port}")
    server = ServerProcess(["serve"], env, port).start()
    try:
        yield City(server, app, shops[SHOPS[0].name].id, lucas.id, shops[SHOPS[1].name].id)
    finally:
        server.stop()
        app.close()


@pytest.fixture
def phone(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(**PHONE)
    p = context.new_page()
    yield p
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        p.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    except Exception:  # noqa: BLE001 - a failed screenshot must not hide the test's own result
        pass
    context.close()


def login(page: Page, c: City) -> None:
    page.goto(c.url("/login"))
    page.get_by_label("Identifiant / Username").fill("courier1")
    page.get_by_label("Mot de passe / Password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r".*/courier$"))


def unlabelled_controls(page: Page) -> int:
    return page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).length""")


#: The lowest text contrast on the page (WCAG relative luminance), over visible text elements.
LOWEST_CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bg = el => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                       if (c.length < 4 || c[3] > 0.5) { if (c.length >= 3 && !(c.length === 4 && c[3] === 0)) return c; } }
                     return [255, 255, 255]; };
  let worst = 21, where = '';
  for (const el of document.querySelectorAll('main p, main dt, main dd, main li, main button, main label, main summary, main h1, main h2, main h3, main a, main span')) {
    if (!el.offsetParent || !el.textContent.trim()) continue;
    const fg = lum(rgb(getComputedStyle(el).color)), b = lum(bg(el));
    const ratio = (Math.max(fg, b) + 0.05) / (Math.min(fg, b) + 0.05);
    if (ratio < worst) { worst = ratio; where = el.outerHTML.slice(0, 80); }
  }
  return [worst, where];
}"""


def contrast_ok(page: Page) -> None:
    ratio, where = page.evaluate(LOWEST_CONTRAST)
    assert ratio >= 4.5, f"contrast {ratio:.2f} below 4.5:1 at {where}"


def test_courier_accepts_picks_up_chats_and_delivers_with_the_pin(phone: Page, city: City) -> None:
    page = phone
    login(page, city)
    assert page.title() == "Mes courses — Allo"
    page.get_by_role("button", name="Commencer mon service").click()
    page.get_by_text("Service commencé. Bonne route !").wait_for()
    page.wait_for_function("() => window.htmx !== undefined")
    page.wait_for_timeout(1500)  # let the event stream connect

    order_id, token, pin = city.new_order("+33612345642")
    offer = assignments.offer(city.app.ctx, principal=SYSTEM, courier_id=city.courier_id, order_ids=[order_id])
    page.get_by_role("heading", name="Nouvelle course").wait_for(timeout=15_000)  # arrived live
    left = int(page.locator(".countdown").inner_text())
    assert 0 < left <= 90
    page.wait_for_timeout(2100)
    assert int(page.locator(".countdown").inner_text()) < left  # the countdown runs
    assert "Pharmacie des Moulins" in page.locator(".offer").inner_text()
    assert unlabelled_controls(page) == 0
    contrast_ok(page)
    shot(page, "courier_offer")

    accept = page.get_by_role("button", name="Accepter")
    accept.focus()
    page.keyboard.press("Enter")  # keyboard use
    page.get_by_text("Course acceptée.").wait_for()
    job = page.locator(".job").inner_text()
    assert "14 boulevard des Moulins" in job and "4521B" in job and "Interphone en panne" in job
    assert "Marie" in job and "Dupont" not in page.content()
    assert "+33" not in page.content() and "12 34 56 42" not in page.content()
    page.get_by_role("button", name="Je suis au magasin").click()
    page.get_by_text("Le magasin sait que vous êtes là.").wait_for()
    page.get_by_role("button", name="Commandes récupérées").click()
    page.get_by_text("le client a reçu son code de remise").wait_for()

    page.get_by_label("Message au client (il ne voit pas votre numéro)").fill("Je suis en bas de l'immeuble")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("Message envoyé au client.").wait_for()
    city.customer_writes("J'arrive ! Mon numéro si besoin : 06 12 34 56 42", 1)
    message = page.locator(".messages li.from-customer")
    message.wait_for(timeout=15_000)  # relayed live
    assert "J'arrive !" in message.inner_text() and "12 34 56 42" not in message.inner_text()
    assert unlabelled_controls(page) == 0
    contrast_ok(page)
    shot(page, "courier_job_chat")

    wrong = "0000" if pin != "0000" else "1111"
    page.get_by_label("Code de remise (donné par le client)").fill(wrong)
    page.get_by_role("button", name="Livrée").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Code de remise incorrect" in alert.inner_text() and "4 essais restants" in alert.inner_text()
    shot(page, "courier_wrong_pin")
    page.get_by_label("Code de remise (donné par le client)").fill(pin)
    page.get_by_role("button", name="Livrée").click()
    page.get_by_text("Livraison confirmée. Merci !").wait_for()
    assert orders.get_order(city.app.ctx, principal=SYSTEM, order_id=order_id).status.value == "delivered"
    assert page.get_by_role("heading", name=re.compile("livrée$")).count() == 1  # the relay stays a while
    shot(page, "courier_delivered")
    assert offer.id


def test_tracking_page_follows_the_delivery_live(phone: Page, city: City) -> None:
    page = phone
    order_id, token, pin = city.new_order("+33612345643")
    ctx = city.app.ctx
    with ctx.uow() as uow:
        other = next(c for c in uow.couriers.list() if c.name == "Inès")
    couriers.start_shift(ctx, principal=SYSTEM, courier_id=other.id)
    page.goto(city.url(f"/track/{token}"))
    status = page.locator("#status")
    assert status.inner_text() == "Commande confirmée"
    assert "Pharmacie des Moulins" in page.content()
    page.wait_for_timeout(1500)  # let the event stream connect
    job = assignments.offer(ctx, principal=SYSTEM, courier_id=other.id, order_ids=[order_id])
    assignments.accept(ctx, principal=SYSTEM, assignment_id=job.id)
    page.wait_for_function("() => document.getElementById('status').textContent.includes('magasin')", timeout=15_000)
    couriers.update_position(ctx, principal=SYSTEM, courier_id=other.id, where=LatLon(43.736789, 7.421234))
    assignments.picked_up(ctx, principal=SYSTEM, assignment_id=job.id)
    page.wait_for_function("() => document.getElementById('status').textContent === 'En route vers vous'",
                           timeout=15_000)
    page.locator("#map path.leaflet-interactive").first.wait_for(timeout=15_000)  # the ~100 m circle
    assert "43.737" in page.locator("#position").inner_text()
    eta = httpx.get(city.url(f"/track/{token}.json")).json()["eta"]
    shown = page.locator("#eta-time").inner_text()  # written by track.js from the event stream
    at = datetime.fromisoformat(eta)
    zone = city.app.ctx.city_zone
    assert shown in {clock_time(at + timedelta(minutes=k), zone) for k in (-1, 0, 1)}, (shown, eta)  # the city's time
    assert shown != at.astimezone(UTC).strftime("%H:%M")  # not UTC (Monaco is an hour or two ahead)
    content = page.content()
    for personal in ("Marie", "Dupont", "14 boulevard", "4521B", "+33", "Inès", "43.736789"):
        assert personal not in content, personal
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    contrast_ok(page)
    shot(page, "tracking_en_route")
    assignments.delivered(ctx, principal=SYSTEM, assignment_id=job.id, order_id=order_id)
    page.wait_for_function("() => document.getElementById('status').textContent === 'Livrée'", timeout=15_000)
    shot(page, "tracking_delivered")


def test_position_is_shared_from_the_browser(browser: Browser, city: City) -> None:
    context = browser.new_context(geolocation={"latitude": 43.73911, "longitude": 7.42701},
                                  permissions=["geolocation"], **PHONE)
    page = context.new_page()
    try:
        login(page, city)
        if page.get_by_role("button", name="Commencer mon service").count():
            page.get_by_role("button", name="Commencer mon service").click()
        share = page.get_by_role("button", name="Partager ma position")
        share.click()
        page.get_by_text(re.compile("^Position partagée à")).wait_for(timeout=15_000)
        assert share.get_attribute("aria-pressed") == "true"
        c = couriers.get_courier(city.app.ctx, principal=SYSTEM, courier_id=city.courier_id)
        assert c.position is not None and abs(c.position.lat - 43.73911) < 1e-6
        shot(page, "courier_position_shared")
        share.click()
        assert share.get_attribute("aria-pressed") == "false"
    finally:
        context.close()


def test_pages_work_without_javascript(browser: Browser, city: City) -> None:
    """Plain forms and redirects: the shift ends and starts again, and the page refreshes itself."""
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    try:
        login(page, city)
        assert page.locator("meta[http-equiv=refresh]").count() == 1
        if page.get_by_role("button", name="Finir mon service").count():
            page.get_by_role("button", name="Finir mon service").click()
            page.get_by_text("Service terminé. À bientôt !").wait_for()
        page.get_by_role("button", name="Commencer mon service").click()
        page.get_by_text("Service commencé. Bonne route !").wait_for()
        assert page.url.endswith("/courier?done=shift_started")
        assert page.get_by_role("button", name="Partager ma position").is_hidden()  # needs JavaScript
        shot(page, "courier_no_javascript")
    finally:
        context.close()


def test_customer_orders_by_chat_courier_delivers_with_the_pin_from_the_message(browser: Browser, city: City) -> None:
    """The whole story: the customer's chat, the dispatcher's console, the courier's app, the tracking page."""
    customer = browser.new_context(**PHONE).new_page()
    courier = browser.new_context(**PHONE).new_page()
    tracker = browser.new_context(**PHONE).new_page()
    dispatcher = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    try:
        customer.goto(city.url(f"/chat?shop={city.pizzeria_id}"))
        customer.locator("#log li.note").first.wait_for()  # the shops are loaded
        customer.get_by_label("Votre message / Your message").fill("2 margherita au 14 boulevard des Moulins")
        customer.get_by_role("button", name="Envoyer").click()
        customer.locator("#log li.in").first.wait_for(timeout=15_000)
        customer.get_by_label("Votre message / Your message").fill("oui")
        customer.get_by_role("button", name="Envoyer").click()
        placed = customer.locator("#log li.in", has_text="/track/")
        placed.wait_for(timeout=15_000)
        link = re.search(r"https?://\S+/track/[\w-]+", placed.inner_text())
        assert link, placed.inner_text()
        with city.app.ctx.uow() as uow:
            order = next(o for o in uow.orders.list() if o.merchant_id == city.pizzeria_id)

        login(courier, city)
        if courier.get_by_role("button", name="Commencer mon service").count():
            courier.get_by_role("button", name="Commencer mon service").click()
        courier.get_by_role("button", name="Finir mon service").wait_for()
        courier.wait_for_timeout(1500)  # let the event stream connect

        # the dispatcher sees the new order on the board and gives it to the courier
        dispatcher.goto(city.url("/login"))
        dispatcher.get_by_label("Identifiant / Username").fill("dispatch")
        dispatcher.get_by_label("Mot de passe / Password").fill(PASSWORD)
        dispatcher.get_by_role("button", name="Se connecter").click()
        card = dispatcher.locator(".order-card", has_text=f"#{order_number(order.id)}")
        card.wait_for(timeout=15_000)
        card.get_by_role("link").click()
        choice = dispatcher.get_by_label("Assigner à")
        lucas = next(o for o in choice.locator("option").all_inner_texts() if o.startswith("Lucas"))
        choice.select_option(label=lucas)
        dispatcher.get_by_role("button", name="Assigner", exact=True).click()
        dispatcher.locator(".flash").wait_for()
        shot(dispatcher, "flow_dispatcher_assigned")

        courier.get_by_role("button", name="Accepter").click(timeout=15_000)
        courier.get_by_text("Course acceptée.").wait_for()
        customer.locator("#log li.in", has_text="écrire au livreur").wait_for(timeout=15_000)

        tracker.goto(link.group(0))
        assert tracker.locator("#status").inner_text() == "Livreur en route vers le magasin"

        customer.get_by_label("Votre message / Your message").fill("Je descends, merci !")
        customer.get_by_role("button", name="Envoyer").click()
        courier.locator(".messages li.from-customer", has_text="Je descends").wait_for(timeout=15_000)

        courier.get_by_role("button", name="Commandes récupérées").click()
        told = customer.locator("#log li.in", has_text="Code de remise")
        told.wait_for(timeout=15_000)
        pin = re.search(r"\b(\d{4})\b", told.inner_text().split(":", 1)[1])
        assert pin, told.inner_text()
        tracker.wait_for_function("() => document.getElementById('status').textContent === 'En route vers vous'",
                                  timeout=20_000)
        shot(customer, "flow_customer_chat_with_pin")

        courier.get_by_label("Code de remise (donné par le client)").fill(pin.group(1))
        courier.get_by_role("button", name="Livrée").click()
        courier.get_by_text("Livraison confirmée. Merci !").wait_for()
        tracker.wait_for_function("() => document.getElementById('status').textContent === 'Livrée'", timeout=20_000)
        shot(courier, "flow_courier_delivered")
        shot(tracker, "flow_tracking_delivered")
        assert orders.get_order(city.app.ctx, principal=SYSTEM, order_id=order.id).status.value == "delivered"
    finally:
        for p in (customer, courier, tracker, dispatcher):
            p.context.close()


def test_a_courier_standing_still_keeps_sending_their_position(browser: Browser, tmp_path: Path) -> None:
    """A phone that does not move reports its position once. The app sends it again every minute of
    the server's clock, or a courier waiting at a shop would drop out of dispatch after 15 minutes
    (45 wall seconds in the demo at 20x). Here `allo demo --speed 30`: a minute every 2 s."""
    import time

    env = allo_env(tmp_path, ALLO_SECRET_KEY="demo test key")
    server = ServerProcess(["demo", "--data-dir", str(tmp_path / "demo"), "--human", "courier1",
                            "--speed", "30", "--rate", "0.01"], env, free_port()).start()
    context = browser.new_context(geolocation={"latitude": 43.73911, "longitude": 7.42701},
                                  permissions=["geolocation"], **PHONE)
    page = context.new_page()
    try:
        api = httpx.Client(base_url=server.base_url, timeout=10)
        token = api.post("/api/auth/token", json={"username": "dispatch", "password": "demo-allo"}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}

        def lucas_seen() -> datetime | None:
            lucas = next(c for c in api.get("/api/couriers", headers=auth).json() if c["name"] == "Lucas")
            return datetime.fromisoformat(lucas["position_at"]) if lucas["position_at"] else None

        page.goto(server.base_url + "/login")
        page.get_by_label("Identifiant / Username").fill("courier1")
        page.get_by_label("Mot de passe / Password").fill("demo-allo")
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(re.compile(r".*/courier$"))
        page.get_by_role("button", name="Commencer mon service").click()
        page.get_by_role("button", name="Partager ma position").click()
        page.get_by_text(re.compile("^Position partagée à")).wait_for(timeout=15_000)
        first = lucas_seen()
        assert first is not None
        time.sleep(6)  # three minutes of the demo's clock, without moving
        again = lucas_seen()
        assert again is not None and again - first >= timedelta(minutes=1), (first, again)
    finally:
        context.close()
        server.stop()
