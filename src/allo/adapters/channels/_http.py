"""Outbound HTTP for channel adapters: one POST, errors classified as retryable or final."""

from __future__ import annotations

import threading
from typing import Any

import httpx

from allo.services.ports.channel import ChannelSendError

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RETRYABLE_STATUSES = frozenset({408, 425, 429})


def is_retryable_status(status: int) -> bool:
    """Back off and retry on 408, 425, 429 and every 5xx; give up on the other 4xx."""
    return status in RETRYABLE_STATUSES or status >= 500


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The `Retry-After` header in seconds, when it is a number."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def json_or_none(response: httpx.Response) -> Any:
    """The response body as JSON, or None when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


class HttpSender:
    """Owns (or borrows) an httpx.Client and turns transport failures into ChannelSendError.

    The client is created lazily on first use, so building an adapter opens nothing.
    """

    def __init__(
        self,
        *,
        provider: str,
        client: httpx.Client | None = None,
        timeout: httpx.Timeout | float | None = None,
    ) -> None:
        self._provider = provider
        self._client = client
        self._owns_client = client is None
        self._timeout = timeout if timeout is not None else DEFAULT_TIMEOUT
        self._lock = threading.Lock()

    def _get_client(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(timeout=self._timeout, follow_redirects=False)
            return self._client

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """POST and return the response whatever its status; raise on timeouts and network errors."""
        try:
            return self._get_client().post(url, timeout=self._timeout, **kwargs)
        except httpx.TimeoutException as exc:
            raise ChannelSendError(
                f"{self._provider}: timed out ({type(exc).__name__})", retryable=True, code="timeout"
            ) from exc
        except httpx.TransportError as exc:
            raise ChannelSendError(
                f"{self._provider}: network error ({type(exc).__name__})",
                retryable=True,
                code="network_error",
            ) from exc

    def failure(
        self, response: httpx.Response, *, detail: str = "", provider_code: str | None = None
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
        """Close the client if this sender created it."""
        with self._lock:
            if self._owns_client and self._client is not None:
                self._client.close()
                self._client = None
