"""Engines for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from contextlib import nullcontext
from pathlib import Path
from typing import Any, ContextManager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from allo.adapters.storage.checkpoint import SAFETY_NET_PAGES


def normalise_url(url: str) -> str:
    """Pick the psycopg 3 driver for plain postgresql:// URLs."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url, echo)
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _sqlite_engine(url: str, echo: bool) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions, so that we can say BEGIN IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        # Long-running processes checkpoint from a thread of their own (see checkpoint.py).
        cur.execute(f"PRAGMA wal_autocheckpoint={SAFETY_NET_PAGES}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers queue up at BEGIN instead of failing later on a stale snapshot. Sent on the driver
        # directly: SQLAlchemy's execution machinery costs more than the statement (every unit of
        # work begins here), and errors are wrapped as SQLAlchemy would.
        try:
            conn.connection.driver_connection.execute("BEGIN IMMEDIATE").close()
        except sqlite3.Error as exc:
            raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc

    return engine


_SQLITE_LOCKS: "weakref.WeakKeyDictionary[Engine, threading.RLock]" = weakref.WeakKeyDictionary()


def transaction_gate(engine: Engine) -> ContextManager[object]:
    """SQLite has one writer at a time. Inside a process, transactions queue on a lock instead of
    on SQLite's busy handler, which sleeps in growing steps (up to 100 ms) and would add that to
    every contended request. Other databases need no gate."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    lock = _SQLITE_LOCKS.get(engine)
    if lock is None:
        lock = _SQLITE_LOCKS.setdefault(engine, threading.RLock())
    return lock
