"""Telegram inbound: secret token header, Update JSON."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from allo.adapters.channels.telegram import TelegramChannel
from allo.domain.clock import FixedClock
from allo.services.ports.channel import MalformedWebhook, WebhookRejected, WebhookRequest

URL = "https://allo.example/webhooks/telegram"
SECRET = "s3cr3t_TOKEN-for-tests"
UPDATE = {
    "update_id": 10000,
    "message": {
        "message_id": 1365,
        "from": {"id": 1111111, "is_bot": False, "first_name": "Amélie", "language_code": "fr"},
        "chat": {"id": 1111111, "type": "private", "first_name": "Amélie"},
        "date": 1441645532,
        "text": "2 doliprane stp + sirop toux",
    },
}


@pytest.fixture
def channel() -> TelegramChannel:
    return TelegramChannel(bot_token="123456:ABC-DEF", secret_token=SECRET, clock=FixedClock())


def request(payload: object, token: str | None = SECRET) -> WebhookRequest:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = token
    return WebhookRequest("POST", URL, headers, json.dumps(payload).encode())


def test_secret_token(channel: TelegramChannel) -> None:
    channel.verify(request(UPDATE))
    for token, code in ((SECRET + "x", "invalid_secret_token"), (SECRET[:-1], "invalid_secret_token"),
                        ("", "missing_signature"), (None, "missing_signature")):
        with pytest.raises(WebhookRejected) as caught:
            channel.verify(request(UPDATE, token))
        assert caught.value.code == code


def test_header_name_is_case_insensitive(channel: TelegramChannel) -> None:
    body = json.dumps(UPDATE).encode()
    channel.verify(WebhookRequest("POST", URL, {"x-telegram-bot-api-secret-token": SECRET}, body))


def test_parse_text_update(channel: TelegramChannel) -> None:
    [message] = channel.parse(request(UPDATE))
    assert message.channel == "telegram"
    assert message.provider_message_id == "10000"
    assert message.sender == "1111111"
    assert message.text == "2 doliprane stp + sirop toux"
    assert message.sent_at == datetime.fromtimestamp(1441645532, tz=timezone.utc)
    assert message.metadata["language_code"] == "fr"
    assert channel.parse_statuses(request(UPDATE)) == []


def test_non_message_updates_are_ignored(channel: TelegramChannel) -> None:
    edited = {"update_id": 10001, "edited_message": UPDATE["message"]}
    assert channel.parse(request(edited)) == []


def test_photo_with_caption(channel: TelegramChannel) -> None:
    message = dict(UPDATE["message"])  # type: ignore[arg-type]
    del message["text"]
    message.update(photo=[{"file_id": "x"}], caption="ordonnance")
    [parsed] = channel.parse(request({"update_id": 10002, "message": message}))
    assert (parsed.text, parsed.metadata["type"]) == ("ordonnance", "photo")


def test_malformed(channel: TelegramChannel) -> None:
    for payload in ([1, 2], {"message": {}}):
        with pytest.raises(MalformedWebhook):
            channel.parse(request(payload))
    with pytest.raises(MalformedWebhook):
        channel.parse(WebhookRequest("POST", URL, {}, b"\xff"))


def test_secret_token_shape_is_checked_at_construction() -> None:
    from allo.services.ports.channel import ChannelConfigError

    with pytest.raises(ChannelConfigError):
        TelegramChannel(bot_token="1:a", secret_token="has spaces", clock=FixedClock())
