"""Inbox, outbox and conversations. Senders, recipients, texts and conversation state are encrypted;
look-ups go through keyed hashes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Insert, and_, bindparam, exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from allo.adapters.crypto import FieldCipher
from allo.adapters.storage.repositories.base import SqlRepository, Tracker
from allo.adapters.storage.statements import driver_statement
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


def _dialect_insert(dialect: str, table: Any) -> Insert:
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def _store_inbound_stmt(dialect: str) -> Any:
    return (_dialect_insert(dialect, inbox_messages)
            .on_conflict_do_nothing(index_elements=["channel", "provider_message_id"])
            .returning(inbox_messages.c.id))


def _claim_inbound(dialect: str) -> Any:
    """Marks pending messages processed (the caller's transaction commits or undoes it)."""
    c = inbox_messages.c
    return (update(inbox_messages).values(status="processed", processed_at=bindparam("b_now"), attempts=c.attempts + 1)
            .returning(inbox_messages))


def _claim_pending_inbound_stmt(dialect: str) -> Any:
    """Claim the oldest b_limit pending messages in one statement (see _claim_due_stmt)."""
    c = inbox_messages.c
    oldest = select(c.id).where(c.status == "pending").order_by(c.id).limit(bindparam("b_limit"))
    if dialect == "postgresql":
        chosen = oldest.with_for_update(skip_locked=True).cte("oldest").prefix_with("MATERIALIZED")
        return _claim_inbound(dialect).where(c.id == chosen.c.id, c.status == "pending")
    return _claim_inbound(dialect).where(c.id.in_(oldest.scalar_subquery()), c.status == "pending")


def _enqueue_stmt(dialect: str) -> Any:
    return (_dialect_insert(dialect, outbox_messages).on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(outbox_messages.c.id))


def _due_clause() -> Any:
    c = outbox_messages.c
    return or_(and_(c.status == "pending", c.next_attempt_at <= bindparam("b_now")),
               and_(c.status == "sending", c.lease_until < bindparam("b_now")))


def _waits_for_an_earlier_one() -> Any:
    """An earlier message to the same recipient is still on its way (leased) or waiting for its
    retry: this one must not overtake it."""
    c = outbox_messages.c
    earlier = outbox_messages.alias("earlier")
    e = earlier.c
    return exists().where(e.recipient_hash == c.recipient_hash, e.id < c.id,
                          or_(and_(e.status == "pending", e.next_attempt_at > bindparam("b_now")),
                              and_(e.status == "sending", e.lease_until >= bindparam("b_now"))))


def _claim_due(dialect: str, *, only_range: bool) -> Any:
    """Claim up to b_limit due messages in one statement (the due test is repeated outside the
    sub-select, so that a row another worker claimed meanwhile is left alone); with `only_range`,
    among the ids b_first to b_last."""
    c = outbox_messages.c
    due = select(c.id).where(_due_clause(), ~_waits_for_an_earlier_one())
    if only_range:
        due = due.where(c.id >= bindparam("b_first"), c.id <= bindparam("b_last"))
    due = due.order_by(c.id).limit(bindparam("b_limit"))
    claim = update(outbox_messages).values(status="sending", lease_until=bindparam("b_lease"),
                                           attempts=c.attempts + 1).returning(outbox_messages)
    if dialect == "postgresql":
        # A materialised CTE: as `id IN (sub-select)`, PostgreSQL may run the locking sub-select
        # again for each row, and each run skips the rows already updated: more than b_limit.
        chosen = due.with_for_update(skip_locked=True).cte("due").prefix_with("MATERIALIZED")
        return claim.where(c.id == chosen.c.id, _due_clause())
    return claim.where(c.id.in_(due.scalar_subquery()), _due_clause())


def _claim_due_stmt(dialect: str) -> Any:
    return _claim_due(dialect, only_range=False)


def _claim_range_stmt(dialect: str) -> Any:
    return _claim_due(dialect, only_range=True)


def _mark_sent_stmt(dialect: str) -> Any:
    return (update(outbox_messages).where(outbox_messages.c.id == bindparam("b_id"))
            .values(status="sent", sent_at=bindparam("b_now"), provider_message_id=bindparam("b_provider_id"),
                    lease_until=None, last_error=None))


def _find_conversation_stmt(dialect: str) -> Any:
    c = conversations.c
    return select(conversations).where(c.channel == bindparam("b_channel"), c.address_hash == bindparam("b_hash"),
                                       c.merchant_id == bindparam("b_merchant"))


def _new_conversation_stmt(dialect: str) -> Any:
    return conversations.insert()


def _find_shopless_conversation_stmt(dialect: str) -> Any:
    c = conversations.c
    return select(conversations).where(c.channel == bindparam("b_channel"), c.address_hash == bindparam("b_hash"),
                                       c.merchant_id.is_(None))


def _save_conversation_stmt(dialect: str) -> Any:
    c = conversations.c
    return (update(conversations).where(c.id == bindparam("b_id"), c.version == bindparam("b_version"))
            .values(state_enc=bindparam("b_state"), customer_id=bindparam("b_customer"),
                    opted_out=bindparam("b_opted_out"), last_inbound_at=bindparam("b_last_inbound"),
                    updated_at=bindparam("b_now"), version=bindparam("b_new_version")))


class SqlMessaging(SqlRepository):
    """Hot paths run statements built once (see allo.adapters.storage.statements)."""

    kind = "messaging"

    def __init__(self, conn: Connection, cipher: FieldCipher, tracker: Tracker) -> None:
        super().__init__(conn, cipher, tracker)
        #: Ids of the messages this unit of work queued, in order (see claim_queued).
        self.queued: list[int] = []

    def _rows(self, build: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
        return driver_statement(self.conn, build, params).rows(self.conn, params)

    def _execute(self, build: Any, params: dict[str, Any]) -> int:
        return driver_statement(self.conn, build, params).execute(self.conn, params)

    # inbox ----------------------------------------------------------------------------------
    def store_inbound(self, *, channel: str, provider_message_id: str, sender: str, text: str,
                      received_at: datetime, merchant_id: str | None) -> bool:
        """Keep the message unless the provider already delivered it; True when it is new."""
        rows = self._rows(_store_inbound_stmt, dict(
            channel=channel, provider_message_id=provider_message_id, merchant_id=merchant_id,
            sender_hash=self.cipher.lookup_hash(f"{channel}:{sender}"),
            sender_enc=self.cipher.encrypt(sender, SENDER_CTX), text_enc=self.cipher.encrypt(text, INBOX_TEXT_CTX),
            received_at=received_at, status="pending", attempts=0))
        return bool(rows)  # rowcount is not reliable with RETURNING

    def claim_pending_inbound(self, limit: int, now: datetime) -> list[StoredInbound]:
        """Mark the oldest `limit` pending messages processed inside the caller's transaction, in
        id order. If the transaction rolls back, they are pending again; messages another worker
        is handling are left out."""
        return self._inbound(self._rows(_claim_pending_inbound_stmt, {"b_limit": limit, "b_now": now}))

    def claim_inbound(self, message_ids: list[int], now: datetime) -> list[StoredInbound]:
        """Like claim_pending_inbound, for these messages only (those another worker got first
        are left out)."""
        c = inbox_messages.c
        claim = _claim_inbound(self.conn.dialect.name).where(c.id.in_(list(message_ids)), c.status == "pending")
        return self._inbound(self.conn.execute(claim, {"b_now": now}).mappings())

    def _inbound(self, rows: Any) -> list[StoredInbound]:
        claimed = [StoredInbound(r["id"], r["channel"], r["provider_message_id"], r["merchant_id"],
                                 self.cipher.decrypt(r["sender_enc"], SENDER_CTX) or "",
                                 self.cipher.decrypt(r["text_enc"], INBOX_TEXT_CTX) or "", r["received_at"],
                                 r["attempts"]) for r in rows]
        return sorted(claimed, key=lambda m: m.id)

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
        rows = self._rows(_enqueue_stmt, dict(
            dedupe_key=dedupe_key, channel=channel, recipient_hash=self.cipher.lookup_hash(f"{channel}:{recipient}"),
            recipient_enc=self.cipher.encrypt(recipient, RECIPIENT_CTX),
            text_enc=self.cipher.encrypt(text, OUTBOX_TEXT_CTX), template=template, order_id=order_id,
            created_at=now, status="pending", attempts=0, next_attempt_at=now))
        self.queued.extend(r["id"] for r in rows)
        return bool(rows)

    def claim_due_outbound(self, now: datetime, lease_until: datetime, limit: int = 50) -> list[StoredOutbound]:
        """Claim up to `limit` due messages (leased until `lease_until`), oldest first."""
        rows = self._rows(_claim_due_stmt, {"b_now": now, "b_lease": lease_until, "b_limit": limit})
        return sorted((self._outbound(r) for r in rows), key=lambda m: m.id)

    def claim_queued(self, now: datetime, lease_until: datetime) -> list[StoredOutbound]:
        """Claim, in this transaction, the messages it queued (due at once), so that they can be
        sent right after the commit without a claim of their own; a message that must wait for an
        earlier one to its recipient is left to the outbox's usual claim. Messages queued meanwhile
        by other transactions within the same ids are claimed too, if due: they are sent the same."""
        if not self.queued:
            return []
        rows = self._rows(_claim_range_stmt, {"b_now": now, "b_lease": lease_until, "b_first": min(self.queued),
                                              "b_last": max(self.queued), "b_limit": len(self.queued) + 1000})
        return sorted((self._outbound(r) for r in rows), key=lambda m: m.id)

    def mark_sent(self, message_id: int, provider_message_id: str | None, now: datetime) -> None:
        self._execute(_mark_sent_stmt,
                  {"b_id": message_id, "b_now": now, "b_provider_id": provider_message_id})

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
        if merchant_id is None:
            found = self._rows(_find_shopless_conversation_stmt, {"b_channel": channel, "b_hash": h})
        else:
            found = self._rows(_find_conversation_stmt,
                               {"b_channel": channel, "b_hash": h, "b_merchant": merchant_id})
        if found:
            return self._conversation(found[0])
        self._execute(_new_conversation_stmt, dict(
            id=new_id, channel=channel, address_hash=h, address_enc=self.cipher.encrypt(address, ADDRESS_CTX),
            merchant_id=merchant_id, customer_id=None, state_enc=self.cipher.encrypt("{}", STATE_CTX),
            opted_out=False, last_inbound_at=None, updated_at=now, version=1))
        return ConversationRecord(new_id, channel, address, merchant_id, None, {}, False, None, 1)

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
        changed = self._execute(_save_conversation_stmt, {
            "b_id": conv.id, "b_version": conv.version, "b_new_version": conv.version + 1,
            "b_state": self.cipher.encrypt(json.dumps(conv.state), STATE_CTX), "b_customer": conv.customer_id,
            "b_opted_out": conv.opted_out, "b_last_inbound": conv.last_inbound_at, "b_now": now})
        if changed != 1:
            raise Conflict(f"conversation {conv.id} changed meanwhile")
        conv.version += 1

    def _conversation(self, r: Any) -> ConversationRecord:
        return ConversationRecord(r["id"], r["channel"], self.cipher.decrypt(r["address_enc"], ADDRESS_CTX) or "",
                                  r["merchant_id"], r["customer_id"],
                                  json.loads(self.cipher.decrypt(r["state_enc"], STATE_CTX) or "{}"),
                                  r["opted_out"], r["last_inbound_at"], r["version"])
