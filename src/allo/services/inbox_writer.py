"""Group commit for webhooks: many webhooks share one transaction.

Webhook handlers hand their verified messages to one writer thread and wait for the commit; the
writer stores everything that arrived meanwhile in a single transaction, then answers them all.
Each webhook still answers 200 only once its messages are durable; under load the per-message
cost of a commit is shared.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from allo.services.context import ServiceContext
from allo.services.ports.channel import InboundMessage

log = logging.getLogger("allo.inbox")


@dataclass
class _Pending:
    messages: list[InboundMessage]
    merchant_id: str | None
    done: Future[int]


class InboxWriter:
    def __init__(self, ctx: ServiceContext, on_stored: Callable[[], None] | None = None,
                 max_batch: int = 200, default_merchant: Callable[[], str | None] | None = None) -> None:
        self.ctx = ctx
        self.on_stored = on_stored
        #: The shop of messages whose webhook names none (resolved here, off the event loop).
        self.default_merchant = default_merchant
        self.max_batch = max_batch
        self._queue: queue.Queue[_Pending | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, messages: list[InboundMessage], merchant_id: str | None) -> Future[int]:
        """Store these messages; the future gives how many were new, once committed."""
        self._ensure_started()
        done: Future[int] = Future()
        self._queue.put(_Pending(messages, merchant_id, done))
        return done

    def _ensure_started(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="allo-inbox-writer", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)
                    break
                batch.append(item)
            self._write(batch)

    def _write(self, batch: list[_Pending]) -> None:
        try:
            counts = []
            default = self.default_merchant() if self.default_merchant and any(
                p.merchant_id is None for p in batch) else None
            with self.ctx.uow() as uow:
                for p in batch:
                    shop = p.merchant_id or default
                    counts.append(sum(uow.messaging.store_inbound(
                        channel=m.channel, provider_message_id=m.provider_message_id, sender=m.sender,
                        text=m.text, received_at=m.received_at, merchant_id=shop) for m in p.messages))
                uow.commit()
        except Exception as exc:  # noqa: BLE001 - every waiting webhook gets the error (it answers 5xx)
            log.exception("storing inbound messages failed")
            for p in batch:
                p.done.set_exception(exc)
            return
        for p, n in zip(batch, counts):
            p.done.set_result(n)
        if self.on_stored is not None and any(counts):
            self.on_stored()

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(10)
            self._thread = None
