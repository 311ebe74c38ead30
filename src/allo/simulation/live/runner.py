"""Running the demo world inside the server: wiring from an Application, and a background thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from allo.domain.courier import Vehicle
from allo.domain.geo import LatLon, LocalProjection, Polygon
from allo.simulation.live.couriers import Router
from allo.simulation.live.world import CITY_CENTRE, DemoOptions, DemoWorld

if TYPE_CHECKING:
    from allo.bootstrap import Application

log = logging.getLogger("allo.demo")


class StraightLines:
    """A router without streets (when no road network is wanted, e.g. quick tests)."""

    def route(self, origin: LatLon, destination: LatLon) -> list[LatLon]:
        return [origin, destination]


def road_routers(projection: LocalProjection | None = None) -> Callable[[Vehicle], Router]:
    """Routers over the demo city's streets: walking couriers use footways and steps, the others
    the drivable network with its one-way streets. Each network is loaded on first use."""
    from allo.adapters.geo.road_network import load_monaco_road_network

    proj = projection or LocalProjection(CITY_CENTRE)
    loaded: dict[str, Router] = {}

    def router_for(vehicle: Vehicle) -> Router:
        mode = "walk" if vehicle is Vehicle.FOOT else "drive"
        if mode not in loaded:
            loaded[mode] = load_monaco_road_network(mode, proj)
        return loaded[mode]

    return router_for


def build_demo_world(app: "Application", options: DemoOptions, *,
                     router_for: Callable[[Vehicle], Router] | None = None) -> DemoWorld:
    """The demo world over an application's services, with the Monaco address book and streets."""
    from allo.demo.seed import DELIVERY_RADIUS_M, MONACO_CENTRE
    from allo.simulation.live.addresses import load_demo_addresses

    channel = app.channels.get("webchat")
    if channel is None:
        raise RuntimeError("the demo simulation needs the web chat channel")
    addresses = load_demo_addresses(Polygon.circle(MONACO_CENTRE, DELIVERY_RADIUS_M))
    return DemoWorld(app.ctx, channel, addresses, router_for or road_routers(), options, wake=app.wake_worker)


class DemoThread:
    """Steps the world every `tick_seconds` of wall time until stopped."""

    def __init__(self, world: DemoWorld, tick_seconds: float = 0.25) -> None:
        self.world = world
        self.tick_seconds = tick_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.world.step()
            except Exception:  # noqa: BLE001 - the demo goes on; the error is logged
                log.exception("demo step failed")
            self._stop.wait(self.tick_seconds)

    def start(self) -> "DemoThread":
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="allo-demo", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
