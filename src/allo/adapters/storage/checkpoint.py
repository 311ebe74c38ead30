"""SQLite's write-ahead log copied back into the database file by a thread of its own.

By default SQLite checkpoints inside the commit that takes the log past 1,000 pages: that commit
copies the pages and syncs the log and the database file to disk (two fsyncs), all while this
process's transaction gate (see allo.adapters.storage.database) is held, so every other
transaction waits for the disk. Long-running processes (`allo serve`, `allo worker`) start a
`WalCheckpointer` instead: connections then checkpoint only past `SAFETY_NET_PAGES` (a bound, should
the thread ever fall behind), and the thread checkpoints every `interval` seconds, outside the
gate. A passive checkpoint neither blocks nor waits for writers and readers (SQLite's WAL design);
the driver releases the GIL meanwhile.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

log = logging.getLogger("allo.storage")

#: Pages of log (4 KiB each) past which a commit checkpoints by itself, as SQLite does at 1,000.
SAFETY_NET_PAGES = 16_000


class WalCheckpointer:
    def __init__(self, engine: Engine, *, interval: float = 0.5) -> None:
        self.engine = engine
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        #: Checkpoints run, and pages copied into the database file by them.
        self.runs = 0
        self.pages = 0

    def start(self) -> None:
        """Start the thread (SQLite only; other databases have nothing to do)."""
        if self.engine.dialect.name != "sqlite" or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="allo-checkpoint", daemon=True)
        self._thread.start()

    def checkpoint(self) -> int:
        """One passive checkpoint now; the pages it copied."""
        raw = self.engine.raw_connection()
        try:
            cursor = raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")  # type: ignore[union-attr]
            _busy, _log_pages, copied = cursor.fetchone()
            cursor.close()
        finally:
            raw.close()
        copied = max(0, copied)  # -1 when the database is not in WAL mode
        self.runs += 1
        self.pages += copied
        return copied

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.checkpoint()
            except Exception:  # noqa: BLE001 - the commits' own checkpoint past the safety net remains
                log.exception("WAL checkpoint failed")

    def stop(self) -> None:
        """Stop the thread after a last checkpoint."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(10)
        self._thread = None
        try:
            self.checkpoint()
        except Exception:  # noqa: BLE001 - SQLite checkpoints again when the last connection closes
            log.exception("last WAL checkpoint failed")
