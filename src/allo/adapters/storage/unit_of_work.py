"""The SQL unit of work: one transaction, the repositories on it, events journaled at commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from allo.adapters.crypto import FieldCipher
from allo.adapters.storage.database import transaction_gate
from allo.adapters.storage.repositories.accounts import SqlUserRepository
from allo.adapters.storage.repositories.assignments import SqlAssignmentRepository
from allo.adapters.storage.repositories.base import Tracker
from allo.adapters.storage.repositories.couriers import SqlCourierRepository
from allo.adapters.storage.repositories.customers import SqlCustomerRepository
from allo.adapters.storage.repositories.estimates import SqlDispatchEstimates
from allo.adapters.storage.repositories.journal import SqlJournal
from allo.adapters.storage.repositories.leases import SqlLeases
from allo.adapters.storage.repositories.merchants import SqlMerchantRepository
from allo.adapters.storage.repositories.messaging import SqlMessaging
from allo.adapters.storage.repositories.orders import SqlOrderRepository
from allo.adapters.storage.repositories.promises import SqlArrivalPromises
from allo.adapters.storage.repositories.relay import SqlRelay
from allo.domain.errors import Conflict
from allo.domain.events import Event


class SqlUnitOfWork:
    """`with uow:` opens a transaction; `uow.commit()` makes it durable; leaving without commit
    rolls back. Events recorded by the aggregates it touched are journaled in the same transaction
    and handed out by `collect_events()` after commit."""

    def __init__(self, engine: Engine, cipher: FieldCipher) -> None:
        self.engine = engine
        self.cipher = cipher
        self._committed_events: list[Event] = []

    def __enter__(self) -> "SqlUnitOfWork":
        self._gate = transaction_gate(self.engine)
        self._gate.__enter__()
        try:
            self.conn = self.engine.connect()
            self.tx = self.conn.begin()
        except OperationalError as exc:  # SQLite busy beyond the timeout (another process)
            self._gate.__exit__(None, None, None)
            raise Conflict("the database is busy; try again") from exc
        self.tracker = Tracker()
        args = (self.conn, self.cipher, self.tracker)
        self.orders = SqlOrderRepository(*args)
        self.customers = SqlCustomerRepository(*args)
        self.couriers = SqlCourierRepository(*args)
        self.assignments = SqlAssignmentRepository(*args)
        self.merchants = SqlMerchantRepository(*args)
        self.users = SqlUserRepository(*args)
        self.journal = SqlJournal(*args)
        self.messaging = SqlMessaging(*args)
        self.leases = SqlLeases(*args)
        self.estimates = SqlDispatchEstimates(*args)
        self.relay = SqlRelay(*args)
        self.promises = SqlArrivalPromises(*args)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if self.tx.is_active:
                self.tx.rollback()
        finally:
            self.conn.close()
            self._gate.__exit__(None, None, None)

    def commit(self) -> None:
        events = self.tracker.collect()
        self.journal.append_events(events)
        self.tx.commit()
        self._committed_events.extend(events)

    def rollback(self) -> None:
        self.tx.rollback()

    @contextmanager
    def undoable(self) -> Iterator[None]:
        """A step that may fail on its own: on a Conflict (someone changed a record since it was read)
        its writes are undone (a savepoint) and so are the events recorded in it; the Conflict is
        raised again and the rest of the transaction goes on. Aggregates changed in the step must not
        be saved again afterwards (their in-memory state is not undone)."""
        mark = self.tracker.mark()
        savepoint = self.conn.begin_nested()
        try:
            yield
        except Conflict:
            savepoint.rollback()
            self.tracker.rewind(mark)
            raise
        savepoint.commit()

    def collect_events(self) -> list[Event]:
        events, self._committed_events = self._committed_events, []
        return events
