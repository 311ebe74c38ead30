"""The in-process background worker: handles the inbox, sends the outbox, runs periodic jobs.

One thread per process. Several processes may run it against PostgreSQL: every step claims its
rows first, so each message is handled and sent by one of them only.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from allo.services import inbox, outbox
from allo.services.context import ServiceContext
from allo.services.failpoints import Failpoints
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

    def __post_init__(self) -> None:
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> tuple[int, int]:
        handled = inbox.process_pending(self.ctx, self.handler, failpoints=self.failpoints)
        for job in self.jobs:  # jobs may queue messages: send them in the same round
            job()
        sent = outbox.deliver_due(self.ctx, self.channels, policy=self.policy, failpoints=self.failpoints)
        return handled, sent

    def wake(self) -> None:
        """Something arrived: run now instead of at the next poll."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                handled, sent = self.run_once()
                if handled or sent:
                    continue  # more may be waiting
            except Exception:  # noqa: BLE001 - keep the worker alive; the error is logged
                log.exception("worker loop failed")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="allo-worker", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
