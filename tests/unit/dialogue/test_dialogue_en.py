"""Whole conversations in English with the demo catalogs."""

from __future__ import annotations

from allo.ordering.dialogue import (
    CancelOrder, OrderStatusView, PlaceOrder, RateOrder, ShopOpening, SoonestArrival, Stage,
)

from .fakes import Chat


def test_english_conversation_end_to_end() -> None:
    chat = Chat("pizzeria")
    out = chat.text(chat.say("hi"))
    assert "Hello" in out and "Pizza Margherita: €11.00" in out
    assert chat.state.language == "en"

    out = chat.text(chat.say("can i get two large pepperoni no onions and a coke"))
    assert "Where should we deliver" in out and "2 x Pizza Diavola" in out
    out = chat.text(chat.say("5 baker st"))
    assert "2 x Pizza Diavola (grande, no onions): €26.00" in out
    assert "1 x Coca-Cola: €3.00" in out and "Total: €29.00" in out
    assert "Reply YES" in out

    assert "2 x Coca-Cola: €6.00" in chat.text(chat.say("add a coke"))
    out = chat.text(chat.say("remove the coke"))
    assert "Coca" not in out and "Total: €26.00" in out
    assert "3 x Pizza Diavola (grande, no onions): €39.00" in chat.text(chat.say("make it 3"))

    result = chat.say("yes")
    (cmd,) = result.commands
    assert isinstance(cmd, PlaceOrder)
    assert cmd.lines == [("DIAVOLA", 3, {"taille": ["grande"]}, ["onions"])]
    assert cmd.language == "en" and cmd.address == "5 Baker Street, Monaco"

    out = chat.text(chat.event("placed", "o-1", number="B-1", tracking_url="https://allo.test/t/1", eta_minutes=30))
    assert out.startswith("Order B-1 confirmed. Total €39.00.") and "https://allo.test/t/1" in out

    chat.ports.statuses["o-1"] = OrderStatusView("assigned", 18, "https://allo.test/t/1")
    out = chat.text(chat.say("where is my order?"))
    assert "B-1" in out and "courier" in out and "18 min" in out and "https://allo.test/t/1" in out
    chat.ports.statuses["o-1"] = OrderStatusView("confirmed", 420, "https://allo.test/t/1", "20:00")
    out = chat.text(chat.say("where is my order?"))
    assert "Arriving around 20:00" in out and "420" not in out  # hours ahead: a clock time, not minutes
    chat.ports.statuses["o-1"] = OrderStatusView("assigned", 18, "https://allo.test/t/1")

    assert "on its way" in chat.text(chat.event("picked_up", "o-1", eta_minutes=5))
    out = chat.text(chat.event("delivered", "o-1"))
    assert "Rate us from 1 to 5" in out
    result = chat.say("5 stars super")
    assert result.commands == [RateOrder("o-1", 5, "super")]
    assert "5/5" in chat.text(result)


def test_unknown_item_suggestions_in_english() -> None:
    chat = Chat("pizzeria")
    out = chat.text(chat.say("hello, i want a pizza hawaii to 5 baker st"))
    assert "which one would you like" in out
    assert chat.state.questions[0].kind == "pick_item"
    out = chat.text(chat.say("2"))
    assert "Total:" in out and "Reply YES" in out


def test_english_address_flow() -> None:
    chat = Chat("epicerie")
    out = chat.text(chat.say("hello, 2 baguettes and oat milk please"))
    assert "Noted: 2 x Baguette, 1 x Lait 1 L (avoine)." in out
    out = chat.text(chat.say("10 promenade des anglais"))
    assert "outside our delivery area" in out
    out = chat.text(chat.say("nowhere street 99"))
    assert "can't find" in out
    out = chat.text(chat.say("5 baker street"))
    assert "Total: €4.65" in out


def test_cancel_in_english() -> None:
    chat = Chat("pizzeria")
    chat.say("hi")
    chat.say("a margherita to 5 baker street")
    assert "cancelled" in chat.text(chat.say("cancel"))
    chat.say("a margherita to 5 baker street")
    chat.say("yes")
    chat.event("placed", "o-2", number="B-2")
    result = chat.say("cancel my order")
    assert result.commands == [CancelOrder("o-2")]
    assert "cancelling order B-2" in chat.text(result)
    assert "is cancelled" in chat.text(chat.event("cancelled", "o-2"))
    assert chat.state.stage == Stage.IDLE


def test_delete_my_data_and_stop_in_english() -> None:
    chat = Chat("pharmacie")
    chat.say("hello")
    result = chat.say("DELETE MY DATA")
    assert [type(c).__name__ for c in result.commands] == ["EraseData"]
    assert "erased" in chat.text(result)
    chat.say("hi")
    result = chat.say("stop")
    assert [type(c).__name__ for c in result.commands] == ["OptOut"] and "START" in chat.text(result)


def test_no_answer_to_the_summary_asks_what_to_change() -> None:
    chat = Chat("pizzeria")
    chat.say("hi, one margherita to 5 baker st")
    out = chat.text(chat.say("no"))
    assert "What would you like to change" in out
    assert "1 x Pizza Reine" in chat.text(chat.say("actually a reine"))


def test_language_follows_the_customer() -> None:
    chat = Chat("pizzeria")
    chat.say("bonjour")
    assert chat.state.language == "fr"
    chat.say("hello, could I get the menu please")
    assert chat.state.language == "en"


def test_with_no_courier_on_shift_the_summary_and_the_confirmation_say_so_and_give_no_time() -> None:
    chat = Chat("pizzeria")
    chat.ports.eta = None
    chat.say("hi")
    out = chat.text(chat.say("two large pepperoni to 5 baker st"))
    assert "No courier is on duty right now" in out and "Estimated arrival" not in out and "Reply YES" in out
    assert isinstance(chat.say("yes").commands[0], PlaceOrder)
    out = chat.text(chat.event("placed", "o-1", number="B-1", tracking_url="https://allo.test/t/1",
                               eta_minutes=None, no_courier=True))
    assert out.startswith("Order B-1 confirmed.") and "No courier is on duty right now" in out
    assert "Arriving in" not in out


def test_a_time_asked_for_that_cannot_be_kept_is_said_in_english_and_the_soonest_confirmed() -> None:
    chat = Chat("pizzeria")
    chat.ports.earliest = SoonestArrival("20:25")
    chat.say("hi")
    out = chat.text(chat.say("two large pepperoni for 8pm to 5 baker st"))
    assert "Requested delivery: for 8pm. We cannot deliver before about 20:25." in out and "Reply YES" in out
    assert isinstance(chat.say("yes").commands[0], PlaceOrder)
    out = chat.text(chat.event("placed", "o-1", number="B-1", tracking_url="https://allo.test/t/1", eta_minutes=40))
    assert out.startswith("Order B-1 confirmed.") and "40 min" in out


def test_a_closed_shop_says_in_english_when_it_opens_and_how_to_order_for_later() -> None:
    chat = Chat("pizzeria")
    chat.ports.closed = ShopOpening("18:30", days_ahead=2, weekday=4)
    chat.say("hi")
    out = chat.text(chat.say("two large pepperoni to 5 baker st"))
    assert "Sorry, Pizzeria du Port is not taking orders right now (opens on Friday at 18:30)." in out
    assert 'for example "for 19:00"' in out and "Reply YES" not in out
    assert "Reply YES" in chat.text(chat.say("for 12:00"))  # the example's form is understood


def _ordered_by_chat() -> Chat:
    """An order of two pizzas placed by chat in English: order B-1, arriving in 25 minutes."""
    chat = Chat("pizzeria")
    chat.say("two large pepperoni to 5 baker st")
    chat.say("yes")
    chat.event("placed", "o-1", number="B-1", tracking_url="https://allo.test/t/1", eta_minutes=25)
    return chat


def test_a_kitchen_delay_tells_the_new_time_and_the_tracking_link() -> None:
    chat = _ordered_by_chat()
    out = chat.text(chat.event("delayed", "o-1", clock="20:15", tracking_url="https://allo.test/t/1"))
    assert out.startswith("Your order B-1 is delayed in the kitchen.") and "Arriving around 20:15" in out
    assert "https://allo.test/t/1" in out
    assert chat.state.stage == "active"  # nothing else changes


def test_a_courier_accepting_is_told_with_the_arrival_time_when_known() -> None:
    chat = _ordered_by_chat()
    out = chat.text(chat.event("assigned", "o-1", clock="20:40"))
    assert out == "A courier is picking up your order B-1 at the shop. Arriving around 20:40."
    assert chat.text(chat.event("assigned", "o-1")) == "A courier is picking up your order B-1 at the shop."


def test_an_order_running_late_is_told_with_an_apology_and_the_new_time() -> None:
    chat = _ordered_by_chat()
    out = chat.text(chat.event("running_late", "o-1", clock="20:40", tracking_url="https://allo.test/t/1"))
    assert out.startswith("Sorry, your order B-1 is running late.") and "Arriving around 20:40" in out
    assert "kitchen" not in out and "https://allo.test/t/1" in out


def test_a_change_of_courier_is_told_in_english_with_the_tracking_link() -> None:
    chat = _ordered_by_chat()
    chat.event("assigned", "o-1")
    out = chat.text(chat.event("courier_changed", "o-1", tracking_url="https://allo.test/t/1"))
    assert out.startswith("Change of courier for your order B-1") and "https://allo.test/t/1" in out
    assert chat.state.order_status == "confirmed" and chat.state.stage == "active"
