"""Phone numbers, masking, money and catalog pricing."""

from __future__ import annotations

import pytest

from allo.domain.catalog import CatalogItem, OptionChoice, OptionGroup
from allo.domain.errors import ValidationFailed
from allo.domain.money import Money
from allo.domain.personal import mask_name, mask_phone, normalize_phone


@pytest.mark.parametrize(("raw", "e164"), [
    ("06 12 34 56 42", "+33612345642"),
    ("+33 6 12 34 56 42", "+33612345642"),
    ("0033612345642", "+33612345642"),
    ("+377 6 12 34 56 78", "+377612345678"),
    ("+44 7700 900123", "+447700900123"),
])
def test_normalize_phone(raw: str, e164: str) -> None:
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "12", "612345", "+1 2"])
def test_normalize_phone_refuses_what_it_cannot_read(raw: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        normalize_phone(raw)
    assert err.value.code == "invalid_phone"


def test_mask_phone_keeps_only_country_first_and_last_two() -> None:
    assert mask_phone("+33612345642") == "+33 6 •• •• •• 42"
    masked = mask_phone("+447700900123")
    assert masked.startswith("+44 7") and masked.endswith("23")
    assert "900" not in masked and "7700" not in masked


def test_mask_name() -> None:
    assert mask_name("Marie Dupont") == "Marie D."
    assert mask_name("Marie") == "Marie"
    assert mask_name(None) is None


def test_money_from_decimal_and_arithmetic() -> None:
    assert Money.from_decimal("2.18").cents == 218
    assert Money.from_decimal(0.1 + 0.2).cents == 30
    assert str(Money(1250) * 2) == "25.00 EUR"
    with pytest.raises(ValidationFailed):
        Money(100, "EUR") + Money(100, "USD")


def test_unit_price_adds_option_deltas_and_checks_bounds() -> None:
    size = OptionGroup("size", (OptionChoice("medium"), OptionChoice("large", price_delta=Money(300))), 1, 1)
    extras = OptionGroup("extras", (OptionChoice("cheese", price_delta=Money(150)),), 0, 3)
    item = CatalogItem("marg", "Margherita", Money(900), options=(size, extras))
    assert item.unit_price({"size": ["large"], "extras": ["cheese"]}).cents == 1350
    with pytest.raises(ValidationFailed):
        item.unit_price({})  # size is required
    with pytest.raises(Exception) as err:
        item.unit_price({"size": ["huge"]})
    assert getattr(err.value, "code", "") == "unknown_option"
