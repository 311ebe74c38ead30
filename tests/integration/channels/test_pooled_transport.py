"""The channels' keep-alive HTTP transport against a real server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from allo.adapters.channels._http import HttpSender
from allo.adapters.channels._transport import HttpRequest, PooledTransport
from allo.services.ports.channel import ChannelSendError


class Provider:
    """Answers POSTs with a JSON echo; counts the TCP connections it accepted."""

    def __init__(self) -> None:
        self.connections = 0
        self.delay = 0.0
        self.close_after_reply = False
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                provider.connections += 1
                super().setup()

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(provider.delay)
                payload = json.dumps({"path": self.path, "got": json.loads(body or b"null")}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                if provider.close_after_reply:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider() -> Iterator[Provider]:
    p = Provider()
    yield p
    p.stop()


def post(transport: PooledTransport, url: str, payload: object) -> dict[str, object]:
    reply = transport.send(HttpRequest("POST", url, {"Content-Type": "application/json"},
                                       json.dumps(payload).encode()), timeout=5)
    assert reply.status_code == 200
    return reply.json()  # type: ignore[no-any-return]


def test_requests_reuse_one_connection(provider: Provider) -> None:
    transport = PooledTransport()
    try:
        answers = [post(transport, f"{provider.url}/bot1/sendMessage?n={i}", {"i": i}) for i in range(5)]
    finally:
        transport.close()
    assert [a["got"] for a in answers] == [{"i": i} for i in range(5)]
    assert answers[2]["path"] == "/bot1/sendMessage?n=2"
    assert provider.connections == 1


def test_a_connection_the_server_closed_is_not_reused(provider: Provider) -> None:
    transport = PooledTransport()
    try:
        post(transport, provider.url, 1)
        provider.close_after_reply = True  # "Connection: close" → the transport drops it
        post(transport, provider.url, 2)
        provider.close_after_reply = False
        post(transport, provider.url, 3)
        assert provider.connections == 2
    finally:
        transport.close()


def test_an_idle_connection_closed_by_the_server_is_replaced() -> None:
    """A server that hangs up on idle keep-alive connections (as most do after a while)."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    accepted: list[socket.socket] = []

    def serve() -> None:
        for _ in range(2):
            conn, _ = listener.accept()
            accepted.append(conn)
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
            conn.close()  # hangs up without saying "Connection: close"

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    transport = PooledTransport()
    try:
        for _ in range(2):
            time.sleep(0.1)  # let the hang-up reach us
            reply = transport.send(HttpRequest("POST", f"http://127.0.0.1:{port}/x", {}, b"{}"), timeout=5)
            assert reply.status_code == 200 and reply.json() == {}
    finally:
        transport.close()
        listener.close()
    thread.join(5)
    assert len(accepted) == 2


def test_a_provider_too_slow_is_a_retryable_timeout(provider: Provider) -> None:
    provider.delay = 1.0
    sender = HttpSender(provider="telegram", timeout=0.2)
    try:
        with pytest.raises(ChannelSendError) as caught:
            sender.post(f"{provider.url}/bot1/sendMessage", json_body={"text": "hi"})
    finally:
        sender.close()
    assert (caught.value.code, caught.value.retryable) == ("timeout", True)


def test_nobody_listening_is_a_retryable_network_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    sender = HttpSender(provider="twilio", timeout=2)
    with pytest.raises(ChannelSendError) as caught:
        sender.post(f"http://127.0.0.1:{port}/Messages.json", form={"Body": "hi"})
    assert (caught.value.code, caught.value.retryable) == ("network_error", True)


def test_senders_in_parallel_share_the_pool(provider: Provider) -> None:
    sender = HttpSender(provider="telegram")
    results: list[int] = []

    def send(i: int) -> None:
        results.append(sender.post(f"{provider.url}/bot1/sendMessage", json_body={"i": i}).json()["got"]["i"])

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(send, range(16)))
    sender.close()
    assert sorted(results) == list(range(16))
    assert provider.connections <= 16
