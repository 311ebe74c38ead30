"""The dialogue's parts: intents, money and templates, state round trip, required options, purity."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

from allo.adapters.catalog_file import catalog_from_dict
from allo.domain.money import Money
from allo.ordering.dialogue import ConversationState, Dialogue, PlaceOrder, Stage, intents, texts_en, texts_fr
from allo.ordering.dialogue.render import format_money
from allo.ordering.dialogue.state import DraftState, LineState, Question

from .fakes import Chat, default_ports

DIALOGUE_DIR = Path(__file__).resolve().parents[3] / "src" / "allo" / "ordering" / "dialogue"


@pytest.mark.parametrize(
    ("cents", "lang", "text"),
    [(1250, "fr", "12,50 €"), (1250, "en", "€12.50"), (5, "fr", "0,05 €"), (123456, "fr", "1 234,56 €"),
     (123456, "en", "€1,234.56"), (0, "en", "€0.00")],
)
def test_money_format(cents: int, lang: str, text: str) -> None:
    assert format_money(Money(cents, "EUR"), lang) == text


def test_money_format_other_currencies() -> None:
    assert format_money(Money(990, "GBP"), "en") == "£9.90"
    assert format_money(Money(990, "CHF"), "fr") == "9,90 CHF"
    assert format_money(Money(990, "CHF"), "en") == "CHF 9.90"


def test_templates_have_the_same_keys_and_placeholders() -> None:
    assert texts_fr.TEXTS.keys() == texts_en.TEXTS.keys()
    assert texts_fr.STATUS.keys() == texts_en.STATUS.keys()
    fields = string.Formatter()
    for key in texts_fr.TEXTS:
        fr = {f for _, f, _, _ in fields.parse(texts_fr.TEXTS[key]) if f}
        en = {f for _, f, _, _ in fields.parse(texts_en.TEXTS[key]) if f}
        assert fr == en, key


def test_reply_texts_live_only_in_the_templates() -> None:
    """Logic modules hold no sentence for the customer: every reply comes from texts_fr / texts_en."""
    sentence = re.compile(r"[A-Za-zÀ-ÿ]+ [A-Za-zÀ-ÿ]+ [A-Za-zÀ-ÿ]+ [A-Za-zÀ-ÿ]+")
    for path in DIALOGUE_DIR.glob("*.py"):
        if path.name.startswith("texts_"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not (sentence.search(node.value) and node.value[:1].isupper()), (path.name, node.value)


@pytest.mark.parametrize("text", ["oui", "OUI !", "ok", "Yes", "yep", "go", "d'accord", "c'est bon", "ok merci"])
def test_confirm_words(text: str) -> None:
    assert intents.is_confirm(text)


@pytest.mark.parametrize("text", ["non", "No", "nope", "non merci"])
def test_deny_words(text: str) -> None:
    assert intents.is_deny(text) and not intents.is_confirm(text)


def test_special_messages() -> None:
    assert intents.is_stop("STOP") and intents.is_stop("stop ") and not intents.is_stop("bus stop rue x")
    assert intents.is_erase("SUPPRIMER MES DONNÉES") and intents.is_erase("delete my data please")
    assert not intents.is_erase("supprime le coca")
    assert intents.is_status("où en est ma commande ?") and intents.is_status("Where is my order?")
    assert intents.is_help("bonjour") and intents.is_help("Menu") and intents.is_help("aide ?")
    assert not intents.is_help("bonjour, 2 margherita")
    assert intents.has_cancel("annule") and intents.has_cancel("laisse tomber") and intents.has_cancel("cancel")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5", (5, None)), ("4 étoiles", (4, None)), ("5 stars super", (5, "super")), ("★★★", (3, None)),
     ("cinq étoiles, livreur très sympa", (5, "livreur très sympa")), ("3/5 un peu froid", (3, "un peu froid")),
     ("merci", None), ("7", None), ("4, un peu en retard", (4, "un peu en retard")), ("4,50", None),
     ("sonnez 2 fois", None), ("dans 5 min", None), ("3 étages à pied", None), ("5 €", None)],
)
def test_ratings(text: str, expected: tuple[int, str | None] | None) -> None:
    assert intents.rating(text) == expected


def test_language_detection() -> None:
    assert intents.detect_language("bonjour", None) == "fr"
    assert intents.detect_language("hi", None) == "en"
    assert intents.detect_language("menu", None) is None
    assert intents.detect_language("2 doliprane stp", None) == "fr"
    assert intents.detect_language("10 promenade des anglais", "en") == "en"
    assert intents.detect_language("yes", "fr") == "fr"
    assert intents.detect_language("where is my order", "fr") == "en"


def test_state_round_trips_through_json() -> None:
    st = ConversationState(
        language="en",
        stage=Stage.ORDERING,
        draft=DraftState(lines=[LineState("REINE", 2, {"taille": ["grande"]}, ["olives"])], address_text="x",
                         location=[43.7, 7.4], address_label="X", instructions=["3e"], notes=["n"]),
        questions=[Question(kind="confirm_line", text="t", line=LineState("COCA"))],
        pending_order_id="o",
    )
    data = json.loads(json.dumps(st.to_dict()))
    assert ConversationState.from_dict(data) == st
    assert ConversationState.from_dict({}) == ConversationState()
    assert ConversationState.from_dict({"stage": "idle", "unknown_future_key": 1}).stage == "idle"


def test_handle_does_not_mutate_the_given_state() -> None:
    chat = Chat("pizzeria")
    st = ConversationState()
    before = st.to_dict()
    chat.dialogue.handle(st, "une reine au 14 bd des moulins", default_ports(), chat.now)
    assert st.to_dict() == before


SHOP = {
    "merchant": "Fleurs",
    "currency": "EUR",
    "items": [
        {"sku": "BOUQUET", "name": "Bouquet", "price": 20, "aliases": ["bouquet", "fleurs", "flowers"],
         "options": [{"group": "couleur", "min": 1, "max": 1,
                      "choices": [{"name": "rouge", "aliases": ["rouge", "red"]},
                                  {"name": "blanc", "aliases": ["blanc", "white"], "price_delta": 2}]}]},
        {"sku": "CARTE", "name": "Carte", "price": 3, "aliases": ["carte", "card"]},
    ],
}


def test_a_required_option_is_asked_for() -> None:
    catalog = catalog_from_dict(SHOP)
    dialogue = Dialogue(catalog, shop_name="Fleurs")
    ports = default_ports()
    chat = Chat("pizzeria")
    st = ConversationState()
    r = dialogue.handle(st, "un bouquet au 14 bd des moulins", ports, chat.now)
    assert "couleur" in "\n".join(r.replies) and "1) rouge" in "\n".join(r.replies)
    r = dialogue.handle(r.state, "blanc", ports, chat.now)
    assert "1 x Bouquet (blanc) : 22,00 €" in "\n".join(r.replies)
    r = dialogue.handle(r.state, "oui", ports, chat.now)
    assert isinstance(r.commands[0], PlaceOrder)
    assert r.commands[0].lines == [("BOUQUET", 1, {"couleur": ["blanc"]}, [])]


def test_modules_stay_small() -> None:
    for path in DIALOGUE_DIR.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 500, path.name


GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€"
)


def test_templates_fit_the_sms_alphabet() -> None:
    for mod in (texts_fr, texts_en):
        for key, text in {**mod.TEXTS, **mod.STATUS}.items():
            assert set(text) <= GSM7, (mod.__name__, key, set(text) - GSM7)


def test_every_template_is_used() -> None:
    code = "".join(p.read_text(encoding="utf-8") for p in DIALOGUE_DIR.glob("*.py") if not p.name.startswith("texts_"))
    for key in texts_fr.TEXTS:
        assert f'"{key}"' in code, key


def test_thumbs_up_confirms_and_account_deletion_erases() -> None:
    assert intents.is_confirm("👍") and intents.is_confirm(" 👍🏽 ") and not intents.is_confirm("😀")
    assert intents.is_erase("supprimez mon compte") and intents.is_erase("Delete my account")
    chat = Chat("pizzeria")
    chat.say("une reine au 14 bd des moulins")
    assert isinstance(chat.say("👍").commands[0], PlaceOrder)


def test_a_question_about_a_cancellation_is_not_a_cancellation() -> None:
    assert not intents.has_cancel("pourquoi ma commande est annulée ?")
    assert not intents.has_cancel("was my order cancelled?")
    assert intents.has_cancel("annulez svp") and intents.has_cancel("cancel my order")
