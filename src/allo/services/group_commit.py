"""Group commit: small transactions from many threads share one transaction on one writer thread.

SQLite has one writer at a time; under load, many tiny transactions (a webhook's messages, an
outbox message marked sent) each wait for the write lock and pay for their own commit. Here they
are queued to one thread, which runs everything that arrived meanwhile in a single unit of work and
commits once. Each caller still waits until its own work is durable. A batch that fails is replayed
job by job, so that a failing job fails alone.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.services.context import ServiceContext

log = logging.getLogger("allo.storage")
T = TypeVar("T")
Job = tuple[Callable[[SqlUnitOfWork], Any], "Future[Any]"]


class GroupCommitter:
    def __init__(self, ctx: ServiceContext, *, name: str = "allo-group-commit", max_batch: int = 200) -> None:
        self.ctx = ctx
        self.name = name
        self.max_batch = max_batch
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, work: Callable[[SqlUnitOfWork], T]) -> Future[T]:
        """Run `work(uow)` in the next shared transaction; the future gives its result once committed."""
        self._ensure_started()
        done: Future[T] = Future()
        self._queue.put((work, done))
        return done

    def run(self, work: Callable[[SqlUnitOfWork], T]) -> T:
        """Submit and wait."""
        return self.submit(work).result()

    def _ensure_started(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                    self._thread.start()

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stopping = False
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                batch.append(item)
            self._commit(batch)
            if stopping:
                return

    def _commit(self, batch: list[Job]) -> None:
        try:
            with self.ctx.uow() as uow:
                results = [work(uow) for work, _ in batch]
                uow.commit()
        except Exception as exc:  # noqa: BLE001 - replayed one by one: only the failing job fails
            if len(batch) == 1:
                log.exception("a grouped transaction failed")
                batch[0][1].set_exception(exc)
                return
            for job in batch:
                self._commit([job])
            return
        for (_, done), result in zip(batch, results):
            done.set_result(result)

    def stop(self) -> None:
        """Commit what is queued, then stop the thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(10)
            self._thread = None


def run_in_transaction(ctx: ServiceContext, work: Callable[[SqlUnitOfWork], T],
                       committer: GroupCommitter | None = None) -> T:
    """`work(uow)` committed: in the committer's next shared transaction, or in one of its own."""
    if committer is not None:
        return committer.run(work)
    with ctx.uow() as uow:
        result = work(uow)
        uow.commit()
    return result
