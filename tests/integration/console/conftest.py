"""Console tests: a logged-in page client per role (session cookie), on the integration world."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from allo.services import couriers
from allo.services.principal import SYSTEM
from tests.support.api import World
from tests.support.pages import Pages


@pytest.fixture
def pages(world: World) -> Pages:
    return Pages(world)


@pytest.fixture
def on_shift(world: World) -> Callable[[str], None]:
    def start(courier_id: str) -> None:
        couriers.start_shift(world.app.ctx, principal=SYSTEM, courier_id=courier_id)

    return start
