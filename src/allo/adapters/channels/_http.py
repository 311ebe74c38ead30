"""Outbound HTTP for channel adapters: one POST, errors classified as retryable or final."""

from __future__ import annotations

import base64
import http.client
import json
import threading
from typing import Any
from urllib.parse import urlencode

from allo import __version__
from allo.adapters.channels._transport import HttpReply, HttpRequest, HttpTransport, PooledTransport
from allo.services.ports.channel import ChannelSendError

DEFAULT_TIMEOUT = 10.0
RETRYABLE_STATUSES = frozenset({408, 425, 429})
USER_AGENT = f"allo/{__version__}"


def is_retryable_status(status: int) -> bool:
    """Back off and retry on 408, 425, 429 and every 5xx; give up on the other 4xx."""
    return status in RETRYABLE_STATUSES or status >= 500


def retry_after_seconds(response: HttpReply) -> float | None:
    """The `Retry-After` header in seconds, when it is a number."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def json_or_none(response: HttpReply) -> Any:
    """The response body as JSON, or None when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


class HttpSender:
    """POSTs for one provider through a transport (its own keep-alive pool unless one is given),
    turning timeouts and network errors into retryable ChannelSendError."""

    def __init__(self, *, provider: str, transport: HttpTransport | None = None,
                 timeout: float | None = None) -> None:
        self._provider = provider
        self._transport = transport
        self._owns_transport = transport is None
        self._timeout = float(timeout) if timeout is not None else DEFAULT_TIMEOUT
        self._lock = threading.Lock()

    def _get_transport(self) -> HttpTransport:
        with self._lock:
            if self._transport is None:
                self._transport = PooledTransport()
            return self._transport

    def post(self, url: str, *, json_body: Any = None, form: dict[str, str] | None = None,
             headers: dict[str, str] | None = None, basic_auth: tuple[str, str] | None = None) -> HttpReply:
        """POST a JSON or form body and return the answer whatever its status; raise
        ChannelSendError on timeouts and network errors."""
        sent = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            body = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
            sent["Content-Type"] = "application/json"
        if basic_auth is not None:
            token = base64.b64encode(f"{basic_auth[0]}:{basic_auth[1]}".encode()).decode()
            sent["Authorization"] = f"Basic {token}"
        try:
            return self._get_transport().send(HttpRequest("POST", url, sent, body), self._timeout)
        except TimeoutError as exc:
            raise ChannelSendError(
                f"{self._provider}: timed out ({type(exc).__name__})", retryable=True, code="timeout"
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise ChannelSendError(
                f"{self._provider}: network error ({type(exc).__name__})",
                retryable=True,
                code="network_error",
            ) from exc

    def failure(
        self, response: HttpReply, *, detail: str = "", provider_code: str | None = None
    ) -> ChannelSendError:
        """The error for a non-success response, retryable or final by its status."""
        status = response.status_code
        retryable = is_retryable_status(status)
        code = "rate_limited" if status == 429 else ("send_failed" if retryable else "rejected")
        text = f"{self._provider}: HTTP {status}" + (f": {detail}" if detail else "")
        return ChannelSendError(
            text,
            retryable=retryable,
            code=code,
            status=status,
            retry_after=retry_after_seconds(response),
            provider_code=provider_code,
        )

    def close(self) -> None:
        """Close the transport if this sender created it."""
        with self._lock:
            if self._owns_transport and self._transport is not None:
                self._transport.close()
                self._transport = None
