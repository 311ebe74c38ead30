"""Twilio inbound: signature on real form bodies, inbound SMS vs status callbacks."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from allo.adapters.channels.signatures import sha256_hex, twilio_signature
from allo.adapters.channels.twilio import TwilioChannel
from allo.domain.clock import FixedClock
from allo.services.ports.channel import (
    ChannelConfigError,
    MalformedWebhook,
    WebhookRejected,
    WebhookRequest,
)

TOKEN = "12345"
EXAMPLE_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
EXAMPLE_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
URL = "https://allo.example/webhooks/twilio"
SMS = {
    "ToCountry": "FR",
    "SmsMessageSid": "SM0123456789abcdef0123456789abcdef",
    "NumMedia": "0",
    "SmsSid": "SM0123456789abcdef0123456789abcdef",
    "SmsStatus": "received",
    "Body": "2 doliprane 1000 + sirop toux, 14 bd des Moulins code 4521B",
    "To": "+33755550100",
    "MessageSid": "SM0123456789abcdef0123456789abcdef",
    "AccountSid": "AC00000000000000000000000000000000",
    "From": "+33612345678",
}


@pytest.fixture
def channel() -> TwilioChannel:
    return TwilioChannel(
        account_sid="AC00000000000000000000000000000000",
        auth_token=TOKEN,
        from_number="+33755550100",
        clock=FixedClock(),
    )


def signed(params: dict[str, str], url: str = URL, token: str = TOKEN) -> WebhookRequest:
    signature = twilio_signature(token, url, params.items())
    headers = {**FORM, "X-Twilio-Signature": signature}
    return WebhookRequest("POST", url, headers, urlencode(params).encode())


def test_published_example_passes_through_the_adapter(channel: TwilioChannel) -> None:
    headers = {**FORM, "x-twilio-signature": "RSOYDt4T1cUTdK1PDd93/VVr8B8="}
    body = urlencode(EXAMPLE_PARAMS).encode()
    channel.verify(WebhookRequest("POST", EXAMPLE_URL, headers, body))


def test_tampered_body_url_or_header_is_rejected(channel: TwilioChannel) -> None:
    good = signed(SMS)
    channel.verify(good)
    tampered_body = good.body.replace(b"4521B", b"9999B")
    for request in (
        WebhookRequest("POST", URL, good.headers, tampered_body),
        WebhookRequest("POST", URL + "?x=1", good.headers, good.body),
        WebhookRequest("POST", URL, {**FORM, "X-Twilio-Signature": "AAAA" + "=" * 24}, good.body),
        signed(SMS, token="wrong"),
    ):
        with pytest.raises(WebhookRejected) as caught:
            channel.verify(request)
        assert caught.value.code == "invalid_signature"


def test_missing_signature(channel: TwilioChannel) -> None:
    with pytest.raises(WebhookRejected) as caught:
        channel.verify(WebhookRequest("POST", URL, FORM, urlencode(SMS).encode()))
    assert caught.value.code == "missing_signature"


def test_json_body_is_covered_by_body_sha256(channel: TwilioChannel) -> None:
    body = b'{"property": "value", "boolean": true}'
    url = f"{EXAMPLE_URL}&bodySHA256={sha256_hex(body)}"
    headers = {"Content-Type": "application/json", "X-Twilio-Signature": "a9nBmqA0ju/hNViExpshrM61xv4="}
    channel.verify(WebhookRequest("POST", url, headers, body))
    with pytest.raises(WebhookRejected):
        channel.verify(WebhookRequest("POST", url, headers, body.replace(b"true", b"false")))


def test_parse_inbound_sms(channel: TwilioChannel) -> None:
    request = signed(SMS)
    [message] = channel.parse(request)
    assert message.channel == "twilio"
    assert message.provider_message_id == SMS["MessageSid"]
    assert message.sender == "+33612345678"
    assert message.text == SMS["Body"]
    assert message.received_at == FixedClock().now()
    assert message.metadata["to"] == "+33755550100"
    assert channel.parse_statuses(request) == []


def test_parse_media(channel: TwilioChannel) -> None:
    params = dict(SMS, NumMedia="1", MediaUrl0="https://api.twilio.com/media/ME1", Body="")
    [message] = channel.parse(signed(params))
    assert message.text == ""
    assert message.metadata["media_urls"] == ["https://api.twilio.com/media/ME1"]


def test_status_callback_is_a_status_not_a_message(channel: TwilioChannel) -> None:
    params = {
        "MessageSid": "SMaaaa",
        "MessageStatus": "undelivered",
        "ErrorCode": "30003",
        "To": "+33612345678",
        "AccountSid": "AC00000000000000000000000000000000",
    }
    request = signed(params)
    assert channel.parse(request) == []
    [status] = channel.parse_statuses(request)
    assert (status.provider_message_id, status.status, status.error_code) == (
        "SMaaaa",
        "undelivered",
        "30003",
    )


def test_malformed_form(channel: TwilioChannel) -> None:
    with pytest.raises(MalformedWebhook):
        channel.parse(WebhookRequest("POST", URL, FORM, b"Body=hello"))


def test_acknowledge_is_empty_twiml(channel: TwilioChannel) -> None:
    response = channel.acknowledge()
    assert response.status == 200
    assert response.content_type.startswith("text/xml")
    assert b"<Response></Response>" in response.body


def test_missing_settings_are_refused() -> None:
    with pytest.raises(ChannelConfigError):
        TwilioChannel(account_sid="", auth_token="x", from_number="+1", clock=FixedClock())
