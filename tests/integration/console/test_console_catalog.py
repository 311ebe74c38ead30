"""A shop marks items sold out and back in stock, and pauses new orders (console page, API); customers
meet both in the chat."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from httpx import Response

from allo.domain.clock import FixedClock
from allo.entrypoints.http.pages.web import clock_time
from allo.services import merchants
from allo.services.merchants import ITEM_AVAILABILITY, ORDERS_PAUSED
from tests.support.api import World
from tests.support.chat import CustomerChat
from tests.support.pages import Pages


def _flash(response: Response) -> str:
    return unquote(response.cookies.get("allo_flash", ""))


def _in_stock(world: World, sku: str) -> bool:
    return merchants.get_catalog(world.app.ctx, merchant_id=world.merchant_id).item(sku).available


def test_a_shop_marks_an_item_sold_out_and_back_in_stock_in_the_console(world: World, pages: Pages) -> None:
    html = pages.as_("merchant").get("/console/catalog").text
    assert "Catalogue — Pizzeria Test" in html and "Coca-Cola 33 cl" in html and "épuisé</span>" not in html
    assert "Other Shop" not in html  # a merchant sees its own shop only
    assert "Horaires : tous les jours, jour et nuit" in html

    url = f"/console/catalog/{world.merchant_id}/availability"
    r = pages.post(url, {"sku": "coke", "available": "false"})
    assert r.status_code == 303 and r.headers["location"].endswith("&changed=coke#item-coke")
    assert '<span class="small changed" role="status">✓ à l\'instant</span>' in pages.get(r.headers["location"]).text
    assert "Coca-Cola 33 cl : épuisé" in _flash(r)
    assert not _in_stock(world, "coke") and _in_stock(world, "margherita")
    html = pages.get("/console/catalog").text
    assert '<span class="badge sold-out">épuisé</span>' in html and "1 article épuisé" in html
    assert 'aria-label="Remettre Coca-Cola 33 cl en vente"' in html
    with world.app.ctx.uow() as uow:
        events = [e for _, e in uow.journal.events_after(0, limit=1000) if e.name == ITEM_AVAILABILITY]
    assert [(e.aggregate_id, e.data) for e in events] == [
        (world.merchant_id, {"sku": "coke", "available": False, "by": "merchant"})]

    r = pages.post(url, {"sku": "coke", "available": "true"})
    assert "Coca-Cola 33 cl : de nouveau en vente" in _flash(r) and _in_stock(world, "coke")

    r = pages.post(url, {"sku": "no-such-item", "available": "false"})
    assert r.status_code == 303 and "no item no-such-item" in _flash(r)


def test_only_the_shop_itself_or_staff_may_mark_its_items(world: World, pages: Pages) -> None:
    url = f"/console/catalog/{world.merchant_id}/availability"
    assert pages.as_("other_merchant").post(url, {"sku": "coke", "available": "false"}).status_code == 403
    assert pages.as_("other_merchant").get(f"/console/catalog?shop={world.merchant_id}").status_code == 404
    assert pages.as_("courier").get("/console/catalog").status_code == 403
    assert _in_stock(world, "coke")
    html = pages.as_("dispatcher").get(f"/console/catalog?shop={world.other_merchant_id}").text
    assert "Catalogue — Other Shop" in html and '<option value="' in html  # staff pick the shop
    assert pages.post(url, {"sku": "coke", "available": "false"}).status_code == 303 and not _in_stock(world, "coke")


def test_the_api_marks_one_item_and_orders_cannot_include_it(world: World) -> None:
    path = f"/api/merchants/{world.merchant_id}/catalog/items/coke"
    r = world.call("merchant", "PATCH", path, json={"available": False})
    assert r.status_code == 200 and r.json()["available"] is False and r.json()["name"] == "Coca-Cola 33 cl"
    assert world.call("other_merchant", "PATCH", path, json={"available": True}).status_code == 403
    assert world.call("courier", "PATCH", path, json={"available": True}).status_code == 403
    missing = world.call("admin", "PATCH", f"/api/merchants/{world.merchant_id}/catalog/items/nope",
                         json={"available": False})
    assert missing.status_code == 404 and missing.json()["code"] == "item_not_found"
    assert world.call("admin", "PATCH", path, json={}).status_code == 422
    r = world.call("admin", "POST", "/api/orders", json={
        "merchant_id": world.merchant_id, "lines": [{"sku": "coke"}],
        "dropoff": {"address": "14 boulevard des Moulins", "location": {"lat": 43.7395, "lon": 7.427}}})
    assert r.status_code == 422 and r.json()["code"] == "item_unavailable"


def test_a_customer_asking_for_a_sold_out_item_is_told(world: World) -> None:
    world.call("merchant", "PATCH", f"/api/merchants/{world.merchant_id}/catalog/items/coke", json={"available": False})
    chat = CustomerChat(world)
    text = "\n".join(chat.say("2 margherita grandes et un coca au 14 bd des moulins"))
    assert "Coca-Cola 33 cl : en rupture de stock pour le moment." in text
    assert "2 x Pizza margherita (large)" in text and "Coca-Cola 33 cl :" not in text.split("Votre commande", 1)[1]


def test_sold_out_while_the_customer_confirms_nothing_is_placed_with_it(world: World) -> None:
    chat = CustomerChat(world)
    chat.say("2 margherita grandes et un coca au 14 bd des moulins")
    world.call("merchant", "PATCH", f"/api/merchants/{world.merchant_id}/catalog/items/coke", json={"available": False})
    text = "\n".join(chat.say("oui"))  # the chat read the catalog before: the order is refused, nothing placed
    assert "(un article vient de s'épuiser)" in text
    with world.app.ctx.uow() as uow:
        assert uow.orders.list() == []
    text = "\n".join(chat.say("oui"))
    assert "Coca-Cola 33 cl vient de s'épuiser : je l'ai retiré de votre commande." in text
    assert "Répondez OUI" in text
    chat.say("oui")
    with world.app.ctx.uow() as uow:
        placed = uow.orders.list()
    assert [[(ln.sku, ln.qty) for ln in o.lines] for o in placed] == [[("margherita", 2)]]


def test_a_shop_pauses_new_orders_and_the_chat_says_when_they_resume(world: World, pages: Pages,
                                                                     clock: FixedClock) -> None:
    html = pages.as_("merchant").get("/console/catalog").text
    assert '<span class="badge in-stock">ouvertes</span>' in html and "Mettre en pause" in html
    r = pages.post(f"/console/catalog/{world.merchant_id}/pause", {"minutes": "30"})
    resume = clock_time(clock.now() + timedelta(minutes=30), ZoneInfo("Europe/Monaco"))
    assert r.status_code == 303 and f"en pause jusqu'à {resume}" in _flash(r)
    assert "Reprendre les commandes" in pages.get("/console/catalog").text
    board = pages.get("/console/board").text  # the shop, and the dispatchers, see it on the board
    assert "Commandes par message en pause" in board and f"Pizzeria Test</a> jusqu'à {resume}" in board
    assert "en pause" in pages.as_("dispatcher").get("/console/board").text
    assert "en pause" not in pages.as_("other_merchant").get("/console/board").text
    shops = {s["name"]: s for s in pages.as_("dispatcher").get("/console/map/live.json").json()["shops"]}
    assert shops["Pizzeria Test"]["paused"] == resume and shops["Other Shop"]["paused"] is None
    assert f"commandes en pause jusqu'à {resume}" in pages.get("/console/map").text
    pages.as_("merchant")
    clock.advance(seconds=31)  # the chat reads a shop again after 30 s
    chat = CustomerChat(world)
    text = "\n".join(chat.say("2 margherita grandes au 14 bd des moulins"))
    assert f"Pizzeria Test ne prend pas de commandes pour le moment (reprise des commandes à {resume})" in text
    assert "commander pour plus tard" in text
    with world.app.ctx.uow() as uow:
        assert [e.data["by"] for _, e in uow.journal.events_after(0, limit=1000) if e.name == ORDERS_PAUSED] == [
            "merchant"]

    r = pages.post(f"/console/catalog/{world.merchant_id}/pause", {"minutes": ""})
    assert "Pizzeria Test prend de nouveau les commandes." in _flash(r)
    clock.advance(seconds=31)
    assert "Répondez OUI" in "\n".join(chat.say("2 margherita grandes au 14 bd des moulins"))
    assert "Choisissez la durée" in _flash(pages.post(f"/console/catalog/{world.merchant_id}/pause",
                                                      {"minutes": "9999"}))


def test_the_api_pauses_and_resumes_new_orders(world: World, clock: FixedClock) -> None:
    path = f"/api/merchants/{world.merchant_id}/pause"
    r = world.call("merchant", "PUT", path, json={"minutes": 45})
    assert r.status_code == 200
    assert datetime.fromisoformat(r.json()["paused_until"]) == clock.now() + timedelta(minutes=45)
    assert world.call("merchant", "PUT", path, json={"minutes": 2}).status_code == 422
    assert world.call("other_merchant", "DELETE", path).status_code == 403
    r = world.call("dispatcher", "DELETE", path)
    assert r.status_code == 200 and r.json()["paused_until"] is None


def test_a_deactivated_shop_says_it_takes_no_orders_by_message(world: World, clock: FixedClock) -> None:
    assert world.call("admin", "PATCH", f"/api/merchants/{world.merchant_id}", json={"active": False}).status_code == 200
    text = "\n".join(CustomerChat(world).say("2 margherita grandes au 14 bd des moulins"))
    # it used to draft the order, then answer each OUI with "l'enregistrement de la commande a échoué"
    assert "Désolé, Pizzeria Test ne prend pas de commandes par message pour le moment." in text
    assert "Répondez OUI" not in text
