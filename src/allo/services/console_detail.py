"""The console's order detail: lines, totals, timeline, messages, and the people, masked.

The customer's phone and name and the drop-off's details are masked here. A person who needs them
calls `customers.reveal_customer` (audited) and passes the customer it returns as `revealed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from allo.domain.assignment import Assignment
from allo.domain.customer import Customer
from allo.domain.errors import NotFound
from allo.domain.events import Event
from allo.domain.geo import LatLon
from allo.domain.order import Order, OrderAction
from allo.domain.personal import mask_name, mask_phone
from allo.domain.user import Role
from allo.relay.policy import OUTBOX_KEYS as RELAY_OUTBOX_KEYS
from allo.services import orders as order_service
from allo.services.console import ACTIVE_JOB, mask_address, order_ref, promised_at, round_position
from allo.services.context import ServiceContext
from allo.services.principal import Principal
from allo.services.tracking import eta_of

_TRANSITION_EVENTS = {f"order.{a.value}" for a in OrderAction}
#: The console speaks French to its people; the timeline says what happened in their words.
ACTION_WORDS = {"confirm": "confirmée", "mark_ready": "prête", "assign": "assignée", "unassign": "désassignée",
                "pick_up": "récupérée par le coursier", "deliver": "livrée", "cancel": "annulée",
                "fail": "échec de la livraison"}
STATUS_WORDS = {"draft": "brouillon", "confirmed": "confirmée", "ready": "prête", "assigned": "assignée",
                "picked_up": "en route", "delivered": "livrée", "cancelled": "annulée", "failed": "échec"}
JOB_WORDS = {"accepted": "course acceptée", "declined": "course refusée", "expired": "offre expirée",
             "completed": "course terminée", "withdrawn": "course retirée", "at_shop": "coursier au magasin"}
GIVEN_BACK = "course rendue"  # declined after it was accepted
#: Order events that are not transitions, in the timeline's words (the event's reason follows, if any).
EVENT_WORDS = {"order.ready_expected": "estimation de la cuisine", "order.held": "gardée pour attribution manuelle",
               "order.hold_released": "rendue au dispatch automatique",
               "order.running_late": "client prévenu d'un retard"}


def _event_words(e: Event) -> str:
    if e.name == "relay.message":  # the text is in the messages below (the journal holds none)
        return "message du client au coursier" if e.data.get("from") == "customer" else "message du coursier au client"
    return EVENT_WORDS.get(e.name, e.name.replace("order.", ""))


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    what: str
    detail: str | None = None


@dataclass(frozen=True)
class MessageRow:
    at: datetime
    direction: str  # "au client", "client → coursier", "coursier → client"
    text: str
    status: str | None = None


@dataclass(frozen=True)
class People:
    """Who the order is for, as the viewer may see it."""

    customer_id: str | None
    phone: str | None
    name: str | None
    address: str
    door_code: str | None
    floor: str | None
    instructions: str | None
    revealed: bool


@dataclass(frozen=True)
class OrderDetail:
    order: Order
    ref: str
    merchant: str
    courier: str | None
    job: Assignment | None
    job_refs: list[str]
    promised_at: datetime
    people: People
    timeline: list[TimelineEntry]
    messages: list[MessageRow]
    relay_available: bool
    shop_at: LatLon
    courier_at: LatLon | None
    dropoff_at: LatLon | None  # staff only; rounded unless revealed
    #: When the order should arrive (`tracking.eta_of`: the job's plan, later if the pickup runs late).
    arrival: datetime | None = None
    #: The arrival time the customer was last told (ordering by chat, a courier accepting, a delay notice).
    told_arrival: datetime | None = None


def _people(order: Order, customer: Customer | None, revealed: bool) -> People:
    d = order.dropoff
    if revealed:
        return People(order.customer_id, customer.phone if customer else None,
                      (customer.name if customer else None) or d.recipient_name, d.address, d.door_code, d.floor,
                      d.instructions, True)
    hidden = "•••" if (d.door_code or d.floor or d.instructions) else None
    return People(order.customer_id, mask_phone(customer.phone) if customer and customer.phone else None,
                  mask_name((customer.name if customer else None) or d.recipient_name),
                  mask_address(d.address), hidden if d.door_code else None,
                  hidden if d.floor else None, hidden if d.instructions else None, False)


def _timeline(order: Order, events: list[Any], jobs: list[Assignment], job_events: dict[str, list[Any]],
              couriers: dict[str, str]) -> list[TimelineEntry]:
    """What happened to the order, oldest first: its transitions, its other events, and each job it was
    offered in, from the job's own events (each at its time, with its reason)."""
    entries = []
    for t in order.history:
        if t.action is None:
            what = f"créée ({STATUS_WORDS.get(t.status.value, t.status.value)})"
        elif t.action is OrderAction.UNASSIGN:
            what = f"désassignée → {STATUS_WORDS.get(t.status.value, t.status.value)}"
        else:
            what = ACTION_WORDS.get(t.action.value, t.action.value)
        entries.append(TimelineEntry(t.at, what, t.reason))
    for e in events:
        if e.name not in _TRANSITION_EVENTS:
            entries.append(TimelineEntry(e.at, _event_words(e), e.data.get("reason")))
    for a in jobs:
        who = couriers.get(a.courier_id, "?")
        how = "manuel" if a.manual else "automatique"
        entries.append(TimelineEntry(a.offered_at, f"proposée à {who} ({how})", None))
        accepted = False
        for e in job_events.get(a.id, []):
            kind = e.name.removeprefix("assignment.")
            word = GIVEN_BACK if kind == "declined" and accepted else JOB_WORDS.get(kind, kind)
            accepted = accepted or kind == "accepted"
            reason = e.data.get("reason") or (a.reason if kind == a.status.value else None)  # older records
            entries.append(TimelineEntry(e.at, f"{word} ({who})", reason))
    entries.sort(key=lambda e: e.at)
    return entries


def _relay_messages(ctx: ServiceContext, principal: Principal, order_id: str) -> tuple[bool, list[MessageRow]]:
    """Customer ↔ courier messages kept by the relay (staff only; the relay audits the read)."""
    try:
        from allo.services import relay
    except ImportError:  # pragma: no cover - the relay ships with Allo; kept for partial installs
        return False, []
    direction = {"customer": "client → coursier", "courier": "coursier → client"}
    rows = [MessageRow(m.at, direction.get(m.sender, m.sender), m.text, None if m.status == "relayed" else m.status)
            for m in relay.messages_for_order(ctx, principal=principal, order_id=order_id)]
    return True, rows


def _hide_pin(text: str, pin: str | None) -> str:
    """The handover PIN is for the customer and the door only: staff never read it here."""
    return text.replace(pin, "••••") if pin else text


def order_detail(ctx: ServiceContext, *, principal: Principal, order_id: str,
                 revealed: Customer | None = None) -> OrderDetail:
    principal.require_role(Role.ADMIN, Role.DISPATCHER, Role.MERCHANT)
    order = order_service.get_order(ctx, principal=principal, order_id=order_id)  # checks the shop
    with ctx.uow() as uow:
        shop = uow.merchants.get(order.merchant_id)
        people = {c.id: c for c in uow.couriers.list()}
        couriers = {c.id: c.name for c in people.values()}
        jobs = uow.assignments.of_order(order.id, order.created_at, order.history[-1].at if order.is_terminal else None)
        job_events = {a.id: uow.journal.events_for(a.id) for a in jobs}
        events = uow.journal.events_for(order.id)
        arrival = eta_of(uow, order, ctx.clock.now(), ctx.rides, people.get(order.courier_id or ""))
        told = uow.promises.told(order.id)
        outbound = uow.messaging.outbound_for_order(order.id)
        customer = None
        if order.customer_id:
            try:
                customer = uow.customers.get(order.customer_id)
            except NotFound:
                customer = None
    active = next((a for a in jobs if a.status in ACTIVE_JOB), None)
    pin = getattr(order, "pin", None)
    if not principal.is_staff:  # a shop sees nothing of the customer's conversation with the courier
        outbound = [m for m in outbound if not m.dedupe_key.startswith(RELAY_OUTBOX_KEYS)]
        events = [e for e in events if not e.name.startswith("relay.")]
    messages = [MessageRow(m.sent_at or m.created_at, "au client", _hide_pin(m.text, pin),
                           None if m.status == "sent" else m.status) for m in outbound]
    relay_ok, relayed = (False, [])
    if principal.is_staff:
        relay_ok, relayed = _relay_messages(ctx, principal, order.id)
    messages = sorted([*messages, *relayed], key=lambda m: m.at)
    is_revealed = revealed is not None and revealed.id == order.customer_id
    return OrderDetail(
        order=order, ref=order_ref(order.id), merchant=shop.name, courier=couriers.get(order.courier_id or ""),
        job=active, job_refs=[order_ref(o) for o in active.order_ids] if active else [],
        promised_at=promised_at(order, shop),
        people=_people(order, revealed if is_revealed else customer, is_revealed),
        timeline=_timeline(order, events, jobs, job_events, couriers), messages=messages, relay_available=relay_ok,
        shop_at=shop.pickup, courier_at=people[order.courier_id].position if order.courier_id in people else None,
        dropoff_at=_where(order, principal, is_revealed), arrival=None if order.is_terminal else arrival,
        told_arrival=told,
    )


def _where(order: Order, principal: Principal, revealed: bool) -> LatLon | None:
    """The drop-off on the order's map: staff only, rounded to ~50 m unless just revealed."""
    where = order.dropoff.location
    if where is None or not principal.is_staff:
        return None
    return where if revealed else round_position(where)
