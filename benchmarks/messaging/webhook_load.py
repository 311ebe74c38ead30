"""Webhook → reply latency under load, on the embedded defaults (SQLite, in-process worker).

Starts `allo serve` on 127.0.0.1 with a Telegram channel pointing at a local sink that timestamps
every reply, sends Telegram webhooks at a fixed rate (open loop: the schedule does not wait for
answers), and reports for each message:

- webhook: the webhook's own response time (verified and stored);
- queued: from the webhook's arrival in the app to the reply being queued in the outbox (server
  clock: outbox.created_at − inbox.received_at);
- sent→queued: from the moment the webhook was due to leave the client to its reply being queued
  (wall clock of this machine; includes any wait before the server reads the request);
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadtools import KeepAlivePool, SinkProcess  # noqa: E402
from tests.support.server import (  # noqa: E402
    ALLO, ServerProcess, admin_api, allo_env, create_shop, free_port, run_allo,
)

SECRET = "load-test-secret"
#: provider message id → wall-clock time (time.time) its webhook was due (the server's clock is the
#: same machine's wall clock, which outbox.created_at is read from)
DUE_WALL: dict[str, float] = {}


def wait_replies(sink: SinkProcess, n: int, timeout: float = 60) -> dict[str, float]:
    deadline = time.monotonic() + timeout
    replies = sink.first_replies()
    while len(replies) < n and time.monotonic() < deadline:
        time.sleep(0.2)
        replies = sink.first_replies()
    return replies


async def load(base_url: str, args: argparse.Namespace, total: int,
               first_id: int = 0) -> tuple[dict[str, float], list[float], int, float]:
    """Open-loop load: message i is due at start + i / rate, whatever happened to the others; its
    latency counts from that moment (a late send is the server's fault, not hidden)."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    sent_at: dict[str, float] = {}
    due_wall = DUE_WALL
    webhook_times: list[float] = []
    errors = 0
    pool = KeepAlivePool(base_url)

    async def fire(i: int, due: float) -> None:
        nonlocal errors
        chat = str(100000 + first_id + i)  # one message per chat: its first reply is this one's reply
        body = json.dumps({"update_id": first_id + i + 1, "message": {
            "message_id": first_id + i + 1, "date": 1767268800, "chat": {"id": int(chat), "type": "private"},
            "from": {"id": int(chat), "is_bot": False, "first_name": "X"}, "text": args.text}}).encode()
        sent_at[chat] = due
        due_wall[str(first_id + i + 1)] = time.time() - (time.monotonic() - due)  # the provider's message id
        try:
            status = await pool.post("/webhooks/telegram", body, headers)
        except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
            print(f"message {i}: {type(exc).__name__}: {exc}", file=sys.stderr)
            status = 0
        webhook_times.append(time.monotonic() - due)
        if status not in (0, 200):
            print(f"message {i}: HTTP {status}", file=sys.stderr)
        errors += status != 200

    tasks = []
    start = time.monotonic()
    for i in range(total):
        due = start + i / args.rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(fire(i, due)))
    await asyncio.gather(*tasks)
    achieved = total / (time.monotonic() - start)
    await pool.close()
    return sent_at, webhook_times, errors, achieved


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def summary(name: str, values_s: list[float]) -> str:
    ms = [v * 1000 for v in values_s]
    if not ms:
        return f"{name:<10} n=    0  (no data)"
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
    ap.add_argument("--provider-ms", type=float, default=0.0,
                    help="the provider sink answers each send this many milliseconds after reading it")
    args = ap.parse_args()

    sink = SinkProcess(delay=args.provider_ms / 1000)
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

        answered = "ALLO_WORKER=false" not in os.environ.get("LOAD_EXTRA_ENV", "")
        if args.warmup:
            warm = argparse.Namespace(**{**vars(args), "rate": 20.0})
            asyncio.run(load(server.base_url, warm, args.warmup, first_id=10_000_000))
            wait_replies(sink, args.warmup, timeout=60 if answered else 1)
            sink.clear()
        total = int(args.rate * args.seconds)
        cpu_before = process_cpu_seconds(server.proc.pid)
        sent_at, webhook_times, errors, achieved = asyncio.run(load(server.base_url, args, total))
        replies = wait_replies(sink, total, timeout=60 if answered else 1)
        server_cpu = process_cpu_seconds(server.proc.pid) - cpu_before
        delivered = [replies[c] - sent_at[c] for c in sent_at if c in replies]
        queued, queued_e2e = queue_latencies(env)
        print(f"messages={total} rate_target={args.rate:.0f}/s rate_achieved={achieved:.0f}/s errors={errors} "
              f"replied={len(replies)} cpus={os.cpu_count()}")
        print(f"server CPU {server_cpu:.2f} s = {server_cpu / total * 1e6:.0f} µs per message "
              f"(all threads, from the first message to the last reply)")
        print(summary("webhook", webhook_times))
        print(summary("queued", queued))
        print(summary("sent→queued", queued_e2e))
        print(summary("delivered", delivered))
    finally:
        server.stop()
        sink.stop()
        if worker is not None:
            worker.terminate()
            worker.wait(10)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def queue_latencies(env: dict[str, str]) -> tuple[list[float], list[float]]:
    """For each message's first reply: (outbox.created_at − inbox.received_at, both on the server's
    clock) and (outbox.created_at − the moment the webhook was due to be sent, wall clock)."""
    sys.path.insert(0, str(ROOT / "src"))
    from sqlalchemy import select

    from allo.adapters.storage.database import make_engine
    from allo.adapters.storage.tables import inbox_messages, outbox_messages

    engine = make_engine(f"sqlite:///{Path(env['ALLO_DATA_DIR']) / 'allo.db'}")
    with engine.connect() as conn:
        inbound = {f"in:{r.id}:0": (r.received_at, r.provider_message_id) for r in conn.execute(select(inbox_messages))
                   if int(r.provider_message_id) < 10_000_000}  # not the warm-up
        in_app, end_to_end = [], []
        for r in conn.execute(select(outbox_messages.c.dedupe_key, outbox_messages.c.created_at)):
            if r.dedupe_key in inbound:
                received_at, provider_id = inbound[r.dedupe_key]
                in_app.append((r.created_at - received_at).total_seconds())
                end_to_end.append(r.created_at.timestamp() - DUE_WALL[provider_id])
    engine.dispose()
    return in_app, end_to_end


if __name__ == "__main__":
    main()
