"""A small pizzeria and pharmacy built in code (no file): the parser is pure."""

from __future__ import annotations

import pytest

from allo.domain.catalog import Catalog, CatalogItem, OptionChoice, OptionGroup
from allo.domain.money import Money
from allo.ordering import OrderParser


def _m(x: str) -> Money:
    return Money.from_decimal(x)


SIZE = OptionGroup(
    "size",
    (
        OptionChoice("small", ("small", "petite", "junior")),
        OptionChoice("large", ("large", "grande", "big")),
    ),
    min=0,
    max=1,
)
EXTRAS = OptionGroup(
    "extras",
    (
        OptionChoice("cheese", ("extra cheese", "supplement fromage", "extra fromage"), _m("1.50")),
        OptionChoice("olives", ("olives", "olive")),
        OptionChoice("onions", ("onions", "oignons", "onion")),
        OptionChoice("peppers", ("peppers", "poivrons")),
    ),
    min=0,
    max=5,
)


@pytest.fixture(scope="session")
def pizzeria() -> OrderParser:
    catalog = Catalog(
        "Test pizzeria",
        "EUR",
        (
            CatalogItem("MARG", "Margherita", _m("11"), ("margherita", "margarita"), (SIZE, EXTRAS)),
            CatalogItem("REINE", "Reine", _m("12.5"), ("reine", "regina"), (SIZE, EXTRAS)),
            CatalogItem("COCA", "Coca-Cola", _m("3"), ("coca", "coke", "coca cola")),
            CatalogItem("TIRAMISU", "Tiramisu", _m("6"), ("tiramisu",)),
        ),
    )
    return OrderParser(catalog)


@pytest.fixture(scope="session")
def pharmacy() -> OrderParser:
    toux = OptionGroup("toux", (OptionChoice("seche", ("seche", "dry")), OptionChoice("grasse", ("grasse",))), 0, 1)
    catalog = Catalog(
        "Test pharmacy",
        "EUR",
        (
            CatalogItem("DOLI500", "Doliprane 500 mg", _m("1.90"), ("doliprane 500", "doliprane", "doli 500")),
            CatalogItem("DOLI1000", "Doliprane 1000 mg", _m("2.18"), ("doliprane 1000", "doliprane 1g", "doliprane")),
            CatalogItem("SIROP", "Sirop pour la toux", _m("6.50"), ("sirop toux", "sirop", "cough syrup"), (toux,)),
            CatalogItem("SPASFON", "Spasfon", _m("3.80"), ("spasfon",)),
        ),
    )
    return OrderParser(catalog)


def lines(draft) -> list[tuple[str | None, int]]:
    """(sku, qty) of the confident lines, in order."""
    return [(ln.sku, ln.qty) for ln in draft.confident_lines]
