"""CPU cost of each messaging stage per message, in-process, without HTTP (a diagnostic for
webhook_load.py: where a message's milliseconds go).

    python benchmarks/messaging/pipeline_cpu.py [--messages 2000] [--group 5] [--repeat 3]

On a fresh SQLite file with one shop (the embedded defaults otherwise), for N inbound Telegram
messages from N different chats (each a greeting, answered with the menu):

- store:   the webhook's storage (`inbox.store_inbound`, `--group` messages per transaction, as the
           group-commit writer does under load);
- handle:  `inbox.process_pending` until nothing is pending (claim, conversation, dialogue, reply
           queued);
- deliver: `outbox.deliver_due` with a channel that accepts every message without a network call
           (claim, mark sent);
- jobs:    one run of the worker's periodic jobs (the customer notifier, dispatch off).

Prints CPU microseconds per message for each stage (process CPU time, best of `--repeat` runs,
each on a new database): CPU time, because the machine is shared.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from allo.bootstrap import build  # noqa: E402
from allo.domain.catalog import Catalog, CatalogItem  # noqa: E402
from allo.domain.geo import LatLon, Polygon  # noqa: E402
from allo.domain.money import Money  # noqa: E402
from allo.services import inbox, merchants, outbox  # noqa: E402
from allo.services.ports.channel import InboundMessage, OutboundMessage, SendResult  # noqa: E402
from allo.services.principal import SYSTEM  # noqa: E402
from allo.settings import Settings  # noqa: E402

SHOP = LatLon(43.7384, 7.4246)


class AcceptingChannel:
    """Accepts every message at once (the provider's cost left out)."""

    name = "telegram"

    def __init__(self) -> None:
        self.sent = 0

    def send(self, message: OutboundMessage) -> SendResult:
        self.sent += 1
        return SendResult(provider_message_id=str(self.sent))


def one_run(n: int, group: int) -> dict[str, float]:
    tmp = Path(tempfile.mkdtemp(prefix="allo-cpu-"))
    settings = Settings(data_dir=tmp, secret_key="x4hVh0wM3Bz5yH2k9nQ7cR1tL6pD8sF0aJ2eG4iK6mM=",
                        dispatch=False)
    app = build(settings, migrate_now=True)
    try:
        shop = merchants.create_merchant(app.ctx, principal=SYSTEM, name="Pizzeria", address="1 quai Albert Ier",
                                         pickup=SHOP, delivery_zone=Polygon.circle(SHOP, 3000))
        merchants.replace_catalog(app.ctx, principal=SYSTEM, merchant_id=shop.id, catalog=Catalog(
            "Pizzeria", "EUR", (CatalogItem("margherita", "Pizza margherita", Money(900), ("margarita",)),)))
        assert app.worker is not None
        channels = {"telegram": AcceptingChannel()}
        now = datetime.now(timezone.utc)
        msgs = [InboundMessage(channel="telegram", provider_message_id=str(i), sender=str(100000 + i),
                               text="bonjour", received_at=now) for i in range(n)]
        figures: dict[str, float] = {}

        t = time.process_time()
        for i in range(0, n, group):
            inbox.store_inbound(app.ctx, msgs[i:i + group], shop.id)
        figures["store"] = time.process_time() - t

        t = time.process_time()
        while inbox.process_pending(app.ctx, app.worker.handler):
            pass
        figures["handle"] = time.process_time() - t

        t = time.process_time()
        while outbox.deliver_due(app.ctx, channels):  # type: ignore[arg-type]
            pass
        figures["deliver"] = time.process_time() - t
        assert channels["telegram"].sent == n, channels["telegram"].sent

        t = time.process_time()
        for job in app.worker.jobs:
            job()
        figures["jobs (one round)"] = time.process_time() - t
        return {k: v / n * 1e6 if k != "jobs (one round)" else v * 1e6 for k, v in figures.items()}
    finally:
        app.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--group", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    one_run(100, args.group)  # warm-up: imports, parser build
    runs = [one_run(args.messages, args.group) for _ in range(args.repeat)]
    best = {k: min(r[k] for r in runs) for k in runs[0]}
    for k, v in best.items():
        unit = "µs" if k.startswith("jobs") else "µs/message"
        print(f"{k:<18} {v:8.0f} {unit}")
    total = best["store"] + best["handle"] + best["deliver"]
    print(f"{'store+handle+deliver':<18} {total:8.0f} µs/message (CPU, best of {args.repeat}, {args.messages} messages)")


if __name__ == "__main__":
    main()
