"""Append-only records: the audit log of personal-data reads and the domain event journal."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import audit_log, domain_events, event_cursors, order_ratings
from allo.domain.events import Event


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor_id: str | None
    action: str
    subject_type: str
    subject_id: str
    detail: str | None


class SqlJournal(SqlRepository):
    kind = "journal"

    def audit(self, entry: AuditEntry) -> None:
        self.conn.execute(insert(audit_log).values(
            at=entry.at, actor_id=entry.actor_id, action=entry.action, subject_type=entry.subject_type,
            subject_id=entry.subject_id, detail=entry.detail))

    def audit_entries(self, *, subject_id: str | None = None, limit: int = 200) -> list[AuditEntry]:
        q = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if subject_id:
            q = q.where(audit_log.c.subject_id == subject_id)
        return [AuditEntry(r["at"], r["actor_id"], r["action"], r["subject_type"], r["subject_id"], r["detail"])
                for r in self.conn.execute(q).mappings()]

    def append_events(self, events: list[Event]) -> None:
        if events:
            self.conn.execute(insert(domain_events), [
                {"name": e.name, "aggregate_id": e.aggregate_id, "at": e.at, "data": e.data} for e in events
            ])

    def events_for(self, aggregate_id: str) -> list[Event]:
        q = select(domain_events).where(domain_events.c.aggregate_id == aggregate_id).order_by(domain_events.c.id)
        return [Event(r["name"], r["aggregate_id"], r["at"], r["data"]) for r in self.conn.execute(q).mappings()]

    def last_event(self, aggregate_id: str, name: str) -> Event | None:
        """The latest event of that name recorded for the aggregate."""
        q = (select(domain_events).where(domain_events.c.aggregate_id == aggregate_id, domain_events.c.name == name)
             .order_by(domain_events.c.id.desc()).limit(1))
        r = self.conn.execute(q).mappings().first()
        return Event(r["name"], r["aggregate_id"], r["at"], r["data"]) if r else None

    def last_events(self, aggregate_ids: Collection[str], name: str) -> dict[str, Event]:
        """The latest event of that name recorded for each of the aggregates that has one, in one read."""
        if not aggregate_ids:
            return {}
        latest = (select(func.max(domain_events.c.id))
                  .where(domain_events.c.name == name, domain_events.c.aggregate_id.in_(list(aggregate_ids)))
                  .group_by(domain_events.c.aggregate_id))
        rows = self.conn.execute(select(domain_events).where(domain_events.c.id.in_(latest))).mappings()
        return {r["aggregate_id"]: Event(r["name"], r["aggregate_id"], r["at"], r["data"]) for r in rows}

    def rate_order(self, order_id: str, stars: int, comment: str | None, at: datetime) -> None:
        """Keep the latest rating of an order (1 to 5 stars); the comment is encrypted."""
        stars = max(1, min(5, int(stars)))
        self.conn.execute(delete(order_ratings).where(order_ratings.c.order_id == order_id))
        self.conn.execute(insert(order_ratings).values(
            order_id=order_id, stars=stars, comment_enc=self.cipher.encrypt(comment, "ratings.comment"), at=at))

    def rating_of(self, order_id: str) -> tuple[int, str | None] | None:
        row = self.conn.execute(select(order_ratings).where(order_ratings.c.order_id == order_id)).mappings().first()
        if row is None:
            return None
        return row["stars"], self.cipher.decrypt(row["comment_enc"], "ratings.comment")

    # consumers of the event journal ------------------------------------------------------------
    def events_after(self, last_id: int, limit: int = 200) -> list[tuple[int, Event]]:
        q = select(domain_events).where(domain_events.c.id > last_id).order_by(domain_events.c.id).limit(limit)
        return [(r["id"], Event(r["name"], r["aggregate_id"], r["at"], r["data"]))
                for r in self.conn.execute(q).mappings()]

    def last_event_id(self) -> int:
        return int(self.conn.execute(select(func.coalesce(func.max(domain_events.c.id), 0))).scalar_one())

    def cursor(self, consumer: str) -> int:
        q = select(event_cursors.c.last_event_id).where(event_cursors.c.consumer == consumer)
        value = self.conn.execute(q).scalar_one_or_none()
        if value is None:
            self.conn.execute(insert(event_cursors).values(consumer=consumer, last_event_id=0))
            return 0
        return int(value)

    def advance_cursor(self, consumer: str, expected: int, to: int) -> bool:
        """Move the cursor only if nobody else moved it (several workers may consume)."""
        done = self.conn.execute(update(event_cursors).where(
            event_cursors.c.consumer == consumer, event_cursors.c.last_event_id == expected).values(last_event_id=to))
        return done.rowcount == 1
