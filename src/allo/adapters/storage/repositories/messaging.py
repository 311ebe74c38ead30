"""Inbox, outbox and conversations. Senders, recipients, texts and conversation state are encrypted;
look-ups go through keyed hashes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import conversations, inbox_messages, outbox_messages
from allo.domain.errors import Conflict

SENDER_CTX, INBOX_TEXT_CTX = "inbox.sender", "inbox.text"
RECIPIENT_CTX, OUTBOX_TEXT_CTX = "outbox.recipient", "outbox.text"
ADDRESS_CTX, STATE_CTX = "conversations.address", "conversations.state"


@dataclass(frozen=True, slots=True)
class StoredInbound:
    id: int
    channel: str
    provider_message_id: str
    merchant_id: str | None
    sender: str
    text: str
    received_at: datetime
    attempts: int


@dataclass(frozen=True, slots=True)
class StoredOutbound:
    id: int
    dedupe_key: str
    channel: str
    recipient: str
    text: str
    template: dict[str, Any] | None
    order_id: str | None
    attempts: int
    status: str
    created_at: datetime
    sent_at: datetime | None


@dataclass(slots=True)
class ConversationRecord:
    id: str
    channel: str
    address: str
    merchant_id: str | None
    customer_id: str | None
    state: dict[str, Any]
    opted_out: bool
    last_inbound_at: datetime | None
    version: int


class SqlMessaging(SqlRepository):
    kind = "messaging"

    def _insert_ignore(self, table: Any) -> Insert:
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)

    # inbox ----------------------------------------------------------------------------------
    def store_inbound(self, *, channel: str, provider_message_id: str, sender: str, text: str,
                      received_at: datetime, merchant_id: str | None) -> bool:
        """Keep the message unless the provider already delivered it; True when it is new."""
        stmt = self._insert_ignore(inbox_messages).values(
            channel=channel, provider_message_id=provider_message_id, merchant_id=merchant_id,
            sender_hash=self.cipher.lookup_hash(f"{channel}:{sender}"),
            sender_enc=self.cipher.encrypt(sender, SENDER_CTX), text_enc=self.cipher.encrypt(text, INBOX_TEXT_CTX),
            received_at=received_at, status="pending", attempts=0,
        ).on_conflict_do_nothing(index_elements=["channel", "provider_message_id"]).returning(inbox_messages.c.id)
        return self.conn.execute(stmt).first() is not None  # rowcount is not reliable with RETURNING

    def pending_inbound_ids(self, limit: int = 50) -> list[int]:
        q = (select(inbox_messages.c.id).where(inbox_messages.c.status == "pending")
             .order_by(inbox_messages.c.id).limit(limit))
        return list(self.conn.execute(q).scalars())

    def claim_inbound(self, message_id: int, now: datetime) -> StoredInbound | None:
        """Mark the message processed inside the caller's transaction. If the transaction rolls back,
        it is pending again; if another worker got there first, None."""
        r = self.conn.execute(
            update(inbox_messages).where(inbox_messages.c.id == message_id, inbox_messages.c.status == "pending")
            .values(status="processed", processed_at=now, attempts=inbox_messages.c.attempts + 1)
            .returning(inbox_messages)).mappings().first()
        if r is None:
            return None
        return StoredInbound(r["id"], r["channel"], r["provider_message_id"], r["merchant_id"],
                             self.cipher.decrypt(r["sender_enc"], SENDER_CTX) or "",
                             self.cipher.decrypt(r["text_enc"], INBOX_TEXT_CTX) or "", r["received_at"],
                             r["attempts"])

    def record_inbound_failure(self, message_id: int, error: str, max_attempts: int) -> None:
        """A handler error: count the attempt; after max_attempts the message is parked as failed."""
        self.conn.execute(
            update(inbox_messages).where(inbox_messages.c.id == message_id, inbox_messages.c.status == "pending")
            .values(attempts=inbox_messages.c.attempts + 1, error=error[:500]))
        self.conn.execute(
            update(inbox_messages).where(inbox_messages.c.id == message_id,
                                         inbox_messages.c.attempts >= max_attempts)
            .values(status="failed"))

    def inbound_status(self, channel: str, provider_message_id: str) -> str | None:
        q = select(inbox_messages.c.status).where(inbox_messages.c.channel == channel,
                                                  inbox_messages.c.provider_message_id == provider_message_id)
        return self.conn.execute(q).scalar_one_or_none()

    # outbox ---------------------------------------------------------------------------------
    def enqueue(self, *, dedupe_key: str, channel: str, recipient: str, text: str, now: datetime,
                order_id: str | None = None, template: dict[str, Any] | None = None) -> bool:
        """Queue a message once per dedupe key; True when it was not queued before."""
        stmt = self._insert_ignore(outbox_messages).values(
            dedupe_key=dedupe_key, channel=channel, recipient_hash=self.cipher.lookup_hash(f"{channel}:{recipient}"),
            recipient_enc=self.cipher.encrypt(recipient, RECIPIENT_CTX),
            text_enc=self.cipher.encrypt(text, OUTBOX_TEXT_CTX), template=template, order_id=order_id,
            created_at=now, status="pending", attempts=0, next_attempt_at=now,
        ).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(outbox_messages.c.id)
        return self.conn.execute(stmt).first() is not None

    def _due(self, now: datetime) -> Any:
        c = outbox_messages.c
        return or_(and_(c.status == "pending", c.next_attempt_at <= now),
                   and_(c.status == "sending", c.lease_until < now))

    def due_outbound_ids(self, now: datetime, limit: int = 50) -> list[int]:
        q = select(outbox_messages.c.id).where(self._due(now)).order_by(outbox_messages.c.id).limit(limit)
        return list(self.conn.execute(q).scalars())

    def claim_outbound(self, message_id: int, now: datetime, lease_until: datetime) -> StoredOutbound | None:
        r = self.conn.execute(
            update(outbox_messages).where(outbox_messages.c.id == message_id, self._due(now))
            .values(status="sending", lease_until=lease_until, attempts=outbox_messages.c.attempts + 1)
            .returning(outbox_messages)).mappings().first()
        return self._outbound(r) if r is not None else None

    def mark_sent(self, message_id: int, provider_message_id: str | None, now: datetime) -> None:
        self.conn.execute(update(outbox_messages).where(outbox_messages.c.id == message_id).values(
            status="sent", sent_at=now, provider_message_id=provider_message_id, lease_until=None, last_error=None))

    def mark_retry(self, message_id: int, error: str, next_attempt_at: datetime) -> None:
        self.conn.execute(update(outbox_messages).where(outbox_messages.c.id == message_id).values(
            status="pending", next_attempt_at=next_attempt_at, lease_until=None, last_error=error[:500]))

    def mark_failed(self, message_id: int, error: str) -> None:
        self.conn.execute(update(outbox_messages).where(outbox_messages.c.id == message_id).values(
            status="failed", lease_until=None, last_error=error[:500]))

    def outbound_for(self, channel: str, recipient: str, *, after_id: int = 0,
                     statuses: tuple[str, ...] = ("sent",)) -> list[StoredOutbound]:
        c = outbox_messages.c
        q = (select(outbox_messages).where(c.recipient_hash == self.cipher.lookup_hash(f"{channel}:{recipient}"),
                                           c.id > after_id, c.status.in_(statuses)).order_by(c.id))
        return [self._outbound(r) for r in self.conn.execute(q).mappings()]

    def outbound_for_order(self, order_id: str) -> list[StoredOutbound]:
        q = select(outbox_messages).where(outbox_messages.c.order_id == order_id).order_by(outbox_messages.c.id)
        return [self._outbound(r) for r in self.conn.execute(q).mappings()]

    def _outbound(self, r: Any) -> StoredOutbound:
        return StoredOutbound(r["id"], r["dedupe_key"], r["channel"],
                              self.cipher.decrypt(r["recipient_enc"], RECIPIENT_CTX) or "",
                              self.cipher.decrypt(r["text_enc"], OUTBOX_TEXT_CTX) or "", r["template"],
                              r["order_id"], r["attempts"], r["status"], r["created_at"], r["sent_at"])

    # conversations --------------------------------------------------------------------------
    def conversation(self, *, channel: str, address: str, merchant_id: str | None, new_id: str,
                     now: datetime) -> ConversationRecord:
        """The conversation with this address at this shop, created empty on first contact."""
        h = self.cipher.lookup_hash(f"{channel}:{address}")
        c = conversations.c
        q = select(conversations).where(c.channel == channel, c.address_hash == h,
                                        c.merchant_id.is_(None) if merchant_id is None else c.merchant_id == merchant_id)
        row = self.conn.execute(q).mappings().first()
        if row is None:
            self.conn.execute(conversations.insert().values(
                id=new_id, channel=channel, address_hash=h, address_enc=self.cipher.encrypt(address, ADDRESS_CTX),
                merchant_id=merchant_id, customer_id=None, state_enc=self.cipher.encrypt("{}", STATE_CTX),
                opted_out=False, last_inbound_at=None, updated_at=now, version=1))
            row = self.conn.execute(q).mappings().one()
        return self._conversation(row)

    def last_inbound_at(self, channel: str, address: str) -> datetime | None:
        """When this address last wrote to us on this channel (any shop): WhatsApp's 24-hour window."""
        from sqlalchemy import func

        h = self.cipher.lookup_hash(f"{channel}:{address}")
        q = select(func.max(conversations.c.last_inbound_at)).where(conversations.c.channel == channel,
                                                                    conversations.c.address_hash == h)
        return self.conn.execute(q).scalar_one_or_none()

    def get_conversation(self, conversation_id: str) -> ConversationRecord | None:
        row = self.conn.execute(select(conversations).where(conversations.c.id == conversation_id)).mappings().first()
        return self._conversation(row) if row else None

    def save_conversation(self, conv: ConversationRecord, now: datetime) -> None:
        done = self.conn.execute(
            update(conversations).where(conversations.c.id == conv.id, conversations.c.version == conv.version)
            .values(state_enc=self.cipher.encrypt(json.dumps(conv.state), STATE_CTX), customer_id=conv.customer_id,
                    opted_out=conv.opted_out, last_inbound_at=conv.last_inbound_at, updated_at=now,
                    version=conv.version + 1))
        if done.rowcount != 1:
            raise Conflict(f"conversation {conv.id} changed meanwhile")
        conv.version += 1

    def _conversation(self, r: Any) -> ConversationRecord:
        return ConversationRecord(r["id"], r["channel"], self.cipher.decrypt(r["address_enc"], ADDRESS_CTX) or "",
                                  r["merchant_id"], r["customer_id"],
                                  json.loads(self.cipher.decrypt(r["state_enc"], STATE_CTX) or "{}"),
                                  r["opted_out"], r["last_inbound_at"], r["version"])
