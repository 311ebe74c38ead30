"""Outbound messages: queued in the same transaction as what caused them, sent by a worker with
retries and exponential backoff.

Sending is claim (commit) → provider call → mark sent (commit). A claim carries a lease: if the
process dies before marking the message sent, it becomes due again when the lease ends. The one
window where a message can go out twice is a crash after the provider accepted it and before the
mark is committed (no provider takes an idempotency key); see docs/messaging.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Mapping

from allo.services.context import ServiceContext
from allo.services.failpoints import Failpoints
from allo.services.ports.channel import Channel, ChannelSendError, OutboundMessage

log = logging.getLogger("allo.outbox")


@dataclass(frozen=True)
class RetryPolicy:
    base: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(minutes=10)
    max_attempts: int = 8
    lease: timedelta = timedelta(seconds=60)

    def delay(self, attempts: int, retry_after: float | None = None) -> timedelta:
        backoff = min(self.base * (2 ** max(attempts - 1, 0)), self.cap)
        if retry_after is not None:
            backoff = max(backoff, timedelta(seconds=retry_after))
        return backoff


def deliver_due(ctx: ServiceContext, channels: Mapping[str, Channel], *, policy: RetryPolicy | None = None,
                failpoints: Failpoints | None = None, limit: int = 50) -> int:
    """Send what is due; returns how many were sent."""
    policy = policy or RetryPolicy()
    fp = failpoints or Failpoints()
    with ctx.uow() as uow:  # claim a batch in one transaction; each send is then marked alone
        now = ctx.clock.now()
        claimed = [m for m in (uow.messaging.claim_outbound(i, now, now + policy.lease)
                               for i in uow.messaging.due_outbound_ids(now, limit)) if m is not None]
        uow.commit()
    sent = 0
    for msg in claimed:
        fp.hit("outbox.after_claim")
        channel = channels.get(msg.channel)
        if channel is None:
            _finish(ctx, msg.id, error=f"channel {msg.channel!r} is not configured", retry_in=None)
            continue
        template = msg.template or {}
        outbound = OutboundMessage(msg.channel, msg.recipient, msg.text, template.get("name"),
                                   tuple(template.get("params", ())), template.get("language"))
        try:
            result = channel.send(outbound)
        except ChannelSendError as exc:
            retry = exc.retryable and msg.attempts < policy.max_attempts
            delay = policy.delay(msg.attempts, exc.retry_after) if retry else None
            log.warning("sending outbox %s failed (%s, retry=%s)", msg.id, exc.code, retry)
            _finish(ctx, msg.id, error=f"{exc.code}: {exc.message}", retry_in=delay)
            continue
        fp.hit("outbox.after_send")
        with ctx.uow() as uow:
            uow.messaging.mark_sent(msg.id, result.provider_message_id, ctx.clock.now())
            uow.commit()
        sent += 1
        fp.hit("outbox.after_mark")
    return sent


def _finish(ctx: ServiceContext, message_id: int, *, error: str, retry_in: timedelta | None) -> None:
    with ctx.uow() as uow:
        if retry_in is None:
            uow.messaging.mark_failed(message_id, error)
        else:
            uow.messaging.mark_retry(message_id, error, ctx.clock.now() + retry_in)
        uow.commit()
