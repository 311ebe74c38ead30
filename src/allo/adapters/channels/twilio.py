"""Twilio Programmable Messaging (SMS): signed form webhooks in, REST API out."""

from __future__ import annotations

from typing import Any


from allo.adapters.channels._transport import HttpTransport
from allo.adapters.channels._http import HttpSender, json_or_none
from allo.adapters.channels.signatures import (
    constant_time_equal,
    sha256_hex,
    twilio_signature_matches,
)
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

SIGNATURE_HEADER = "X-Twilio-Signature"
DEFAULT_BASE_URL = "https://api.twilio.com"
EMPTY_TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
_FORM_TYPE = "application/x-www-form-urlencoded"


class TwilioChannel:
    """The Twilio SMS channel.

    Inbound: form-encoded POSTs signed with `X-Twilio-Signature`; the provider message id is
    `MessageSid`. Requests carrying `MessageStatus` are status callbacks, not customer messages.
    Outbound: POST {base_url}/2010-04-01/Accounts/{sid}/Messages.json with basic auth.
    """

    name = "twilio"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str,
        clock: Clock,
        base_url: str = DEFAULT_BASE_URL,
        status_callback_url: str | None = None,
        transport: HttpTransport | None = None,
        timeout: float | None = None,
    ) -> None:
        if not account_sid or not auth_token or not from_number:
            raise ChannelConfigError("twilio needs an account sid, an auth token and a From number")
        self._account_sid = account_sid
        self._auth_token = auth_token
        self._from = from_number
        self._clock = clock
        self._base_url = base_url.rstrip("/")
        self._status_callback_url = status_callback_url
        self._http = HttpSender(provider=self.name, transport=transport, timeout=timeout)

    # ---- inbound ------------------------------------------------------------------------------

    def verify(self, request: WebhookRequest) -> None:
        """Check `X-Twilio-Signature` over the full URL and the sorted POST parameters.

        A non-form body (JSON) is covered by the `bodySHA256` query parameter instead.
        """
        signature = request.header(SIGNATURE_HEADER)
        if not signature:
            raise WebhookRejected("missing X-Twilio-Signature header", code="missing_signature")
        if _is_form(request):
            try:
                params = request.form()
            except UnicodeDecodeError as exc:
                raise WebhookRejected("undecodable form body", code="invalid_signature") from exc
            if not twilio_signature_matches(self._auth_token, request.url, params, signature):
                raise WebhookRejected("X-Twilio-Signature does not match", code="invalid_signature")
            return
        body_hash = request.query.get("bodySHA256", "")
        if not twilio_signature_matches(self._auth_token, request.url, (), signature):
            raise WebhookRejected("X-Twilio-Signature does not match", code="invalid_signature")
        if not body_hash or not constant_time_equal(sha256_hex(request.body), body_hash.lower()):
            raise WebhookRejected("bodySHA256 does not match the body", code="invalid_signature")

    def _params(self, request: WebhookRequest) -> dict[str, str]:
        try:
            return dict(request.form())
        except UnicodeDecodeError as exc:
            raise MalformedWebhook("twilio: body is not UTF-8 form data") from exc

    def parse(self, request: WebhookRequest) -> list[InboundMessage]:
        """The inbound SMS in a verified webhook (none for a status callback)."""
        params = self._params(request)
        if "MessageStatus" in params and params.get("SmsStatus", "") != "received":
            return []
        sid = params.get("MessageSid") or params.get("SmsMessageSid") or params.get("SmsSid")
        sender = params.get("From")
        if not sid or not sender:
            raise MalformedWebhook("twilio: MessageSid or From missing")
        metadata: dict[str, Any] = {"to": params.get("To"), "account_sid": params.get("AccountSid")}
        count = _int(params.get("NumMedia"))
        media = [params[f"MediaUrl{i}"] for i in range(count) if f"MediaUrl{i}" in params]
        if media:
            metadata["media_urls"] = media
        for key in ("FromCity", "FromCountry", "MessagingServiceSid"):
            if params.get(key):
                metadata[key] = params[key]
        return [
            InboundMessage(
                channel=self.name,
                provider_message_id=sid,
                sender=sender,
                text=params.get("Body", ""),
                received_at=self._clock.now(),
                metadata=metadata,
            )
        ]

    def parse_statuses(self, request: WebhookRequest) -> list[DeliveryStatus]:
        """The status callback in a verified webhook (queued, sent, delivered, failed, ...)."""
        params = self._params(request)
        status = params.get("MessageStatus")
        sid = params.get("MessageSid") or params.get("SmsSid")
        if not status or not sid or params.get("SmsStatus") == "received":
            return []
        return [
            DeliveryStatus(
                channel=self.name,
                provider_message_id=sid,
                status=status,
                recipient=params.get("To"),
                received_at=self._clock.now(),
                error_code=params.get("ErrorCode") or None,
            )
        ]

    def acknowledge(self) -> WebhookResponse:
        """An empty TwiML response: replies go through the outbox, never inline."""
        return WebhookResponse(200, "text/xml; charset=utf-8", EMPTY_TWIML)

    # ---- outbound -----------------------------------------------------------------------------

    @property
    def messages_url(self) -> str:
        return f"{self._base_url}/2010-04-01/Accounts/{self._account_sid}/Messages.json"

    def send(self, message: OutboundMessage) -> SendResult:
        """Create a Message through the REST API; the result carries Twilio's `sid`."""
        form = {"To": message.recipient, "From": self._from, "Body": message.text}
        if self._status_callback_url:
            form["StatusCallback"] = self._status_callback_url
        response = self._http.post(
            self.messages_url, form=form, basic_auth=(self._account_sid, self._auth_token)
        )
        payload = json_or_none(response)
        if not response.is_success:
            detail, code = "", None
            if isinstance(payload, dict):
                detail = str(payload.get("message", ""))
                code = str(payload["code"]) if payload.get("code") is not None else None
            raise self._http.failure(response, detail=detail, provider_code=code)
        sid = payload.get("sid") if isinstance(payload, dict) else None
        return SendResult(provider_message_id=str(sid) if sid else None)

    def close(self) -> None:
        self._http.close()


def _is_form(request: WebhookRequest) -> bool:
    content_type = (request.header("Content-Type") or _FORM_TYPE).split(";")[0].strip().lower()
    return content_type == _FORM_TYPE


def _int(value: str | None) -> int:
    try:
        return max(0, min(int(value or 0), 10))
    except ValueError:
        return 0


__all__ = ["DEFAULT_BASE_URL", "SIGNATURE_HEADER", "TwilioChannel"]
