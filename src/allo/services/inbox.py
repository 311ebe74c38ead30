"""Inbound messages: verified, stored, then processed exactly once.

A webhook stores what it received (deduplicated on channel + provider message id) and commits
before answering 200. Processing claims a message inside the same transaction as everything the
handler does (conversation state, orders, queued replies): a crash anywhere before the commit leaves
the message pending and nothing half-done; after the commit it is never handled again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from allo.adapters.storage.repositories.messaging import StoredInbound, StoredOutbound
from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.services.context import ServiceContext
from allo.services.failpoints import Failpoints
from allo.services.ports.channel import InboundMessage

log = logging.getLogger("allo.inbox")
MAX_ATTEMPTS = 5
#: Pending messages read at a time by process_pending.
PENDING_LIMIT = 50


@dataclass
class Handover:
    """Replies go straight to the sender: the handling transaction claims what it queued (leased
    like any claim) and, once committed, passes it to `send` (the worker's outbox pump). `left`
    counts replies queued but not handed over (they wait for an earlier message to their
    recipient, or their batch failed), which the outbox's own claim will find."""

    send: Callable[[list[StoredOutbound]], None]
    lease: timedelta
    left: int = 0


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
                    limit: int = PENDING_LIMIT, batch: int = 20, handover: Handover | None = None) -> int:
    """Handle pending messages in arrival order, up to `limit`; returns how many were handled.

    Messages are claimed and handled `batch` at a time in one transaction (cheaper under load). If
    any of them fails, the batch rolls back whole and its messages are handled one by one, so that
    one bad message only costs itself an attempt; the rest waits for the next call. With a
    `handover`, the replies of each batch go to its sender as soon as the batch is committed."""
    fp = failpoints or Failpoints()
    handled = 0
    while handled < limit:
        size = min(batch, limit - handled)
        claimed: list[int] = []
        try:
            done = _handle_oldest(ctx, handler, size, fp, claimed, handover)
        except Exception:  # noqa: BLE001 - retried one by one below, where the error is recorded
            if not claimed:
                raise
            if len(claimed) == 1:
                _record_failure(ctx, claimed[0])
                return handled
            if handover is not None:
                handover.left += 1  # what the one-by-one path queues waits for the outbox's claim
            for message_id in claimed:
                try:
                    handled += _handle(ctx, handler, [message_id], fp)
                except Exception:  # noqa: BLE001 - one bad message must not block the others
                    _record_failure(ctx, message_id)
            return handled
        handled += done
        if done < size:
            break
    return handled


def _handle_oldest(ctx: ServiceContext, handler: InboundHandler, size: int, fp: Failpoints,
                   claimed: list[int], handover: Handover | None) -> int:
    """Claim and handle the oldest `size` pending messages in one transaction; their ids are
    added to `claimed` before any is handled."""
    return _handle_claimed(ctx, handler, fp, lambda uow: uow.messaging.claim_pending_inbound(size, ctx.clock.now()),
                           claimed, handover)


def _handle(ctx: ServiceContext, handler: InboundHandler, ids: list[int], fp: Failpoints) -> int:
    """Claim and handle these messages (those another worker has are left out)."""
    return _handle_claimed(ctx, handler, fp, lambda uow: uow.messaging.claim_inbound(ids, ctx.clock.now()), [], None)


def _handle_claimed(ctx: ServiceContext, handler: InboundHandler, fp: Failpoints,
                    claim: Callable[[SqlUnitOfWork], list[StoredInbound]], claimed: list[int],
                    handover: Handover | None) -> int:
    replies: list[StoredOutbound] = []
    with ctx.uow() as uow:
        messages = claim(uow)
        if not messages:
            return 0
        claimed.extend(m.id for m in messages)
        for message in messages:
            handler(uow, message, ctx.clock.now())
        if handover is not None:
            now = ctx.clock.now()
            replies = uow.messaging.claim_queued(now, now + handover.lease)
            handover.left += max(0, len(uow.messaging.queued) - len(replies))
        fp.hit("inbox.before_commit")
        uow.commit()
    fp.hit("inbox.after_commit")
    if replies and handover is not None:
        handover.send(replies)
    return len(messages)


def _record_failure(ctx: ServiceContext, message_id: int) -> None:
    import sys

    exc = sys.exc_info()[1]
    log.exception("inbound message %s failed", message_id)
    with ctx.uow() as uow:
        uow.messaging.record_inbound_failure(message_id, f"{type(exc).__name__}: {exc}", MAX_ATTEMPTS)
        uow.commit()
