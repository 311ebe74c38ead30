"""Channel adapters (Twilio SMS, WhatsApp Cloud API, Telegram, web chat) and their factory.

`build_channels(settings)` builds only the channels whose settings are present; see
docs/channels.md for every setting. Adapters are imported lazily: importing this package does
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from allo.services.ports.channel import ChannelConfigError

if TYPE_CHECKING:
    from allo.adapters.channels._transport import HttpTransport
    from allo.adapters.channels.webchat import WebchatSink
    from allo.domain.clock import Clock
    from allo.services.ports.channel import Channel, LastInboundLookup

REQUIRED: dict[str, tuple[str, ...]] = {
    "twilio": ("ALLO_TWILIO_ACCOUNT_SID", "ALLO_TWILIO_AUTH_TOKEN", "ALLO_TWILIO_FROM"),
    "whatsapp": (
        "ALLO_WHATSAPP_APP_SECRET",
        "ALLO_WHATSAPP_VERIFY_TOKEN",
        "ALLO_WHATSAPP_TOKEN",
        "ALLO_WHATSAPP_PHONE_NUMBER_ID",
    ),
    "telegram": ("ALLO_TELEGRAM_BOT_TOKEN", "ALLO_TELEGRAM_SECRET_TOKEN"),
}
OPTIONAL: tuple[str, ...] = (
    "ALLO_TWILIO_BASE_URL",
    "ALLO_TWILIO_STATUS_CALLBACK_URL",
    "ALLO_WHATSAPP_BASE_URL",
    "ALLO_WHATSAPP_API_VERSION",
    "ALLO_WHATSAPP_TEMPLATE",
    "ALLO_WHATSAPP_TEMPLATE_LANGUAGE",
    "ALLO_TELEGRAM_BASE_URL",
    "ALLO_WEBCHAT_ENABLED",
    "ALLO_CHANNEL_TIMEOUT",
)
WEBHOOK_PATHS = {
    "twilio": "/webhooks/twilio",
    "whatsapp": "/webhooks/whatsapp",
    "telegram": "/webhooks/telegram",
}


def normalise_settings(settings: Mapping[str, Any]) -> dict[str, str]:
    """Upper-case keys with the ALLO_ prefix; secrets unwrapped; empty values dropped.

    Accepts environment-style names (`ALLO_TWILIO_FROM`) as well as settings-object field names
    (`twilio_from`), and pydantic `SecretStr` values.
    """
    out: dict[str, str] = {}
    for key, value in settings.items():
        name = key.upper()
        if not name.startswith("ALLO_"):
            name = "ALLO_" + name
        if hasattr(value, "get_secret_value"):
            value = value.get_secret_value()
        if value is None:
            continue
        text = str(value).strip()
        if text:
            out[name] = text
    return out


def configured_channels(settings: Mapping[str, Any]) -> list[str]:
    """Provider channels whose required settings are all present; a partial set is an error."""
    values = normalise_settings(settings)
    names: list[str] = []
    for channel, keys in REQUIRED.items():
        present = [k for k in keys if k in values]
        if present and len(present) < len(keys):
            missing = ", ".join(k for k in keys if k not in values)
            raise ChannelConfigError(f"{channel} is partly configured; missing: {missing}")
        if present:
            names.append(channel)
    return names


def build_channels(
    settings: Mapping[str, Any],
    *,
    clock: Clock | None = None,
    webchat_sink: WebchatSink | None = None,
    last_inbound: LastInboundLookup | None = None,
    transport: HttpTransport | None = None,
) -> dict[str, Channel]:
    """Build the configured channels, keyed by name ("twilio", "whatsapp", "telegram", "webchat").

    The web chat is always built unless ALLO_WEBCHAT_ENABLED is false. `last_inbound` enforces
    WhatsApp's 24-hour window (back it with the inbox); `transport` is shared by every HTTP adapter
    (each makes its own otherwise).
    """
    from allo.domain.clock import SystemClock

    values = normalise_settings(settings)
    clock = clock if clock is not None else SystemClock()
    timeout = float(values["ALLO_CHANNEL_TIMEOUT"]) if "ALLO_CHANNEL_TIMEOUT" in values else None
    channels: dict[str, Channel] = {}
    names = configured_channels(values)

    if "twilio" in names:
        from allo.adapters.channels import twilio

        channels["twilio"] = twilio.TwilioChannel(
            account_sid=values["ALLO_TWILIO_ACCOUNT_SID"],
            auth_token=values["ALLO_TWILIO_AUTH_TOKEN"],
            from_number=values["ALLO_TWILIO_FROM"],
            base_url=values.get("ALLO_TWILIO_BASE_URL", twilio.DEFAULT_BASE_URL),
            status_callback_url=values.get("ALLO_TWILIO_STATUS_CALLBACK_URL"),
            clock=clock,
            transport=transport,
            timeout=timeout,
        )
    if "whatsapp" in names:
        from allo.adapters.channels import whatsapp

        channels["whatsapp"] = whatsapp.WhatsAppChannel(
            app_secret=values["ALLO_WHATSAPP_APP_SECRET"],
            verify_token=values["ALLO_WHATSAPP_VERIFY_TOKEN"],
            access_token=values["ALLO_WHATSAPP_TOKEN"],
            phone_number_id=values["ALLO_WHATSAPP_PHONE_NUMBER_ID"],
            base_url=values.get("ALLO_WHATSAPP_BASE_URL", whatsapp.DEFAULT_BASE_URL),
            api_version=values.get("ALLO_WHATSAPP_API_VERSION", whatsapp.DEFAULT_API_VERSION),
            fallback_template=values.get("ALLO_WHATSAPP_TEMPLATE"),
            template_language=values.get("ALLO_WHATSAPP_TEMPLATE_LANGUAGE", "fr"),
            last_inbound=last_inbound,
            clock=clock,
            transport=transport,
            timeout=timeout,
        )
    if "telegram" in names:
        from allo.adapters.channels import telegram

        channels["telegram"] = telegram.TelegramChannel(
            bot_token=values["ALLO_TELEGRAM_BOT_TOKEN"],
            secret_token=values["ALLO_TELEGRAM_SECRET_TOKEN"],
            base_url=values.get("ALLO_TELEGRAM_BASE_URL", telegram.DEFAULT_BASE_URL),
            clock=clock,
            transport=transport,
            timeout=timeout,
        )
    if values.get("ALLO_WEBCHAT_ENABLED", "true").lower() not in {"0", "false", "no", "off"}:
        from allo.adapters.channels.webchat import WebchatChannel

        channels["webchat"] = WebchatChannel(clock=clock, sink=webchat_sink)
    return channels


__all__ = [
    "OPTIONAL",
    "REQUIRED",
    "WEBHOOK_PATHS",
    "build_channels",
    "configured_channels",
    "normalise_settings",
]
