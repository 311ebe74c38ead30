"""Pure rules of the relay and the handover PIN."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from allo.domain.geo import LatLon
from allo.domain.handover import (
    MAX_PIN_TRIES, PinLocked, WrongPin, check_pin, draw_pin, ensure_pin, is_locked, reset_pin_lock, wrong_pin_error,
)
from allo.domain.money import Money
from allo.domain.order import DropOff, Order, OrderLine
from allo.relay.policy import PHONE_MASK, RelayState, first_name, redact_phones, relay_state

T0 = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
TEN = timedelta(minutes=10)


def order() -> Order:
    o = Order("o-1", "m-1", None, [OrderLine("coke", "Coke", 1, Money(250))], DropOff("1 rue X", LatLon(43.7, 7.4)), T0)
    o.pin = "0427"
    return o


@pytest.mark.parametrize("status,accepted,ended,now,expected", [
    ("confirmed", False, None, T0, RelayState.NOT_YET),
    ("assigned", False, None, T0, RelayState.NOT_YET),
    ("assigned", True, None, T0, RelayState.OPEN),
    ("picked_up", True, None, T0, RelayState.OPEN),
    ("delivered", False, T0, T0 + timedelta(minutes=9), RelayState.OPEN),
    ("delivered", False, T0, T0 + TEN, RelayState.CLOSED),
    ("failed", False, T0, T0 + timedelta(minutes=3), RelayState.OPEN),
    ("cancelled", False, None, T0, RelayState.CLOSED),
])
def test_relay_state(status: str, accepted: bool, ended: datetime | None, now: datetime,
                     expected: RelayState) -> None:
    assert relay_state(status, accepted, ended, now, TEN) is expected


@pytest.mark.parametrize("text", ["06 12 34 56 42", "+33 6 12 34 56 42", "0612345642", "06.12.34.56.42",
                                  "+377 93 15 20 00", "(+44) 20 7946 0958", "0033612345642"])
def test_phone_numbers_are_hidden(text: str) -> None:
    out = redact_phones(f"appelez le {text} svp")
    assert out == f"appelez le {PHONE_MASK} svp"


@pytest.mark.parametrize("text", ["code 4521B", "3e étage, porte 12", "PIN 0427", "2 pizzas à 20h30", "n° 14"])
def test_everyday_numbers_stay(text: str) -> None:
    assert redact_phones(text) == text


def test_first_name_only() -> None:
    assert first_name("Marie Dupont") == "Marie" and first_name("  ") is None and first_name(None) is None


def test_draw_pin_is_four_digits_from_the_source() -> None:
    assert draw_pin(lambda n: 7) == "0007" and draw_pin(lambda n: n - 1) == "9999"
    o = order()
    ensure_pin(o, lambda: "1111")
    assert o.pin == "0427"  # an order keeps its PIN


def test_pin_checks_count_and_lock() -> None:
    o = order()
    assert check_pin(o, " 0427 ", T0) and o.pin_failures == 0
    for i in range(MAX_PIN_TRIES - 1):
        assert not check_pin(o, "1234", T0)
        assert isinstance(wrong_pin_error(o), WrongPin)
    assert not check_pin(o, None, T0)
    assert is_locked(o) and isinstance(wrong_pin_error(o), PinLocked)
    assert [e.name for e in o.events] == ["order.pin_locked"]
    with pytest.raises(PinLocked):
        check_pin(o, "0427", T0)
    reset_pin_lock(o, T0)
    assert check_pin(o, "0427", T0)


def test_orders_from_before_pins_need_none() -> None:
    o = order()
    o.pin = None
    assert check_pin(o, None, T0)
