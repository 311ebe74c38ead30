"""Inbox and outbox: stored once, handled once, sent with retries, nothing lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from allo.adapters.storage.repositories.messaging import StoredInbound
from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.bootstrap import Application
from allo.domain.clock import FixedClock
from allo.services import inbox, outbox
from allo.services.ports.channel import ChannelSendError, InboundMessage, OutboundMessage, SendResult


def echo(uow: SqlUnitOfWork, message: StoredInbound, now: datetime) -> None:
    uow.messaging.enqueue(dedupe_key=f"echo:{message.id}", channel=message.channel, recipient=message.sender,
                          text=f"you said: {message.text}", now=now)


@dataclass
class RecordingChannel:
    name: str = "telegram"
    sent: list[OutboundMessage] = field(default_factory=list)
    failures: list[ChannelSendError] = field(default_factory=list)

    def send(self, message: OutboundMessage) -> SendResult:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)
        return SendResult(provider_message_id=f"p{len(self.sent)}")

    def close(self) -> None:
        pass


def inbound(clock: FixedClock, pid: str, text: str = "hello", sender: str = "4242") -> InboundMessage:
    return InboundMessage("telegram", pid, sender, text, clock.now())


def test_redelivered_message_is_stored_once(application: Application, clock: FixedClock) -> None:
    ctx = application.ctx
    assert inbox.store_inbound(ctx, [inbound(clock, "u1")], None) == 1
    assert inbox.store_inbound(ctx, [inbound(clock, "u1"), inbound(clock, "u2")], None) == 1
    assert inbox.process_pending(ctx, echo) == 2
    assert inbox.process_pending(ctx, echo) == 0
    assert inbox.store_inbound(ctx, [inbound(clock, "u1")], None) == 0  # after processing too
    assert inbox.process_pending(ctx, echo) == 0
    with ctx.uow() as uow:
        assert len(uow.messaging.outbound_for("telegram", "4242", statuses=("pending",))) == 2


def test_a_failing_handler_keeps_the_message_and_does_not_block_others(application: Application,
                                                                       clock: FixedClock) -> None:
    ctx = application.ctx
    inbox.store_inbound(ctx, [inbound(clock, "bad", "explode"), inbound(clock, "good")], None)

    def picky(uow: SqlUnitOfWork, message: StoredInbound, now: datetime) -> None:
        echo(uow, message, now)  # queued, then rolled back with the failure
        if message.text == "explode":
            raise RuntimeError("handler bug")

    assert inbox.process_pending(ctx, picky) == 1
    with ctx.uow() as uow:
        assert uow.messaging.inbound_status("telegram", "bad") == "pending"
        assert [m.text for m in uow.messaging.outbound_for("telegram", "4242", statuses=("pending",))] == [
            "you said: hello"]
    for _ in range(inbox.MAX_ATTEMPTS):
        inbox.process_pending(ctx, picky)
    with ctx.uow() as uow:
        assert uow.messaging.inbound_status("telegram", "bad") == "failed"


def test_outbox_sends_once_and_retries_with_backoff(application: Application, clock: FixedClock) -> None:
    ctx = application.ctx
    inbox.store_inbound(ctx, [inbound(clock, "u1")], None)
    inbox.process_pending(ctx, echo)
    channel = RecordingChannel(failures=[ChannelSendError("busy", retryable=True, code="rate_limited",
                                                          retry_after=30)])
    policy = outbox.RetryPolicy(base=timedelta(seconds=5))
    assert outbox.deliver_due(ctx, {"telegram": channel}, policy=policy) == 0
    assert outbox.deliver_due(ctx, {"telegram": channel}, policy=policy) == 0  # not due yet
    clock.advance(seconds=29)
    assert outbox.deliver_due(ctx, {"telegram": channel}, policy=policy) == 0  # retry-after honoured
    clock.advance(seconds=2)
    assert outbox.deliver_due(ctx, {"telegram": channel}, policy=policy) == 1
    assert outbox.deliver_due(ctx, {"telegram": channel}, policy=policy) == 0
    assert [m.text for m in channel.sent] == ["you said: hello"]


def test_final_error_parks_the_message_as_failed(application: Application, clock: FixedClock) -> None:
    ctx = application.ctx
    inbox.store_inbound(ctx, [inbound(clock, "u1")], None)
    inbox.process_pending(ctx, echo)
    channel = RecordingChannel(failures=[ChannelSendError("bad number", retryable=False, code="rejected")])
    assert outbox.deliver_due(ctx, {"telegram": channel}) == 0
    clock.advance(hours=1)
    assert outbox.deliver_due(ctx, {"telegram": channel}) == 0
    with ctx.uow() as uow:
        assert uow.messaging.outbound_for("telegram", "4242", statuses=("failed",))[0].attempts == 1


def test_a_claim_whose_process_died_is_sent_after_the_lease(application: Application, clock: FixedClock) -> None:
    ctx = application.ctx
    inbox.store_inbound(ctx, [inbound(clock, "u1")], None)
    inbox.process_pending(ctx, echo)
    with ctx.uow() as uow:  # a worker claims, then dies before sending
        claimed = uow.messaging.claim_due_outbound(clock.now(), clock.now() + timedelta(seconds=60))
        assert [m.text for m in claimed] == ["you said: hello"]
        assert uow.messaging.claim_due_outbound(clock.now(), clock.now() + timedelta(seconds=60)) == []
        uow.commit()
    channel = RecordingChannel()
    assert outbox.deliver_due(ctx, {"telegram": channel}) == 0
    clock.advance(seconds=61)
    assert outbox.deliver_due(ctx, {"telegram": channel}) == 1
    assert len(channel.sent) == 1


@pytest.mark.parametrize("attempt", [1, 3])
def test_backoff_grows_and_is_capped(attempt: int) -> None:
    policy = outbox.RetryPolicy(base=timedelta(seconds=5), cap=timedelta(seconds=12))
    assert policy.delay(attempt) == min(timedelta(seconds=5 * 2 ** (attempt - 1)), timedelta(seconds=12))


def test_texts_and_senders_are_encrypted_at_rest(application: Application, clock: FixedClock) -> None:
    from sqlalchemy import text

    inbox.store_inbound(application.ctx, [inbound(clock, "u1", "14 boulevard des Moulins", "+33612345642")], None)
    inbox.process_pending(application.ctx, echo)
    with application.engine.connect() as conn:
        rows = [str(r) for t in ("inbox_messages", "outbox_messages")
                for r in conn.execute(text(f"SELECT * FROM {t}"))]
    blob = "\n".join(rows)
    assert "Moulins" not in blob and "612345642" not in blob and len(rows) == 2


def test_messages_to_one_recipient_keep_their_order_across_a_failure(application: Application,
                                                                     clock: FixedClock) -> None:
    ctx = application.ctx
    with ctx.uow() as uow:
        for n, who in enumerate(["ana", "ana", "bob", "ana"]):
            uow.messaging.enqueue(dedupe_key=f"k{n}", channel="telegram", recipient=who, text=f"{who} {n}",
                                  now=clock.now())
        uow.commit()
    @dataclass
    class AnaFailsOnce(RecordingChannel):
        ana_failed: bool = False

        def send(self, message: OutboundMessage) -> SendResult:
            if message.recipient == "ana" and not self.ana_failed:
                self.ana_failed = True
                raise ChannelSendError("busy", retryable=True, code="timeout")
            return super().send(message)

    channel = AnaFailsOnce()
    policy = outbox.RetryPolicy(base=timedelta(seconds=5))
    first = outbox.deliver_due(ctx, {"telegram": channel}, policy=policy)
    # the first message to one recipient failed: their later ones wait; the other recipient's went
    assert first == 1 and [m.text for m in channel.sent] == ["bob 2"]
    clock.advance(seconds=6)
    assert outbox.deliver_due(ctx, {"telegram": channel}, policy=policy) == 3
    assert [m.text for m in channel.sent if m.recipient == "ana"] == ["ana 0", "ana 1", "ana 3"]


def test_replies_are_handed_to_the_sender_claimed_with_their_batch(application: Application,
                                                                   clock: FixedClock) -> None:
    """The running worker's path: the handling transaction claims its replies, which go to the
    sender once committed; nothing is left for the outbox's own claim."""
    ctx = application.ctx
    handed: list[list[str]] = []
    handover = inbox.Handover(lambda claimed: handed.append([m.text for m in claimed]), timedelta(seconds=30))
    inbox.store_inbound(ctx, [inbound(clock, "u1", "one", "ana"), inbound(clock, "u2", "two", "bob")], None)
    assert inbox.process_pending(ctx, echo, handover=handover) == 2
    assert handed == [["you said: one", "you said: two"]] and handover.left == 0
    assert outbox.claim_due(ctx, outbox.RetryPolicy(), limit=10) == []  # already claimed (leased)
    clock.advance(seconds=31)  # had the process died before sending, the lease runs out: sent then
    assert sorted(m.text for m in outbox.claim_due(ctx, outbox.RetryPolicy(), limit=10)) == [
        "you said: one", "you said: two"]


def test_a_reply_is_not_handed_over_before_an_earlier_message_waiting_for_its_retry(
        application: Application, clock: FixedClock) -> None:
    ctx = application.ctx
    channel = RecordingChannel(failures=[ChannelSendError("provider down", retryable=True, code="network_error")])
    with ctx.uow() as uow:
        uow.messaging.enqueue(dedupe_key="earlier", channel="telegram", recipient="ana", text="your order is on its way",
                              now=clock.now())
        uow.commit()
    assert outbox.deliver_due(ctx, {"telegram": channel}) == 0  # failed: waits for its retry
    handed: list[str] = []
    handover = inbox.Handover(lambda claimed: handed.extend(m.text for m in claimed), timedelta(seconds=30))
    inbox.store_inbound(ctx, [inbound(clock, "u1", "merci", "ana"), inbound(clock, "u2", "hi", "bob")], None)
    assert inbox.process_pending(ctx, echo, handover=handover) == 2
    assert handed == ["you said: hi"] and handover.left == 1  # ana's reply keeps its place behind the retry
    clock.advance(seconds=60)  # the retry is due (and bob's lease is over: his reply was not sent here)
    outbox.deliver_due(ctx, {"telegram": channel})
    assert [m.text for m in channel.sent if m.recipient == "ana"] == ["your order is on its way", "you said: merci"]
