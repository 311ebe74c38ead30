"""Outbound error classification for every HTTP adapter, through a fake transport (no I/O)."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from allo.adapters.channels._transport import HttpReply, HttpRequest

from allo.adapters.channels.telegram import TelegramChannel
from allo.adapters.channels.twilio import TwilioChannel
from allo.adapters.channels.whatsapp import WhatsAppChannel
from allo.domain.clock import FixedClock
from allo.services.ports.channel import ChannelSendError, OutboundMessage

Handler = Callable[[HttpRequest], HttpReply]
BASE = "http://provider.test"


class FakeTransport:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler

    def send(self, request: HttpRequest, timeout: float) -> HttpReply:
        return self.handler(request)

    def close(self) -> None:
        pass


def reply(status: int, body: Any = None, *, content: bytes | None = None,
          headers: dict[str, str] | None = None) -> HttpReply:
    return HttpReply(status, content if content is not None else json.dumps(body).encode(), headers or {})


def build(name: str, handler: Handler):  # type: ignore[no-untyped-def]
    client = FakeTransport(handler)
    clock = FixedClock()
    if name == "twilio":
        return TwilioChannel(account_sid="AC0", auth_token="t", from_number="+3375", clock=clock,
                             base_url=BASE, transport=client)
    if name == "whatsapp":
        return WhatsAppChannel(app_secret="s", verify_token="v", access_token="tok",
                               phone_number_id="1065", clock=clock, base_url=BASE, transport=client)
    return TelegramChannel(bot_token="1:abc", secret_token="x", clock=clock, base_url=BASE,
                           transport=client)


SUCCESS = {
    "twilio": (201, {"sid": "SM1"}, "SM1"),
    "whatsapp": (200, {"messages": [{"id": "wamid.1"}]}, "wamid.1"),
    "telegram": (200, {"ok": True, "result": {"message_id": 7}}, "7"),
}
NAMES = sorted(SUCCESS)


def message(name: str) -> OutboundMessage:
    return OutboundMessage(name, "+33612345678", "Bonjour")


@pytest.mark.parametrize("name", NAMES)
def test_success_returns_the_provider_id(name: str) -> None:
    status, body, expected = SUCCESS[name]
    channel = build(name, lambda request: reply(status, body))
    assert channel.send(message(name)).provider_message_id == expected


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("status", [500, 502, 503, 504, 429, 408])
def test_transient_statuses_are_retryable(name: str, status: int) -> None:
    channel = build(name, lambda request: reply(status, {"error": "x"}))
    with pytest.raises(ChannelSendError) as caught:
        channel.send(message(name))
    assert caught.value.retryable is True
    assert caught.value.status == status


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_final(name: str, status: int) -> None:
    channel = build(name, lambda request: reply(status, {"error": "x"}))
    with pytest.raises(ChannelSendError) as caught:
        channel.send(message(name))
    assert caught.value.retryable is False
    assert caught.value.code == "rejected"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "exc", [ConnectionRefusedError("refused"), TimeoutError("slow"), http.client.RemoteDisconnected("x")]
)
def test_transport_failures_are_retryable(name: str, exc: Exception) -> None:
    def handler(request: HttpRequest) -> HttpReply:
        raise exc

    with pytest.raises(ChannelSendError) as caught:
        build(name, handler).send(message(name))
    assert caught.value.retryable is True
    assert caught.value.code in {"timeout", "network_error"}


@pytest.mark.parametrize("name", ["twilio", "whatsapp"])
def test_success_without_an_id_is_still_success(name: str) -> None:
    status = SUCCESS[name][0]
    channel = build(name, lambda request: reply(status, content=b"<html>"))
    assert channel.send(message(name)).provider_message_id is None


def test_retry_after_and_provider_codes() -> None:
    def twilio(request: HttpRequest) -> HttpReply:
        body = {"code": 20429, "message": "Too Many Requests", "status": 429}
        return reply(429, body, headers={"retry-after": "3"})

    with pytest.raises(ChannelSendError) as caught:
        build("twilio", twilio).send(message("twilio"))
    assert (caught.value.code, caught.value.retry_after, caught.value.provider_code) == (
        "rate_limited", 3.0, "20429")

    def telegram(request: HttpRequest) -> HttpReply:
        body = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 5",
                "parameters": {"retry_after": 5}}
        return reply(429, body)

    with pytest.raises(ChannelSendError) as caught:
        build("telegram", telegram).send(message("telegram"))
    assert (caught.value.retryable, caught.value.retry_after) == (True, 5.0)


def test_telegram_ok_false_with_200_is_classified_by_error_code() -> None:
    body = {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    with pytest.raises(ChannelSendError) as caught:
        build("telegram", lambda r: reply(200, body)).send(message("telegram"))
    assert caught.value.retryable is False


def test_whatsapp_graph_error_code_is_kept() -> None:
    body = {"error": {"message": "(#131030) Recipient not in allowed list", "code": 131030}}
    with pytest.raises(ChannelSendError) as caught:
        build("whatsapp", lambda r: reply(400, body)).send(message("whatsapp"))
    assert caught.value.provider_code == "131030"
    assert "allowed list" in caught.value.message


def test_request_shapes() -> None:
    seen: dict[str, HttpRequest] = {}

    def record(request: HttpRequest) -> HttpReply:
        path = urlsplit(request.url).path
        seen[path] = request
        name = "twilio" if "Accounts" in path else ("telegram" if "/bot" in path else "whatsapp")
        status, body, _ = SUCCESS[name]
        return reply(status, body)

    for name in NAMES:
        build(name, record).send(message(name))
    tw = seen["/2010-04-01/Accounts/AC0/Messages.json"]
    assert tw.headers["Authorization"] == "Basic QUMwOnQ="  # base64("AC0:t")
    assert tw.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(parse_qsl(tw.body.decode())) == {"To": "+33612345678", "From": "+3375", "Body": "Bonjour"}
    wa = seen["/v21.0/1065/messages"]
    assert wa.headers["Authorization"] == "Bearer tok"
    assert json.loads(wa.body)["text"] == {"preview_url": False, "body": "Bonjour"}
    tg = seen["/bot1:abc/sendMessage"]
    assert tg.headers["Content-Type"] == "application/json"
    assert json.loads(tg.body) == {"chat_id": "+33612345678", "text": "Bonjour"}
