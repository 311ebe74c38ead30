"""A simulated customer: writes to a shop through the web chat and answers its replies.

Messages go into the same inbox as the chat page's (`inbox.store_inbound` with a web chat message)
and replies are read where the chat page reads them (the outbox, by chat address). The customer
takes a few (demo) seconds to type each answer, and sometimes asks where the order is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

from allo.services import inbox, webchat
from allo.services.context import ServiceContext
from allo.services.ports.channel import Channel
from allo.simulation.live import messages
from allo.simulation.live.replies import CustomerMind
from allo.simulation.live.schedule import between

#: what the demo tells in the terminal: the customers' messages
story = logging.getLogger("allo.demo.story")


@dataclass(frozen=True)
class CustomerHabits:
    """In demo-time seconds."""

    typing: tuple[float, float] = (8, 25)
    status_question_rate: float = 0.25
    status_after: tuple[float, float] = (120, 480)
    #: While nothing is expected of the shop, the customer glances at the chat this often.
    look_every: timedelta = timedelta(seconds=20)
    patience: timedelta = timedelta(minutes=120)  # then the simulation forgets this customer


@dataclass
class SimCustomer:
    ctx: ServiceContext
    channel: Channel
    merchant_id: str
    session: str
    mind: CustomerMind
    rng: Random
    arrived_at: datetime
    wake: Callable[[], None] = lambda: None
    habits: CustomerHabits = field(default_factory=CustomerHabits)
    shop_name: str = "the shop"
    placed_at: datetime | None = None
    _seen: int = 0
    _count: int = 0
    _outgoing: list[tuple[datetime, str]] = field(default_factory=list)
    _ask_status_at: datetime | None = None
    _next_look: datetime | None = None  # None: watching the chat (an answer is expected)

    def __post_init__(self) -> None:
        self._outgoing.append((self.arrived_at, self.mind.opening()))

    @property
    def address(self) -> str:
        """The customer's chat "number" at this shop."""
        return webchat.address(self.merchant_id, self.session)

    def finished(self, now: datetime) -> bool:
        if now - self.arrived_at > self.habits.patience:
            return True
        return self.mind.done and not self._outgoing

    def step(self, now: datetime) -> None:
        if self._next_look is None or now >= self._next_look:
            self._read(now)
        if self.mind.placed and self.placed_at is None:
            self.placed_at = now
            if self.rng.random() < self.habits.status_question_rate:
                self._ask_status_at = now + between(self.rng, *self.habits.status_after)
        if self._ask_status_at is not None and now >= self._ask_status_at:
            self._ask_status_at = None
            if not self.mind.done:
                self._outgoing.append((now, messages.status_question(self.rng, self.mind.language)))
        self._send_due(now)

    def _read(self, now: datetime) -> None:
        got = webchat.replies(self.ctx, self.address, self._seen)
        for reply in got:
            self._seen = reply.id
            answer = self.mind.react(reply.text)
            if answer is not None:
                self._outgoing.append((now + between(self.rng, *self.habits.typing), answer))
        waiting = self._outgoing or (got == [] and self._count > 0 and not self.mind.placed)
        self._next_look = None if waiting else now + self.habits.look_every

    def _send_due(self, now: datetime) -> None:
        due = [m for m in self._outgoing if m[0] <= now]
        if not due:
            return
        self._outgoing = [m for m in self._outgoing if m[0] > now]
        batch = []
        for _, text in due:
            story.info("%s ← %s", self.shop_name, text.replace("\n", " "))
            self._count += 1
            batch.append(self.channel.message_from(self.address, f"{self.session}-{self._count:03d}", text))
        inbox.store_inbound(self.ctx, batch, self.merchant_id)
        self._next_look = None  # watch for the answer
        self.wake()
