"""Web chat queries: which shops accept chats, and the replies for one browser session."""

from __future__ import annotations

from itertools import takewhile

from allo.adapters.storage.repositories.messaging import StoredOutbound
from allo.services.context import ServiceContext


def shops(ctx: ServiceContext) -> list[dict[str, str]]:
    with ctx.uow() as uow:
        return [{"id": m.id, "name": m.name, "address": m.address} for m in uow.merchants.list() if m.active]


def check_shop(ctx: ServiceContext, merchant_id: str) -> None:
    with ctx.uow() as uow:
        uow.merchants.get(merchant_id)


def replies(ctx: ServiceContext, session: str, after_id: int) -> list[StoredOutbound]:
    """The sent replies after `after_id`, stopping before the first one still on its way.

    Several senders mark replies sent in any order; a page that moved its cursor past a reply not
    yet sent would never show it, so the cursor only moves over an unbroken run of sent replies."""
    with ctx.uow() as uow:
        queued = uow.messaging.outbound_for("webchat", session, after_id=after_id,
                                            statuses=("pending", "sending", "sent"))
    return list(takewhile(lambda message: message.status == "sent", queued))


def address(merchant_id: str, session_id: str) -> str:
    """The web chat "number" of one browser talking to one shop."""
    return f"{merchant_id}_{session_id}"


class OutboxIsTheStore:
    """Web chat sink: replies already live in the outbox, where the page reads them."""

    def append(self, session_id: str, text: str, at: object) -> str:
        return "webchat"
