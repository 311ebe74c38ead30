"""Tell customers what happens to their order: a consumer of the domain event journal.

The cursor and the queued messages are committed together, so each event is told once; a crash
before the commit replays the batch, and the outbox's dedupe keys make the replay harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from allo.domain.events import Event
from allo.domain.order import order_number
from allo.ordering.dialogue.state import ConversationState
from allo.services.context import ServiceContext
from allo.services.lateness import RUNNING_LATE, arrival_to_tell
from allo.services.orders import CANCELLED_BY_CUSTOMER

CONSUMER = "customer-notifications"
#: A kitchen's new estimate is told to the customer when it moves the arrival this much past the
#: promise (and past the kitchen's previous estimate).
DELAY_WORTH_TELLING = timedelta(minutes=5)
#: event name → what the dialogue is told. A courier counts as assigned once they accept the job.
TOLD = {"assignment.accepted": "assigned", "order.pick_up": "picked_up", "order.deliver": "delivered",
        "order.cancel": "cancelled", "order.fail": "failed"}
#: Order events told with the arrival time (which becomes the time told).
TOLD_WITH_ARRIVAL = frozenset({"assigned", "picked_up"})
#: A job ending without its delivery: its waiting orders' customers hear that the courier changed.
COURIER_GONE = frozenset({"assignment.withdrawn", "assignment.declined"})


@dataclass
class CustomerNotifier:
    ctx: ServiceContext
    conversations: Any  # ConversationService (dialogues per shop, tracking links)

    def __call__(self) -> int:
        """Handle one batch of new events; returns how many were read."""
        with self.ctx.uow() as uow:
            start = uow.journal.cursor(CONSUMER)
            batch = uow.journal.events_after(start)
            for event_id, event in batch:
                if event.name == "order.ready_expected":
                    delay = self._delay(uow, event)
                    if delay is not None:
                        self._tell(uow, f"{event_id}.0", event.aggregate_id, event, "delayed", delay)
                    continue
                if event.name == RUNNING_LATE:
                    arrival = self._running_late(uow, event)
                    if arrival is not None:
                        self._tell(uow, f"{event_id}.0", event.aggregate_id, event, "running_late", arrival)
                    continue
                if event.name in COURIER_GONE:
                    for n, order_id in enumerate(self._courier_changed(uow, event)):
                        self._tell(uow, f"{event_id}.{n}", order_id, event, "courier_changed")
                    continue
                if event.name not in TOLD or _told_already(event):
                    continue
                order_ids = event.data.get("order_ids") or [event.aggregate_id]
                for n, order_id in enumerate(order_ids):
                    self._tell(uow, f"{event_id}.{n}", order_id, event)
            if batch:
                if not uow.journal.advance_cursor(CONSUMER, start, batch[-1][0]):
                    return 0  # another worker took this batch; ours rolls back
            uow.commit()
        return len(batch)

    def _delay(self, uow: Any, event: Event) -> dict[str, Any] | None:
        """A kitchen's new estimate worth telling the customer about: later than its previous one by
        `DELAY_WORTH_TELLING` or more (or the first one), and putting the arrival past the promise by
        as much. Then the new arrival time, on the shop's clock; else None (no news)."""
        from allo.services.console import promised_at

        order = uow.orders.get(event.aggregate_id)
        ready = datetime.fromisoformat(event.data["expected_ready_at"])
        before = event.data.get("before")
        if order.conversation_id is None or not order.preparing:
            return None
        if before is not None and ready - datetime.fromisoformat(before) < DELAY_WORTH_TELLING:
            return None
        merchant = uow.merchants.get(order.merchant_id)
        arrival = ready + timedelta(minutes=self.ctx.rides.shop_ride_minutes(merchant, order.dropoff.location))
        if arrival - promised_at(order, merchant) < DELAY_WORTH_TELLING:
            return None
        told = uow.promises.told(order.id)
        if told is not None and arrival - told < DELAY_WORTH_TELLING:
            return None  # told as late already (a running-late notice, an answer to "where is it?")
        uow.promises.tell(order.id, arrival, at=self.ctx.clock.now())
        return {"clock": merchant.opening_hours.clock_time(arrival)}

    @staticmethod
    def _running_late(uow: Any, event: Event) -> dict[str, Any] | None:
        """The new arrival time of an order found running late, on the shop's clock (None when there is
        no time to give); None if the order is finished meanwhile."""
        order = uow.orders.get(event.aggregate_id)
        if order.is_terminal:
            return None
        clock = uow.merchants.get(order.merchant_id).opening_hours.clock_time
        arrival = event.data.get("arrival")
        return {"clock": clock(datetime.fromisoformat(arrival)) if arrival else None}

    def _arrival(self, uow: Any, order: Any, merchant: Any, now: datetime) -> dict[str, Any]:
        """When a courier accepts or picks up: the arrival time the tracking page shows, as a clock time
        and in minutes, kept as the time told (a later delay is news against it); nothing if unknown."""
        eta = arrival_to_tell(uow, order, now, self.ctx.rides)
        if eta is None:
            return {}
        return {"clock": merchant.opening_hours.clock_time(eta),
                "eta_minutes": max(1, round((eta - now).total_seconds() / 60))}

    @staticmethod
    def _courier_changed(uow: Any, event: Event) -> list[str]:
        """The orders of a job given up after its courier accepted it (withdrawn, taken back from a silent
        courier, given back) and still to be delivered (perhaps by a new courier already): their customers
        were told a courier was coming. None for an offer never accepted (nobody was told), nor for
        orders finished meanwhile (a cancellation withdraws its job too)."""
        if uow.journal.last_event(event.aggregate_id, "assignment.accepted") is None:
            return []
        ids = event.data.get("order_ids") or []
        return [oid for oid in ids if not uow.orders.get(oid).is_terminal]

    def _tell(self, uow: Any, key: str, order_id: str, event: Event, told: str | None = None,
              extra: dict[str, Any] | None = None) -> None:
        order = uow.orders.get(order_id)
        if order.conversation_id is None:
            return
        conv = uow.messaging.get_conversation(order.conversation_id)
        if conv is None or conv.opted_out:
            return
        merchant = uow.merchants.get(order.merchant_id)
        dialogue = self.conversations.dialogue_for(uow, merchant)
        state = ConversationState.from_dict(conv.state) if conv.state else ConversationState()
        data = {"tracking_url": self.conversations.tracking_url(order.tracking_token or ""),
                "number": order_number(order.id), "reason": event.data.get("reason"), **(extra or {})}
        told = told or TOLD[event.name]
        if told == "picked_up" and order.pin:
            data["pin"] = order.pin  # the handover PIN the courier will ask for at the door
        now = self.ctx.clock.now()
        if told in TOLD_WITH_ARRIVAL:
            data.update(self._arrival(uow, order, merchant, now))
        result = dialogue.on_order_event(state, told, order.id, data)
        replies = list(result.replies) + _relay_notes(told, data, result.replies, result.state.language, order.id)
        for i, text in enumerate(replies):
            uow.messaging.enqueue(dedupe_key=f"ev:{key}:{i}", channel=conv.channel, recipient=conv.address,
                                  text=text, now=now, order_id=order.id)
        conv.state = result.state.to_dict()
        uow.messaging.save_conversation(conv, now)


def _told_already(event: Event) -> bool:
    """A cancellation the customer asked for in the chat: the chat said so as it cancelled."""
    return event.name == "order.cancel" and event.data.get("reason") == CANCELLED_BY_CUSTOMER


def _relay_notes(told: str, data: dict[str, Any], replies: list[str], language: str | None,
                 order_id: str) -> list[str]:
    """What the relay adds to an order event: that the customer may write to the courier once a
    courier accepts, and the handover PIN at pickup (unless the dialogue's reply already holds it)."""
    from allo.relay.texts import say

    if told == "assigned":
        return [say(language, "relay_open")]
    pin = data.get("pin")
    url = str(data.get("tracking_url") or "")
    if told == "picked_up" and pin and not any(pin in text.replace(url, "") for text in replies):
        return [say(language, "pin", number=order_number(order_id), pin=pin)]
    return []
