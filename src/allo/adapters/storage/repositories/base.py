"""What every SQL repository shares: the connection, the cipher, versioned updates."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Connection, Table, update

from allo.adapters.crypto import FieldCipher
from allo.domain.errors import Conflict
from allo.domain.events import Event


class HasEvents(Protocol):
    id: str
    events: list[Event]


class Tracker:
    """Remembers the aggregates a unit of work touched, to collect their events at commit."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], HasEvents] = {}

    def track(self, kind: str, aggregate: HasEvents) -> None:
        self.seen[(kind, aggregate.id)] = aggregate

    def mark(self) -> dict[tuple[str, str], tuple[HasEvents, int]]:
        """What is tracked now and how many events each has recorded (see `rewind`)."""
        return {key: (aggregate, len(aggregate.events)) for key, aggregate in self.seen.items()}

    def rewind(self, mark: dict[tuple[str, str], tuple[HasEvents, int]]) -> None:
        """Forget what was recorded since `mark`: events added since, aggregates first tracked since."""
        self.seen = {}
        for key, (aggregate, count) in mark.items():
            del aggregate.events[count:]
            self.seen[key] = aggregate

    def collect(self) -> list[Event]:
        events: list[Event] = []
        for aggregate in self.seen.values():
            events.extend(aggregate.events)
            aggregate.events.clear()
        events.sort(key=lambda e: e.at)
        return events


class SqlRepository:
    kind = "aggregate"

    def __init__(self, conn: Connection, cipher: FieldCipher, tracker: Tracker) -> None:
        self.conn = conn
        self.cipher = cipher
        self.tracker = tracker

    def _update_versioned(self, table: Table, entity_id: str, version: int, values: dict[str, Any]) -> int:
        """UPDATE … WHERE id = :id AND version = :v; raise Conflict when someone else won."""
        result = self.conn.execute(
            update(table)
            .where(table.c.id == entity_id, table.c.version == version)
            .values(**values, version=version + 1)
        )
        if result.rowcount != 1:
            raise Conflict(f"{self.kind} {entity_id} was changed by someone else; reload and retry")
        return version + 1
