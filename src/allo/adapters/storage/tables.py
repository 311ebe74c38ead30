"""Database tables (SQLAlchemy Core), kept apart from the domain classes.

Columns ending in `_enc` hold AES-GCM ciphertext of personal data; `phone_hash` is a keyed hash.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always returns timezone-aware datetimes (SQLite keeps none)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(36)

merchants = Table(
    "merchants", metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("address", String(500), nullable=False),  # the shop's public address
    Column("pickup_lat", Float, nullable=False),
    Column("pickup_lon", JSON(), nullable=False),
    Column("delivery_zone", JSON, nullable=False),
    Column("opening_hours", JSON, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("prep_minutes", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("paused_until", UTCDateTime, nullable=True),  # new orders by message paused until then
    Column("version", Integer, nullable=False),
)

catalog_items = Table(
    "catalog_items", metadata,
    Column("merchant_id", ID, ForeignKey("merchants.id", ondelete="CASCADE"), primary_key=True),
    Column("sku", String(100), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("aliases", JSON, nullable=False),
    Column("price_cents", Integer, nullable=False),
    Column("options", JSON, nullable=False),
    Column("available", Boolean, nullable=False),
)

customers = Table(
    "customers", metadata,
    Column("id", ID, primary_key=True),
    Column("phone_hash", String(64), nullable=True, unique=True),
    Column("phone_enc", LargeBinary, nullable=True),
    Column("name_enc", LargeBinary, nullable=True),
    Column("language", String(2), nullable=False),
    Column("marketing_consent", Boolean, nullable=False),
    Column("opted_out", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("erased_at", UTCDateTime, nullable=True),
    Column("version", Integer, nullable=False),
)

couriers = Table(
    "couriers", metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("vehicle", String(16), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("position_at", UTCDateTime, nullable=True),
    Column("shift_started_at", UTCDateTime, nullable=True),
    Column("shift_ends_at", UTCDateTime, nullable=True),
    # the next shift booked ahead (allo.domain.courier.ShiftBooking)
    Column("booked_from", UTCDateTime, nullable=True, index=True),
    Column("booked_until", UTCDateTime, nullable=True),
    Column("booked_lat", Float, nullable=True),
    Column("booked_lon", Float, nullable=True),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
)

orders = Table(
    "orders", metadata,
    Column("id", ID, primary_key=True),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=False, index=True),
    Column("customer_id", ID, ForeignKey("customers.id"), nullable=True, index=True),
    Column("conversation_id", ID, nullable=True, index=True),
    Column("tracking_token", String(64), nullable=True, unique=True),
    Column("status", String(16), nullable=False, index=True),
    Column("courier_id", ID, ForeignKey("couriers.id"), nullable=True, index=True),
    Column("currency", String(3), nullable=False),
    Column("lines", JSON, nullable=False),
    Column("delivery_fee_cents", Integer, nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("dropoff_enc", LargeBinary, nullable=False),
    Column("notes_enc", LargeBinary, nullable=True),
    Column("requested_for", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False, index=True),
    Column("ready_at", UTCDateTime, nullable=True),
    Column("expected_ready_at", UTCDateTime, nullable=True),  # the kitchen's estimate (Order.expect_ready)
    Column("held_reason", String(200), nullable=True),  # kept for manual dispatch (Order.hold)
    Column("reason", String(500), nullable=True),
    Column("pin_enc", LargeBinary, nullable=True),  # the handover PIN (see allo.domain.handover)
    Column("pin_failures", Integer, nullable=False, server_default="0"),
    Column("version", Integer, nullable=False),
)

order_transitions = Table(
    "order_transitions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", ID, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("action", String(16), nullable=True),
    Column("at", UTCDateTime, nullable=False),
    Column("reason", String(500), nullable=True),
)

assignments = Table(
    "assignments", metadata,
    Column("id", ID, primary_key=True),
    Column("courier_id", ID, ForeignKey("couriers.id"), nullable=False, index=True),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=False),
    Column("order_ids", JSON, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("offered_at", UTCDateTime, nullable=False, index=True),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("planned_pickup_at", UTCDateTime, nullable=True),
    Column("planned_dropoff_at", JSON, nullable=False),
    Column("responded_at", UTCDateTime, nullable=True),
    Column("arrived_at", UTCDateTime, nullable=True),
    Column("manual", Boolean, nullable=False),
    Column("reason", String(500), nullable=True),
    Column("version", Integer, nullable=False),
)

users = Table(
    "users", metadata,
    Column("id", ID, primary_key=True),
    Column("username", String(63), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=True),
    Column("courier_id", ID, ForeignKey("couriers.id"), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked", Boolean, nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("actor_id", ID, nullable=True),
    Column("action", String(64), nullable=False),
    Column("subject_type", String(32), nullable=False),
    Column("subject_id", ID, nullable=False),
    Column("detail", Text, nullable=True),
)

domain_events = Table(
    "domain_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, index=True),
    Column("aggregate_id", ID, nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("data", JSON, nullable=False),
)

Index("ix_assignments_courier_status", assignments.c.courier_id, assignments.c.status)

# messaging ------------------------------------------------------------------------------------

inbox_messages = Table(
    "inbox_messages", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", String(16), nullable=False),
    Column("provider_message_id", String(200), nullable=False),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=True),
    Column("sender_hash", String(64), nullable=False, index=True),
    Column("sender_enc", LargeBinary, nullable=False),
    Column("text_enc", LargeBinary, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False, index=True),  # pending, processed, failed
    Column("attempts", Integer, nullable=False),
    Column("processed_at", UTCDateTime, nullable=True),
    Column("error", String(500), nullable=True),
    UniqueConstraint("channel", "provider_message_id", name="uq_inbox_provider_message"),
)

outbox_messages = Table(
    "outbox_messages", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dedupe_key", String(200), nullable=False, unique=True),
    Column("channel", String(16), nullable=False),
    Column("recipient_hash", String(64), nullable=False, index=True),
    Column("recipient_enc", LargeBinary, nullable=False),
    Column("text_enc", LargeBinary, nullable=False),
    Column("template", JSON, nullable=True),
    Column("order_id", ID, nullable=True, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False, index=True),  # pending, sending, sent, failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False, index=True),
    Column("lease_until", UTCDateTime, nullable=True),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("provider_message_id", String(200), nullable=True),
    Column("last_error", String(500), nullable=True),
)

conversations = Table(
    "conversations", metadata,
    Column("id", ID, primary_key=True),
    Column("channel", String(16), nullable=False),
    Column("address_hash", String(64), nullable=False),
    Column("address_enc", LargeBinary, nullable=False),
    Column("merchant_id", ID, ForeignKey("merchants.id"), nullable=True),
    Column("customer_id", ID, ForeignKey("customers.id"), nullable=True),
    Column("state_enc", LargeBinary, nullable=False),
    Column("opted_out", Boolean, nullable=False),
    Column("last_inbound_at", UTCDateTime, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    UniqueConstraint("channel", "address_hash", "merchant_id", name="uq_conversation_address"),
)

event_cursors = Table(
    "event_cursors", metadata,
    Column("consumer", String(64), primary_key=True),
    Column("last_event_id", Integer, nullable=False),
)

order_ratings = Table(
    "order_ratings", metadata,
    Column("order_id", ID, ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True),
    Column("stars", Integer, nullable=False),
    Column("comment_enc", LargeBinary, nullable=True),
    Column("at", UTCDateTime, nullable=False),
)

dispatch_estimates = Table(  # written by the city's dispatcher every tick: when a waiting order should arrive
    "dispatch_estimates", metadata,
    Column("order_id", ID, ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True),
    Column("dropoff_at", UTCDateTime, nullable=False),
    Column("computed_at", UTCDateTime, nullable=False, index=True),
)

arrival_promises = Table(  # the arrival time a customer was last told (placing, asking, a delay notice)
    "arrival_promises", metadata,
    Column("order_id", ID, ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True),
    Column("arrival_at", UTCDateTime, nullable=False),
    Column("told_at", UTCDateTime, nullable=False),
)

leases = Table(
    "leases", metadata,
    Column("name", String(100), primary_key=True),
    Column("holder", String(100), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

relay_messages = Table(
    "relay_messages", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", ID, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("courier_id", ID, ForeignKey("couriers.id"), nullable=True),
    Column("sender", String(16), nullable=False),  # customer, courier
    Column("status", String(16), nullable=False),  # relayed, refused (the relay was closed)
    Column("at", UTCDateTime, nullable=False),
    Column("text_enc", LargeBinary, nullable=False),
)
