"""The built-in web chat: the browser "phone" page talks to Allo without any provider.

Inbound: the page POSTs JSON `{"session_id": str, "message_id": str, "text": str}`; the session id
is the sender and the page's own message id (a UUID it makes, reused on retry) is the provider
message id, so a resubmitted message is deduplicated like any other. There is no signature: the
route should tie `session_id` to the browser's session cookie before calling `parse`.
Outbound: `send` appends the reply to a `WebchatSink` the page polls or streams; the in-memory
sink here serves the demo and tests, and the lead backs it with the outbox table.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from allo.domain.clock import Clock
from allo.services.ports.channel import (
    ChannelSendError,
    DeliveryStatus,
    InboundMessage,
    MalformedWebhook,
    OutboundMessage,
    SendResult,
    WebhookRejected,
    WebhookRequest,
    WebhookResponse,
)

_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,128}")
MAX_TEXT = 4000


def is_valid_token(value: object) -> bool:
    """Session and message ids: 8 to 128 characters from A-Z a-z 0-9 _ -."""
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


@dataclass(frozen=True)
class WebchatOutgoing:
    """One reply waiting for (or already shown to) the browser. `seq` grows per session."""

    message_id: str
    session_id: str
    seq: int
    text: str
    created_at: datetime


class WebchatSink(Protocol):
    """Where replies to the browser go. Returns the stored reply's id."""

    def append(self, session_id: str, text: str, at: datetime) -> str: ...


class InMemoryWebchatSink:
    """Replies kept in memory per session; thread-safe, with a blocking wait for long-polling."""

    def __init__(self) -> None:
        self._by_session: dict[str, list[WebchatOutgoing]] = {}
        self._counter = 0
        self._changed = threading.Condition()

    def append(self, session_id: str, text: str, at: datetime) -> str:
        with self._changed:
            self._counter += 1
            queue = self._by_session.setdefault(session_id, [])
            item = WebchatOutgoing(f"wc-{self._counter}", session_id, len(queue) + 1, text, at)
            queue.append(item)
            self._changed.notify_all()
            return item.message_id

    def since(self, session_id: str, after_seq: int = 0) -> list[WebchatOutgoing]:
        """Replies for a session with seq greater than `after_seq`, oldest first."""
        with self._changed:
            return [m for m in self._by_session.get(session_id, []) if m.seq > after_seq]

    def wait(self, session_id: str, after_seq: int, timeout: float) -> list[WebchatOutgoing]:
        """Like `since`, but waits up to `timeout` seconds for something new (long-polling)."""
        with self._changed:
            self._changed.wait_for(lambda: bool(self._newer(session_id, after_seq)), timeout)
            return self._newer(session_id, after_seq)

    def _newer(self, session_id: str, after_seq: int) -> list[WebchatOutgoing]:
        return [m for m in self._by_session.get(session_id, []) if m.seq > after_seq]


class WebchatChannel:
    """The web chat channel: no provider, no signature, replies into a sink."""

    name = "webchat"

    def __init__(self, *, clock: Clock, sink: WebchatSink | None = None) -> None:
        self._clock = clock
        self.sink: WebchatSink = sink if sink is not None else InMemoryWebchatSink()

    # ---- inbound ------------------------------------------------------------------------------

    def verify(self, request: WebhookRequest) -> None:
        """No signature to check; reject anything that is not a well-formed JSON POST."""
        if request.method != "POST":
            raise WebhookRejected("webchat accepts POST only", code="invalid_request")
        self._fields(request, error=WebhookRejected, code="invalid_request")

    def parse(self, request: WebhookRequest) -> list[InboundMessage]:
        fields = self._fields(request, error=MalformedWebhook, code="malformed_payload")
        session_id, message_id, text = fields
        return [self.message_from(session_id, message_id, text)]

    def message_from(self, session_id: str, message_id: str, text: str) -> InboundMessage:
        """Build the inbound message directly (for a route that has already decoded the body)."""
        if not is_valid_token(session_id) or not is_valid_token(message_id):
            raise MalformedWebhook("webchat: bad session_id or message_id")
        return InboundMessage(
            channel=self.name,
            provider_message_id=message_id,
            sender=session_id,
            text=text[:MAX_TEXT],
            received_at=self._clock.now(),
        )

    def parse_statuses(self, request: WebhookRequest) -> list[DeliveryStatus]:
        return []

    def acknowledge(self) -> WebhookResponse:
        return WebhookResponse(200, "application/json", b'{"ok":true}')

    def _fields(
        self, request: WebhookRequest, *, error: Callable[..., Exception], code: str
    ) -> tuple[str, str, str]:
        try:
            payload: Any = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise error("webchat: body is not JSON", code=code) from exc
        if not isinstance(payload, dict):
            raise error("webchat: body is not a JSON object", code=code)
        session_id, message_id = payload.get("session_id"), payload.get("message_id")
        text = payload.get("text")
        if not is_valid_token(session_id) or not is_valid_token(message_id):
            raise error("webchat: bad session_id or message_id", code=code)
        if not isinstance(text, str):
            raise error("webchat: text must be a string", code=code)
        return session_id, message_id, text

    # ---- outbound -----------------------------------------------------------------------------

    def send(self, message: OutboundMessage) -> SendResult:
        """Append the reply for the browser to fetch."""
        if not is_valid_token(message.recipient):
            raise ChannelSendError(
                "webchat: recipient is not a session id", retryable=False, code="rejected"
            )
        message_id = self.sink.append(message.recipient, message.text, self._clock.now())
        return SendResult(provider_message_id=message_id)

    def close(self) -> None:
        """Nothing to release."""


__all__ = [
    "InMemoryWebchatSink",
    "WebchatChannel",
    "WebchatOutgoing",
    "WebchatSink",
    "is_valid_token",
]
