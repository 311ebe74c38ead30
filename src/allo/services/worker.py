"""The in-process background worker: handles the inbox, sends the outbox, runs periodic jobs.

One thread per process. Several processes may run it against PostgreSQL: every step claims its
rows first, so each message is handled and sent by one of them only.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from allo.services import inbox, outbox
from allo.services.context import ServiceContext
from allo.services.failpoints import Failpoints
from allo.services.group_commit import GroupCommitter
from allo.services.outbox_pump import OutboxPump
from allo.services.ports.channel import Channel

log = logging.getLogger("allo.worker")


@dataclass
class Worker:
    ctx: ServiceContext
    handler: inbox.InboundHandler
    channels: Mapping[str, Channel]
    policy: outbox.RetryPolicy = field(default_factory=outbox.RetryPolicy)
    failpoints: Failpoints = field(default_factory=Failpoints)
    poll_seconds: float = 0.5
    #: Extra periodic jobs (dispatch tick, offer expiry …), each called once per loop.
    jobs: list[Callable[[], object]] = field(default_factory=list)

    #: Parallel sends to different recipients (sending is mostly waiting for the provider).
    senders: int = 64
    #: Under load the inbox loop runs back to back; the periodic jobs run at most this often then.
    jobs_interval_seconds: float = 0.2
    #: Marks sent messages in shared transactions (see allo.services.group_commit); None: one each.
    committer: GroupCommitter | None = None

    def __post_init__(self) -> None:
        self._wake = threading.Event()
        self._wake_sender = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._pump: OutboxPump | None = None
        self._handover: inbox.Handover | None = None
        self._jobs_ran_at = float("-inf")

    def handle_once(self) -> int:
        """Inbox, then the periodic jobs (which may queue messages); returns the messages handled."""
        return self._handle(jobs_due_only=False)[0]

    def _handle(self, *, jobs_due_only: bool) -> tuple[int, int]:
        """Messages handled and job work done. The handling thread runs the jobs only once their
        interval is up: under load its loop runs back to back."""
        handled = inbox.process_pending(self.ctx, self.handler, failpoints=self.failpoints, handover=self._handover)
        if jobs_due_only and time.monotonic() - self._jobs_ran_at < self.jobs_interval_seconds:
            return handled, 0
        return handled, self.run_jobs()

    def run_jobs(self) -> int:
        """Each periodic job once; returns how much they did (jobs that count their work)."""
        self._jobs_ran_at = time.monotonic()
        done = 0
        for job in self.jobs:
            result = job()
            done += result if isinstance(result, int) and not isinstance(result, bool) else 0
        return done

    def _handling_step(self) -> tuple[int, bool]:
        """Work left for the sender loop (replies not handed over to the pump, the jobs' work), and
        whether more may be waiting (the inbox read was full)."""
        handover = self._handover
        if handover is not None:
            handover.left = 0
        handled, jobs = self._handle(jobs_due_only=True)
        left = handover.left if handover is not None else handled
        return left + jobs, handled >= inbox.PENDING_LIMIT

    def send_once(self) -> int:
        """Send everything due now and return how many went (tests and the simulator; the running
        worker sends continuously, see allo.services.outbox_pump)."""
        return outbox.deliver_due(self.ctx, self.channels, policy=self.policy, failpoints=self.failpoints,
                                  committer=self.committer)

    def run_once(self) -> tuple[int, int]:
        """One round of everything, in order (what tests and the simulator call)."""
        handled = self.handle_once()
        return handled, self.send_once()

    def wake(self) -> None:
        """Something arrived: run now instead of at the next poll."""
        self._wake.set()

    def _loop(self, step: Callable[[], tuple[int, bool]], wake: threading.Event, then: threading.Event | None,
              wait: Callable[[float], float] = lambda poll: poll) -> None:
        """Step (which returns the work it left for `then`'s loop, and whether more may be
        waiting), then wait for a wake-up (or the poll) unless more may be waiting. What
        arrives during a step sets `wake`, so the wait after it returns at once: no second read
        of an empty inbox after every step (each read is a transaction)."""
        while not self._stop.is_set():
            try:
                work, more = step()
                if work and then is not None:
                    then.set()  # messages were queued: the sender need not wait for its poll
                if more:
                    continue
            except Exception:  # noqa: BLE001 - keep the worker alive; the error is logged
                log.exception("worker loop failed")
            wake.wait(wait(self.poll_seconds))
            wake.clear()

    def start(self) -> None:
        """Two threads: one handles messages and jobs, one hands due messages to `senders` sending
        threads (so a slow provider never delays the handling of what customers write)."""
        if self._threads:
            return
        self._pump = OutboxPump(self.ctx, self.channels, senders=self.senders, policy=self.policy,
                                failpoints=self.failpoints, committer=self.committer, on_free=self._wake_sender.set)
        self._handover = inbox.Handover(self._pump.accept, self.policy.lease)
        self._threads = [
            threading.Thread(target=self._loop, args=(self._handling_step, self._wake, self._wake_sender),
                             name="allo-worker", daemon=True),
            threading.Thread(target=self._loop, args=(self._pump.step, self._wake_sender, None, self._pump.idle_wait),
                             name="allo-sender", daemon=True),
        ]
        for t in self._threads:
            t.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        self._wake_sender.set()
        for t in self._threads:
            t.join(timeout)
        self._threads = []
        self._handover = None
        if self._pump is not None:
            self._pump.stop()
            self._pump = None
