"""WhatsApp Cloud API inbound: handshake, X-Hub-Signature-256, messages vs statuses, 24-h window."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from allo.adapters.channels.signatures import hub_signature_256
from allo.adapters.channels.whatsapp import WhatsAppChannel
from allo.domain.clock import FixedClock
from allo.services.ports.channel import (
    ChannelSendError,
    HandshakeChannel,
    MalformedWebhook,
    OutboundMessage,
    WebhookRejected,
    WebhookRequest,
)

SECRET = "app-secret-for-tests"
URL = "https://allo.example/webhooks/whatsapp"
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)

# Shaped like Meta's documented "messages" webhook payload (text message + a status).
PAYLOAD = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "field": "messages",
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "15550783881",
                            "phone_number_id": "106540352242922",
                        },
                        "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}],
                        "messages": [
                            {
                                "from": "16505551234",
                                "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQ3QTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                                "timestamp": "1749416383",
                                "type": "text",
                                "text": {"body": "hi can i get two large pepperoni"},
                            },
                            {
                                "from": "16505551234",
                                "id": "wamid.IMAGE",
                                "timestamp": "1749416384",
                                "type": "image",
                                "image": {"id": "1234", "mime_type": "image/jpeg"},
                            },
                        ],
                    },
                }
            ],
        }
    ],
}
STATUSES = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "field": "messages",
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {"phone_number_id": "106540352242922"},
                        "statuses": [
                            {
                                "id": "wamid.OUT1",
                                "status": "failed",
                                "timestamp": "1749416400",
                                "recipient_id": "16505551234",
                                "errors": [{"code": 131047, "title": "Re-engagement message"}],
                            }
                        ],
                    },
                }
            ],
        }
    ],
}


def make(clock: FixedClock | None = None, **kwargs: object) -> WhatsAppChannel:
    return WhatsAppChannel(
        app_secret=SECRET,
        verify_token="verify-me",
        access_token="EAAG-token",
        phone_number_id="106540352242922",
        clock=clock or FixedClock(NOW),
        **kwargs,  # type: ignore[arg-type]
    )


def signed(payload: object, secret: str = SECRET) -> WebhookRequest:
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": hub_signature_256(secret, body)}
    return WebhookRequest("POST", URL, headers, body)


def test_handshake_echoes_the_challenge() -> None:
    channel = make()
    assert isinstance(channel, HandshakeChannel)
    request = WebhookRequest(
        "GET", URL + "?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444"
    )
    response = channel.handshake(request)
    assert (response.status, response.body) == (200, b"1158201444")


@pytest.mark.parametrize(
    "query",
    [
        "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
        "hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1",
        "hub.challenge=1",
    ],
)
def test_handshake_refuses_a_wrong_token(query: str) -> None:
    with pytest.raises(WebhookRejected) as caught:
        make().handshake(WebhookRequest("GET", f"{URL}?{query}"))
    assert caught.value.code == "invalid_verify_token"


def test_signature_checks_the_raw_body() -> None:
    channel = make()
    good = signed(PAYLOAD)
    channel.verify(good)
    tampered = WebhookRequest("POST", URL, good.headers, good.body.replace(b"two", b"ten"))
    with pytest.raises(WebhookRejected) as caught:
        channel.verify(tampered)
    assert caught.value.code == "invalid_signature"
    with pytest.raises(WebhookRejected):
        channel.verify(signed(PAYLOAD, secret="not-the-secret"))
    with pytest.raises(WebhookRejected) as caught:
        channel.verify(WebhookRequest("POST", URL, {}, good.body))
    assert caught.value.code == "missing_signature"


def test_parse_messages_and_ignore_statuses() -> None:
    channel = make()
    text, image = channel.parse(signed(PAYLOAD))
    assert text.channel == "whatsapp"
    assert text.provider_message_id.startswith("wamid.HBg")
    assert text.sender == "16505551234"
    assert text.text == "hi can i get two large pepperoni"
    assert text.received_at == NOW
    assert text.sent_at == datetime.fromtimestamp(1749416383, tz=timezone.utc)
    assert text.metadata["profile_name"] == "Sheena Nelson"
    assert text.metadata["phone_number_id"] == "106540352242922"
    assert (image.text, image.metadata["type"]) == ("", "image")
    assert channel.parse_statuses(signed(PAYLOAD)) == []


def test_statuses_are_returned_separately() -> None:
    channel = make()
    assert channel.parse(signed(STATUSES)) == []
    [status] = channel.parse_statuses(signed(STATUSES))
    assert (status.provider_message_id, status.status, status.error_code) == (
        "wamid.OUT1",
        "failed",
        "131047",
    )


def test_interactive_reply_text() -> None:
    payload = json.loads(json.dumps(PAYLOAD))
    payload["entry"][0]["changes"][0]["value"]["messages"] = [
        {
            "from": "16505551234",
            "id": "wamid.BTN",
            "timestamp": "1749416390",
            "type": "interactive",
            "interactive": {"type": "button_reply", "button_reply": {"id": "yes", "title": "Oui"}},
        }
    ]
    [message] = make().parse(signed(payload))
    assert message.text == "Oui"


def test_malformed_json() -> None:
    with pytest.raises(MalformedWebhook):
        make().parse(WebhookRequest("POST", URL, {}, b"{not json"))


class Lookup:
    def __init__(self, last: datetime | None) -> None:
        self.last = last
        self.calls: list[tuple[str, str]] = []

    def __call__(self, channel: str, sender: str) -> datetime | None:
        self.calls.append((channel, sender))
        return self.last


def test_free_text_inside_the_window() -> None:
    lookup = Lookup(NOW - timedelta(hours=23, minutes=59))
    payload = make(last_inbound=lookup).build_payload(
        OutboundMessage("whatsapp", "16505551234", "Votre commande arrive")
    )
    assert payload["type"] == "text"
    assert payload["text"]["body"] == "Votre commande arrive"
    assert lookup.calls == [("whatsapp", "16505551234")]


def test_template_outside_the_window() -> None:
    lookup = Lookup(NOW - timedelta(hours=24))
    message = OutboundMessage(
        "whatsapp", "16505551234", "Votre commande arrive", "order_update", ("A12", "12:40")
    )
    payload = make(last_inbound=lookup).build_payload(message)
    assert payload["type"] == "template"
    template = payload["template"]
    assert template["name"] == "order_update"
    assert template["language"] == {"code": "fr"}
    assert [p["text"] for p in template["components"][0]["parameters"]] == ["A12", "12:40"]


def test_fallback_template_when_the_message_has_none() -> None:
    channel = make(last_inbound=Lookup(None), fallback_template="allo_reply", template_language="en")
    payload = channel.build_payload(OutboundMessage("whatsapp", "1", "Your order is on its way"))
    assert payload["template"]["name"] == "allo_reply"
    assert payload["template"]["language"] == {"code": "en"}
    assert payload["template"]["components"][0]["parameters"] == [
        {"type": "text", "text": "Your order is on its way"}
    ]


def test_no_template_outside_the_window_is_a_final_error() -> None:
    channel = make(last_inbound=Lookup(NOW - timedelta(days=3)))
    with pytest.raises(ChannelSendError) as caught:
        channel.build_payload(OutboundMessage("whatsapp", "1", "hello"))
    assert caught.value.retryable is False
    assert caught.value.code == "template_required"


def test_window_moves_with_the_injected_clock() -> None:
    clock = FixedClock(NOW)
    channel = make(clock, last_inbound=Lookup(NOW))
    assert channel.within_window("1")
    clock.advance(hours=23, minutes=59, seconds=59)
    assert channel.within_window("1")
    clock.advance(seconds=1)
    assert not channel.within_window("1")


def test_changes_for_another_phone_number_are_left_out() -> None:
    payload = json.loads(json.dumps(PAYLOAD))
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    assert make().parse(signed(payload)) == []
