"""The built-in web chat: JSON posts from the browser, replies into a sink."""

from __future__ import annotations

import json
import threading

import pytest

from allo.adapters.channels.webchat import InMemoryWebchatSink, WebchatChannel
from allo.domain.clock import FixedClock
from allo.services.ports.channel import (
    ChannelSendError,
    MalformedWebhook,
    OutboundMessage,
    WebhookRejected,
    WebhookRequest,
)

URL = "https://allo.example/chat/messages"
SESSION = "sess_0123456789abcdef"


def post(payload: object) -> WebhookRequest:
    return WebhookRequest("POST", URL, {"Content-Type": "application/json"}, json.dumps(payload).encode())


def test_parse_uses_the_session_as_sender_and_the_page_message_id() -> None:
    channel = WebchatChannel(clock=FixedClock())
    request = post({"session_id": SESSION, "message_id": "msg-00000001", "text": "menu"})
    channel.verify(request)
    [message] = channel.parse(request)
    assert (message.channel, message.sender, message.provider_message_id, message.text) == (
        "webchat",
        SESSION,
        "msg-00000001",
        "menu",
    )


@pytest.mark.parametrize(
    "payload",
    [
        {"session_id": "short", "message_id": "msg-00000001", "text": "x"},
        {"session_id": SESSION, "message_id": "bad id with spaces", "text": "x"},
        {"session_id": SESSION, "message_id": "msg-00000001", "text": 3},
        ["not", "an", "object"],
    ],
)
def test_bad_requests(payload: object) -> None:
    channel = WebchatChannel(clock=FixedClock())
    with pytest.raises(WebhookRejected) as caught:
        channel.verify(post(payload))
    assert caught.value.code == "invalid_request"
    with pytest.raises(MalformedWebhook):
        channel.parse(post(payload))


def test_get_is_rejected() -> None:
    with pytest.raises(WebhookRejected):
        WebchatChannel(clock=FixedClock()).verify(WebhookRequest("GET", URL))


def test_send_appends_to_the_sink_in_order() -> None:
    sink = InMemoryWebchatSink()
    channel = WebchatChannel(clock=FixedClock(), sink=sink)
    first = channel.send(OutboundMessage("webchat", SESSION, "Bonjour !"))
    second = channel.send(OutboundMessage("webchat", SESSION, "Votre total : 12,40 €"))
    assert first.provider_message_id != second.provider_message_id
    assert [m.text for m in sink.since(SESSION)] == ["Bonjour !", "Votre total : 12,40 €"]
    assert [m.text for m in sink.since(SESSION, after_seq=1)] == ["Votre total : 12,40 €"]
    assert sink.since("sess_other_session") == []


def test_send_to_a_non_session_is_final() -> None:
    with pytest.raises(ChannelSendError) as caught:
        WebchatChannel(clock=FixedClock()).send(OutboundMessage("webchat", "+33 6", "x"))
    assert caught.value.retryable is False


def test_long_poll_wakes_on_append() -> None:
    sink = InMemoryWebchatSink()
    assert sink.wait(SESSION, 0, timeout=0.01) == []
    timer = threading.Timer(0.05, sink.append, args=(SESSION, "ok", FixedClock().now()))
    timer.start()
    try:
        got = sink.wait(SESSION, 0, timeout=5)
    finally:
        timer.join()
    assert [m.text for m in got] == ["ok"]
