"""`allo serve` and `allo worker` (`allo demo` is in demo.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from allo.entrypoints.cli.common import console, settings_with, settle_heap, tell_dispatch

HOST = typer.Option(None, "--host", help="Interface to listen on (ALLO_HOST; default 127.0.0.1).")
PORT = typer.Option(None, "--port", help="Port (ALLO_PORT; default 8000).")
DATA_DIR = typer.Option(None, "--data-dir", help="Folder for the SQLite file and key (ALLO_DATA_DIR).")


def _run(settings: object) -> None:
    import uvicorn

    from allo.bootstrap import build
    from allo.entrypoints.http.app import create_app

    app = build(settings)  # type: ignore[arg-type]
    try:
        tell_dispatch(app)
        http_app = create_app(app)
        settle_heap()
        uvicorn.run(http_app, host=app.settings.host, port=app.settings.port,
                    log_level=app.settings.log_level, access_log=False)
    finally:
        app.close()


def worker(data_dir: Path | None = DATA_DIR) -> None:
    """Run only the background worker (inbox, outbox, notifications, dispatch): start several
    next to API-only `allo serve` processes (ALLO_WORKER=false) on PostgreSQL."""
    import signal
    import threading

    from allo.bootstrap import build

    app = build(settings_with(data_dir))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    assert app.worker is not None
    settle_heap()
    app.start_checkpointer()
    app.worker.start()
    tell_dispatch(app)
    console.print("worker running; Ctrl-C to stop")
    try:
        stop.wait()
    finally:
        app.close()


def serve(host: str | None = HOST, port: int | None = PORT, data_dir: Path | None = DATA_DIR) -> None:
    """Serve the API and pages; pending migrations are applied first."""
    _run(settings_with(data_dir, host=host, port=port))
