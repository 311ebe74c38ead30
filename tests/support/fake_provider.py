"""A fake messaging provider on 127.0.0.1 for tests: records every request, answers like Twilio,
the WhatsApp Graph API or the Telegram Bot API, and can be told to fail the next N calls.

    with FakeProvider() as fake:
        fake.fail_next(2, status=500)
        ...  # point an adapter's base_url at fake.base_url
        assert fake.requests[-1].path.endswith("/Messages.json")
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

_TWILIO = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
_WHATSAPP = re.compile(r"^/(?P<version>v[0-9.]+)/(?P<phone>[^/]+)/messages$")
_TELEGRAM = re.compile(r"^/bot(?P<token>[^/]+)/sendMessage$")


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))


@dataclass
class _Scripted:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FakeProvider:
    """The fake server. Start it with `start()` or a `with` block; `stop()` shuts it down."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._script: deque[_Scripted] = deque()
        self._lock = threading.Lock()
        self._counter = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakeProvider:
        handler = _make_handler(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "FakeProvider is not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # ---- scripting ----------------------------------------------------------------------------

    def fail_next(
        self,
        n: int = 1,
        *,
        status: int = 500,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer the next `n` calls with `status` (and a JSON `body`, if given)."""
        raw = json.dumps(body).encode() if body is not None else b'{"error": "scripted failure"}'
        with self._lock:
            for _ in range(n):
                self._script.append(_Scripted(status, raw, dict(headers or {})))

    def delay_next(self, n: int = 1, *, seconds: float) -> None:
        """Make the next `n` calls answer normally but only after `seconds` (to cause timeouts)."""
        with self._lock:
            for _ in range(n):
                self._script.append(_Scripted(0, b"", {}, seconds))

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._script.clear()

    # ---- answering ----------------------------------------------------------------------------

    def _answer(self, request: RecordedRequest) -> _Scripted:
        with self._lock:
            self.requests.append(request)
            self._counter += 1
            number = self._counter
            scripted = self._script.popleft() if self._script else None
        if scripted is not None and scripted.delay:
            time.sleep(scripted.delay)
            scripted = None
        if scripted is not None:
            return scripted
        return _success(request, number)


def _success(request: RecordedRequest, number: int) -> _Scripted:
    """A provider-shaped success answer for the request's path."""
    path = request.path
    if (match := _TWILIO.match(path)) and request.method == "POST":
        form = request.form()
        body = {
            "sid": f"SM{number:032d}",
            "account_sid": match["sid"],
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body"),
            "status": "queued",
        }
        return _Scripted(201, json.dumps(body).encode(), {"Content-Type": "application/json"})
    if _WHATSAPP.match(path) and request.method == "POST":
        to = request.json().get("to")
        body = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": f"wamid.FAKE{number:08d}"}],
        }
        return _Scripted(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
    if _TELEGRAM.match(path) and request.method == "POST":
        sent = request.json()
        result = {"message_id": number, "chat": {"id": sent.get("chat_id")}, "text": sent.get("text")}
        body = {"ok": True, "result": result}
        return _Scripted(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
    return _Scripted(404, b'{"error": "not found"}', {"Content-Type": "application/json"})


def _make_handler(fake: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            recorded = RecordedRequest(
                method=self.command,
                path=parts.path,
                query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            answer = fake._answer(recorded)
            try:
                self.send_response(answer.status)
                headers = {"Content-Type": "application/json", **answer.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Keep test output quiet."""

    return Handler


__all__ = ["FakeProvider", "RecordedRequest"]
