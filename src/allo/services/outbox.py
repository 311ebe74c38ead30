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
from datetime import datetime, timedelta
from typing import Mapping

from allo.adapters.storage.repositories.messaging import StoredOutbound
from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.services.context import ServiceContext
from allo.services.failpoints import Failpoints
from allo.services.group_commit import GroupCommitter, run_in_transaction
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
                failpoints: Failpoints | None = None, limit: int = 50,
                committer: GroupCommitter | None = None) -> int:
    """Send what is due, one message after the other, and return how many were sent (tests, the
    simulator and `Worker.run_once`; the running worker sends in parallel, see outbox_pump).

    Messages to one recipient go out in the order they were queued; if one fails, the recipient's
    later ones wait for its retry. With a group committer, claims and marks share its transactions."""
    policy = policy or RetryPolicy()
    fp = failpoints or Failpoints()
    claimed = claim_due(ctx, policy, limit, committer)
    groups: dict[tuple[str, str], list[StoredOutbound]] = {}
    for msg in claimed:
        groups.setdefault((msg.channel, msg.recipient), []).append(msg)

    def send_group(messages: list[StoredOutbound]) -> int:
        for n, msg in enumerate(messages):
            retry_at = send_one(ctx, channels, msg, policy, fp, committer)
            if retry_at is not False:
                hold_back(ctx, messages[n + 1:], retry_at)
                return n
        return len(messages)

    return sum(send_group(g) for g in groups.values())


def claim_due(ctx: ServiceContext, policy: RetryPolicy, limit: int,
              committer: GroupCommitter | None = None) -> list[StoredOutbound]:
    """Claim up to `limit` due messages in one transaction (shared with other small writes when a
    group committer is given), oldest first; each send is then marked on its own. A message whose
    recipient has an earlier one still on its way or waiting for a retry is left for later, so
    that each recipient gets their messages in order."""
    def claim(uow: SqlUnitOfWork) -> list[StoredOutbound]:
        now = ctx.clock.now()
        return uow.messaging.claim_due_outbound(now, now + policy.lease, limit)

    return run_in_transaction(ctx, claim, committer)


def send_one(ctx: ServiceContext, channels: Mapping[str, Channel], msg: StoredOutbound, policy: RetryPolicy,
              fp: Failpoints, committer: GroupCommitter | None = None) -> "bool | datetime | None":
    """False when sent; otherwise when the recipient's next messages may go (None: not before a
    later claim, the message having failed for good)."""
    fp.hit("outbox.after_claim")
    channel = channels.get(msg.channel)
    if channel is None:
        _finish(ctx, msg.id, error=f"channel {msg.channel!r} is not configured", retry_in=None)
        return None
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
        return ctx.clock.now() + delay if delay is not None else None
    fp.hit("outbox.after_send")

    def mark(uow: SqlUnitOfWork) -> None:
        uow.messaging.mark_sent(msg.id, result.provider_message_id, ctx.clock.now())

    run_in_transaction(ctx, mark, committer)
    fp.hit("outbox.after_mark")
    return False


def hold_back(ctx: ServiceContext, messages: list[StoredOutbound], until: "datetime | None") -> None:
    """Later messages to a recipient whose earlier message did not go wait for it (order kept)."""
    if not messages:
        return
    when = until or ctx.clock.now()
    with ctx.uow() as uow:
        for msg in messages:
            uow.messaging.mark_retry(msg.id, "waiting for an earlier message to this recipient", when)
        uow.commit()


def _finish(ctx: ServiceContext, message_id: int, *, error: str, retry_in: timedelta | None) -> None:
    with ctx.uow() as uow:
        if retry_in is None:
            uow.messaging.mark_failed(message_id, error)
        else:
            uow.messaging.mark_retry(message_id, error, ctx.clock.now() + retry_in)
        uow.commit()
