"""The continuous sender: a slow provider call never holds back other recipients, each recipient
gets their messages in order and once, a failed send holds back only its recipient's later ones."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from allo.bootstrap import Application
from allo.domain.clock import FixedClock
from allo.services import outbox
from allo.services.outbox_pump import OutboxPump
from allo.services.ports.channel import ChannelSendError, OutboundMessage, SendResult


class ScriptedChannel:
    """Records what it sends; `behaviour(message)` may wait or raise first."""

    name = "telegram"

    def __init__(self, behaviour: Callable[[OutboundMessage], None] = lambda m: None) -> None:
        self.behaviour = behaviour
        self.sent: list[OutboundMessage] = []
        self._lock = threading.Lock()

    def send(self, message: OutboundMessage) -> SendResult:
        self.behaviour(message)
        with self._lock:
            self.sent.append(message)
            return SendResult(provider_message_id=f"p{len(self.sent)}")

    def texts(self, recipient: str | None = None) -> list[str]:
        with self._lock:
            return [m.text for m in self.sent if recipient is None or m.recipient == recipient]

    def close(self) -> None:
        pass


def queue(app: Application, clock: FixedClock, messages: list[tuple[str, str]]) -> None:
    with app.ctx.uow() as uow:
        for n, (who, text) in enumerate(messages):
            uow.messaging.enqueue(dedupe_key=f"{who}:{text}:{n}", channel="telegram", recipient=who, text=text,
                                  now=clock.now())
        uow.commit()


def pump_until(pump: OutboxPump, done: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the pump did not get there in time"
        pump.step()
        time.sleep(0.005)


def test_a_slow_send_does_not_hold_back_other_recipients(application: Application, clock: FixedClock) -> None:
    release = threading.Event()

    def slow_for_zoe(message: OutboundMessage) -> None:
        if message.recipient == "zoe":
            release.wait(10)

    channel = ScriptedChannel(slow_for_zoe)
    queue(application, clock, [("zoe", "zoe 1"), ("ana", "ana 1"), ("bob", "bob 1"), ("ana", "ana 2"),
                               ("cy", "cy 1"), ("zoe", "zoe 2")])
    pump = OutboxPump(application.ctx, {"telegram": channel}, senders=3)
    try:
        pump_until(pump, lambda: len(channel.texts()) == 4)
        assert sorted(channel.texts()) == ["ana 1", "ana 2", "bob 1", "cy 1"]
        assert channel.texts("ana") == ["ana 1", "ana 2"]
        assert channel.texts("zoe") == []  # still with the provider
        release.set()
        pump_until(pump, lambda: len(channel.texts()) == 6)
        assert channel.texts("zoe") == ["zoe 1", "zoe 2"]
    finally:
        release.set()
        pump.stop()
    assert outbox.deliver_due(application.ctx, {"telegram": channel}) == 0  # nothing left, nothing twice


def test_every_recipient_gets_their_messages_once_and_in_order(application: Application,
                                                               clock: FixedClock) -> None:
    jitter = random.Random(7)
    channel = ScriptedChannel(lambda m: time.sleep(jitter.random() * 0.004))
    people = [f"p{n}" for n in range(6)]
    queue(application, clock, [(who, f"{who} {k}") for k in range(8) for who in people])
    pump = OutboxPump(application.ctx, {"telegram": channel}, senders=4, claim_limit=5)
    try:
        pump_until(pump, lambda: len(channel.texts()) == 48)
    finally:
        pump.stop()
    for who in people:
        assert channel.texts(who) == [f"{who} {k}" for k in range(8)]
    assert pump.sent == 48


def test_a_failed_send_holds_back_only_its_recipient(application: Application, clock: FixedClock) -> None:
    failed = []

    def ana_fails_once(message: OutboundMessage) -> None:
        if message.recipient == "ana" and not failed:
            failed.append(message.text)
            raise ChannelSendError("busy", retryable=True, code="timeout")

    channel = ScriptedChannel(ana_fails_once)
    queue(application, clock, [("ana", "ana 1"), ("ana", "ana 2"), ("bob", "bob 1"), ("ana", "ana 3")])
    pump = OutboxPump(application.ctx, {"telegram": channel}, senders=4,
                      policy=outbox.RetryPolicy(base=timedelta(seconds=5)))
    try:
        pump_until(pump, lambda: channel.texts() == ["bob 1"] and pump.busy() == 0)
        for _ in range(5):  # ana's messages wait for the retry
            pump.step()
        assert channel.texts("ana") == []
        clock.advance(seconds=6)
        pump_until(pump, lambda: len(channel.texts("ana")) == 3)
    finally:
        pump.stop()
    assert channel.texts("ana") == ["ana 1", "ana 2", "ana 3"] and failed == ["ana 1"]


def test_a_message_waits_while_an_earlier_one_to_its_recipient_is_out(application: Application,
                                                                      clock: FixedClock) -> None:
    """The claim itself keeps the order, also between worker processes."""
    queue(application, clock, [("ana", "ana 1"), ("ana", "ana 2"), ("bob", "bob 1")])
    ctx, policy = application.ctx, outbox.RetryPolicy()
    first = outbox.claim_due(ctx, policy, limit=1)
    assert [m.text for m in first] == ["ana 1"]
    assert [m.text for m in outbox.claim_due(ctx, policy, limit=10)] == ["bob 1"]  # not "ana 2"
    with ctx.uow() as uow:
        uow.messaging.mark_sent(first[0].id, None, clock.now())
        uow.commit()
    assert [m.text for m in outbox.claim_due(ctx, policy, limit=10)] == ["ana 2"]
