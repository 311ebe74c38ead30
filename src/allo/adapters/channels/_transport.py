"""HTTP for channel adapters: a small keep-alive client on the standard library.

Sending is the busiest outbound path (one POST per reply). httpx cost about 0.9 ms of CPU per
POST here, `http.client` about 0.2 ms (benchmarks/messaging/PROTOCOL.md); under load that CPU
is taken from the webhooks and the dialogue, which share the process. Adapters only need a POST
with a body and headers and the status, headers and body of the answer, which this gives.
"""

from __future__ import annotations

import http.client
import json
import select
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit


@dataclass(frozen=True)
class HttpReply:
    """A provider's answer. Header names are lower-case."""

    status_code: int
    content: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not."""
        return json.loads(self.content)


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes


class HttpTransport(Protocol):
    """Sends one request and returns the answer whatever its status; raises TimeoutError or
    another OSError (or http.client.HTTPException) when no answer came."""

    def send(self, request: HttpRequest, timeout: float) -> HttpReply: ...

    def close(self) -> None: ...


Origin = tuple[str, str, int]


class PooledTransport:
    """Persistent connections per origin (scheme, host, port), shared by threads: each request
    takes an idle connection or opens one, and gives it back when the server keeps it open."""

    def __init__(self, max_idle_per_origin: int = 64, ssl_context: ssl.SSLContext | None = None) -> None:
        self.max_idle = max_idle_per_origin
        self._ssl = ssl_context
        self._idle: dict[Origin, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()

    def send(self, request: HttpRequest, timeout: float) -> HttpReply:
        parts = urlsplit(request.url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {request.url!r}")
        origin = (scheme, parts.hostname, parts.port or (443 if scheme == "https" else 80))
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn = self._take(origin) or self._open(origin, timeout)
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        try:
            conn.request(request.method, target, body=request.body, headers=dict(request.headers))
            response = conn.getresponse()
            content = response.read()
        except BaseException:
            conn.close()
            raise
        reply = HttpReply(response.status, content, {k.lower(): v for k, v in response.getheaders()})
        if response.will_close:
            conn.close()
        else:
            self._give_back(origin, conn)
        return reply

    def _open(self, origin: Origin, timeout: float) -> http.client.HTTPConnection:
        scheme, host, port = origin
        if scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=timeout,
                                               context=self._ssl or ssl.create_default_context())
        return http.client.HTTPConnection(host, port, timeout=timeout)

    def _take(self, origin: Origin) -> http.client.HTTPConnection | None:
        """An idle connection the server has not closed meanwhile (an idle socket that is readable
        has reached its end: the server hung up)."""
        while True:
            with self._lock:
                idle = self._idle.get(origin)
                if not idle:
                    return None
                conn = idle.pop()
            if conn.sock is not None and not _readable(conn.sock):
                return conn
            conn.close()

    def _give_back(self, origin: Origin, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(origin, [])
            if len(idle) < self.max_idle:
                idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()


def _readable(sock: Any) -> bool:
    try:
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True
