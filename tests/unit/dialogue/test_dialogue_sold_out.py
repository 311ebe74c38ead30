"""Items the shop has marked sold out: named by the customer, they are said to be out of stock and
items of the same kind are offered instead; never silently swapped for a look-alike."""

from __future__ import annotations

from allo.ordering.dialogue import PlaceOrder, Stage
from allo.ordering.dialogue.suggest import same_kind
from allo.ordering.parser import OrderParser

from .fakes import Chat, catalog, with_sold_out


def _sold_out_chat(shop: str, *skus: str) -> Chat:
    chat = Chat(shop)
    chat.sell_out(*skus)
    return chat


def _lines(chat: Chat) -> list[tuple[str, int]]:
    draft = chat.state.draft
    return [(ln.sku, ln.qty) for ln in draft.lines] if draft is not None else []


def test_a_sold_out_dose_is_said_and_the_other_offered_not_put_in_its_place() -> None:
    chat = _sold_out_chat("pharmacie", "DOLI1000")
    reply = chat.text(chat.say("2 doliprane 1000 au 14 bd des Moulins"))
    assert "Doliprane 1000 mg : en rupture de stock" in reply
    assert "1) Doliprane 500 mg" in reply
    assert _lines(chat) == []  # the 500 was offered, not ordered (it used to be, silently)
    reply = chat.text(chat.say("1"))
    assert _lines(chat) == [("DOLI500", 2)]
    assert "Votre commande" in reply and "2 x Doliprane 500 mg" in reply


def test_a_name_shared_with_a_sold_out_item_means_the_one_in_stock() -> None:
    chat = _sold_out_chat("pharmacie", "DOLI1000")
    reply = chat.text(chat.say("2 doliprane au 14 bd des Moulins"))
    assert _lines(chat) == [("DOLI500", 2)]
    assert "rupture" not in reply
    parsed = OrderParser(with_sold_out("pharmacie", "DOLI1000")).parse("2 doliprane 1000")
    assert [(dl.sku, dl.qty) for dl in parsed.lines] == [("DOLI1000", 2)]


def test_declining_the_items_offered_keeps_the_rest_of_the_order() -> None:
    chat = _sold_out_chat("pizzeria", "REINE")
    reply = chat.text(chat.say("2 reines et un coca au 14 bd des Moulins"))
    assert "Pizza Reine : en rupture de stock" in reply and "1) Pizza Margherita" in reply
    reply = chat.text(chat.say("non"))
    assert _lines(chat) == [("COCA", 1)]
    assert "1 x Coca-Cola" in reply and "Répondez OUI" in reply


def test_the_item_taken_instead_keeps_the_options_and_removals_said() -> None:
    chat = _sold_out_chat("pizzeria", "REINE")
    chat.say("2 reines grandes sans olives au 14 bd des Moulins")
    reply = chat.text(chat.say("1"))
    line = chat.state.draft.lines[0]
    assert (line.sku, line.qty, line.options, line.without) == ("MARGHERITA", 2, {"taille": ["grande"]}, ["olives"])
    assert "2 x Pizza Margherita (grande, sans olives)" in reply


def test_nothing_of_the_kind_in_stock_is_said_and_the_rest_kept() -> None:
    chat = _sold_out_chat("pharmacie", "SIROP_TOUX")
    reply = chat.text(chat.say("2 doliprane 500 et un sirop pour la toux au 14 bd des Moulins"))
    assert "Sirop pour la toux : en rupture de stock pour le moment." in reply
    assert "Nous n'avons pas" not in reply
    assert _lines(chat) == [("DOLI500", 2)] and chat.state.stage == Stage.CONFIRM


def test_asking_for_a_sold_out_item_says_so_and_shows_what_there_is() -> None:
    chat = _sold_out_chat("pharmacie", "DOLI1000")
    reply = chat.text(chat.say("vous avez du doliprane 1000 ?"))
    assert "Doliprane 1000 mg : en rupture de stock" in reply
    assert "- Doliprane 500 mg : 1,90 €" in reply and "Doliprane 1000 mg : 2,18" not in reply
    chat.say("alors 2 boîtes au 14 bd des Moulins")
    assert _lines(chat) == [("DOLI500", 2)]


def test_sold_out_after_the_summary_nothing_is_placed_until_the_customer_sees_the_order_again() -> None:
    chat = Chat("pizzeria")
    chat.say("2 reines et un coca au 14 bd des Moulins")
    assert chat.state.stage == Stage.CONFIRM
    chat.sell_out("REINE")
    result = chat.say("oui")
    assert not any(isinstance(c, PlaceOrder) for c in result.commands)
    assert "Pizza Reine : en rupture de stock" in chat.text(result)
    chat.say("2")
    result = chat.say("oui")
    placed = [c for c in result.commands if isinstance(c, PlaceOrder)]
    assert [(sku, qty) for sku, qty, _, _ in placed[0].lines] == [("COCA", 1), ("QUATRE_FROMAGES", 2)]


def test_sold_out_after_the_summary_with_nothing_like_it_is_taken_out_and_the_order_shown() -> None:
    chat = Chat("pizzeria")
    chat.say("a calzone and a coke to 5 Baker Street")
    chat.sell_out("CALZONE")
    result = chat.say("yes")
    reply = chat.text(result)
    assert not result.commands
    assert "Sorry, Calzone has just sold out: I took it out of your order." in reply
    assert "1 x Coca-Cola" in reply and "Calzone" not in reply.split("order.", 1)[1]


def test_english_customers_are_told_in_english() -> None:
    chat = _sold_out_chat("pizzeria", "REINE")
    reply = chat.text(chat.say("a regina pizza to 5 Baker Street"))
    assert "Sorry, Pizza Reine is out of stock at the moment. Would you like one of these instead?" in reply


def test_items_of_the_same_kind_are_those_whose_name_opens_with_the_same_word() -> None:
    pharmacy = catalog("pharmacie")
    assert same_kind(pharmacy, "DOLI1000") == ["DOLI500"]
    assert same_kind(pharmacy, "MASQUES") == []  # not the plasters: both come in a "boîte"
    assert same_kind(with_sold_out("pizzeria", "MARGHERITA"), "REINE")[:2] == ["QUATRE_FROMAGES", "NAPOLITAINE"]


def test_a_name_whose_items_are_all_sold_out_is_said_so_not_unknown() -> None:
    chat = _sold_out_chat("pharmacie", "DOLI500", "DOLI1000")
    reply = chat.text(chat.say("2 doliprane au 14 bd des Moulins"))
    assert "Désolé, Doliprane 1000 mg / Doliprane 500 mg : en rupture de stock pour le moment." in reply
    assert "Nous n'avons pas" not in reply and _lines(chat) == []
    reply = chat.text(chat.say("vous avez du doliprane ?"))
    assert "en rupture de stock" in reply and _lines(chat) == []
