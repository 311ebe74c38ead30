"""Simulated customers: what they write, and how they answer the shop (pure, seeded)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from random import Random
from string import Formatter

import pytest

from allo.demo.seed import SHOPS, load_demo_catalog
from allo.domain.catalog import Catalog
from allo.domain.geo import LatLon
from allo.ordering.dialogue import ConversationState, Dialogue, LocatedAddress, OrderStatusView, PlaceOrder
from allo.ordering.dialogue import texts_en, texts_fr
from allo.ordering.draft import RequestedTime
from allo.ordering.parser import OrderParser
from allo.simulation.live.addresses import AddressBook
from allo.simulation.live.messages import DropAddress, compose_order, session_id
from allo.simulation.live.phrases import phrase
from allo.simulation.live.replies import CustomerMind, classify, first_suggestion

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
HOME = DropAddress("14", "Boulevard des Moulins", "98000", "Monaco")
SPARE = DropAddress("6", "Quai Antoine 1er", "98000", "Monaco")
CATALOGS: dict[str, Catalog] = {s.key: load_demo_catalog(s.catalog_file) for s in SHOPS}


def shop_says(lang: str, key: str, **values: str) -> str:
    """A reply as the dialogue renders it (placeholders not given are filled with "x")."""
    template = (texts_fr if lang == "fr" else texts_en).TEXTS[key]
    names = {name for _, name, _, _ in Formatter().parse(template) if name}
    return template.format(**{n: values.get(n, "x") for n in names})


class Ports:
    """Every address is found, in the zone; no I/O."""

    def locate(self, text: str) -> LocatedAddress | None:
        return LocatedAddress(text.title(), LatLon(43.7405, 7.4280))

    def in_zone(self, where: LatLon) -> bool:
        return True

    def eta_minutes(self, where: LatLon) -> int:
        return 18

    def earliest_arrival(self, requested: RequestedTime, where: LatLon) -> None:
        return None

    def clock_in(self, minutes: int) -> str:
        return "12:00"

    def closed_until(self, requested: RequestedTime | None) -> None:
        return None

    def order_status(self, order_id: str) -> OrderStatusView | None:
        return OrderStatusView("picked_up", 6, None)


@pytest.mark.parametrize("shop", sorted(CATALOGS))
def test_every_demo_item_is_asked_for_in_words_the_parser_understands(shop: str) -> None:
    catalog = CATALOGS[shop]
    parser = OrderParser(catalog)
    for item in catalog.items:
        for lang in ("fr", "en"):
            for qty in (1, 3):
                lines = parser.parse(phrase(item, qty, lang), lang).lines
                assert [(ln.sku, ln.qty) for ln in lines] == [(item.sku, qty)], (item.sku, lang, qty)


def test_an_order_names_the_items_and_the_address_in_the_customer_language() -> None:
    seen_languages = set()
    for seed in range(40):
        plan = compose_order(Random(seed), CATALOGS["pizzeria"], HOME)
        seen_languages.add(plan.language)
        assert 1 <= len(plan.items) <= 3
        assert plan.items_text in plan.first_message
        assert plan.address_text.startswith("14 ")
        assert plan.gives_address_later or plan.address_text in plan.first_message
    assert seen_languages == {"fr", "en"}
    assert compose_order(Random(5), CATALOGS["epicerie"], HOME) == compose_order(Random(5), CATALOGS["epicerie"], HOME)
    assert compose_order(Random(5), CATALOGS["epicerie"], HOME, "en").language == "en"


def test_session_ids_are_valid_chat_tokens() -> None:
    sid = session_id(Random(1))
    assert 20 < len(sid) <= 64 and sid.replace("-", "").isalnum() and sid == session_id(Random(1))


def test_shop_replies_are_recognised_from_the_dialogue_templates() -> None:
    assert classify(shop_says("fr", "summary", lines="1 x Smecta : 4,50 €")) == "summary"
    assert classify(shop_says("en", "ask_address")) == "ask_address"
    assert classify("Nice weather today") is None
    offer = shop_says("fr", "no_match", text="kebab", items="- Pizza Margherita : 11,00 €\n- Pizza Reine : 12,50 €")
    assert classify(offer) == "no_match" and first_suggestion(offer) == "Pizza Margherita"


def _mind(seed: int = 1, lang: str = "fr") -> CustomerMind:
    plan = compose_order(Random(seed), CATALOGS["pharmacie"], HOME, lang)
    return CustomerMind(plan, HOME, Random(seed), spare_addresses=[SPARE])


def test_a_customer_confirms_picks_the_first_choice_and_gives_the_address_again() -> None:
    mind = _mind()
    assert mind.opening() == mind.plan.first_message
    assert mind.react(shop_says("fr", "summary")).lower().startswith(("oui", "ok"))
    assert mind.react(shop_says("fr", "pick_item", text="doliprane",
                                choices="1) Doliprane 500 mg\n2) Doliprane 1000 mg")) == "1"
    sold_out = shop_says("fr", "instead_of", item="Doliprane 1000 mg", choices="1) Doliprane 500 mg 1,90 €")
    assert classify(sold_out) == "instead_of" and mind.react(sold_out) == "1"  # a shop ran out: takes the other
    not_found = shop_says("fr", "address_not_found", text="14 bd")
    assert mind.react(not_found) == HOME.full()
    assert mind.react(not_found) == SPARE.full()  # not understood twice: another address
    assert not mind.placed
    assert mind.react(shop_says("fr", "placed", number="A1B2C3", total="4,50 €", eta="", url="http://x/t")) is None
    assert mind.placed and not mind.done
    mind.react(shop_says("fr", "ev_delivered", number="A1B2C3"))
    assert mind.delivered and mind.done
    assert mind.react(shop_says("fr", "summary")) is None


def test_a_customer_stops_after_too_many_messages() -> None:
    mind = _mind(lang="en")
    mind.max_messages = 3
    mind.opening()
    assert mind.react(shop_says("en", "ask_items")) == mind.plan.items_text
    assert mind.react(shop_says("en", "fallback", example="2 margherita")) == mind.plan.items_text
    assert mind.react(shop_says("en", "ask_items")) is None
    assert mind.done


@pytest.mark.parametrize(("shop", "sold_out"), [(shop, None) for shop in sorted(CATALOGS)] + [
    ("pizzeria", "MARGHERITA"), ("pharmacie", "DOLI1000")])
def test_simulated_customers_get_their_order_placed_by_the_real_dialogue(shop: str, sold_out: str | None) -> None:
    # with an item sold out too (a person marked it in the demo's console): offered another, they take it
    catalog = CATALOGS[shop]
    if sold_out is not None:
        catalog = replace(catalog, items=tuple(replace(i, available=i.sku != sold_out) for i in catalog.items))
    dialogue = Dialogue(catalog, shop_name=shop)
    book = AddressBook((HOME, SPARE), (("Rue Grimaldi", "98000", "Monaco"),))
    for seed in range(25):
        rng = Random(seed)
        address = book.draw(rng)
        mind = CustomerMind(compose_order(rng, CATALOGS[shop], address), address, rng, book.spares(rng))
        state, text = ConversationState(), mind.opening()
        for _ in range(10):
            result = dialogue.handle(state, text, Ports(), NOW)
            state, replies = result.state, list(result.replies)
            if any(isinstance(c, PlaceOrder) for c in result.commands):
                placed = dialogue.on_order_event(state, "placed", "o-1", {"number": "A1B2C3", "total_cents": 100})
                state, replies = placed.state, replies + placed.replies
            answers = [a for a in (mind.react(r) for r in replies) if a]
            if mind.placed or not answers:
                break
            text = answers[-1]
        assert mind.placed, (shop, seed, mind.plan.first_message)
