"""Every HTTP adapter's send against the fake provider on 127.0.0.1: shapes, retryable vs final."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from allo.adapters.channels import build_channels
from allo.adapters.channels.telegram import TelegramChannel
from allo.adapters.channels.twilio import TwilioChannel
from allo.adapters.channels.whatsapp import WhatsAppChannel
from allo.domain.clock import FixedClock
from allo.services.ports.channel import Channel, ChannelSendError, OutboundMessage

NAMES = ["telegram", "twilio", "whatsapp"]


def settings(base_url: str) -> dict[str, str]:
    return {
        "ALLO_TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
        "ALLO_TWILIO_AUTH_TOKEN": "twilio-token",
        "ALLO_TWILIO_FROM": "+33755550100",
        "ALLO_TWILIO_BASE_URL": base_url,
        "ALLO_WHATSAPP_APP_SECRET": "app-secret",
        "ALLO_WHATSAPP_VERIFY_TOKEN": "verify",
        "ALLO_WHATSAPP_TOKEN": "graph-token",
        "ALLO_WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
        "ALLO_WHATSAPP_BASE_URL": base_url,
        "ALLO_TELEGRAM_BOT_TOKEN": "123456:ABC-DEF",
        "ALLO_TELEGRAM_SECRET_TOKEN": "secret",
        "ALLO_TELEGRAM_BASE_URL": base_url,
        "ALLO_CHANNEL_TIMEOUT": "2",
    }


@pytest.fixture
def channels(fake_provider, clock):  # type: ignore[no-untyped-def]
    built = build_channels(settings(fake_provider.base_url), clock=clock)
    yield built
    for channel in built.values():
        channel.close()  # type: ignore[attr-defined]


def outbound(name: str) -> OutboundMessage:
    recipient = "1111111" if name == "telegram" else "+33612345678"
    return OutboundMessage(name, recipient, "Votre commande arrive à 12h40")


def test_twilio_request_shape(channels, fake_provider) -> None:  # type: ignore[no-untyped-def]
    result = channels["twilio"].send(outbound("twilio"))
    assert result.provider_message_id and result.provider_message_id.startswith("SM")
    [request] = fake_provider.requests
    assert request.method == "POST"
    assert request.path == "/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json"
    expected = base64.b64encode(b"AC00000000000000000000000000000000:twilio-token").decode()
    assert request.headers["authorization"] == f"Basic {expected}"
    assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert request.form() == {
        "To": "+33612345678",
        "From": "+33755550100",
        "Body": "Votre commande arrive à 12h40",
    }


def test_whatsapp_request_shape(channels, fake_provider) -> None:  # type: ignore[no-untyped-def]
    result = channels["whatsapp"].send(outbound("whatsapp"))
    assert result.provider_message_id == "wamid.FAKE00000001"
    assert result.sent_as_template is False
    [request] = fake_provider.requests
    assert request.path == "/v21.0/106540352242922/messages"
    assert request.headers["authorization"] == "Bearer graph-token"
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "+33612345678",
        "type": "text",
        "text": {"preview_url": False, "body": "Votre commande arrive à 12h40"},
    }


def test_telegram_request_shape(channels, fake_provider) -> None:  # type: ignore[no-untyped-def]
    result = channels["telegram"].send(outbound("telegram"))
    assert result.provider_message_id == "1"
    [request] = fake_provider.requests
    assert request.path == "/bot123456:ABC-DEF/sendMessage"
    assert request.json() == {"chat_id": "1111111", "text": "Votre commande arrive à 12h40"}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("status", [500, 503, 429])
def test_server_errors_and_rate_limits_are_retryable(channels, fake_provider, name, status) -> None:  # type: ignore[no-untyped-def]
    fake_provider.fail_next(1, status=status, headers={"Retry-After": "2"})
    with pytest.raises(ChannelSendError) as caught:
        channels[name].send(outbound(name))
    assert caught.value.retryable is True
    assert caught.value.status == status
    if status == 429:
        assert caught.value.code == "rate_limited"
        assert caught.value.retry_after == 2.0
    assert channels[name].send(outbound(name)).provider_message_id  # next call succeeds
    assert len(fake_provider.requests) == 2


@pytest.mark.parametrize("name", NAMES)
def test_bad_request_is_final(channels, fake_provider, name) -> None:  # type: ignore[no-untyped-def]
    fake_provider.fail_next(1, status=400, body={"code": 21211, "message": "Invalid 'To' Phone Number"})
    with pytest.raises(ChannelSendError) as caught:
        channels[name].send(outbound(name))
    assert caught.value.retryable is False
    assert caught.value.status == 400


@pytest.mark.parametrize("name", NAMES)
def test_outbox_style_retry_loop_gets_through_after_n_failures(channels, fake_provider, name) -> None:  # type: ignore[no-untyped-def]
    fake_provider.fail_next(3, status=502)
    channel: Channel = channels[name]
    attempts = 0
    while True:
        attempts += 1
        try:
            result = channel.send(outbound(name))
            break
        except ChannelSendError as error:
            assert error.retryable
            assert attempts < 10
    assert attempts == 4
    assert result.provider_message_id
    assert len(fake_provider.requests) == 4


def test_timeout_is_retryable(fake_provider, clock) -> None:  # type: ignore[no-untyped-def]
    channel = TelegramChannel(
        bot_token="1:abc", secret_token="s", clock=clock, base_url=fake_provider.base_url, timeout=0.2
    )
    fake_provider.delay_next(1, seconds=1.0)
    try:
        with pytest.raises(ChannelSendError) as caught:
            channel.send(outbound("telegram"))
        assert (caught.value.retryable, caught.value.code) == (True, "timeout")
    finally:
        channel.close()


def test_connection_refused_is_retryable(clock) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    channel = TwilioChannel(
        account_sid="AC0", auth_token="t", from_number="+1", clock=clock,
        base_url=f"http://127.0.0.1:{port}", timeout=1.0,
    )
    try:
        with pytest.raises(ChannelSendError) as caught:
            channel.send(outbound("twilio"))
        assert (caught.value.retryable, caught.value.code) == (True, "network_error")
    finally:
        channel.close()


def test_whatsapp_template_outside_the_window_reaches_the_provider(fake_provider) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock()
    last = {"+33612345678": clock.now() - timedelta(hours=30)}
    channel = WhatsAppChannel(
        app_secret="s", verify_token="v", access_token="tok", phone_number_id="1065", clock=clock,
        base_url=fake_provider.base_url, last_inbound=lambda channel, sender: last.get(sender),
        fallback_template="allo_reply",
    )
    try:
        result = channel.send(outbound("whatsapp"))
        assert result.sent_as_template is True
        sent = fake_provider.requests[-1].json()
        assert sent["type"] == "template"
        assert sent["template"]["name"] == "allo_reply"
        assert sent["template"]["components"][0]["parameters"][0]["text"] == (
            "Votre commande arrive à 12h40"
        )
        last["+33612345678"] = clock.now() - timedelta(minutes=5)
        assert channel.send(outbound("whatsapp")).sent_as_template is False
    finally:
        channel.close()


def test_webchat_send_needs_no_provider(channels, fake_provider) -> None:  # type: ignore[no-untyped-def]
    result = channels["webchat"].send(OutboundMessage("webchat", "sess_0123456789", "Bonjour"))
    assert result.provider_message_id
    assert fake_provider.requests == []
