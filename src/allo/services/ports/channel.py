"""The channel port: how the application receives and sends customer messages.

Every messaging provider (Twilio SMS, WhatsApp Cloud API, Telegram, the built-in web chat) is an
adapter implementing `Channel`. A webhook route turns the framework's request into a
`WebhookRequest`, calls `verify` (nothing is stored before it passes), then `parse` and
`parse_statuses`, stores the results in the inbox, and answers with `acknowledge()`. The outbox
worker calls `send` and backs off when `ChannelSendError.retryable` is true.

This module is framework-free: standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable
from urllib.parse import parse_qsl, urlsplit

from allo.domain.errors import DomainError

# --------------------------------------------------------------------------------------------
# Requests and responses at the webhook boundary
# --------------------------------------------------------------------------------------------


class Headers(Mapping[str, str]):
    """Read-only HTTP headers with case-insensitive names; a repeated header keeps its first value."""

    __slots__ = ("_items",)

    def __init__(self, source: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        pairs = source.items() if isinstance(source, Mapping) else source
        items: dict[str, tuple[str, str]] = {}
        for name, value in pairs:
            items.setdefault(name.lower(), (name, value))
        self._items = items

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return (original for original, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


@dataclass(frozen=True)
class WebhookRequest:
    """An inbound HTTP request, independent of any web framework.

    `url` is the full URL as the provider called it (scheme, host, path and query string): behind
    a proxy, rebuild it from the public base URL, because Twilio signs it. `query` defaults to the
    parameters parsed from `url`.
    """

    method: str
    url: str
    headers: Headers = field(default_factory=Headers)
    body: bytes = b""
    query: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.headers, Headers):
            object.__setattr__(self, "headers", Headers(self.headers))
        if not self.query:
            pairs = parse_qsl(urlsplit(self.url).query, keep_blank_values=True)
            object.__setattr__(self, "query", dict(pairs))
        object.__setattr__(self, "method", self.method.upper())

    def header(self, name: str, default: str | None = None) -> str | None:
        """The header's value, looked up case-insensitively."""
        return self.headers.get(name, default)

    def form(self) -> list[tuple[str, str]]:
        """The body decoded as application/x-www-form-urlencoded pairs, in order."""
        text = self.body.decode("utf-8", errors="strict")
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False)


@dataclass(frozen=True)
class WebhookResponse:
    """What the webhook route should answer once the request is stored."""

    status: int = 200
    content_type: str = "text/plain; charset=utf-8"
    body: bytes = b""


# --------------------------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboundMessage:
    """A message a customer sent us. (channel, provider_message_id) identifies it exactly once.

    `received_at` is when Allo received it (the injected clock); `sent_at` is the provider's own
    timestamp when it gives one. `metadata` holds provider details worth keeping (profile name,
    language code, our number it was sent to, media urls, the message type).
    """

    channel: str
    provider_message_id: str
    sender: str
    text: str
    received_at: datetime
    sent_at: datetime | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeliveryStatus:
    """A delivery receipt or status callback about a message we sent (never a customer message)."""

    channel: str
    provider_message_id: str
    status: str
    recipient: str | None
    received_at: datetime
    error_code: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboundMessage:
    """A message to send. `template` and `template_params` are used where a provider needs a
    pre-approved template (WhatsApp outside the 24-hour window); other channels send `text`."""

    channel: str
    recipient: str
    text: str
    template: str | None = None
    template_params: tuple[str, ...] = ()
    template_language: str | None = None


@dataclass(frozen=True)
class SendResult:
    """The provider accepted the message. `provider_message_id` is None only when the provider
    answered success without an id (never retry those: the message was accepted)."""

    provider_message_id: str | None
    sent_as_template: bool = False
    metadata: Mapping[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Errors (stable codes; the HTTP layer maps them once)
# --------------------------------------------------------------------------------------------


class ChannelError(DomainError):
    """Base of every error a channel adapter raises on purpose."""

    code = "channel_error"


class WebhookRejected(ChannelError):
    """The inbound request is not authentic. Answer 403 and store nothing.

    Codes: `missing_signature`, `invalid_signature`, `invalid_secret_token`,
    `invalid_verify_token`, `invalid_request`.
    """

    code = "invalid_signature"


class MalformedWebhook(ChannelError):
    """The request is authentic but its body cannot be read. Answer 400. Code `malformed_payload`."""

    code = "malformed_payload"


class ChannelSendError(ChannelError):
    """Sending failed. `retryable` tells the outbox to back off and try again (timeouts, network
    errors, 408/425/429/5xx) or to give up (other 4xx, bad configuration, template required).

    `status` is the provider's HTTP status when there was one; `retry_after` (seconds) echoes the
    provider's hint on 429; `provider_code` is the provider's own error code.
    Codes: `send_failed`, `rate_limited`, `timeout`, `network_error`, `rejected`,
    `template_required`, `unexpected_response`.
    """

    code = "send_failed"

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        code: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        provider_code: str | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after
        self.provider_code = provider_code

    def __repr__(self) -> str:
        return (
            f"ChannelSendError({self.message!r}, retryable={self.retryable}, code={self.code!r}, "
            f"status={self.status!r})"
        )


class ChannelConfigError(ChannelError):
    """A channel's settings are incomplete or invalid. Code `channel_misconfigured`."""

    code = "channel_misconfigured"


# --------------------------------------------------------------------------------------------
# Protocols
# --------------------------------------------------------------------------------------------


@runtime_checkable
class Channel(Protocol):
    """One messaging provider, inbound and outbound."""

    name: str

    def verify(self, request: WebhookRequest) -> None:
        """Raise `WebhookRejected` unless the request provably comes from the provider."""
        ...

    def parse(self, request: WebhookRequest) -> list[InboundMessage]:
        """Customer messages in a verified request; status callbacks are left out."""
        ...

    def parse_statuses(self, request: WebhookRequest) -> list[DeliveryStatus]:
        """Delivery receipts in a verified request (empty where the provider sends none)."""
        ...

    def acknowledge(self) -> WebhookResponse:
        """The answer the provider expects once the request is stored."""
        ...

    def send(self, message: OutboundMessage) -> SendResult:
        """Send one message (blocking; run it in a worker thread); raise `ChannelSendError`."""
        ...

    def close(self) -> None:
        """Release the HTTP client, if any (at shutdown)."""
        ...


@runtime_checkable
class HandshakeChannel(Protocol):
    """A channel that answers a GET subscription handshake (WhatsApp's hub.challenge)."""

    def handshake(self, request: WebhookRequest) -> WebhookResponse:
        """Answer the provider's GET check, or raise `WebhookRejected`."""
        ...


class LastInboundLookup(Protocol):
    """When did this sender last write to us on this channel? None if never (or unknown)."""

    def __call__(self, channel: str, sender: str) -> datetime | None: ...
