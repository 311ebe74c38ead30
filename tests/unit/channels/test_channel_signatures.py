"""Signature arithmetic against the providers' published example values."""

from __future__ import annotations

from allo.adapters.channels.signatures import (
    constant_time_equal,
    hub_signature_256,
    hub_signature_matches,
    sha256_hex,
    twilio_signature,
    twilio_signature_matches,
    twilio_url_variants,
)

# Twilio's documented example (docs "Webhooks security", and the helper libraries' tests).
TWILIO_TOKEN = "12345"
TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}
TWILIO_EXPECTED = "RSOYDt4T1cUTdK1PDd93/VVr8B8="

# The X-Hub-Signature-256 scheme's published test vector (GitHub's "validating webhook
# deliveries"; Meta signs WhatsApp webhooks with the same sha256=<hex HMAC> header).
HUB_SECRET = "It's a Secret to Everybody"
HUB_BODY = b"Hello, World!"
HUB_EXPECTED = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"


def test_twilio_published_example() -> None:
    assert twilio_signature(TWILIO_TOKEN, TWILIO_URL, TWILIO_PARAMS.items()) == TWILIO_EXPECTED
    assert twilio_signature_matches(TWILIO_TOKEN, TWILIO_URL, TWILIO_PARAMS.items(), TWILIO_EXPECTED)


def test_twilio_repeated_parameters_sort_by_name_then_value() -> None:
    params = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]
    assert twilio_signature(TWILIO_TOKEN, TWILIO_URL, params) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


def test_twilio_port_variants() -> None:
    # Signed with the default port although the URL came without one, and the reverse.
    assert twilio_signature_matches(
        TWILIO_TOKEN, TWILIO_URL, TWILIO_PARAMS.items(), "kvajT1Ptam85bY51eRf/AJRuM3w="
    )
    with_port = TWILIO_URL.replace(".com", ".com:1234")
    assert twilio_signature_matches(TWILIO_TOKEN, with_port, TWILIO_PARAMS.items(), TWILIO_EXPECTED)
    http_url = TWILIO_URL.replace("https", "http")
    assert twilio_signature_matches(
        TWILIO_TOKEN, http_url, TWILIO_PARAMS.items(), "0ZXoZLH/DfblKGATFgpif+LLRf4="
    )
    assert twilio_url_variants("https://a.example/x") == [
        "https://a.example/x",
        "https://a.example:443/x",
    ]


def test_twilio_json_body_hash_example() -> None:
    body = b'{"property": "value", "boolean": true}'
    digest = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    assert sha256_hex(body) == digest
    url = f"{TWILIO_URL}&bodySHA256={digest}"
    assert twilio_signature(TWILIO_TOKEN, url) == "a9nBmqA0ju/hNViExpshrM61xv4="


def test_twilio_tampering_fails() -> None:
    tampered = dict(TWILIO_PARAMS, Digits="1235")
    assert not twilio_signature_matches(TWILIO_TOKEN, TWILIO_URL, tampered.items(), TWILIO_EXPECTED)
    other_url = TWILIO_URL.replace("foo=1", "foo=2")
    assert not twilio_signature_matches(
        TWILIO_TOKEN, other_url, TWILIO_PARAMS.items(), TWILIO_EXPECTED
    )
    assert not twilio_signature_matches("54321", TWILIO_URL, TWILIO_PARAMS.items(), TWILIO_EXPECTED)
    assert not twilio_signature_matches(TWILIO_TOKEN, TWILIO_URL, TWILIO_PARAMS.items(), "")


def test_hub_signature_published_vector() -> None:
    assert hub_signature_256(HUB_SECRET, HUB_BODY) == HUB_EXPECTED
    assert hub_signature_matches(HUB_SECRET, HUB_BODY, HUB_EXPECTED)
    assert hub_signature_matches(HUB_SECRET, HUB_BODY, HUB_EXPECTED.upper().replace("SHA256", "sha256"))


def test_hub_signature_tampering_fails() -> None:
    assert not hub_signature_matches(HUB_SECRET, b"Hello, World?", HUB_EXPECTED)
    assert not hub_signature_matches("another secret", HUB_BODY, HUB_EXPECTED)
    assert not hub_signature_matches(HUB_SECRET, HUB_BODY, HUB_EXPECTED[:-1] + "0")
    assert not hub_signature_matches(HUB_SECRET, HUB_BODY, HUB_EXPECTED.replace("sha256", "sha1"))
    assert not hub_signature_matches(HUB_SECRET, HUB_BODY, "sha256=")
    assert not hub_signature_matches(HUB_SECRET, HUB_BODY, "garbage")


def test_constant_time_equal_mixes_str_and_bytes() -> None:
    assert constant_time_equal("abc", b"abc")
    assert not constant_time_equal("abc", "abd")
    assert not constant_time_equal("abc", "abcd")
