"""The channel port: framework-free request, case-insensitive headers, error codes."""

from __future__ import annotations

from allo.domain.errors import DomainError
from allo.services.ports.channel import (
    ChannelSendError,
    Headers,
    MalformedWebhook,
    WebhookRejected,
    WebhookRequest,
)


def test_headers_are_case_insensitive_and_keep_the_first_value() -> None:
    headers = Headers([("X-Twilio-Signature", "abc"), ("x-twilio-signature", "later")])
    assert headers["x-twilio-signature"] == "abc"
    assert headers.get("X-TWILIO-SIGNATURE") == "abc"
    assert "X-Twilio-Signature" in headers
    assert list(headers) == ["X-Twilio-Signature"]
    assert len(headers) == 1


def test_request_accepts_a_plain_dict_and_parses_the_query() -> None:
    request = WebhookRequest(
        method="get",
        url="https://allo.example/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=42",
        headers={"Content-Type": "text/plain"},
    )
    assert request.method == "GET"
    assert request.header("content-type") == "text/plain"
    assert request.query == {"hub.mode": "subscribe", "hub.challenge": "42"}
    assert request.header("missing") is None


def test_request_form_decodes_plus_and_percent() -> None:
    request = WebhookRequest("POST", "https://a.example/", body=b"From=%2B33612&Body=2+doliprane")
    assert request.form() == [("From", "+33612"), ("Body", "2 doliprane")]


def test_errors_carry_stable_codes() -> None:
    assert WebhookRejected("x").code == "invalid_signature"
    assert WebhookRejected("x", code="missing_signature").code == "missing_signature"
    assert MalformedWebhook("x").code == "malformed_payload"
    error = ChannelSendError("boom", retryable=True, status=503)
    assert isinstance(error, DomainError)
    assert (error.retryable, error.status, error.code) == (True, 503, "send_failed")
