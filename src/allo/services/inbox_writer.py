"""Group commit for webhooks: many webhooks share one transaction.

Webhook handlers hand their verified messages to the group committer and wait for the commit; it
stores everything that arrived meanwhile in a single transaction, then answers them all. Each
webhook still answers 200 only once its messages are durable; under load the per-message cost of a
commit is shared.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.services.group_commit import GroupCommitter
from allo.services.ports.channel import InboundMessage


class InboxWriter:
    def __init__(self, committer: GroupCommitter, on_stored: Callable[[], None] | None = None,
                 default_merchant: Callable[[SqlUnitOfWork], str | None] | None = None) -> None:
        self.committer = committer
        self.on_stored = on_stored
        #: The shop of messages whose webhook names none (looked up in the same transaction).
        self.default_merchant = default_merchant

    def submit(self, messages: list[InboundMessage], merchant_id: str | None) -> Future[int]:
        """Store these messages; the future gives how many were new, once committed."""

        def store(uow: SqlUnitOfWork) -> int:
            shop = merchant_id or (self.default_merchant(uow) if self.default_merchant else None)
            return sum(uow.messaging.store_inbound(
                channel=m.channel, provider_message_id=m.provider_message_id, sender=m.sender, text=m.text,
                received_at=m.received_at, merchant_id=shop) for m in messages)

        done = self.committer.submit(store)
        if self.on_stored is not None:
            wake = self.on_stored
            done.add_done_callback(lambda f: wake() if not f.exception() and f.result() else None)
        return done
