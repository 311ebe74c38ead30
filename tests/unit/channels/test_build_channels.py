"""build_channels: only configured channels, partial settings refused."""

from __future__ import annotations

import pytest

from allo.adapters.channels import build_channels, configured_channels, normalise_settings
from allo.domain.clock import FixedClock
from allo.services.ports.channel import Channel, ChannelConfigError

TWILIO = {
    "ALLO_TWILIO_ACCOUNT_SID": "AC0",
    "ALLO_TWILIO_AUTH_TOKEN": "tok",
    "ALLO_TWILIO_FROM": "+33755550100",
}
WHATSAPP = {
    "ALLO_WHATSAPP_APP_SECRET": "s",
    "ALLO_WHATSAPP_VERIFY_TOKEN": "v",
    "ALLO_WHATSAPP_TOKEN": "t",
    "ALLO_WHATSAPP_PHONE_NUMBER_ID": "1065",
}
TELEGRAM = {"ALLO_TELEGRAM_BOT_TOKEN": "1:abc", "ALLO_TELEGRAM_SECRET_TOKEN": "secret"}


def test_nothing_configured_gives_the_web_chat_only() -> None:
    assert list(build_channels({}, clock=FixedClock())) == ["webchat"]


def test_all_configured() -> None:
    channels = build_channels({**TWILIO, **WHATSAPP, **TELEGRAM}, clock=FixedClock())
    assert sorted(channels) == ["telegram", "twilio", "webchat", "whatsapp"]
    for name, channel in channels.items():
        assert isinstance(channel, Channel)
        assert channel.name == name


def test_field_names_and_secret_values_are_accepted() -> None:
    class Secret:
        def __init__(self, value: str) -> None:
            self.value = value

        def get_secret_value(self) -> str:
            return self.value

    settings = {"telegram_bot_token": Secret("1:abc"), "telegram_secret_token": "x", "twilio_from": ""}
    assert normalise_settings(settings) == {
        "ALLO_TELEGRAM_BOT_TOKEN": "1:abc",
        "ALLO_TELEGRAM_SECRET_TOKEN": "x",
    }
    assert configured_channels(settings) == ["telegram"]


def test_partial_settings_are_an_error() -> None:
    with pytest.raises(ChannelConfigError) as caught:
        build_channels({"ALLO_TWILIO_ACCOUNT_SID": "AC0"}, clock=FixedClock())
    assert "ALLO_TWILIO_AUTH_TOKEN" in str(caught.value)


def test_web_chat_can_be_disabled_and_base_urls_are_used() -> None:
    settings = {**TWILIO, "ALLO_TWILIO_BASE_URL": "http://127.0.0.1:9/", "ALLO_WEBCHAT_ENABLED": False}
    channels = build_channels(settings, clock=FixedClock())
    assert list(channels) == ["twilio"]
    assert channels["twilio"].messages_url == "http://127.0.0.1:9/2010-04-01/Accounts/AC0/Messages.json"  # type: ignore[attr-defined]
