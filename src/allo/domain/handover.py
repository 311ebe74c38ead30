"""The handover PIN: four digits the customer gives the courier at the door.

Pure rules: the PIN is drawn by the caller (randomness comes in as an argument), checked here, and
locked after MAX_PIN_TRIES wrong entries until a dispatcher resets it.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime

from allo.domain.errors import InvalidTransition, ValidationFailed
from allo.domain.events import Event
from allo.domain.order import Order

PIN_DIGITS = 4
MAX_PIN_TRIES = 5


class WrongPin(ValidationFailed):
    code = "wrong_pin"


class PinLocked(InvalidTransition):
    code = "pin_locked"


def draw_pin(randbelow: Callable[[int], int]) -> str:
    """A PIN from a source of random integers (`secrets.randbelow` in production)."""
    return f"{randbelow(10 ** PIN_DIGITS):0{PIN_DIGITS}d}"


def ensure_pin(order: Order, new_pin: Callable[[], str]) -> None:
    if not order.pin:
        order.pin = new_pin()


def is_locked(order: Order) -> bool:
    return order.pin_failures >= MAX_PIN_TRIES


def tries_left(order: Order) -> int:
    return max(0, MAX_PIN_TRIES - order.pin_failures)


def check_pin(order: Order, given: str | None, at: datetime) -> bool:
    """True when `given` is the order's PIN. A wrong PIN counts a failure (the caller saves the
    order and commits before reporting it); the fifth locks the handover."""
    if is_locked(order):
        raise PinLocked("too many wrong PINs: a dispatcher must unlock this delivery")
    if not order.pin:
        return True  # orders from before PINs existed
    typed = "".join(ch for ch in (given or "") if ch.isdigit())
    if hmac.compare_digest(typed.encode(), order.pin.encode()):
        return True
    order.pin_failures += 1
    if is_locked(order):
        order.events.append(Event("order.pin_locked", order.id, at, {"merchant_id": order.merchant_id,
                                                                     "courier_id": order.courier_id}))
    return False


def wrong_pin_error(order: Order) -> ValidationFailed:
    if is_locked(order):
        return PinLocked("wrong PIN; the delivery is now locked: call the dispatcher")
    left = tries_left(order)
    return WrongPin(f"wrong PIN ({left} {'try' if left == 1 else 'tries'} left)")


def reset_pin_lock(order: Order, at: datetime) -> None:
    order.pin_failures = 0
    order.events.append(Event("order.pin_unlocked", order.id, at, {"merchant_id": order.merchant_id}))
