"""Webhook signature arithmetic, standard library only, compared in constant time.

Pure functions: the adapters call them, the tests check them against published example values.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"https": 443, "http": 80}


def constant_time_equal(a: str | bytes, b: str | bytes) -> bool:
    """True when a == b, in time independent of where they differ."""
    a_bytes = a.encode("utf-8") if isinstance(a, str) else a
    b_bytes = b.encode("utf-8") if isinstance(b, str) else b
    return hmac.compare_digest(a_bytes, b_bytes)


# ---- Twilio ------------------------------------------------------------------------------------


def twilio_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]] = ()) -> str:
    """base64(HMAC-SHA1(auth token, url + name1 + value1 + name2 + value2 ...)), the parameters
    sorted by name (then value, for repeated names), as Twilio computes `X-Twilio-Signature`."""
    payload = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode("utf-8"), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def twilio_url_variants(url: str) -> list[str]:
    """The URL as given, without its port, and with the scheme's default port: Twilio may sign
    any of these depending on how the webhook URL was configured."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    userinfo = ""
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "") + "@"
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    without_port = urlunsplit(parts._replace(netloc=userinfo + host))
    default = _DEFAULT_PORTS.get(parts.scheme.lower())
    variants = [url, without_port]
    if parts.port is None and default is not None:
        variants.append(urlunsplit(parts._replace(netloc=f"{userinfo}{host}:{default}")))
    unique: list[str] = []
    for candidate in variants:
        if candidate not in unique:
            unique.append(candidate)
    return unique


def twilio_signature_matches(
    auth_token: str, url: str, params: Iterable[tuple[str, str]], signature: str
) -> bool:
    """Check `X-Twilio-Signature` against every URL variant, each in constant time."""
    pairs = list(params)
    matched = False
    for candidate in twilio_url_variants(url):
        if constant_time_equal(twilio_signature(auth_token, candidate, pairs), signature):
            matched = True
    return matched


def sha256_hex(body: bytes) -> str:
    """Hex SHA-256 of a body, as Twilio puts it in the `bodySHA256` query parameter."""
    return hashlib.sha256(body).hexdigest()


# ---- Meta (WhatsApp Cloud API) ---------------------------------------------------------------


def hub_signature_256(app_secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256(app secret, raw body)>`, the `X-Hub-Signature-256` value."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def hub_signature_matches(app_secret: str, body: bytes, header: str) -> bool:
    """Check an `X-Hub-Signature-256` header in constant time (hex compared case-insensitively)."""
    scheme, _, received = header.strip().partition("=")
    if scheme.lower() != "sha256" or not received:
        return False
    expected = hub_signature_256(app_secret, body).partition("=")[2]
    return constant_time_equal(expected, received.lower())
