"""Webhook → reply latency under load, on the embedded defaults (SQLite, in-process worker).

Starts `allo serve` on 127.0.0.1 with a Telegram channel pointing at a local sink that timestamps
every reply, sends Telegram webhooks at a fixed rate (open loop: the schedule does not wait for
answers), and reports for each message:

- webhook: the webhook's own response time (verified and stored);
- queued: from the webhook's arrival in the app to the reply being queued in the outbox (server
  clock: outbox.created_at − inbox.received_at);
- delivered: from the webhook's start to the reply reaching the provider (client clock).

Usage: python benchmarks/messaging/webhook_load.py [--rate 200] [--seconds 10] [--chats 200]
Prints p50/p90/p99/max in milliseconds and the achieved rate. See PROTOCOL.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.support.server import (  # noqa: E402
    ALLO, ServerProcess, admin_api, allo_env, create_shop, free_port, run_allo,
)

SECRET = "load-test-secret"


class Sink:
    """A Telegram-like provider that records when each reply arrives, per chat."""

    def __init__(self) -> None:
        self.first_reply: dict[str, float] = {}
        self.count = 0
        lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real provider's API

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                now = time.perf_counter()
                chat = str(json.loads(body).get("chat_id"))
                with lock:
                    sink.count += 1
                    sink.first_reply.setdefault(chat, now)
                payload = json.dumps({"ok": True, "result": {"message_id": sink.count}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def wait_replies(sink: Sink, n: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(sink.first_reply) < n and time.monotonic() < deadline:
        time.sleep(0.1)


async def load(base_url: str, args: argparse.Namespace, total: int,
               first_id: int = 0) -> tuple[dict[str, float], list[float], int, float]:
    """Open-loop load: message i is sent at start + i / rate, whatever happened to the others."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    sent_at: dict[str, float] = {}
    webhook_times: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        async def fire(i: int) -> None:
            nonlocal errors
            chat = str(100000 + first_id + i)  # one message per chat: its first reply is this one's reply
            body = json.dumps({"update_id": first_id + i + 1, "message": {
                "message_id": first_id + i + 1, "date": 1767268800, "chat": {"id": int(chat), "type": "private"},
                "from": {"id": int(chat), "is_bot": False, "first_name": "X"}, "text": args.text}}).encode()
            t0 = time.perf_counter()
            sent_at[chat] = t0
            r = await client.post("/webhooks/telegram", content=body, headers=headers)
            webhook_times.append(time.perf_counter() - t0)
            errors += r.status_code != 200

        tasks = []
        start = time.perf_counter()
        for i in range(total):
            delay = start + i / args.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(fire(i)))
        await asyncio.gather(*tasks)
        achieved = total / (time.perf_counter() - start)
    return sent_at, webhook_times, errors, achieved


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def summary(name: str, values_s: list[float]) -> str:
    ms = [v * 1000 for v in values_s]
    return (f"{name:<10} n={len(ms):5d}  p50={pct(ms, 50):7.1f}  p90={pct(ms, 90):7.1f}  p99={pct(ms, 99):7.1f}"
            f"  max={max(ms):7.1f}  mean={statistics.fmean(ms):7.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--chats", type=int, default=200, help="distinct customers (each writes several messages)")
    ap.add_argument("--text", default="bonjour")
    ap.add_argument("--separate-worker", action="store_true",
                    help="run the worker as its own `allo worker` process next to an API-only `allo serve`")
    ap.add_argument("--warmup", type=int, default=100,
                    help="messages sent first at a low rate and left out of the figures (caches, connections)")
    args = ap.parse_args()

    sink = Sink()
    tmp = Path(tempfile.mkdtemp(prefix="allo-load-"))
    env = allo_env(tmp / "data", ALLO_SECRET_KEY="load key", ALLO_TELEGRAM_BOT_TOKEN="1:x",
                   ALLO_TELEGRAM_SECRET_TOKEN=SECRET, ALLO_TELEGRAM_BASE_URL=sink.url, ALLO_DISPATCH="false",
                   ALLO_LOG_LEVEL="warning", **dict(kv.split("=", 1) for kv in os.environ.get("LOAD_EXTRA_ENV", "").split(",") if kv))
    run_allo("user", "create", "boss", "--role", "admin", "--password", "load test pass", env=env)
    worker = None
    if args.separate_worker:
        worker = subprocess.Popen([*ALLO, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env = {**env, "ALLO_WORKER": "false"}
    server = ServerProcess(["serve"], env, free_port())
    server.start()
    try:
        api, auth = admin_api(server, "boss", "load test pass")
        create_shop(api, auth)

        if args.warmup:
            warm = argparse.Namespace(**{**vars(args), "rate": 20.0})
            asyncio.run(load(server.base_url, warm, args.warmup, first_id=10_000_000))
            wait_replies(sink, args.warmup)
            sink.first_reply.clear()
        total = int(args.rate * args.seconds)
        sent_at, webhook_times, errors, achieved = asyncio.run(load(server.base_url, args, total))
        deadline = time.monotonic() + 60
        while len(sink.first_reply) < total and time.monotonic() < deadline:
            time.sleep(0.2)
        delivered = [sink.first_reply[c] - sent_at[c] for c in sent_at if c in sink.first_reply]
        queued = server_side_queue_latency(env)
        print(f"messages={total} rate_target={args.rate:.0f}/s rate_achieved={achieved:.0f}/s errors={errors} "
              f"replied={len(sink.first_reply)} cpus={os.cpu_count()}")
        print(summary("webhook", webhook_times))
        print(summary("queued", queued) if queued else "queued: no data")
        print(summary("delivered", delivered))
    finally:
        server.stop()
        sink.stop()
        if worker is not None:
            worker.terminate()
            worker.wait(10)


def server_side_queue_latency(env: dict[str, str]) -> list[float]:
    """outbox.created_at − inbox.received_at for each message's first reply (server clock)."""
    sys.path.insert(0, str(ROOT / "src"))
    from sqlalchemy import select

    from allo.adapters.storage.database import make_engine
    from allo.adapters.storage.tables import inbox_messages, outbox_messages

    engine = make_engine(f"sqlite:///{Path(env['ALLO_DATA_DIR']) / 'allo.db'}")
    with engine.connect() as conn:
        received = {f"in:{r.id}:0": r.received_at for r in conn.execute(select(inbox_messages))
                    if int(r.provider_message_id) < 10_000_000}  # not the warm-up
        out = []
        for r in conn.execute(select(outbox_messages.c.dedupe_key, outbox_messages.c.created_at)):
            if r.dedupe_key in received:
                out.append((r.created_at - received[r.dedupe_key]).total_seconds())
    engine.dispose()
    return out


if __name__ == "__main__":
    main()
