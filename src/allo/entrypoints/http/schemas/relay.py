"""Relay schemas: what a courier and what staff see of the messages of an order."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from allo.adapters.storage.repositories.relay import RelayMessage
from allo.relay.policy import RelayState
from allo.services.relay import RelayThread


class RelayMessageCreate(BaseModel):
    text: str = Field(min_length=1, max_length=1000)


class RelayMessageRead(BaseModel):
    id: int
    sender: str = Field(description="customer or courier")
    status: str = Field(description="relayed, or refused when it arrived after the relay closed")
    at: datetime
    text: str

    @classmethod
    def of(cls, m: RelayMessage) -> "RelayMessageRead":
        return cls(id=m.id, sender=m.sender, status=m.status, at=m.at, text=m.text)


class RelayThreadRead(BaseModel):
    order_id: str
    state: RelayState
    closes_at: datetime | None
    reachable: bool
    messages: list[RelayMessageRead]

    @classmethod
    def of(cls, t: RelayThread) -> "RelayThreadRead":
        return cls(order_id=t.order_id, state=t.state, closes_at=t.closes_at, reachable=t.reachable,
                   messages=[RelayMessageRead.of(m) for m in t.messages])
