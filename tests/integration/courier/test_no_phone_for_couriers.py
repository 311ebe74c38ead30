"""Issue 5: request every courier-facing page and API response of a complete delivery, as the
courier, and find no customer phone number in any of them.

The customer writes by SMS (the Twilio channel: their conversation's address IS their number), and
even types their number into the relay; the courier still never sees it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone

from fastapi.testclient import TestClient

from allo.domain.clock import FixedClock
from allo.services import inbox
from allo.services.ports.channel import InboundMessage
from tests.support.api import PASSWORD, World
from tests.support.jobs import Job, offer_job

PHONE = "+33612345642"  # the customer of world.new_order()
#: The number in any spelling: +33 6 12 34 56 42, 06.12.34.56.42, 0612345642 …
PHONE_ANYHOW = re.compile(r"6[^0-9A-Za-z]{0,3}12[^0-9A-Za-z]{0,3}34[^0-9A-Za-z]{0,3}56[^0-9A-Za-z]{0,3}42")
MASKED = re.compile(r"\+33 6 (•• )+42")


class SmsCustomer:
    def __init__(self, world: World, order_id: str) -> None:
        self.world, self.n = world, 0
        ctx = world.app.ctx
        with ctx.uow() as uow:
            conv = uow.messaging.conversation(channel="twilio", address=PHONE, merchant_id=world.merchant_id,
                                              new_id=ctx.new_id(), now=ctx.clock.now())
            order = uow.orders.get(order_id)
            order.conversation_id = conv.id
            uow.orders.save(order)
            uow.commit()

    def say(self, text: str) -> None:
        self.n += 1
        ctx = self.world.app.ctx
        msg = InboundMessage("twilio", f"SM{self.n:032d}", PHONE, text, ctx.clock.now())
        inbox.store_inbound(ctx, [msg], self.world.merchant_id)
        assert self.world.app.worker is not None
        self.world.app.worker.run_once()


class Courier:
    """The courier's phone: one session cookie for the pages and the API alike."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.http = TestClient(world.client.app, raise_server_exceptions=False)
        r = self.http.post("/login", data={"username": "courier", "password": PASSWORD}, follow_redirects=False)
        assert r.status_code == 303
        self.seen: list[tuple[str, str]] = []

    def keep(self, label: str, r) -> None:  # type: ignore[no-untyped-def]
        assert r.status_code < 500, f"{label}: {r.status_code} {r.text[:300]}"
        self.seen.append((label, r.text))

    def do(self, method: str, url: str, **kw: object) -> None:
        r = self.http.request(method, url, follow_redirects=True, **kw)  # type: ignore[arg-type]
        self.keep(f"{method} {url}", r)

    def sweep(self, stage: str, ids: dict[str, str]) -> None:
        """GET everything a courier may read, with this delivery's ids."""
        for path in courier_readable_paths(self.world):
            names = re.findall(r"\{(\w+)\}", path)
            if any(n not in ids for n in names):
                continue
            url = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
            headers = {}
            if path.endswith("/events"):
                url += "?max_seconds=0"
                headers["Last-Event-ID"] = "0"
            r = self.http.get(url, headers=headers, follow_redirects=True)
            self.keep(f"[{stage}] GET {url}", r)


def courier_readable_paths(world: World) -> Iterator[str]:
    spec = world.client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        op = ops.get("get")
        if op is None or path.startswith("/webhooks"):
            continue
        allowed = op.get("x-roles", [])
        if "courier" in allowed or "public" in allowed:
            yield path


def test_no_customer_phone_number_reaches_the_courier(world: World, clock: FixedClock) -> None:
    courier = Courier(world)
    courier.do("POST", "/courier/shift/start")
    order = world.new_order()
    customer = SmsCustomer(world, order["id"])
    job: Job = offer_job(world, order, start_shift=False)
    with world.app.ctx.uow() as uow:
        token = str(uow.orders.get(job.order_id).tracking_token)
    ids = {"courier_id": world.courier_id, "assignment_id": job.assignment_id, "order_id": job.order_id,
           "token": token, "merchant_id": world.merchant_id}
    courier.sweep("offered", ids)
    courier.do("POST", f"/courier/offers/{job.assignment_id}/accept")
    world.app.worker.run_once()  # type: ignore[union-attr]
    courier.sweep("accepted", ids)
    courier.do("POST", f"/api/assignments/{job.assignment_id}/at-shop")
    courier.do("POST", f"/courier/jobs/{job.assignment_id}/picked-up", headers={"HX-Request": "true"})
    courier.do("PUT", f"/api/couriers/{world.courier_id}/position", json={"lat": 43.738, "lon": 7.425})
    customer.say("Bonjour, je suis au 3e, sinon appelez-moi au 06 12 34 56 42 ou +33 6 12 34 56 42")
    courier.do("POST", f"/api/assignments/{job.assignment_id}/orders/{job.order_id}/messages",
               json={"text": "J'arrive dans 2 minutes"})
    courier.do("POST", f"/courier/jobs/{job.assignment_id}/orders/{job.order_id}/messages",
               data={"text": "Je suis en bas"})
    courier.sweep("picked_up", ids)
    courier.do("POST", f"/api/assignments/{job.assignment_id}/orders/{job.order_id}/delivered", json={"pin": "9999"
               if job.pin != "9999" else "8888"})
    courier.do("POST", f"/courier/jobs/{job.assignment_id}/orders/{job.order_id}/delivered", data={"pin": job.pin})
    customer.say("Merci ! 0612345642")
    courier.sweep("delivered", ids)
    clock.advance(minutes=30)
    customer.say("encore une question")
    courier.sweep("closed", ids)
    courier.do("POST", "/courier/shift/end")

    labels = [label for label, _ in courier.seen]
    assert any("/courier/panel" in x for x in labels) and any("/api/orders/" in x for x in labels)
    assert len(courier.seen) > 40
    relayed = "\n".join(text for label, text in courier.seen if "[delivered] GET /courier/panel" in label)
    assert "je suis au 3e" in relayed and "numéro masqué" in relayed  # the message arrived, its number did not
    leaks = [label for label, text in courier.seen if PHONE_ANYHOW.search(text) or MASKED.search(text)
             or "Dupont" in text]
    assert not leaks, f"the customer's number reached the courier in: {leaks}"
    assert datetime.now(timezone.utc)  # (the sweep ran against the fixed clock above)
