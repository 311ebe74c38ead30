"""Property tests: any signed request verifies; any single change breaks it."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from allo.adapters.channels.signatures import (
    hub_signature_256,
    hub_signature_matches,
    twilio_signature,
)
from allo.adapters.channels.twilio import TwilioChannel
from allo.domain.clock import FixedClock
from allo.services.ports.channel import WebhookRejected, WebhookRequest

names = st.text(st.characters(min_codepoint=48, max_codepoint=122), min_size=1, max_size=12)
values = st.text(max_size=40)
params = st.dictionaries(names, values, min_size=1, max_size=8)
CHANNEL = TwilioChannel(account_sid="AC0", auth_token="tok", from_number="+1", clock=FixedClock())
URL = "https://allo.example/webhooks/twilio?shop=3"
FORM = "application/x-www-form-urlencoded"


@settings(max_examples=60, deadline=None)
@given(params, st.data())
def test_twilio_signed_form_verifies_and_a_changed_value_fails(form: dict[str, str], data) -> None:  # type: ignore[no-untyped-def]
    signature = twilio_signature("tok", URL, form.items())
    headers = {"Content-Type": FORM, "X-Twilio-Signature": signature}
    CHANNEL.verify(WebhookRequest("POST", URL, headers, urlencode(form).encode()))
    key = data.draw(st.sampled_from(sorted(form)))
    changed = dict(form, **{key: form[key] + "x"})
    try:
        CHANNEL.verify(WebhookRequest("POST", URL, headers, urlencode(changed).encode()))
    except WebhookRejected:
        pass
    else:
        raise AssertionError("a changed value still verified")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=199), st.integers(1, 255))
def test_hub_signature_detects_any_byte_flip(body: bytes, where: int, flip: int) -> None:
    header = hub_signature_256("secret", body)
    assert hub_signature_matches("secret", body, header)
    if body:
        i = where % len(body)
        tampered = body[:i] + bytes([body[i] ^ flip]) + body[i + 1 :]
        assert not hub_signature_matches("secret", tampered, header)
    assert not hub_signature_matches("secret", body + b" ", header)
