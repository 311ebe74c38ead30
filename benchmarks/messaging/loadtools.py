"""Lean tools for webhook_load.py, so that the load generator is never the bottleneck.

- `KeepAlivePool`: a minimal HTTP/1.1 client on asyncio streams (persistent connections, requests
  written as bytes, responses read by Content-Length). httpx's AsyncClient spent ~1 ms of CPU per
  request, and together with the provider sink in the same process it saturated one core at about
  150 requests per second, before the server did.
- `SinkProcess`: the fake provider in its own process (its own interpreter lock), recording when the
  first reply to each chat arrives, on the system-wide monotonic clock (`time.monotonic`, the same
  clock in every process on Linux).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import threading
import time
from multiprocessing.connection import Connection
from urllib.parse import urlsplit


class KeepAlivePool:
    """POSTs over up to `size` persistent connections to one host; returns the HTTP status."""

    def __init__(self, base_url: str, size: int = 256, max_idle_seconds: float = 4.0) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.size = size
        #: Below the server's keep-alive timeout (uvicorn: 5 s): older idle connections are closed
        #: here rather than found closed by the server when a request is written on them.
        self.max_idle_seconds = max_idle_seconds
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self._open = 0
        self._freed = asyncio.Condition()

    async def _acquire(self, fresh: bool) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        async with self._freed:
            self._drop_stale()
            while not self._idle and self._open >= self.size:
                await self._freed.wait()
                self._drop_stale()
            if self._idle and not fresh:
                reader, writer, _ = self._idle.pop()
                return reader, writer
            if self._open >= self.size:  # fresh wanted, pool full: make room
                _, writer, _ = self._idle.pop(0)
                writer.close()
            else:
                self._open += 1
        return await asyncio.open_connection(self.host, self.port)

    def _drop_stale(self) -> None:
        limit = time.monotonic() - self.max_idle_seconds
        while self._idle and self._idle[0][2] < limit:  # oldest first
            _, writer, _ = self._idle.pop(0)
            writer.close()
            self._open -= 1

    async def _release(self, conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None) -> None:
        async with self._freed:
            if conn is None:
                self._open -= 1
            else:
                self._idle.append((conn[0], conn[1], time.monotonic()))
            self._freed.notify()

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        """The status; if a kept-alive connection turns out closed, the request goes again on a new
        one (a webhook is idempotent on its message id, as providers' redeliveries are)."""
        try:
            return await self._post_once(path, body, headers, fresh=False)
        except ConnectionResetError:
            return await self._post_once(path, body, headers, fresh=True)

    async def _post_once(self, path: str, body: bytes, headers: dict[str, str], fresh: bool) -> int:
        conn = await self._acquire(fresh)
        reader, writer = conn
        try:
            head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            writer.write(f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Length: {len(body)}\r\n"
                         f"{head}\r\n".encode() + body)
            status_line = await reader.readline()
            if not status_line:
                raise ConnectionResetError("the server closed the connection")
            status = int(status_line.split()[1])
            length, close = 0, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            if length:
                await reader.readexactly(length)
        except Exception:
            writer.close()
            await self._release(None)
            raise
        if close:
            writer.close()
            await self._release(None)
        else:
            await self._release(conn)
        return status

    async def close(self) -> None:
        for _, writer, _ in self._idle:
            writer.close()
        self._idle.clear()


def _sink_main(port_out: Connection, control: Connection, delay: float = 0.0) -> None:
    """The provider: answers every POST with a Telegram-like success, `delay` seconds after reading
    it (a real provider's API takes 100-300 ms), and notes the first reply per chat (`chat_id` in
    the JSON body)."""
    first_reply: dict[str, float] = {}
    count = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal count
        try:
            while True:
                request_line = await reader.readline()
                if not request_line:
                    return
                length = 0
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                body = await reader.readexactly(length) if length else b""
                now = time.monotonic()
                if delay:
                    await asyncio.sleep(delay)
                try:
                    chat = str(json.loads(body).get("chat_id"))
                except ValueError:
                    chat = ""
                count += 1
                first_reply.setdefault(chat, now)
                payload = json.dumps({"ok": True, "result": {"message_id": count}}).encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                             + str(len(payload)).encode() + b"\r\n\r\n" + payload)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    def serve_control() -> None:
        while True:
            command = control.recv()
            if command == "report":
                control.send(dict(first_reply))
            elif command == "clear":
                first_reply.clear()
                control.send(True)
            elif command == "stop":
                control.send(True)
                return

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port_out.send(server.sockets[0].getsockname()[1])
        stopper = threading.Thread(target=serve_control, daemon=True)
        stopper.start()
        while stopper.is_alive():
            await asyncio.sleep(0.2)
        server.close()

    asyncio.run(main())


class SinkProcess:
    """The fake provider, started in its own process; `url` is where replies are to be sent."""

    def __init__(self, delay: float = 0.0) -> None:
        ctx = multiprocessing.get_context("spawn")
        port_recv, port_send = ctx.Pipe(duplex=False)
        self._control, theirs = ctx.Pipe()
        self.process = ctx.Process(target=_sink_main, args=(port_send, theirs, delay), daemon=True)
        self.process.start()
        self.url = f"http://127.0.0.1:{port_recv.recv()}"

    def _ask(self, command: str) -> object:
        self._control.send(command)
        return self._control.recv()

    def first_replies(self) -> dict[str, float]:
        """chat id → monotonic time its first reply arrived."""
        return self._ask("report")  # type: ignore[return-value]

    def clear(self) -> None:
        self._ask("clear")

    def stop(self) -> None:
        try:
            self._ask("stop")
        finally:
            self.process.join(5)
            if self.process.is_alive():
                self.process.kill()
