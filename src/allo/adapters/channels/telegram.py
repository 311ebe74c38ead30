"""Telegram Bot API: secret-token webhooks carrying `Update` JSON, `sendMessage` out."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any


from allo.adapters.channels._transport import HttpTransport
from allo.adapters.channels._http import HttpSender, is_retryable_status, json_or_none
from allo.adapters.channels.signatures import constant_time_equal
from allo.domain.clock import Clock
from allo.services.ports.channel import (
    ChannelConfigError,
    DeliveryStatus,
    InboundMessage,
    MalformedWebhook,
    OutboundMessage,
    SendResult,
    WebhookRejected,
    WebhookRequest,
    WebhookResponse,
)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_BASE_URL = "https://api.telegram.org"
_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")


class TelegramChannel:
    """The Telegram bot channel.

    Inbound: Telegram sends the `secret_token` given to setWebhook in
    `X-Telegram-Bot-Api-Secret-Token`; each POST is one `Update`. Its `update_id` is the provider
    message id and `message.chat.id` the sender. Updates without a `message` (edits, callbacks,
    channel posts) are acknowledged and ignored. Telegram sends no delivery receipts.
    Outbound: POST {base_url}/bot{token}/sendMessage.
    """

    name = "telegram"

    def __init__(
        self,
        *,
        bot_token: str,
        secret_token: str,
        clock: Clock,
        base_url: str = DEFAULT_BASE_URL,
        transport: HttpTransport | None = None,
        timeout: float | None = None,
    ) -> None:
        if not bot_token or not secret_token:
            raise ChannelConfigError("telegram needs a bot token and a webhook secret token")
        if not _SECRET_SHAPE.fullmatch(secret_token):
            raise ChannelConfigError(
                "telegram secret token: 1 to 256 characters from A-Z a-z 0-9 _ - (Bot API rule)"
            )
        self._bot_token = bot_token
        self._secret_token = secret_token
        self._clock = clock
        self._base_url = base_url.rstrip("/")
        self._http = HttpSender(provider=self.name, transport=transport, timeout=timeout)

    # ---- inbound ------------------------------------------------------------------------------

    def verify(self, request: WebhookRequest) -> None:
        """Compare `X-Telegram-Bot-Api-Secret-Token` with ours in constant time."""
        token = request.header(SECRET_HEADER)
        if not token:
            raise WebhookRejected(f"missing {SECRET_HEADER} header", code="missing_signature")
        if not constant_time_equal(token, self._secret_token):
            raise WebhookRejected(f"{SECRET_HEADER} does not match", code="invalid_secret_token")

    def parse(self, request: WebhookRequest) -> list[InboundMessage]:
        """The customer message in an Update (text, or a media caption; empty for other media)."""
        try:
            update = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedWebhook("telegram: body is not JSON") from exc
        if not isinstance(update, dict) or "update_id" not in update:
            raise MalformedWebhook("telegram: not an Update (no update_id)")
        message = update.get("message")
        if not isinstance(message, dict):
            return []
        chat = message.get("chat")
        if not isinstance(chat, dict) or chat.get("id") is None:
            raise MalformedWebhook("telegram: message without chat.id")
        author = message.get("from") if isinstance(message.get("from"), dict) else {}
        metadata: dict[str, Any] = {
            "message_id": message.get("message_id"),
            "chat_type": chat.get("type"),
        }
        for key in ("first_name", "username", "language_code"):
            if author.get(key):
                metadata[key] = author[key]
        text = message.get("text")
        if text is None:
            text = message.get("caption", "")
            metadata["type"] = _media_kind(message)
        else:
            metadata["type"] = "text"
        return [
            InboundMessage(
                channel=self.name,
                provider_message_id=str(update["update_id"]),
                sender=str(chat["id"]),
                text=str(text),
                received_at=self._clock.now(),
                sent_at=_unix(message.get("date")),
                metadata=metadata,
            )
        ]

    def parse_statuses(self, request: WebhookRequest) -> list[DeliveryStatus]:
        """Telegram sends no delivery receipts."""
        return []

    def acknowledge(self) -> WebhookResponse:
        return WebhookResponse(200, "text/plain; charset=utf-8", b"")

    # ---- outbound -----------------------------------------------------------------------------

    @property
    def send_url(self) -> str:
        return f"{self._base_url}/bot{self._bot_token}/sendMessage"

    def send(self, message: OutboundMessage) -> SendResult:
        """sendMessage to the chat; the result carries Telegram's `message_id`."""
        response = self._http.post(
            self.send_url, json_body={"chat_id": message.recipient, "text": message.text}
        )
        body = json_or_none(response)
        ok = isinstance(body, dict) and body.get("ok") is True
        if not response.is_success or not ok:
            detail, code = "", None
            if isinstance(body, dict):
                detail = str(body.get("description", ""))
                code = str(body["error_code"]) if body.get("error_code") is not None else None
            error = self._http.failure(response, detail=detail, provider_code=code)
            params = body.get("parameters") if isinstance(body, dict) else None
            if isinstance(params, dict) and isinstance(params.get("retry_after"), (int, float)):
                error.retry_after = float(params["retry_after"])
            if response.is_success:  # 200 with ok=false: classify by Telegram's error_code
                status = body.get("error_code") if isinstance(body, dict) else None
                error.retryable = isinstance(status, int) and is_retryable_status(status)
                error.code = "send_failed" if error.retryable else "rejected"
            raise error
        result = body.get("result")
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return SendResult(provider_message_id=str(message_id) if message_id is not None else None)

    def close(self) -> None:
        self._http.close()


def _media_kind(message: dict[str, Any]) -> str:
    for kind in ("photo", "voice", "audio", "video", "document", "sticker", "location", "contact"):
        if kind in message:
            return kind
    return "other"


def _unix(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


__all__ = ["DEFAULT_BASE_URL", "SECRET_HEADER", "TelegramChannel"]
