"""Statements built once per SQL dialect and then executed with parameters.

Building a SQLAlchemy statement (`insert(t).values(a=1)`, `t.c.id == x`) costs far more than
running it on SQLite: each new statement object is walked again to find its cache key. Hot paths
(the inbox, the outbox, conversations) therefore build each statement once, with `bindparam`
placeholders, and pass the values at execution; SQLAlchemy then reuses the compiled form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import Executable

Builder = Callable[[str], Executable]
_built: dict[tuple[str, Builder], Any] = {}


def prepared(conn: Connection, build: Builder) -> Any:
    """The statement `build(dialect_name)` makes for this connection's dialect, built on first use
    (a race only builds it twice)."""
    key = (conn.dialect.name, build)
    stmt = _built.get(key)
    if stmt is None:
        stmt = _built[key] = build(key[0])
    return stmt
