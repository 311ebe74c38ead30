"""Continuous sending: a reply goes out as soon as a sender is free, never waiting for a batch.

`outbox.deliver_due` sends one claimed batch and returns when all of it is sent; with a provider
that takes 150 ms a call, that caps a process at senders / 0.15 messages per second and lets one
slow call hold back everything claimed after it. The worker's sender thread uses this pump instead:
it claims due messages while a sender is free and hands them out at once.

Messages to one recipient still go out one after the other, in the order they were queued: a
message claimed while its recipient is being served waits in that recipient's queue, and if a send
fails the rest of the queue is held back until the failed message's retry (as in deliver_due).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

from allo.adapters.storage.repositories.messaging import StoredOutbound
from allo.services.context import ServiceContext
from allo.services.failpoints import Failpoints
from allo.services.group_commit import GroupCommitter
from allo.services.outbox import RetryPolicy, claim_due, hold_back, send_one
from allo.services.ports.channel import Channel

log = logging.getLogger("allo.outbox")

Recipient = tuple[str, str]


class OutboxPump:
    """Claims due messages while fewer than `senders` recipients are being served, and sends them
    on a pool of that many threads. `step()` is called by the worker's sender loop, at the latest
    every `recheck_seconds` while senders are busy; `on_free` wakes the loop at once when a sender
    frees up after all were busy, or when the last one finishes. Claims take the database's write
    lock, so they are not made after every single send."""

    #: While sends are out, how often to look for messages that waited for them (a recipient's
    #: later message is only claimable once the earlier one is sent).
    recheck_seconds = 0.05

    def __init__(self, ctx: ServiceContext, channels: Mapping[str, Channel], *, senders: int,
                 policy: RetryPolicy | None = None, failpoints: Failpoints | None = None,
                 committer: GroupCommitter | None = None, on_free: Callable[[], None] = lambda: None,
                 claim_limit: int = 50) -> None:
        self.ctx, self.channels, self.senders = ctx, channels, max(1, senders)
        self.policy = policy or RetryPolicy()
        self.failpoints = failpoints or Failpoints()
        self.committer, self.on_free, self.claim_limit = committer, on_free, claim_limit
        self._pool = ThreadPoolExecutor(max_workers=self.senders, thread_name_prefix="allo-send")
        self._lock = threading.Lock()
        self._queues: dict[Recipient, deque[StoredOutbound]] = {}
        self._held: set[int] = set()  # ids claimed and not yet finished, in any queue
        self._starved = False  # a step found every sender busy
        self.sent = 0

    def busy(self) -> int:
        """Recipients being served now."""
        with self._lock:
            return len(self._queues)

    def step(self) -> tuple[int, bool]:
        """Claim what is due, as far as senders are free: the messages claimed, and whether more
        may be due (the claim was full)."""
        free = self.senders - self.busy()
        if free <= 0:
            self._starved = True
            return 0, False
        limit = min(self.claim_limit, free)
        claimed = claim_due(self.ctx, self.policy, limit, self.committer)
        self.accept(claimed)
        return len(claimed), len(claimed) >= limit

    def accept(self, claimed: list[StoredOutbound]) -> None:
        """Send messages claimed elsewhere (the inbox hands over the replies it claimed in its own
        transaction); recipients beyond the free senders wait for a sending thread."""
        for key in self._hand_out(claimed):
            self._pool.submit(self._serve, key)

    def _hand_out(self, claimed: list[StoredOutbound]) -> list[Recipient]:
        """Queue a claim's messages by recipient, all at once (a sender that fails on a recipient's
        first message must find the later ones of the same claim in the queue, to hold them back);
        returns the recipients that need a sender."""
        fresh: list[Recipient] = []
        with self._lock:
            for message in claimed:
                if message.id in self._held:  # its lease ran out while it waited here: claimed again
                    continue
                self._held.add(message.id)
                key = (message.channel, message.recipient)
                queue = self._queues.get(key)
                if queue is None:
                    self._queues[key] = deque([message])
                    fresh.append(key)
                else:
                    queue.append(message)  # its recipient is being served: it goes next, in order
        return fresh

    def _serve(self, key: Recipient) -> None:
        """Send the recipient's messages one after the other until its queue is empty."""
        while True:
            with self._lock:
                queue = self._queues[key]
                if not queue:
                    del self._queues[key]
                    wake = self._wake_now()
                    break
                message = queue[0]
            try:
                retry_at = send_one(self.ctx, self.channels, message, self.policy, self.failpoints, self.committer)
            except Exception:  # noqa: BLE001 - the lease makes it due again; the others must go on
                log.exception("sending outbox %s failed unexpectedly", message.id)
                wake = self._release(key)
                break
            if retry_at is False:
                with self._lock:
                    queue.popleft()
                    self._held.discard(message.id)
                    self.sent += 1
                continue
            with self._lock:  # it did not go: the recipient's later messages wait for its retry
                queue.popleft()
                self._held.discard(message.id)
                later = list(queue)
            hold_back(self.ctx, later, retry_at)
            wake = self._release(key)
            break
        if wake:
            self.on_free()

    def _release(self, key: Recipient) -> bool:
        """Forget the recipient's queue (its messages are due again later); True when the loop
        should look for work now."""
        with self._lock:
            for message in self._queues.pop(key, deque()):
                self._held.discard(message.id)
            return self._wake_now()

    def _wake_now(self) -> bool:
        """Under the lock, as a recipient is let go: wake the loop if a step found every sender
        busy, or if no sender is busy any more (a message that waited for the last send may be due)."""
        wake = self._starved or not self._queues
        self._starved = False
        return wake

    def idle_wait(self, poll_seconds: float) -> float:
        """How long the sender loop may wait for a wake-up before stepping again."""
        return self.recheck_seconds if self.busy() else poll_seconds

    def stop(self) -> None:
        """Stop taking work; the messages already handed out are sent first."""
        self._pool.shutdown(wait=True)
