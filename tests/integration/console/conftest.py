"""Console tests: a logged-in page client per role (session cookie), on the integration world."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from allo.services import couriers
from allo.services.principal import SYSTEM
from tests.support.api import World


class Pages:
    """The world's test client, logged in through the session cookie as one role at a time."""

    def __init__(self, world: World) -> None:
        self.world = world

    def as_(self, who: str | None) -> "Pages":
        self.world.client.cookies.clear()
        if who is not None:
            self.world.client.cookies.set("allo_session", self.world.tokens[who])
        return self

    def get(self, path: str, **kw: Any):  # type: ignore[no-untyped-def]
        return self.world.client.get(path, follow_redirects=False, **kw)

    def post(self, path: str, data: dict[str, str] | None = None, **kw: Any):  # type: ignore[no-untyped-def]
        return self.world.client.post(path, data=data or {}, follow_redirects=False, **kw)


@pytest.fixture
def pages(world: World) -> Pages:
    return Pages(world)


@pytest.fixture
def on_shift(world: World) -> Callable[[str], None]:
    def start(courier_id: str) -> None:
        couriers.start_shift(world.app.ctx, principal=SYSTEM, courier_id=courier_id)

    return start
