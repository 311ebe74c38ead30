"""`allo demo`: the demo city on a fresh SQLite file, served with a live simulation.

Simulated customers order through the web chat, simulated shops prepare, simulated couriers ride
Monaco's streets; all of it on demo time, `--speed` times faster than the wall clock.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from allo.entrypoints.cli.common import console, settings_with, settle_heap, tell_dispatch
from allo.entrypoints.cli.server import HOST, PORT

if TYPE_CHECKING:
    from allo.bootstrap import Application

#: Login sessions last this many demo hours (12 wall hours at any speed).
SESSION_HOURS = 12


def demo(host: str | None = HOST, port: int | None = PORT,
         data_dir: Path = typer.Option(Path("var/demo"), "--data-dir", help="Folder of the demo's fresh SQLite file."),
         password: str = typer.Option("demo-allo", "--password", help="Password of every demo login."),
         rate: float = typer.Option(3.0, "--rate", min=0, help="New simulated customers per minute (wall clock)."),
         speed: float = typer.Option(20.0, "--speed", min=0.1, max=120,
                                     help="Demo seconds per wall second (1 = real time)."),
         seed: int = typer.Option(0, "--seed", help="Seed of the simulation's random choices."),
         simulation: bool = typer.Option(True, "--simulation/--no-simulation",
                                         help="Run simulated customers, shops and couriers."),
         human: list[str] = typer.Option([], "--human", metavar="USERNAME",
                                         help="A courier login the simulation leaves to you (repeatable).")) -> None:
    """A fresh SQLite file loaded with the demo city (Monaco shops, couriers, logins), then serve it
    with simulated customers, shops and couriers (unless --no-simulation)."""
    from argon2 import PasswordHasher

    from allo.bootstrap import build
    from allo.demo.seed import seed_demo
    from allo.simulation.live.clock import ScaledClock
    from allo.simulation.live.couriers import CourierHabits

    for name in ("allo.db", "allo.db-wal", "allo.db-shm"):
        (data_dir / name).unlink(missing_ok=True)
    speed = speed if simulation else 1.0
    # the simulated couriers stay a minute at the shop and less at the door: the dispatcher plans so
    pickup, dropoff = CourierHabits().planned_service_minutes() if simulation else (None, None)
    # the dispatcher times rides over the streets the demo's couriers ride; each unless set
    demo_defaults = {"travel_model": "monaco-streets", "pickup_service_minutes": pickup,
                     "dropoff_service_minutes": dropoff}
    settings = settings_with(data_dir, "", host=host, port=port, token_ttl_hours=math.ceil(SESSION_HOURS * speed),
                             **{name: None if f"ALLO_{name.upper()}" in os.environ else value
                                for name, value in demo_defaults.items()})
    app = build(settings, clock=ScaledClock(speed) if simulation else None, migrate_now=True)
    try:
        # the demo password is printed for all to see: hashing it expensively would only slow the start
        app.ctx.password_hasher = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
        logins = seed_demo(app.ctx, password=password)
        _welcome(settings.base_url, logins, password, rate if simulation else None, speed)
        _serve(app, rate=rate, speed=speed, seed=seed, simulation=simulation, human=tuple(human))
    finally:
        app.close()


def _welcome(base: str, logins: list[tuple[str, str]], password: str, rate: float | None, speed: float) -> None:
    chat_hint = "" if rate is None else "      (order yourself: a simulated courier brings it)"
    lines = [
        f"[bold]Allo demo[/bold] on {base}",
        f"  dispatcher console  {base}/console   (login dispatch / {password})",
        f"  courier app         {base}/courier   (login courier1 … courier5 / {password})",
        f"  customer chat       {base}/chat{chat_hint}",
        f"  API docs            {base}/docs",
        *(f"  login [cyan]{username}[/cyan] / {password}  ({role})" for username, role in logins),
    ]
    if rate is None:
        lines.append("  no simulation: order through the chat page, drive the couriers in the courier app")
    else:
        lines.append(f"  simulation: {rate:g} customers a minute; demo time runs {speed:g}x faster than the wall clock")
    for line in lines:
        console.print(line, soft_wrap=True)


def _serve(app: "Application", *, rate: float, speed: float, seed: int, simulation: bool,
           human: tuple[str, ...]) -> None:
    import uvicorn

    from allo.entrypoints.http.app import create_app

    thread = None
    if simulation:
        from allo.simulation.live.runner import DemoThread, build_demo_world
        from allo.simulation.live.world import DemoOptions

        _tell_the_story()
        options = DemoOptions(rate_per_minute=rate, speed=speed, seed=seed, human_couriers=human)
        thread = DemoThread(build_demo_world(app, options)).start()
    try:
        tell_dispatch(app)
        http_app = create_app(app)
        settle_heap()
        uvicorn.run(http_app, host=app.settings.host, port=app.settings.port,
                    log_level=app.settings.log_level, access_log=False)
    finally:
        if thread is not None:
            thread.stop()


def _tell_the_story() -> None:
    """Print what the simulated people do (messages, jobs, deliveries) in the terminal."""
    import logging
    import sys

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("  %(message)s"))
    story = logging.getLogger("allo.demo.story")
    story.addHandler(handler)
    story.setLevel(logging.INFO)
    story.propagate = False
