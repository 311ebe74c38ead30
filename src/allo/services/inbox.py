"""Inbound messages: verified, stored, then processed exactly once.

A webhook stores what it received (deduplicated on channel + provider message id) and commits
before answering 200. Processing claims a message inside the same transaction as everything the
handler does (conversation state, orders, queued replies): a crash anywhere before the commit leaves
the message pending and nothing half-done; after the commit it is never handled again.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from allo.adapters.storage.repositories.messaging import StoredInbound
from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.services.context import ServiceContext
from allo.services.failpoints import Failpoints
from allo.services.ports.channel import InboundMessage

log = logging.getLogger("allo.inbox")
MAX_ATTEMPTS = 5
#: Pending messages read at a time by process_pending.
PENDING_LIMIT = 50


class InboundHandler(Protocol):
    def __call__(self, uow: SqlUnitOfWork, message: StoredInbound, now: datetime) -> None:
        """Act on one message inside the caller's unit of work (queue replies with uow.messaging)."""


def store_inbound(ctx: ServiceContext, messages: list[InboundMessage], merchant_id: str | None) -> int:
    """Persist inbound messages; returns how many were new (redeliveries are ignored)."""
    new = 0
    with ctx.uow() as uow:
        for m in messages:
            new += uow.messaging.store_inbound(channel=m.channel, provider_message_id=m.provider_message_id,
                                               sender=m.sender, text=m.text, received_at=m.received_at,
                                               merchant_id=merchant_id)
        uow.commit()
    return new


def process_pending(ctx: ServiceContext, handler: InboundHandler, *, failpoints: Failpoints | None = None,
                    limit: int = PENDING_LIMIT, batch: int = 20) -> int:
    """Handle pending messages in arrival order; returns how many were handled.

    Messages are handled `batch` at a time in one transaction (cheaper under load). If any of them
    fails, the batch rolls back whole and its messages are handled one by one, so that one bad
    message only costs itself an attempt."""
    fp = failpoints or Failpoints()
    with ctx.uow() as uow:
        ids = uow.messaging.pending_inbound_ids(limit)
    handled = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        try:
            handled += _handle(ctx, handler, chunk, fp)
        except Exception:  # noqa: BLE001 - retried one by one below, where the error is recorded
            if len(chunk) == 1:
                _record_failure(ctx, chunk[0])
                continue
            for message_id in chunk:
                try:
                    handled += _handle(ctx, handler, [message_id], fp)
                except Exception:  # noqa: BLE001 - one bad message must not block the others
                    _record_failure(ctx, message_id)
    return handled


def _handle(ctx: ServiceContext, handler: InboundHandler, ids: list[int], fp: Failpoints) -> int:
    done = 0
    with ctx.uow() as uow:
        for message in uow.messaging.claim_inbound(ids, ctx.clock.now()):  # those another worker has are left out
            handler(uow, message, ctx.clock.now())
            done += 1
        fp.hit("inbox.before_commit")
        uow.commit()
    fp.hit("inbox.after_commit")
    return done


def _record_failure(ctx: ServiceContext, message_id: int) -> None:
    import sys

    exc = sys.exc_info()[1]
    log.exception("inbound message %s failed", message_id)
    with ctx.uow() as uow:
        uow.messaging.record_inbound_failure(message_id, f"{type(exc).__name__}: {exc}", MAX_ATTEMPTS)
        uow.commit()
