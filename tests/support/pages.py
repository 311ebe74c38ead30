"""Driving server-rendered pages in tests: the session cookie of one role at a time."""

from __future__ import annotations

from typing import Any

from httpx import Response

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

    def get(self, path: str, **kw: Any) -> Response:
        return self.world.client.get(path, follow_redirects=False, **kw)

    def post(self, path: str, data: dict[str, str] | None = None, **kw: Any) -> Response:
        return self.world.client.post(path, data=data or {}, follow_redirects=False, **kw)
