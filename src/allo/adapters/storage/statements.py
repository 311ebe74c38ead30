"""Hot statements compiled once per SQL dialect and run straight on the driver's connection.

A message's trip through the inbox, the dialogue and the outbox runs about ten small statements.
SQLite runs each in a few tens of microseconds; SQLAlchemy's execution around it (execution
context, cache key, result object, events) cost two to four times that again (see
benchmarks/messaging/PROTOCOL.md). The hot paths therefore build each statement once, with
`bindparam` placeholders, compile it once for the connection's dialect, and run it on the DBAPI
connection under the unit of work's own transaction, converting values with exactly the
processors SQLAlchemy would use (the columns' types as the dialect implements them).

Statements with parameters that expand at execution (`IN` lists) or with escaped parameter names
are refused at build time; they run through SQLAlchemy as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Insert
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Executable

Builder = Callable[[str], Executable]
Processor = Callable[[Any], Any] | None


class DriverStatement:
    """One statement for one dialect: its SQL, the fixed values it was built with, and the type
    conversions of its parameters and of the columns it returns."""

    def __init__(self, statement: Executable, dialect: Dialect, column_keys: Iterable[str] = ()) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(column_keys) or None)
        if compiled.literal_execute_params or compiled.post_compile_params or compiled.escaped_bind_names:
            raise ValueError(f"not runnable on the driver as compiled once: {compiled}")
        self.sql = compiled.string
        #: Parameter names in placeholder order (positional paramstyles), else None.
        self.order: tuple[str, ...] | None = tuple(compiled.positiontup or ()) if compiled.positional else None
        #: Values written into the statement when it was built (`.values(status="sent")`, `+ 1`).
        self.fixed: dict[str, Any] = compiled.construct_params(_check=False)
        self.binders: dict[str, Processor] = {}
        for bind, name in compiled.bind_names.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                self.binders[name] = process
        returned = getattr(statement, "exported_columns", ())
        self.columns: tuple[str, ...] = tuple(c.key for c in returned)
        self.readers: tuple[Processor, ...] = tuple(
            c.type.dialect_impl(dialect).result_processor(dialect, None) for c in returned)

    def _parameters(self, params: Mapping[str, Any]) -> Any:
        values = dict(self.fixed)
        values.update(params)
        for name, process in self.binders.items():
            values[name] = process(values[name])
        if self.order is None:
            return values
        return tuple(values[name] for name in self.order)

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> int:
        """Run it; the number of rows it changed."""
        cursor = conn.connection.driver_connection.execute(self.sql, self._parameters(params))  # type: ignore[union-attr]
        try:
            return cursor.rowcount
        finally:
            cursor.close()

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run it; the rows it returned, as dictionaries by column key, values converted."""
        cursor = conn.connection.driver_connection.execute(self.sql, self._parameters(params))  # type: ignore[union-attr]
        try:
            raw = cursor.fetchall()
        finally:
            cursor.close()
        keys, readers = self.columns, self.readers
        return [{key: (read(value) if read is not None else value) for key, read, value in zip(keys, readers, row)}
                for row in raw]


_built: dict[tuple[str, Builder, tuple[str, ...]], DriverStatement] = {}


def driver_statement(conn: Connection, build: Builder, params: Mapping[str, Any]) -> DriverStatement:
    """`build(dialect_name)` compiled for this connection's dialect, on first use (a race only
    builds it twice). An INSERT is compiled for the columns `params` names."""
    name = conn.dialect.name
    keys = tuple(sorted(params))
    statement = _built.get((name, build, keys))
    if statement is None:
        built = build(name)
        columns = keys if isinstance(built, Insert) else ()
        statement = _built[(name, build, keys)] = DriverStatement(built, conn.dialect, columns)
    return statement
