"""Tell customers what happens to their order: a consumer of the domain event journal.

The cursor and the queued messages are committed together, so each event is told once; a crash
before the commit replays the batch, and the outbox's dedupe keys make the replay harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allo.domain.events import Event
from allo.ordering.dialogue.state import ConversationState
from allo.services.context import ServiceContext

CONSUMER = "customer-notifications"
#: event name → what the dialogue is told. A courier counts as assigned once they accept the job.
TOLD = {"assignment.accepted": "assigned", "order.pick_up": "picked_up", "order.deliver": "delivered",
        "order.cancel": "cancelled", "order.fail": "failed"}


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
                if event.name not in TOLD:
                    continue
                order_ids = event.data.get("order_ids") or [event.aggregate_id]
                for n, order_id in enumerate(order_ids):
                    self._tell(uow, f"{event_id}.{n}", order_id, event)
            if batch:
                if not uow.journal.advance_cursor(CONSUMER, start, batch[-1][0]):
                    return 0  # another worker took this batch; ours rolls back
            uow.commit()
        return len(batch)

    def _tell(self, uow: Any, key: str, order_id: str, event: Event) -> None:
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
                "reason": event.data.get("reason")}
        told = TOLD[event.name]
        if told == "picked_up" and order.pin:
            data["pin"] = order.pin  # the handover PIN the courier will ask for at the door
        result = dialogue.on_order_event(state, told, order.id, data)
        now = self.ctx.clock.now()
        replies = list(result.replies) + _relay_notes(told, data, result.replies, result.state.language, order.id)
        for i, text in enumerate(replies):
            uow.messaging.enqueue(dedupe_key=f"ev:{key}:{i}", channel=conv.channel, recipient=conv.address,
                                  text=text, now=now, order_id=order.id)
        conv.state = result.state.to_dict()
        uow.messaging.save_conversation(conv, now)


def _relay_notes(told: str, data: dict[str, Any], replies: list[str], language: str | None,
                 order_id: str) -> list[str]:
    """What the relay adds to an order event: that the customer may write to the courier once a
    courier accepts, and the handover PIN at pickup (unless the dialogue's reply already holds it)."""
    from allo.relay.texts import say
    from allo.domain.order import order_number

    if told == "assigned":
        return [say(language, "relay_open")]
    pin = data.get("pin")
    url = str(data.get("tracking_url") or "")
    if told == "picked_up" and pin and not any(pin in text.replace(url, "") for text in replies):
        return [say(language, "pin", number=order_number(order_id), pin=pin)]
    return []
