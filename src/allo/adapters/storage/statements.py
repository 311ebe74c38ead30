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

_built: dict[tuple[str, str], Any] = {}


def prepared(conn: Connection, key: str, build: Callable[[str], Executable]) -> Any:
    """The statement named `key` for this connection's dialect, built by `build(dialect_name)` on
    first use (a race only builds it twice)."""
    dialect = conn.dialect.name
    stmt = _built.get((dialect, key))
    if stmt is None:
        stmt = _built[(dialect, key)] = build(dialect)
    return stmt
