"""A customer on the built-in web chat, in tests: writes, lets the worker run, reads the replies."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.api import World


class CustomerChat:
    def __init__(self, world: World, merchant_id: str | None = None, session: str = "customer-session-0001-abcd") -> None:
        self.world = world
        self.merchant_id = merchant_id or world.merchant_id
        self.client = TestClient(world.client.app, raise_server_exceptions=False)
        self.client.cookies.set("allo_chat", session)
        self.address = f"{self.merchant_id}_{session}"
        self.seen = 0
        self.n = 0

    def attach(self, order_id: str) -> str:
        """Make this chat the conversation an order came from (as if it had been ordered here)."""
        ctx = self.world.app.ctx
        with ctx.uow() as uow:
            conv = uow.messaging.conversation(channel="webchat", address=self.address, merchant_id=self.merchant_id,
                                              new_id=ctx.new_id(), now=ctx.clock.now())
            order = uow.orders.get(order_id)
            order.conversation_id = conv.id
            uow.orders.save(order)
            uow.commit()
        return conv.id

    def run_worker(self) -> None:
        assert self.world.app.worker is not None
        self.world.app.worker.run_once()

    def say(self, text: str) -> list[str]:
        self.n += 1
        r = self.client.post(f"/chat/api/{self.merchant_id}/messages",
                             json={"message_id": f"customer-{self.n:06d}", "text": text})
        assert r.status_code == 202, r.text
        self.run_worker()
        return self.replies()

    def replies(self) -> list[str]:
        self.run_worker()
        got = self.client.get(f"/chat/api/{self.merchant_id}/messages", params={"after": self.seen}).json()
        if got:
            self.seen = got[-1]["id"]
        return [m["text"] for m in got]
