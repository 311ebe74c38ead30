"""When customer and courier may write to each other, and what of a message is passed on.

Pure: statuses and times in, decisions out.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum

#: Order statuses during which the relay is open (once the courier has accepted the job).
UNDER_WAY = frozenset({"assigned", "picked_up"})
#: Statuses of an order still waiting for its courier: a message is kept for whoever takes the job.
WAITING = frozenset({"confirmed", "ready"})
#: Statuses after which the relay stays open for a while ("I left it with the neighbour").
ENDED = frozenset({"delivered", "failed"})
#: A run of 8 or more digits, with the spaces, dots, dashes and brackets people put in numbers.
_PHONE = re.compile(r"\(?(?:\+|00)?\d(?:[\s.\-()]{0,3}\d){7,}")
PHONE_MASK = "[numéro masqué / number hidden]"


#: Outbox key prefixes of what the relay sends a customer: the courier's words, and its own answers
#: while no courier has the job yet and after it closed (a shop's view of an order leaves them out).
COURIER_WORDS_KEY, HELD_KEY, CLOSED_KEY = "relay:", "relay-held:", "relay-closed:"
OUTBOX_KEYS = (COURIER_WORDS_KEY, HELD_KEY, CLOSED_KEY)


class RelayState(StrEnum):
    NOT_YET = "not_yet"  # no courier has accepted the job
    OPEN = "open"
    CLOSED = "closed"


def relay_state(order_status: str, accepted: bool, ended_at: datetime | None, now: datetime,
                close_after: timedelta) -> RelayState:
    if order_status in UNDER_WAY:
        return RelayState.OPEN if accepted else RelayState.NOT_YET
    if order_status in ENDED and ended_at is not None and now < ended_at + close_after:
        return RelayState.OPEN
    if order_status in ENDED or order_status == "cancelled":
        return RelayState.CLOSED
    return RelayState.NOT_YET


def closes_at(order_status: str, ended_at: datetime | None, close_after: timedelta) -> datetime | None:
    return ended_at + close_after if order_status in ENDED and ended_at is not None else None


def redact_phones(text: str) -> str:
    """Numbers typed into a message are not passed on: the relay exists so that nobody needs them."""
    return _PHONE.sub(PHONE_MASK, text)


def first_name(name: str | None) -> str | None:
    """"Marie Dupont" → "Marie": all a courier needs to greet someone at the door."""
    if not name or not name.strip():
        return None
    return name.split()[0]
