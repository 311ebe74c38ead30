"""Relayed messages between a customer and a courier, kept (encrypted) with the order for audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import orders, relay_messages

TEXT_CTX = "relay_messages.text"


@dataclass(frozen=True, slots=True)
class RelayMessage:
    id: int
    order_id: str
    courier_id: str | None
    sender: str  # "customer" or "courier"
    status: str  # "relayed", or "refused" when the relay was already closed
    at: datetime
    text: str


class SqlRelay(SqlRepository):
    kind = "relay"

    def add(self, *, order_id: str, courier_id: str | None, sender: str, status: str, at: datetime,
            text: str) -> int:
        stmt = insert(relay_messages).values(
            order_id=order_id, courier_id=courier_id, sender=sender, status=status, at=at,
            text_enc=self.cipher.encrypt(text, TEXT_CTX)).returning(relay_messages.c.id)
        return int(self.conn.execute(stmt).scalar_one())

    def for_order(self, order_id: str, *, after_id: int = 0) -> list[RelayMessage]:
        c = relay_messages.c
        q = select(relay_messages).where(c.order_id == order_id, c.id > after_id).order_by(c.id)
        return [self._message(r) for r in self.conn.execute(q).mappings()]

    def orders_of_conversation(self, conversation_id: str, statuses: list[str], limit: int = 5) -> list[str]:
        """Ids of the conversation's orders in these statuses, newest first."""
        q = (select(orders.c.id).where(orders.c.conversation_id == conversation_id, orders.c.status.in_(statuses))
             .order_by(orders.c.created_at.desc(), orders.c.id).limit(limit))
        return list(self.conn.execute(q).scalars())

    def _message(self, r: Any) -> RelayMessage:
        return RelayMessage(r["id"], r["order_id"], r["courier_id"], r["sender"], r["status"], r["at"],
                            self.cipher.decrypt(r["text_enc"], TEXT_CTX) or "")
