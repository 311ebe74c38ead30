"""The masked relay: customer and courier write to each other through Allo, never seeing each
other's number. Open once the courier accepts the job, closed ctx.relay_close_after after the
delivery ends; every relayed message is kept (encrypted) with the order for the operator's audit.

Entry points:
    send_from_courier(ctx, principal=..., assignment_id=..., order_id=..., text=...)  (courier app, API)
    route_inbound(ctx, uow, conv, message_id, text, now)        (ConversationService, customer side)
    thread_for_courier(ctx, principal=..., assignment_id=..., order_id=...)          (courier app, API)
    messages_for_order(ctx, principal=..., order_id=...)        (staff: the console's audit view)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from allo.adapters.storage.repositories.journal import AuditEntry
from allo.adapters.storage.repositories.messaging import ConversationRecord
from allo.adapters.storage.repositories.relay import RelayMessage
from allo.domain.assignment import AssignmentStatus
from allo.domain.errors import InvalidTransition, ValidationFailed
from allo.domain.events import Event
from allo.domain.order import Order
from allo.domain.user import Role
from allo.ordering.address import extract_address
from allo.ordering.dialogue import intents
from allo.ordering.dialogue.state import ConversationState, Stage
from allo.ordering.text import fold
from allo.relay.policy import (
    CLOSED_KEY, COURIER_WORDS_KEY, ENDED, HELD_KEY, UNDER_WAY, WAITING, RelayState, closes_at, redact_phones,
    relay_state,
)
from allo.relay.texts import say
from allo.services.context import ServiceContext
from allo.services.principal import Principal

MAX_TEXT = 1000
_FOR_THE_COURIER = re.compile(r"\b(?:livreur|livreuse|coursier|coursiere|courier|driver|rider)s?\b")
#: After the relay closes, customer messages that are not an order get the polite answer this long.
CLOSED_ANSWER_FOR = timedelta(hours=12)
#: Dialogue stages in which every message belongs to the ordering conversation.
_DIALOGUE_STAGES = frozenset({Stage.ORDERING, Stage.CONFIRM, Stage.PLACING, Stage.OPTED_OUT})


@dataclass(frozen=True)
class RelayThread:
    order_id: str
    state: RelayState
    closes_at: datetime | None
    reachable: bool  # the customer has a conversation (not an order taken by phone) and did not opt out
    messages: list[RelayMessage]


def state_of(uow: Any, order: Order, now: datetime, close_after: timedelta) -> RelayState:
    accepted = False
    if order.status.value in UNDER_WAY:
        a = uow.assignments.active_for_order(order.id, order.courier_id)
        accepted = a is not None and a.status is AssignmentStatus.ACCEPTED and a.courier_id == order.courier_id
    ended_at = order.time_of(order.status) if order.status.value in ENDED else None
    return relay_state(order.status.value, accepted, ended_at, now, close_after)


def closes_at_of(order: Order, close_after: timedelta) -> datetime | None:
    ended_at = order.time_of(order.status) if order.status.value in ENDED else None
    return closes_at(order.status.value, ended_at, close_after)


def _clean(text: str) -> str:
    text = redact_phones(" ".join(text.split()))[:MAX_TEXT]
    if not text:
        raise ValidationFailed("write a message first", code="empty_message")
    return text


def _language(conv: ConversationRecord) -> str | None:
    return (conv.state or {}).get("language")


def _number(order_id: str) -> str:
    from allo.domain.order import order_number

    return order_number(order_id)


def _journal(uow: Any, order: Order, sender: str, message_id: int, now: datetime) -> None:
    """An event without the text (the journal is not encrypted), for the live pages."""
    uow.journal.append_events([Event("relay.message", order.id, now, {
        "order_id": order.id, "courier_id": order.courier_id, "from": sender, "message_id": message_id})])


def _load_job(uow: Any, principal: Principal, assignment_id: str, order_id: str) -> Order:
    a = uow.assignments.get(assignment_id)
    principal.require_courier(a.courier_id)
    if order_id not in a.order_ids:
        raise ValidationFailed("this order is not part of the job", code="order_not_in_assignment")
    order: Order = uow.orders.get(order_id)
    if order.courier_id != a.courier_id:
        raise InvalidTransition("this order is no longer yours", code="relay_closed")
    return order


def send_from_courier(ctx: ServiceContext, *, principal: Principal, assignment_id: str, order_id: str,
                      text: str) -> RelayMessage:
    """A courier writes to the customer of an order of their job; Allo sends it from the shop's
    number (or bot) through the customer's conversation."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        order = _load_job(uow, principal, assignment_id, order_id)
        state = state_of(uow, order, now, ctx.relay_close_after)
        if state is not RelayState.OPEN:
            raise InvalidTransition("the conversation with this customer is closed" if state is RelayState.CLOSED
                                    else "accept the job first", code="relay_closed")
        conv = uow.messaging.get_conversation(order.conversation_id) if order.conversation_id else None
        if conv is None:
            raise ValidationFailed("this customer ordered by phone: ask the dispatcher to call them",
                                   code="relay_unavailable")
        if conv.opted_out:
            raise ValidationFailed("this customer turned messages off: ask the dispatcher to call them",
                                   code="customer_opted_out")
        clean = _clean(text)
        message_id = uow.relay.add(order_id=order.id, courier_id=order.courier_id, sender="courier",
                                   status="relayed", at=now, text=clean)
        uow.messaging.enqueue(dedupe_key=f"{COURIER_WORDS_KEY}{message_id}", channel=conv.channel,
                              recipient=conv.address, text=say(_language(conv), "from_courier", text=clean),
                              now=now, order_id=order.id)
        _journal(uow, order, "courier", message_id, now)
        uow.commit()
    return RelayMessage(message_id, order.id, order.courier_id, "courier", "relayed", now, clean)


def is_for_dialogue(state: ConversationState, text: str, parser: Any) -> bool:
    """Ordering commands (STOP, cancel, status, help, a rating, a new order …) stay with the dialogue;
    anything else, while a relay is open, is for the courier."""
    if state.stage in _DIALOGUE_STAGES:
        return True
    if (intents.is_stop(text) or intents.is_start(text) or intents.is_erase(text) or intents.has_cancel(text)
            or intents.is_status(text) or intents.is_help(text)):
        return True
    if state.stage == Stage.RATING and intents.rating(text) is not None:
        return True
    return bool(parser is not None and parser.parse(text).lines)


def route_inbound(ctx: ServiceContext, uow: Any, conv: ConversationRecord, message_id: int, text: str,
                  now: datetime) -> bool:
    """Inside the inbox's unit of work: pass a customer's message to the courier of their open relay
    (True), keep a word for the courier of an order no courier has taken yet and say so (True),
    answer politely if the relay closed a short while ago (True), or leave it (False)."""
    candidates = uow.relay.orders_of_conversation(conv.id, sorted(UNDER_WAY | ENDED | WAITING))
    recently_closed: Order | None = None
    for order_id in candidates:
        order = uow.orders.get(order_id)
        state = state_of(uow, order, now, ctx.relay_close_after)
        if state is RelayState.NOT_YET and not _worth_keeping(text):
            continue  # "ok", "merci": the dialogue answers
        if state in (RelayState.OPEN, RelayState.NOT_YET):
            clean = _clean(text) if text.strip() else ""
            if not clean:
                return False
            stored = uow.relay.add(order_id=order.id, courier_id=order.courier_id, sender="customer",
                                   status="relayed", at=now, text=clean)
            _journal(uow, order, "customer", stored, now)
            if state is RelayState.NOT_YET and not conv.opted_out:  # kept until a courier takes the job
                uow.messaging.enqueue(dedupe_key=f"{HELD_KEY}{message_id}", channel=conv.channel,
                                      recipient=conv.address, now=now, order_id=order.id,
                                      text=say(_language(conv), "held", number=_number(order.id)))
            return True
        end = closes_at_of(order, ctx.relay_close_after)
        if state is RelayState.CLOSED and end is not None and now < end + CLOSED_ANSWER_FOR:
            recently_closed = recently_closed or order
    if recently_closed is None or not text.strip():
        return False
    uow.relay.add(order_id=recently_closed.id, courier_id=recently_closed.courier_id, sender="customer",
                  status="refused", at=now, text=redact_phones(text.strip())[:MAX_TEXT])
    if not conv.opted_out:
        uow.messaging.enqueue(dedupe_key=f"{CLOSED_KEY}{message_id}", channel=conv.channel,
                              recipient=conv.address, now=now, order_id=recently_closed.id,
                              text=say(_language(conv), "closed", number=_number(recently_closed.id)))
    return True


def _worth_keeping(text: str) -> bool:
    """A message for the courier before one has taken the job: it speaks of the door (a code, a floor,
    "sonnez chez Dupont", "laissez-le au gardien") or of the courier. Anything else goes to the
    dialogue, which may be a new order starting ("je voudrais commander")."""
    folded = fold(text)
    parts, _ = extract_address(folded, text)
    return bool(parts.instructions or parts.door_code or parts.floor or _FOR_THE_COURIER.search(folded))


def thread_for_courier(ctx: ServiceContext, *, principal: Principal, assignment_id: str,
                       order_id: str) -> RelayThread:
    """The relay as the courier sees it: texts and who wrote them; never a number or an address."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        order = _load_job(uow, principal, assignment_id, order_id)
        state = state_of(uow, order, now, ctx.relay_close_after)
        conv = uow.messaging.get_conversation(order.conversation_id) if order.conversation_id else None
        messages = [m for m in uow.relay.for_order(order.id) if m.status == "relayed"]
    return RelayThread(order.id, state, closes_at_of(order, ctx.relay_close_after),
                       conv is not None and not conv.opted_out, messages)


def messages_for_order(ctx: ServiceContext, *, principal: Principal, order_id: str) -> list[RelayMessage]:
    """Every relayed (and refused) message of an order, for staff; the read is audited."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    with ctx.uow() as uow:
        uow.orders.get(order_id)
        messages = uow.relay.for_order(order_id)
        uow.journal.audit(AuditEntry(ctx.clock.now(), principal.user_id, "read_relay", "order", order_id, None))
        uow.commit()
    return messages
