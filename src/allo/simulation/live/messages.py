"""What simulated customers write: SMS-style orders in French or English, answers, questions.

Pure: the catalog, the address and a seeded `Random` come in; text comes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from allo.domain.catalog import Catalog, CatalogItem
from allo.domain.geo import LatLon
from allo.simulation.live.phrases import phrase

LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class DropAddress:
    """A real address of the demo city: house number and street from the shipped data."""

    number: str
    street: str
    postcode: str
    city: str
    location: LatLon | None = None  # known for real address points (not said in messages)

    def short(self) -> str:
        return f"{self.number} {self.street}"

    def full(self) -> str:
        return f"{self.number} {self.street}, {self.postcode} {self.city}"


@dataclass(frozen=True)
class OrderPlan:
    """What one customer wants, and how they say it."""

    language: str
    items: tuple[tuple[str, int], ...]  # (sku, qty)
    items_text: str
    address_text: str
    first_message: str
    gives_address_later: bool  # the first message holds the items only


_ABBREVIATIONS = {"boulevard": "bd", "avenue": "av", "rue": "rue", "place": "pl"}

_ORDER_FR = (
    "Bonjour, {items} au {address} svp",
    "bonjour je voudrais {items}, livraison au {address}",
    "{items} au {address} merci",
    "Salut ! {items} stp. Adresse : {address}",
    "Bonsoir, pouvez-vous me livrer {items} au {address} ? Merci",
    "Bjr, {items} pour le {address}",
)
_ORDER_EN = (
    "hi, can I get {items} to {address} please",
    "Hello! {items} delivered to {address}, thanks",
    "{items} please. Address: {address}",
    "Hi there, I'd like {items} at {address}",
    "hey, {items} to {address} pls",
)
_ITEMS_ONLY = {"fr": ("Bonjour, je voudrais {items} svp", "{items} svp"),
               "en": ("Hi, I'd like {items} please", "{items} please")}
_YES = {"fr": ("oui", "Oui", "oui merci", "Oui c'est bon", "ok oui"), "en": ("yes", "Yes", "yes please", "yes thanks")}
_STATUS = {"fr": ("où en est ma commande ?", "Bonjour, où en est ma commande svp ?", "ma commande arrive quand ?"),
           "en": ("where is my order?", "hi, where is my order please?", "status of my order?")}
_RATINGS = ("5", "5", "4", "5 étoiles", "5 stars")
_JOIN = {"fr": " et ", "en": " and "}


def join_items(parts: list[str], language: str) -> str:
    """"a, b et c" / "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + _JOIN.get(language, " et ") + parts[-1]


def pick_items(rng: Random, catalog: Catalog) -> list[tuple[CatalogItem, int]]:
    """One to three different available items, mostly one of each."""
    available = [i for i in catalog.items if i.available]
    if not available:
        raise ValueError(f"{catalog.merchant}: nothing available to order")
    count = min(len(available), rng.choices((1, 2, 3), weights=(5, 4, 2))[0])
    chosen = rng.sample(available, count)
    return [(item, rng.choices((1, 2, 3), weights=(14, 5, 1))[0]) for item in chosen]


def address_text(rng: Random, address: DropAddress, language: str, *, full: bool = False) -> str:
    """The address as a customer types it: sometimes abbreviated, with the town, a code or a floor."""
    if full:
        return address.full()
    street = address.street
    first, _, rest = street.partition(" ")
    if rest and rng.random() < 0.3:
        street = f"{_ABBREVIATIONS.get(first.lower(), first.lower())} {rest}"
    text = f"{address.number} {street}"
    if rng.random() < 0.4:
        text += f", {address.city}" if rng.random() < 0.5 else f", {address.postcode} {address.city}"
    extra = rng.random()
    if extra < 0.2:
        text += f" code {rng.randrange(1000, 9999)}{rng.choice('ABC')}"
    elif extra < 0.35:
        floor = rng.randrange(1, 9)
        text += f", {floor}e étage" if language == "fr" else f", floor {floor}"
    return text


def compose_order(rng: Random, catalog: Catalog, address: DropAddress,
                  language: str | None = None) -> OrderPlan:
    """A customer's order for this shop, ready to send as a first message."""
    lang = language or rng.choices(LANGUAGES, weights=(3, 2))[0]
    chosen = pick_items(rng, catalog)
    items_text = join_items([phrase(item, qty, lang, vague=rng.random() < 0.3) for item, qty in chosen], lang)
    where = address_text(rng, address, lang)
    later = rng.random() < 0.15
    if later:
        first = rng.choice(_ITEMS_ONLY[lang]).format(items=items_text)
    else:
        first = rng.choice(_ORDER_FR if lang == "fr" else _ORDER_EN).format(items=items_text, address=where)
    return OrderPlan(lang, tuple((item.sku, qty) for item, qty in chosen), items_text, where, first, later)


def yes(rng: Random, language: str) -> str:
    return rng.choice(_YES.get(language, _YES["fr"]))


def status_question(rng: Random, language: str) -> str:
    return rng.choice(_STATUS.get(language, _STATUS["fr"]))


def rating(rng: Random) -> str:
    return rng.choice(_RATINGS)


def session_id(rng: Random) -> str:
    """The customer's web chat session: an unguessable-looking id (web chat token alphabet)."""
    return "demo-" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(20))
