"""Whole conversations in French with the demo catalogs (state through JSON between turns)."""

from __future__ import annotations

from allo.ordering.dialogue import (
    CancelOrder, OrderStatusView, PlaceOrder, RateOrder, ShopOpening, SoonestArrival, Stage,
)

from .fakes import MONACO, Chat, default_ports


def placed(order: str, order_id: str = "o-1", *, delivered: bool = False) -> Chat:
    """A pizzeria chat whose order `order` (to the known address) was confirmed and placed."""
    chat = Chat("pizzeria")
    chat.say(f"{order} au 14 bd des moulins")
    chat.say("oui")
    chat.event("placed", order_id)
    if delivered:
        chat.event("delivered", order_id)
    return chat


def test_greeting_lists_items_with_prices() -> None:
    chat = Chat("pizzeria")
    out = chat.text(chat.say("bonjour"))
    assert "Pizzeria du Port" in out
    assert "Pizza Margherita : 11,00 €" in out
    assert chat.state.language == "fr"


def test_full_order_change_and_confirm() -> None:
    chat = Chat("pizzeria")
    chat.say("bonjour")
    out = chat.text(chat.say("2 margherita et un coca au 14 bd des moulins code 4521B"))
    assert "2 x Pizza Margherita : 22,00 €" in out
    assert "1 x Coca-Cola : 3,00 €" in out
    assert "Total : 25,00 €" in out
    assert "14 Boulevard des Moulins" in out and "code 4521B" in out
    assert "environ 25 min" in out and "OUI" in out
    assert chat.state.stage == Stage.CONFIRM

    out = chat.text(chat.say("ajoute un coca"))
    assert "2 x Coca-Cola : 6,00 €" in out and "Total : 28,00 €" in out
    out = chat.text(chat.say("plutôt 3"))
    assert "3 x Coca-Cola : 9,00 €" in out
    out = chat.text(chat.say("enlève le coca"))
    assert "Coca" not in out and "Total : 22,00 €" in out
    out = chat.text(chat.say("finalement 3 pizzas"))
    assert "3 x Pizza Margherita : 33,00 €" in out

    result = chat.say("oui")
    assert "en cours" in chat.text(result)
    (cmd,) = result.commands
    assert isinstance(cmd, PlaceOrder)
    assert cmd.lines == [("MARGHERITA", 3, {}, [])]
    assert cmd.location == MONACO and cmd.door_code == "4521B" and cmd.language == "fr"
    assert chat.state.stage == Stage.PLACING

    out = chat.text(chat.event("placed", "o-1", number="A-101", tracking_url="https://allo.test/t/x", eta_minutes=22))
    assert "A-101" in out and "https://allo.test/t/x" in out and "33,00 €" in out
    st = chat.state
    assert st.pending_order_id == "o-1" and st.last_order_id == "o-1" and st.draft is None


def test_confirm_words() -> None:
    for word in ("ok", "d'accord", "c'est bon", "Oui !", "go", "yep"):
        chat = Chat("pizzeria")
        chat.say("une reine, 14 bd des moulins")
        assert isinstance(chat.say(word).commands[0], PlaceOrder), word


def test_several_yes_words_together_confirm_and_mixed_answers_do_not() -> None:
    for words in ("ok oui", "Oui oui, c'est parfait merci", "ouais ok"):
        chat = Chat("pizzeria")
        chat.say("une reine, 14 bd des moulins")
        assert isinstance(chat.say(words).commands[0], PlaceOrder), words
    chat = Chat("pizzeria")
    chat.say("une reine, 14 bd des moulins")
    assert chat.say("oui non").commands == [] and chat.state.stage == Stage.CONFIRM
    assert "Que voulez-vous changer" in chat.text(chat.say("non non"))  # a no, not an order
    assert chat.state.stage == Stage.CONFIRM


def test_an_unreadable_answer_to_the_summary_repeats_it_without_asking_for_the_order_again() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine, 14 bd des moulins")
    out = chat.text(chat.say("xqzw"))
    assert out.startswith("Désolé, je n'ai pas compris.") and "Écrivez votre commande" not in out
    assert "Total : 12,50 €" in out and "OUI" in out and chat.state.stage == Stage.CONFIRM
    assert isinstance(chat.say("ok oui").commands[0], PlaceOrder)


def test_options_and_removals_in_the_summary() -> None:
    chat = Chat("pizzeria")
    out = chat.text(chat.say("une grande margherita avec supplément fromage, 14 bd des moulins"))
    assert "1 x Pizza Margherita (grande, fromage) : 12,50 €" in out


def test_no_address_is_asked_then_taken() -> None:
    chat = Chat("pharmacie")
    out = chat.text(chat.say("2 doliprane 1000 et un sirop pour la toux"))
    assert "adresse" in out and "2 x Doliprane 1000 mg" in out
    assert chat.state.stage == Stage.ORDERING
    out = chat.text(chat.say("14 boulevard des moulins, 3e étage"))
    assert "Total : 10,86 €" in out and "3e étage" in out


def test_unplaceable_address_is_asked_again() -> None:
    chat = Chat("pharmacie")
    chat.say("un spasfon")
    out = chat.text(chat.say("12 rue qui n'existe pas"))
    assert "Je ne trouve pas" in out
    assert chat.state.draft is not None and chat.state.draft.address_text is None
    out = chat.text(chat.say("5 rue grimaldi"))
    assert "Total : 3,80 €" in out


def test_outside_the_zone_is_refused_and_the_draft_kept() -> None:
    chat = Chat("pharmacie")
    out = chat.text(chat.say("un spasfon au 10 promenade des anglais"))
    assert "hors de notre zone" in out and "Total" not in out
    assert [ln.sku for ln in chat.state.draft.lines] == ["SPASFON"]
    out = chat.text(chat.say("14 bd des moulins"))
    assert "Spasfon" in out and "Total : 3,80 €" in out


def test_imprecise_address_is_confirmed_first() -> None:
    chat = Chat("pharmacie")
    out = chat.text(chat.say("un smecta avenue princesse grace"))
    assert "sans le numéro exact" in out
    out = chat.text(chat.say("oui"))
    assert "Total : 4,50 €" in out


def test_ambiguous_item_gets_a_choice() -> None:
    chat = Chat("pharmacie")
    out = chat.text(chat.say("2 doliprane, 14 bd des moulins"))
    assert "lequel" in out and "Doliprane 500 mg" in out and "Doliprane 1000 mg" in out
    choices = chat.state.questions[0].choices
    out = chat.text(chat.say(str(choices.index("DOLI500") + 1)))
    assert "2 x Doliprane 500 mg : 3,80 €" in out


def test_unknown_item_gets_suggestions_and_no_silent_guess() -> None:
    chat = Chat("pizzeria")
    out = chat.text(chat.say("une pizza hawaienne au 14 bd des moulins"))
    assert "hawaienne" in out and "1)" in out and "Total" not in out
    out = chat.text(chat.say("non"))
    assert "Que souhaitez-vous commander" in out


def test_item_the_shop_lacks_entirely() -> None:
    chat = Chat("pizzeria")
    out = chat.text(chat.say("des lasagnes"))
    assert "Nous n'avons pas" in out


def test_cancel_before_confirmation_drops_the_draft() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    result = chat.say("laisse tomber")
    assert result.commands == [] and "annulée" in chat.text(result)
    assert chat.state.draft is None and chat.state.stage == Stage.IDLE


def test_cancel_one_line_with_annule() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine et un coca au 14 bd des moulins")
    out = chat.text(chat.say("annule le coca"))
    assert "Coca" not in out and "Total : 12,50 €" in out


def test_cancel_after_confirmation_and_too_late() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    chat.say("oui")
    chat.event("placed", "o-7", number="A-7")
    result = chat.say("annule")
    assert result.commands == [CancelOrder("o-7")] and "A-7" in chat.text(result)
    chat.event("cancelled", "o-7")
    assert chat.state.pending_order_id is None

    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    chat.say("oui")
    chat.event("placed", "o-8", number="A-8")
    chat.event("picked_up", "o-8", eta_minutes=6)
    result = chat.say("annuler")
    assert result.commands == [] and "déjà en route" in chat.text(result)


def test_cancel_while_placing_is_sent_once_placed() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    chat.say("oui")
    assert chat.say("annule").commands == []
    result = chat.event("placed", "o-9", number="A-9")
    assert result.commands == [CancelOrder("o-9")]


def test_status_question() -> None:
    chat = Chat("pizzeria")
    assert "pas de commande" in chat.text(chat.say("où en est ma commande ?"))
    chat.say("une reine au 14 bd des moulins")
    chat.say("oui")
    chat.event("placed", "o-3", number="A-3")
    chat.ports.statuses["o-3"] = OrderStatusView("picked_up", 7, "https://allo.test/t/3")
    out = chat.text(chat.say("où en est ma commande ?"))
    assert "A-3" in out and "en route" in out and "7 min" in out and "https://allo.test/t/3" in out


def test_rating_after_delivery() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    chat.say("oui")
    chat.event("placed", "o-4", number="A-4")
    out = chat.text(chat.event("delivered", "o-4"))
    assert "1 à 5" in out and chat.state.stage == Stage.RATING
    assert "1 à 5" in chat.text(chat.say("hmm"))
    result = chat.say("4 étoiles")
    assert result.commands == [RateOrder("o-4", 4, None)]
    assert chat.state.stage == Stage.IDLE


def test_failed_placement_keeps_the_draft() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    chat.say("oui")
    out = chat.text(chat.event("place_failed", "", reason="boutique fermée"))
    assert "(boutique fermée)" in out
    assert "invalid" not in chat.text(chat.event("place_failed", "", reason="invalid_options"))
    assert "boutique fermée" in out and chat.state.stage == Stage.CONFIRM
    assert isinstance(chat.say("oui").commands[0], PlaceOrder)


def test_stop_and_start() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine")
    result = chat.say("STOP")
    assert [type(c).__name__ for c in result.commands] == ["OptOut"]
    assert "START" in chat.text(result)
    assert chat.say("bonjour").replies == []
    assert chat.event("delivered", "o-1").replies == []
    result = chat.say("start")
    assert [type(c).__name__ for c in result.commands] == ["OptIn"] and result.replies


def test_erasure() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    result = chat.say("SUPPRIMER MES DONNÉES")
    assert [type(c).__name__ for c in result.commands] == ["EraseData"]
    assert "supprimées" in chat.text(result)
    assert chat.state.draft is None and chat.state.last_order_id is None


def test_gibberish_gets_a_helpful_fallback() -> None:
    chat = Chat("pizzeria")
    result = chat.say("xqzw")
    assert result.commands == [] and "MENU" in chat.text(result)
    assert "MENU" in chat.text(chat.say("   "))


def test_menu_during_an_order_repeats_the_summary() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    out = chat.text(chat.say("menu"))
    assert "Tiramisu" in out and "Total : 12,50 €" in out
    assert chat.state.stage == Stage.CONFIRM


def test_requested_time_and_notes_reach_the_command() -> None:
    chat = Chat("pizzeria")
    out = chat.text(chat.say("2 reines pour 20h, 5 rue grimaldi, sonner chez Dupont"))
    assert "pour 20h" in out
    cmd = chat.say("oui").commands[0]
    assert isinstance(cmd, PlaceOrder)
    assert cmd.requested_for_text == "pour 20h" and cmd.instructions and "Dupont" in cmd.instructions
    assert (cmd.requested_time.hour, cmd.requested_time.minute, cmd.requested_time.relation) == (20, 0, "at")


def test_a_time_asked_for_that_cannot_be_kept_is_said_in_the_summary_with_the_soonest() -> None:
    ports = default_ports()
    ports.earliest = SoonestArrival("20:25")
    chat = Chat("pizzeria", ports)
    out = chat.text(chat.say("2 reines pour 20h, 5 rue grimaldi"))
    assert "Livraison demandée : pour 20h. Nous ne pourrons pas livrer avant 20:25 environ." in out
    ports.earliest = SoonestArrival(None)  # nobody on duty nor booked in time
    out = chat.text(chat.say("2 reines dans 10 minutes, 5 rue grimaldi"))
    assert "Livraison demandée : dans 10 minutes. Aucun livreur n'est en service pour le moment" in out
    ports.earliest = None  # one that can be kept: the time asked for alone
    out = chat.text(chat.say("2 reines pour 21h, 5 rue grimaldi"))
    assert "Livraison demandée : pour 21h." in out and "pas livrer avant" not in out


def test_an_arrival_more_than_an_hour_ahead_is_given_as_a_clock_time() -> None:
    ports = default_ports()
    ports.eta = 205
    chat = Chat("pizzeria", ports)
    out = chat.text(chat.say("2 reines au 5 rue grimaldi"))
    assert "Arrivée estimée vers 15:25." in out and "205 min" not in out
    chat.say("oui")
    out = chat.text(chat.event("placed", "o-1", number="A-1", tracking_url="https://allo.test/t/1",
                               eta_minutes=205, clock="11:25"))
    assert "Arrivée prévue vers 11:25." in out and "205 min" not in out


def test_a_closed_shop_says_when_it_opens_and_keeps_the_order_for_a_time_it_is_open() -> None:
    ports = default_ports()
    ports.closed = ShopOpening("11:30", days_ahead=1, weekday=1)
    chat = Chat("pizzeria", ports)
    out = chat.text(chat.say("2 reines au 5 rue grimaldi"))
    assert "ne prend pas de commandes pour le moment (ouverture demain à 11:30)" in out
    assert 'par exemple "pour 12h"' in out and "OUI" not in out and chat.state.stage == Stage.ORDERING
    out = chat.text(chat.say("plutôt ce soir"))  # a day, no hour: still "now" for the shop, so still closed
    assert "ne prend pas de commandes pour le moment" in out and "l'heure demandée" not in out
    out = chat.text(chat.say("pour 12h"))  # a time it is open: the summary, the draft as it was
    assert "Livraison demandée : pour 12h." in out and "OUI" in out and "Reine" in out
    cmd = chat.say("oui").commands[0]
    assert isinstance(cmd, PlaceOrder) and cmd.requested_time is not None and cmd.requested_time.hour == 12
    assert cmd.lines[0][:2] == ("REINE", 2)


def test_a_time_the_shop_is_closed_is_refused_with_its_hours_and_a_shop_closed_at_placing_keeps_the_draft() -> None:
    ports = default_ports()
    ports.closed = ShopOpening("18:30", days_ahead=4, weekday=0)
    chat = Chat("pizzeria", ports)
    out = chat.text(chat.say("2 reines pour 15h au 5 rue grimaldi"))
    assert "ne livre pas à l'heure demandée (ouverture lundi à 18:30)" in out and 'par exemple "pour 19h"' in out
    ports.closed = None
    assert "OUI" in chat.text(chat.say("pour 16h"))
    assert isinstance(chat.say("oui").commands[0], PlaceOrder)
    out = chat.text(chat.event("shop_closed", "", clock="11:30", days_ahead=0, weekday=3, asked_for_a_time=True))
    assert "ne livre pas à l'heure demandée (ouverture à 11:30)" in out  # closed since: nothing placed
    assert chat.state.stage == Stage.ORDERING and chat.state.draft is not None and chat.state.draft.lines


def test_a_stale_draft_is_forgotten() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    chat.say("oui", minutes=0)
    chat2 = Chat("pizzeria")
    chat2.say("une reine au 14 bd des moulins")
    out = chat2.text(chat2.say("oui", minutes=60 * 5))
    assert "PlaceOrder" not in out and chat2.state.draft is None


def test_changes_of_address_time_and_options_before_confirming() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine et un coca au 14 bd des moulins")
    out = chat.text(chat.say("en fait livrez au 5 rue grimaldi"))
    assert "5 Rue Grimaldi" in out and "1 x Coca-Cola : 3,00 €" in out
    out = chat.text(chat.say("plutôt pour 21h"))
    assert "pour 21h" in out and "1 x Coca-Cola : 3,00 €" in out
    assert "1 x Pizza Reine (sans olives) : 12,50 €" in chat.text(chat.say("oui mais sans olives"))
    out = chat.text(chat.say("plutôt en grande avec supplément fromage"))
    assert "1 x Pizza Reine (grande, fromage, sans olives) : 14,00 €" in out
    assert "(grande, sans olives) : 12,50 €" in chat.text(chat.say("enlève le fromage"))
    assert "Total : 15,50 €" in chat.text(chat.say("merci"))
    cmd = chat.say("oui").commands[0]
    assert isinstance(cmd, PlaceOrder)
    assert cmd.lines == [("REINE", 1, {"taille": ["grande"]}, ["olives"]), ("COCA", 1, {}, [])]
    assert cmd.requested_for_text == "pour 21h" and cmd.address == "5 Rue Grimaldi, Monaco"
    assert cmd.requested_time.hour == 21  # the later message's time, not the first one's


def test_an_option_said_alone_after_the_order_goes_on_its_line() -> None:
    chat = Chat("pharmacie")
    chat.say("un sirop pour la toux au 14 bd des moulins")
    out = chat.text(chat.say("sèche"))  # only the syrup offers it: it used to become a second syrup
    assert "1 x Sirop pour la toux (seche) : 6,50 €" in out and "Total : 6,50 €" in out
    out = chat.text(chat.say("plutôt grasse"))
    assert "1 x Sirop pour la toux (grasse) : 6,50 €" in out and "Total : 6,50 €" in out
    chat = Chat("pizzeria")
    chat.say("2 margheritas au 14 bd des moulins")
    out = chat.text(chat.say("grandes"))  # the plural: it used to ask which of eight pizzas
    assert "2 x Pizza Margherita (grande) : 22,00 €" in out and "lequel" not in out


def test_alternatives_become_one_question() -> None:
    chat = Chat("pizzeria")
    out = chat.text(chat.say("une margherita ou une reine au 14 bd des moulins"))
    assert "1) Pizza Margherita" in out and "2) Pizza Reine" in out and "Total" not in out
    assert "1 x Pizza Reine : 12,50 €" in chat.text(chat.say("2"))


def test_a_bare_kind_gets_choices() -> None:
    chat = Chat("pizzeria")
    out = chat.text(chat.say("une pizza"))
    assert "1) Pizza Margherita" in out


def test_thanks_after_the_order() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    chat.say("oui")
    chat.event("placed", "o-1")
    assert "Avec plaisir" in chat.text(chat.say("merci !"))


def test_zero_and_everything() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine et un coca au 14 bd des moulins")
    out = chat.text(chat.say("plutôt 0"))
    assert "Coca" not in out and "Total : 12,50 €" in out
    assert "Que souhaitez-vous commander" in chat.text(chat.say("enlève tout"))
    assert chat.state.draft.lines == []


def test_a_new_order_after_delivery_is_not_a_rating() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    chat.say("oui")
    chat.event("placed", "o-5")
    chat.event("delivered", "o-5")
    result = chat.say("2 margherita au 14 bd des moulins")
    assert result.commands == [] and "2 x Pizza Margherita" in chat.text(result)
    assert chat.state.rating_order_id is None


def test_a_question_with_a_number_after_delivery_is_not_a_rating() -> None:
    for text, rated in (("pouvez-vous sonner 2 fois ?", None), ("vous passez dans 5 min ?", None),
                        ("4, un peu froide", 4)):
        chat = placed("une reine", "o-6", delivered=True)
        result = chat.say(text)
        stars = [c.stars for c in result.commands if type(c).__name__ == "RateOrder"]
        assert stars == ([] if rated is None else [rated]), text
        assert ("Merci pour votre note" in chat.text(result)) == (rated is not None), text


def test_ok_after_the_order_is_not_an_error() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    chat.say("oui")
    chat.event("placed", "o-6")
    assert "Avec plaisir" in chat.text(chat.say("ok"))


def test_last_address_is_offered_again() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins code 12A")
    chat.say("oui")
    chat.event("placed", "o-1")
    out = chat.text(chat.say("2 calzone"))
    assert "comme la dernière fois à 14 Boulevard des Moulins" in out
    out = chat.text(chat.say("oui"))
    assert "2 x Calzone : 26,00 €" in out and "(code 12A)" in out
    chat.say("oui")
    chat.event("placed", "o-2")
    chat.say("une margherita")
    out = chat.text(chat.say("5 rue grimaldi"))
    assert "5 Rue Grimaldi" in out and "code 12A" not in out
    chat.say("laisse tomber")
    chat.say("une margherita")
    assert "adresse de livraison" in chat.text(chat.say("non"))
    chat.say("supprimer mes données")
    assert chat.state.last_drop is None


def test_price_question_does_not_add_to_the_order() -> None:
    chat = Chat("pizzeria")
    out = chat.text(chat.say("combien coûte la calzone ?"))
    assert "Calzone : 13,00 €" in out and chat.state.draft is None
    chat.say("une reine au 14 bd des moulins")
    out = chat.text(chat.say("c'est combien le tiramisu ?"))
    assert "Tiramisu : 6,00 €" in out and "Total : 12,50 €" in out


def test_cancel_refused_by_the_service() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    chat.say("oui")
    chat.event("placed", "o-1", number="A-1")
    assert chat.say("annule").commands == [CancelOrder("o-1")]
    out = chat.text(chat.event("cancel_refused", "o-1", reason="invalid_transition"))
    assert "impossible d'annuler la commande A-1." in out
    assert chat.state.pending_order_id == "o-1"


def test_a_choice_answered_by_name() -> None:
    chat = Chat("pharmacie")
    chat.say("2 doliprane, 14 bd des moulins")
    out = chat.text(chat.say("doliprane 1000"))
    assert "2 x Doliprane 1000 mg : 4,36 €" in out and "Total : 4,36 €" in out


def test_a_question_about_what_the_shop_has_is_answered_and_adds_nothing() -> None:
    chat = Chat("epicerie")
    out = chat.text(chat.say("vous avez du pain sans gluten ?"))
    assert out.startswith("Voici ce que nous avons :") and "Baguette : 1,20 €" in out and "écrivez la quantité" in out
    assert chat.state.draft is None or not chat.state.draft.lines
    out = chat.text(chat.say("ok alors 2 baguettes au 14 bd des moulins"))
    assert "2 x Baguette" in out and "Total : 2,40 €" in out  # two, not three
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    out = chat.text(chat.say("vous avez du tiramisu ?"))
    assert "Tiramisu : 6,00 €" in out and "Total : 12,50 €" in out and "écrivez la quantité" not in out
    assert [ln.sku for ln in chat.state.draft.lines] == ["REINE"]


def test_a_misspelt_item_with_an_option_offers_the_closest_items_first() -> None:
    chat = Chat("pizzeria")
    out = chat.text(chat.say("une 4 fromages et une marga grande au 14 bd des moulins"))
    assert out.index("1) Pizza Margherita") < out.index("2)") and "Calzone" not in out and "Diavola" not in out
    out = chat.text(chat.say("1"))
    assert "1 x Pizza Margherita (grande)" in out and "1 x Pizza Quatre fromages" in out
    chat = Chat("pizzeria")
    out = chat.text(chat.say("une grande au 14 bd des moulins"))  # nothing names one: every pizza, as listed
    assert "1) Calzone" in out and "8) Pizza Végétarienne" in out


def test_a_quantity_after_asking_about_an_item_orders_that_item() -> None:
    chat = Chat("pharmacie")
    chat.say("Bonjour, avez-vous du doliprane 500 ?")
    out = chat.text(chat.say("alors 2 boîtes svp au 14 bd des moulins"))
    assert "2 x Doliprane 500 mg : 3,80 €" in out and "Total : 3,80 €" in out
    chat = Chat("pharmacie")
    chat.say("Bonjour, avez-vous du doliprane 500 ?")
    out = chat.text(chat.say("14 bd des moulins"))  # an address, not fourteen boxes
    assert "Doliprane" not in out and "Que souhaitez-vous commander" in out
    chat = Chat("pharmacie")
    chat.say("Bonjour, avez-vous du doliprane 500 ?")
    chat.say("merci")
    assert "Doliprane" not in chat.text(chat.say("2 au 14 bd des moulins"))  # only right after the answer


def test_yes_to_a_single_item_offered_takes_it() -> None:
    chat = Chat("pharmacie")
    out = chat.text(chat.say("un test de grossesse au 14 bd des moulins"))
    assert "1) " in out and "2) " not in out, out  # one item offered: the only test the shop has
    out = chat.text(chat.say("ok"))
    assert "Votre commande" in out and "Autotest" in out


def test_the_delivery_fee_question_is_answered() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    out = chat.text(chat.say("c'est combien la livraison ?"))
    assert out.startswith("La livraison est offerte.") and "Total : 12,50 €" in out
    assert chat.state.stage == Stage.CONFIRM
    assert chat.text(Chat("pizzeria").say("frais de port ?")) == "La livraison est offerte."


def test_the_same_as_last_time_reorders_the_last_lines_at_todays_prices() -> None:
    chat = placed("2 reines grandes sans olives et un coca", delivered=True)
    chat.say("5")
    out = chat.text(chat.say("je veux la même chose que la dernière fois"))
    assert "2 x Pizza Reine (grande, sans olives), 1 x Coca-Cola" in out and "Livrer comme la dernière fois" in out
    out = chat.text(chat.say("oui"))
    assert "Total : 28,00 €" in out and "14 Boulevard des Moulins" in out
    assert isinstance(chat.say("oui").commands[0], PlaceOrder)
    fresh = Chat("pizzeria")
    assert "Je ne retrouve pas de commande précédente" in fresh.text(fresh.say("comme d'habitude svp"))


def test_the_same_again_leaves_out_what_the_shop_no_longer_sells() -> None:
    from dataclasses import replace

    from allo.ordering.dialogue import Dialogue

    chat = placed("une reine et un coca")
    cat = chat.dialogue.catalog
    chat.dialogue = Dialogue(replace(cat, items=tuple(replace(i, available=i.sku != "COCA") for i in cat.items)),
                             shop_name=cat.merchant)  # the shop stopped selling Coca-Cola since
    out = chat.text(chat.say("la même chose svp"))
    assert "Coca-Cola n'est plus disponible : je ne l'ajoute pas." in out and "1 x Pizza Reine" in out
    assert [ln.sku for ln in chat.state.draft.lines] == ["REINE"]


def test_are_you_open_and_until_when() -> None:
    from allo.ordering.dialogue import ShopOpening

    for text in ("Bonjour, est-ce que vous êtes ouverts ?", "vous livrez jusqu'à quelle heure ?"):
        chat = Chat("pizzeria")
        assert chat.text(chat.say(text)) == ("Nous sommes ouverts jusqu'à 23:00 : écrivez votre commande "
                                             "et votre adresse."), text
    ports = default_ports()
    ports.closed = ShopOpening("18:30")
    chat = Chat("pizzeria", ports)
    out = chat.text(chat.say("vous êtes ouverts ?"))
    assert "ne prend pas de commandes pour le moment (ouverture à 18:30)" in out
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    out = chat.text(chat.say("vous fermez à quelle heure ?"))
    assert "jusqu'à 23:00" in out and "Total : 12,50 €" in out  # then the summary again


def test_a_word_only_one_offered_item_has_picks_it() -> None:
    for answer, line in (("1000", "1 x Doliprane 1000 mg"), ("le 500", "1 x Doliprane 500 mg")):
        chat = Chat("pharmacie")
        chat.say("du doliprane au 14 bd des moulins")
        assert line in chat.text(chat.say(answer)), answer
    chat = Chat("pharmacie")
    chat.say("du doliprane au 14 bd des moulins")
    assert "vous voulez lequel" in chat.text(chat.say("mg"))  # both have it: asked again


def test_an_english_order_to_a_french_street_is_answered_in_english() -> None:
    chat = Chat("pizzeria")
    out = chat.text(chat.say("a monegasque pizza please. Address: 14 Impasse du Stade, Cap-d'Ail"))
    assert out.startswith("Noted: 1 x Pizza Monégasque.")  # in English; the fake knows no Cap-d'Ail address
    assert "We don't have" not in out and "Nous n'avons pas" not in out  # the town is no unknown item


def test_wanting_to_order_gets_the_welcome_and_a_status_question_before_confirming_gets_the_summary() -> None:
    chat = Chat("epicerie")
    out = chat.text(chat.say("bonjour je voudrais faire une commande"))
    assert out.startswith("Bonjour ! Ici Épicerie de la Condamine.") and "Baguette : 1,20 €" in out
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    out = chat.text(chat.say("ça arrive quand ?"))
    assert out.startswith("Votre commande n'est pas encore confirmée.") and "Total : 12,50 €" in out
    assert "pas de commande en cours" not in out


def test_a_change_for_some_of_a_line_splits_it() -> None:
    chat = Chat("pizzeria")
    chat.say("2 reines au 14 bd des moulins")
    out = chat.text(chat.say("une sans champignons"))
    assert "1 x Pizza Reine : 12,50 €\n1 x Pizza Reine (sans champignons) : 12,50 €" in out
    chat = Chat("pizzeria")
    chat.say("2 reines au 14 bd des moulins")
    assert "2 x Pizza Reine (sans champignons)" in chat.text(chat.say("sans champignons"))  # no number: all
    chat = Chat("pizzeria")
    out = chat.text(chat.say("bjr 1 calzone + 1 tiramisu pr 14 bd des moulins merci bcp"))
    assert out.startswith("Votre commande :") and "Nous n'avons pas" not in out  # "bcp" is no item


def test_several_changes_in_one_message_are_applied_in_order() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    out = chat.text(chat.say("ajoute 2 cocas et enlève la reine, mets une diavola à la place"))
    assert "2 x Coca-Cola : 6,00 €\n1 x Pizza Diavola : 13,00 €\nTotal : 19,00 €" in out
    chat = Chat("pizzeria")
    chat.say("une reine et un coca au 14 bd des moulins")
    out = chat.text(chat.say("enlève le coca et ajoute un tiramisu"))
    assert "1 x Pizza Reine : 12,50 €\n1 x Tiramisu : 6,00 €\nTotal : 18,50 €" in out


def test_an_answer_naming_the_item_with_a_quantity_and_the_address_takes_all_three() -> None:
    chat = Chat("pharmacie")
    chat.say("do you sell paracetamol?")
    out = chat.text(chat.say("2 boxes of the 1000 please, 14 bd des moulins"))
    assert "2 x Doliprane 1000 mg: €4.36" in out and "Delivery: 14 Boulevard des Moulins" in out


def test_no_x_removes_an_item_and_sans_x_on_a_dish_is_a_note_for_the_kitchen() -> None:
    chat = Chat("epicerie")
    out = chat.text(chat.say("hello, 6 eggs, butter and a baguette to 14 bd des moulins"))
    assert "1 x Œufs frais (boîte de 6): €2.90" in out  # six eggs: one box of six
    out = chat.text(chat.say("no butter"))
    assert "Beurre" not in out and "Total: €4.10" in out
    chat = Chat("pizzeria")
    chat.say("une margherita et un coca au 14 bd des moulins")
    out = chat.text(chat.say("sans oignons"))
    assert "1 x Pizza Margherita (sans oignons)" in out and "1 x Coca-Cola : 3,00 €" in out  # not the drink
    out = chat.text(chat.say("pas de coca"))
    assert "Coca" not in out and "Total : 11,00 €" in out


def test_the_floor_is_not_repeated_as_an_instruction_for_the_courier() -> None:
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins, 3e étage")
    (cmd,) = chat.say("oui").commands
    assert isinstance(cmd, PlaceOrder) and cmd.floor == "3" and cmd.instructions is None
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins, 2e étage porte gauche, sonner chez Martin")
    (cmd,) = chat.say("oui").commands
    assert cmd.floor == "2" and cmd.instructions == "2e étage porte gauche, sonner chez Martin"
