"""WhatsApp Cloud API: verify handshake, signed JSON webhooks, Graph API sends, 24-hour window."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any


from allo.adapters.channels._transport import HttpTransport
from allo.adapters.channels._http import HttpSender, json_or_none
from allo.adapters.channels.signatures import constant_time_equal, hub_signature_matches
from allo.domain.clock import Clock
from allo.services.ports.channel import (
    ChannelConfigError,
    ChannelSendError,
    DeliveryStatus,
    InboundMessage,
    LastInboundLookup,
    MalformedWebhook,
    OutboundMessage,
    SendResult,
    WebhookRejected,
    WebhookRequest,
    WebhookResponse,
)

SIGNATURE_HEADER = "X-Hub-Signature-256"
DEFAULT_BASE_URL = "https://graph.facebook.com"
DEFAULT_API_VERSION = "v21.0"
SERVICE_WINDOW = timedelta(hours=24)


class WhatsAppChannel:
    """The WhatsApp Cloud API channel.

    Inbound: a GET handshake (`handshake`), then JSON POSTs signed with `X-Hub-Signature-256`;
    messages are read from entry[].changes[].value.messages[] (provider id: the `wamid`), delivery
    statuses from value.statuses[]. Changes addressed to another phone number id of the same app
    are left out.
    Outbound: POST {base_url}/{api_version}/{phone_number_id}/messages with a bearer token. Free
    text is only allowed within 24 hours of the customer's last message: `last_inbound` tells when
    that was; outside the window a template is sent (the message's own, else `fallback_template`
    with the text as its one body parameter), and with no template at all the send fails for good
    (`template_required`). Without a `last_inbound` lookup the window is not enforced.
    """

    name = "whatsapp"

    def __init__(
        self,
        *,
        app_secret: str,
        verify_token: str,
        access_token: str,
        phone_number_id: str,
        clock: Clock,
        base_url: str = DEFAULT_BASE_URL,
        api_version: str = DEFAULT_API_VERSION,
        last_inbound: LastInboundLookup | None = None,
        fallback_template: str | None = None,
        template_language: str = "fr",
        transport: HttpTransport | None = None,
        timeout: float | None = None,
    ) -> None:
        if not (app_secret and verify_token and access_token and phone_number_id):
            raise ChannelConfigError(
                "whatsapp needs an app secret, a verify token, an access token and a phone number id"
            )
        self._app_secret = app_secret
        self._verify_token = verify_token
        self._access_token = access_token
        self._phone_number_id = phone_number_id
        self._clock = clock
        self._base_url = base_url.rstrip("/")
        self._api_version = api_version.strip("/")
        self._last_inbound = last_inbound
        self._fallback_template = fallback_template
        self._template_language = template_language
        self._http = HttpSender(provider=self.name, transport=transport, timeout=timeout)

    # ---- inbound ------------------------------------------------------------------------------

    def handshake(self, request: WebhookRequest) -> WebhookResponse:
        """Answer Meta's GET check: hub.mode=subscribe and our verify token → echo hub.challenge."""
        mode = request.query.get("hub.mode", "")
        token = request.query.get("hub.verify_token", "")
        challenge = request.query.get("hub.challenge", "")
        if mode != "subscribe" or not constant_time_equal(token, self._verify_token):
            raise WebhookRejected("hub.verify_token does not match", code="invalid_verify_token")
        if not challenge:
            raise WebhookRejected("hub.challenge missing", code="invalid_request")
        return WebhookResponse(200, "text/plain; charset=utf-8", challenge.encode("utf-8"))

    def verify(self, request: WebhookRequest) -> None:
        """Check `X-Hub-Signature-256` over the raw body."""
        header = request.header(SIGNATURE_HEADER)
        if not header:
            raise WebhookRejected("missing X-Hub-Signature-256 header", code="missing_signature")
        if not hub_signature_matches(self._app_secret, request.body, header):
            raise WebhookRejected("X-Hub-Signature-256 does not match", code="invalid_signature")

    def _values(self, request: WebhookRequest) -> list[dict[str, Any]]:
        try:
            payload = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedWebhook("whatsapp: body is not JSON") from exc
        if not isinstance(payload, dict):
            raise MalformedWebhook("whatsapp: body is not a JSON object")
        values: list[dict[str, Any]] = []
        for entry in _list(payload.get("entry")):
            for change in _list(entry.get("changes") if isinstance(entry, dict) else None):
                if isinstance(change, dict) and change.get("field", "messages") == "messages":
                    value = change.get("value")
                    if isinstance(value, dict) and self._for_us(value):
                        values.append(value)
        return values

    def _for_us(self, value: dict[str, Any]) -> bool:
        """One app may serve several numbers: keep only what concerns our phone number id."""
        meta = value.get("metadata")
        number = meta.get("phone_number_id") if isinstance(meta, dict) else None
        return number is None or str(number) == self._phone_number_id

    def parse(self, request: WebhookRequest) -> list[InboundMessage]:
        """Customer messages. Text, button and interactive replies carry their text; other types
        (image, location, ...) come with empty text and their `type` in metadata."""
        received_at = self._clock.now()
        messages: list[InboundMessage] = []
        for value in self._values(request):
            meta = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
            names = _profile_names(value.get("contacts"))
            for raw in _list(value.get("messages")):
                if not isinstance(raw, dict) or not raw.get("id") or not raw.get("from"):
                    continue
                sender = str(raw["from"])
                metadata: dict[str, Any] = {
                    "type": raw.get("type", ""),
                    "phone_number_id": meta.get("phone_number_id"),
                    "display_phone_number": meta.get("display_phone_number"),
                }
                if sender in names:
                    metadata["profile_name"] = names[sender]
                messages.append(
                    InboundMessage(
                        channel=self.name,
                        provider_message_id=str(raw["id"]),
                        sender=sender,
                        text=_message_text(raw),
                        received_at=received_at,
                        sent_at=_unix(raw.get("timestamp")),
                        metadata=metadata,
                    )
                )
        return messages

    def parse_statuses(self, request: WebhookRequest) -> list[DeliveryStatus]:
        """Delivery statuses (sent, delivered, read, failed) for messages we sent."""
        received_at = self._clock.now()
        statuses: list[DeliveryStatus] = []
        for value in self._values(request):
            for raw in _list(value.get("statuses")):
                if not isinstance(raw, dict) or not raw.get("id") or not raw.get("status"):
                    continue
                errors = _list(raw.get("errors"))
                first = errors[0] if errors and isinstance(errors[0], dict) else {}
                statuses.append(
                    DeliveryStatus(
                        channel=self.name,
                        provider_message_id=str(raw["id"]),
                        status=str(raw["status"]),
                        recipient=raw.get("recipient_id"),
                        received_at=received_at,
                        error_code=str(first["code"]) if first.get("code") is not None else None,
                        metadata={"timestamp": raw.get("timestamp")},
                    )
                )
        return statuses

    def acknowledge(self) -> WebhookResponse:
        return WebhookResponse(200, "text/plain; charset=utf-8", b"")

    # ---- outbound -----------------------------------------------------------------------------

    @property
    def messages_url(self) -> str:
        return f"{self._base_url}/{self._api_version}/{self._phone_number_id}/messages"

    def within_window(self, recipient: str) -> bool:
        """May we send free text to this user now (last inbound less than 24 hours ago)?"""
        if self._last_inbound is None:
            return True
        last = self._last_inbound(self.name, recipient)
        if last is None:
            return False
        return self._clock.now() - last < SERVICE_WINDOW

    def build_payload(self, message: OutboundMessage) -> dict[str, Any]:
        """The Graph API body: free text inside the window, a template outside it."""
        base: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.recipient,
        }
        if message.text and self.within_window(message.recipient):
            return {**base, "type": "text", "text": {"preview_url": False, "body": message.text}}
        name, params = message.template, message.template_params
        if not name and self._fallback_template and message.text:
            name, params = self._fallback_template, (message.text,)
        if not name:
            raise ChannelSendError(
                "whatsapp: outside the 24-hour window and no template to send",
                retryable=False,
                code="template_required",
            )
        template: dict[str, Any] = {
            "name": name,
            "language": {"code": message.template_language or self._template_language},
        }
        if params:
            body = [{"type": "text", "text": str(p)} for p in params]
            template["components"] = [{"type": "body", "parameters": body}]
        return {**base, "type": "template", "template": template}

    def send(self, message: OutboundMessage) -> SendResult:
        """Send through the Graph API; the result carries the `wamid`."""
        payload = self.build_payload(message)
        response = self._http.post(
            self.messages_url,
            json_body=payload,
            headers={"Authorization": f"Bearer {self._access_token}"},
        )
        body = json_or_none(response)
        if not response.is_success:
            error = body.get("error") if isinstance(body, dict) else None
            detail, code = "", None
            if isinstance(error, dict):
                detail = str(error.get("message", ""))
                code = str(error["code"]) if error.get("code") is not None else None
            raise self._http.failure(response, detail=detail, provider_code=code)
        sent = _list(body.get("messages")) if isinstance(body, dict) else []
        first = sent[0] if sent and isinstance(sent[0], dict) else {}
        return SendResult(
            provider_message_id=str(first["id"]) if first.get("id") else None,
            sent_as_template=payload["type"] == "template",
        )

    def close(self) -> None:
        self._http.close()


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _profile_names(contacts: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    for contact in _list(contacts):
        if isinstance(contact, dict) and contact.get("wa_id"):
            profile = contact.get("profile")
            if isinstance(profile, dict) and profile.get("name"):
                names[str(contact["wa_id"])] = str(profile["name"])
    return names


def _message_text(raw: dict[str, Any]) -> str:
    kind = raw.get("type")
    if kind == "text":
        return str((raw.get("text") or {}).get("body", ""))
    if kind == "button":
        return str((raw.get("button") or {}).get("text", ""))
    if kind == "interactive":
        interactive = raw.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return str(reply.get("title", ""))
    return ""


def _unix(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


__all__ = ["DEFAULT_API_VERSION", "DEFAULT_BASE_URL", "SERVICE_WINDOW", "WhatsAppChannel"]
