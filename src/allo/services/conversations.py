"""Customer conversations: an inbound message → the dialogue → orders, replies, consent changes.

Runs inside the inbox's unit of work, so the conversation state, the order it places and the
replies it queues are committed together with the message being marked processed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from allo.adapters.storage.repositories.messaging import ConversationRecord, StoredInbound
from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.domain.catalog import Catalog
from allo.domain.courier import CourierStatus
from allo.domain.customer import Language
from allo.domain.errors import DomainError, ValidationFailed
from allo.domain.geo import LatLon, haversine_m
from allo.domain.merchant import Merchant
from allo.domain.order import DropOff, order_number
from allo.domain.personal import normalize_phone
from allo.ordering.dialogue import (
    CancelOrder, Dialogue, DialogueResult, EraseData, LocatedAddress, OptIn, OptOut, OrderStatusView,
    PlaceOrder, RateOrder, ShopOpening, SoonestArrival,
)
from allo.ordering.dialogue.state import ConversationState
from allo.ordering.draft import RequestedTime
from allo.ordering.when import can_keep, resolve as resolve_requested_time
from allo.services.context import ServiceContext
from allo.services.dispatching import BOOKED_AHEAD
from allo.services.lateness import arrival_to_tell
from allo.services.orders import LineRequest, place_order_in
from allo.services.ports.geocoder import GeocodeQuery, Geocoder, GeocoderUnavailable, GeocodeResult
from allo.services.rides import CityRides

log = logging.getLogger("allo.conversations")
PHONE_CHANNELS = frozenset({"twilio", "whatsapp"})
#: A geocoding answer below this score is not trusted: the customer is asked again.
MIN_GEOCODE_SCORE = 0.6
# A street name several towns share comes back as near-equal leaders with lowered scores; those within
# this margin of the first, and no weaker than the floor, are the places the customer may mean.
TIED_PLACES_MARGIN = 0.03
TIED_PLACES_FLOOR = 0.45
SAME_PLACE_M = 150.0

#: (unit of work, shop, drop-off, now, the order if already placed) -> when it should arrive, or None
EtaQuote = Callable[[SqlUnitOfWork, Merchant, LatLon, datetime, "str | None"], "datetime | None"]


def quoted_minutes(uow: SqlUnitOfWork, merchant: Merchant, where: LatLon, now: datetime, rides: CityRides,
                   eta_quote: EtaQuote | None, order_id: str | None = None) -> int | None:
    """In how many minutes an order of `merchant` to `where` should arrive, as the customer is told on
    ordering: the dispatcher's estimate (the couriers where they are, the orders ahead: what the
    tracking page will show), or the shop's own (preparation and a ride) when there is no dispatcher
    or no courier placed; None when no courier is on shift."""
    quoted = eta_quote(uow, merchant, where, now, order_id) if eta_quote is not None else None
    if quoted is not None:
        return max(1, math.ceil((quoted - now).total_seconds() / 60))
    if eta_quote is not None and not uow.couriers.list(status=[CourierStatus.AVAILABLE, CourierStatus.BUSY],
                                                      active=True):
        return None
    # no dispatcher in this process, or a courier on shift but not placed (no recent position)
    return merchant.prep_minutes + rides.shop_ride_minutes(merchant, where)


def _the_one_the_shop_delivers_to(results: list[GeocodeResult], merchant: Merchant) -> GeocodeResult | None:
    """Of several equally likely places ("28 Route de la Turbie": in three towns), the only one inside
    the shop's delivery zone, to be confirmed with the customer; None when none or several are."""
    top = results[0].score
    tied = [r for r in results if r.score >= max(top - TIED_PLACES_MARGIN, TIED_PLACES_FLOOR)]
    inside = [r for r in tied if merchant.delivers_to(r.position)]
    if not inside or any(haversine_m(r.position, inside[0].position) > SAME_PLACE_M for r in inside[1:]):
        return None
    return inside[0]


@dataclass(frozen=True)
class _Instead:
    """A time asked for that cannot be kept: in how many minutes the order can arrive at the soonest,
    or None when no courier is on duty nor booked to take it in time."""

    minutes: int | None


@dataclass
class _Ports:
    """The dialogue's window on the world, bound to one shop and one unit of work."""

    uow: SqlUnitOfWork
    merchant: Merchant
    geocoder: Geocoder | None
    tracking_url: Any
    now: datetime
    rides: CityRides
    eta_quote: EtaQuote | None = None
    order_id: str | None = None  # the order placed in this unit of work, once it is

    def locate(self, address_text: str) -> LocatedAddress | None:
        if self.geocoder is None:
            return None
        try:
            results = self.geocoder.geocode(GeocodeQuery(text=address_text))
        except GeocoderUnavailable:
            log.warning("geocoder unavailable; asking the customer again")
            return None
        if not results:
            return None
        best = results[0]
        if best.score >= MIN_GEOCODE_SCORE:
            return LocatedAddress(best.label, best.position, best.precision != "street")
        inside = _the_one_the_shop_delivers_to(results, self.merchant)
        if inside is None:
            return None
        return LocatedAddress(inside.label, inside.position, inside.precision != "street", one_of_several=True)

    def in_zone(self, where: LatLon) -> bool:
        return self.merchant.delivers_to(where)

    def eta_minutes(self, where: LatLon) -> int | None:
        return quoted_minutes(self.uow, self.merchant, where, self.now, self.rides, self.eta_quote, self.order_id)

    def clock_in(self, minutes: int) -> str:
        return self.merchant.opening_hours.clock_time(self.now + timedelta(minutes=minutes))

    def closed_until(self, requested: RequestedTime | None) -> ShopOpening | None:
        hours = self.merchant.opening_hours
        wanted = resolve_requested_time(requested, self.now, hours.zone) or self.now
        opens = self.merchant.takes_orders_from(wanted)  # closed, paused, or deactivated
        if opens == wanted:
            return None
        if opens is None:
            return ShopOpening(None)
        local, today = opens.astimezone(hours.zone), self.now.astimezone(hours.zone).date()
        return ShopOpening(hours.clock_time(opens), (local.date() - today).days, local.weekday(),
                           resumes=opens == self.merchant.paused_until)

    def closes_at(self) -> str | None:
        hours = self.merchant.opening_hours
        closes = hours.closes_at(self.now)
        return None if closes is None else hours.clock_time(closes)

    def earliest_arrival(self, requested: RequestedTime, where: LatLon) -> SoonestArrival | None:
        instead = self.instead_of(requested, where)
        if instead is None:
            return None
        return SoonestArrival(None if instead.minutes is None else self.clock_in(instead.minutes))

    def instead_of(self, requested: RequestedTime, where: LatLon) -> _Instead | None:
        """What the order can do instead of arriving at the time asked for (`when.can_keep`); None when
        it can arrive then, or nobody can tell. A shop closed now starts on it when it opens; no
        courier on duty nor booked (`quoted_minutes` is None) says something only of a time within
        the dispatcher's sight of booked shifts."""
        hours = self.merchant.opening_hours
        wanted = resolve_requested_time(requested, self.now, hours.zone)
        minutes = self.eta_minutes(where) if wanted is not None else None
        if wanted is None or minutes is None:
            return _Instead(None) if wanted is not None and wanted - self.now <= BOOKED_AHEAD else None
        soonest = self.merchant.kitchen_start(self.now) + timedelta(minutes=minutes)
        if can_keep(requested, wanted, soonest):
            return None
        return _Instead(math.ceil((soonest - self.now).total_seconds() / 60))

    def order_status(self, order_id: str) -> OrderStatusView | None:
        try:
            o = self.uow.orders.get(order_id)
        except DomainError:
            return None
        eta = arrival_to_tell(self.uow, o, self.now, self.rides)  # the time told: a later delay is news against it
        minutes = None if eta is None else max(1, round((eta - self.now).total_seconds() / 60))
        clock = None if eta is None else self.merchant.opening_hours.clock_time(eta)
        url = self.tracking_url(o.tracking_token) if o.tracking_token else None
        return OrderStatusView(o.status.value, minutes, url, clock)


@dataclass
class ConversationService:
    """The inbox handler for customer messages (see allo.services.inbox.InboundHandler)."""

    ctx: ServiceContext
    geocoder: Geocoder | None
    base_url: str
    default_merchant_id: Any = None  # callable returning a merchant id, for single-shop set-ups
    #: When an order should arrive given the couriers and the queue (the dispatcher's estimate, see
    #: `EtaQuote`); the ETA told to the customer is never earlier than the shop's own estimate.
    eta_quote: EtaQuote | None = None
    #: Shops and catalogs are read again after this long (a changed catalog applies within it).
    shop_cache_ttl: timedelta = timedelta(seconds=30)
    _dialogues: dict[str, tuple[Catalog, Dialogue]] = field(default_factory=dict)
    _shops: dict[str, tuple[datetime, Merchant, Dialogue]] = field(default_factory=dict)

    def tracking_url(self, token: str) -> str:
        return f"{self.base_url.rstrip('/')}/track/{token}"

    def shop(self, uow: SqlUnitOfWork, merchant_id: str, now: datetime) -> tuple[Merchant, Dialogue]:
        """The shop and its dialogue, read from the database at most every `shop_cache_ttl`."""
        cached = self._shops.get(merchant_id)
        if cached is not None and now - cached[0] < self.shop_cache_ttl:
            return cached[1], cached[2]
        merchant = uow.merchants.get(merchant_id)
        dialogue = self.dialogue_for(uow, merchant)
        self._shops[merchant_id] = (now, merchant, dialogue)
        return merchant, dialogue

    def dialogue_for(self, uow: SqlUnitOfWork, merchant: Merchant) -> Dialogue:
        """Parsers are built once per catalog and kept until the catalog changes."""
        catalog = uow.merchants.get_catalog(merchant.id)
        cached = self._dialogues.get(merchant.id)
        if cached is None or cached[0] != catalog:
            cached = (catalog, Dialogue(catalog, shop_name=merchant.name, currency=catalog.currency))
            self._dialogues[merchant.id] = cached
        return cached[1]

    def __call__(self, uow: SqlUnitOfWork, message: StoredInbound, now: datetime) -> None:
        merchant_id = message.merchant_id or (self.default_merchant_id() if self.default_merchant_id else None)
        if merchant_id is None:
            raise ValidationFailed("no shop to route this message to", code="no_merchant")
        merchant, dialogue = self.shop(uow, merchant_id, now)
        conv = uow.messaging.conversation(channel=message.channel, address=message.sender, merchant_id=merchant_id,
                                          new_id=self.ctx.new_id(), now=now)
        conv.last_inbound_at = now
        self._link_customer(uow, conv, message)
        state = ConversationState.from_dict(conv.state) if conv.state else ConversationState()
        if self._relayed(uow, conv, state, dialogue, message, now):
            uow.messaging.save_conversation(conv, now)
            return
        ports = _Ports(uow, merchant, self.geocoder, self.tracking_url, now, self.ctx.rides, self.eta_quote)
        result = dialogue.handle(state, message.text, ports, now)
        replies = list(result.replies)
        result = self._execute(uow, conv, merchant, dialogue, result, ports, replies, now)
        was_opted_out = conv.opted_out
        self._apply_consent(uow, conv, result, now)
        if not (was_opted_out and conv.opted_out):
            for i, text in enumerate(replies):
                uow.messaging.enqueue(dedupe_key=f"in:{message.id}:{i}", channel=message.channel,
                                      recipient=message.sender, text=text, now=now,
                                      order_id=result.state.pending_order_id)
        conv.state = result.state.to_dict()
        uow.messaging.save_conversation(conv, now)

    def _relayed(self, uow: SqlUnitOfWork, conv: ConversationRecord, state: ConversationState, dialogue: Dialogue,
                 message: StoredInbound, now: datetime) -> bool:
        """While a courier is on the way, a message that is not an ordering command goes to them
        (see allo.services.relay)."""
        from allo.services import relay

        if relay.is_for_dialogue(state, message.text, dialogue.parser):
            return False
        return relay.route_inbound(self.ctx, uow, conv, message.id, message.text, now)

    def _link_customer(self, uow: SqlUnitOfWork, conv: ConversationRecord, message: StoredInbound) -> None:
        if conv.customer_id or message.channel not in PHONE_CHANNELS:
            return
        from allo.services.customers import find_or_create_customer

        try:
            phone = normalize_phone(message.sender, self.ctx.default_country_code)
        except ValidationFailed:
            return
        conv.customer_id = find_or_create_customer(self.ctx, uow, phone=phone).id

    def _execute(self, uow: SqlUnitOfWork, conv: ConversationRecord, merchant: Merchant, dialogue: Dialogue,
                 result: DialogueResult, ports: _Ports, replies: list[str], now: datetime) -> DialogueResult:
        for command in result.commands:
            follow: DialogueResult | None = None
            if isinstance(command, PlaceOrder):
                follow = self._place(uow, conv, merchant, dialogue, result, command, now)
            elif isinstance(command, CancelOrder):
                follow = self._cancel(uow, dialogue, result, command, now)
            elif isinstance(command, RateOrder):
                uow.journal.rate_order(command.order_id, command.stars, command.comment, now)
            if follow is not None:
                replies.extend(follow.replies)
                result = DialogueResult(follow.state, result.replies, result.commands)
        return result

    def _place(self, uow: SqlUnitOfWork, conv: ConversationRecord, merchant: Merchant, dialogue: Dialogue,
               result: DialogueResult, cmd: PlaceOrder, now: datetime) -> DialogueResult:
        lines = [LineRequest(sku, qty, dict(options), list(without)) for sku, qty, options, without in cmd.lines]
        dropoff = DropOff(cmd.address, cmd.location, cmd.door_code, cmd.floor, cmd.instructions)
        requested_for = resolve_requested_time(cmd.requested_time, now, merchant.opening_hours.zone)
        notes = cmd.notes
        if requested_for is None and cmd.requested_time is not None and not cmd.requested_time.asap:
            notes = "; ".join(filter(None, [notes, f"livraison demandée : {cmd.requested_for_text}"]))  # "ce soir"
        ports = _Ports(uow, merchant, None, None, now, self.ctx.rides, self.eta_quote)
        closed = ports.closed_until(cmd.requested_time)
        if closed is not None:  # closed since the summary was given: nothing is placed
            return dialogue.on_order_event(result.state, "shop_closed", "", {
                **asdict(closed), "asked_for_a_time": requested_for is not None})
        try:
            order = place_order_in(self.ctx, uow, merchant_id=merchant.id, lines=lines, dropoff=dropoff,
                                   customer_id=conv.customer_id, notes=notes, requested_for=requested_for,
                                   confirm=True, conversation_id=conv.id)
        except DomainError as exc:
            if exc.code == "item_unavailable":  # sold out since this shop's catalog was read: read it afresh,
                self._shops.pop(merchant.id, None)  # so the customer's next YES meets it (drafting.drop_sold_out)
            return dialogue.on_order_event(result.state, "place_failed", "", {"reason": exc.code})
        if conv.customer_id:
            c = uow.customers.get(conv.customer_id)
            if c.language.value != cmd.language and cmd.language in ("fr", "en"):
                c.language = Language(cmd.language)
                uow.customers.save(c)
        ports.now, ports.order_id = order.created_at, order.id
        if order.requested_for is not None:  # the time asked for; or, if it cannot be kept, the soonest
            instead = ports.instead_of(cmd.requested_time, cmd.location) if cmd.requested_time else None
            no_courier, eta = instead is not None and instead.minutes is None, instead.minutes if instead else None
        else:
            eta = ports.eta_minutes(cmd.location)
            no_courier = eta is None
        told = order.requested_for if eta is None else order.created_at + timedelta(minutes=eta)
        if told is not None:
            uow.promises.tell(order.id, told, at=now)
        return dialogue.on_order_event(result.state, "placed", order.id, {
            "tracking_url": self.tracking_url(order.tracking_token or ""), "total_cents": order.total.cents,
            "number": order_number(order.id), "eta_minutes": eta, "no_courier": no_courier,
            "clock": None if eta is None else ports.clock_in(eta)})

    def _cancel(self, uow: SqlUnitOfWork, dialogue: Dialogue, result: DialogueResult, cmd: CancelOrder,
                now: datetime) -> DialogueResult:
        from allo.services.orders import CANCELLED_BY_CUSTOMER, cancel_in

        try:
            cancel_in(uow, cmd.order_id, now, CANCELLED_BY_CUSTOMER)
        except DomainError as exc:
            return dialogue.on_order_event(result.state, "cancel_refused", cmd.order_id, {"reason": exc.code})
        return dialogue.on_order_event(result.state, "cancelled", cmd.order_id, {})

    def _apply_consent(self, uow: SqlUnitOfWork, conv: ConversationRecord, result: DialogueResult,
                       now: datetime) -> None:
        for command in result.commands:
            if isinstance(command, OptOut):
                conv.opted_out = True
                if conv.customer_id:
                    c = uow.customers.get(conv.customer_id)
                    c.opt_out(now)
                    uow.customers.save(c)
            elif isinstance(command, OptIn):
                conv.opted_out = False
                if conv.customer_id:
                    c = uow.customers.get(conv.customer_id)
                    c.opted_out = False
                    uow.customers.save(c)
            elif isinstance(command, EraseData):
                if conv.customer_id:
                    c = uow.customers.get(conv.customer_id)
                    c.erase(now)
                    uow.customers.save(c)
                from allo.adapters.storage.repositories.journal import AuditEntry

                uow.journal.audit(AuditEntry(now, None, "erase_requested", "conversation", conv.id, None))
