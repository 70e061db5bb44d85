"""Lone statements: one Core statement run alone in autocommit on PostgreSQL, straight on a
pooled DBAPI connection.

A request's hottest writes (a caller read or registered on a USSD session's first hop, a
language chosen, a carrier's scan kept) are each one statement that commits on its own. Run
through a Session (or even a Connection), SQLAlchemy's execution machinery costs about twice
the statement's own client-side CPU; a `Lone` compiles its statement once per process and
hands the SQL and the processed parameters to a connection of the engine's own pool, so pool
events (the idle ping) still run, errors still arrive as SQLAlchemy's exceptions (after a
dropped connection the pool's others are replaced too, as SQLAlchemy does), and
`before_cursor_execute` listeners still see the statement."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any
from typing import cast

from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import exc
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.selectable import SelectBase

ALONE_OPTION = "sokoni_alone"
"""The execution option `make_engine` sets on an engine whose connections stay in autocommit:
every statement on it commits on its own, so any of them may run as a `Lone`."""


def alone_on(session: Session) -> Engine | None:
    """The engine `session` runs a lone statement on, if it is one (PostgreSQL in autocommit)."""
    engine = session.get_bind()
    if isinstance(engine, Engine) and engine.get_execution_options().get(ALONE_OPTION):
        return engine
    return None


@dataclass(frozen=True)
class _Compiled:
    """A statement compiled for one dialect, with what its parameters need on the way out."""

    compiled: SQLCompiler
    processors: Mapping[str, Callable[[Any], Any]]
    defaults: Mapping[str, Callable[[], Any]]
    """Columns' Python-side defaults (and `onupdate`s), by parameter name."""

    def values(self, params: Mapping[str, Any]) -> MutableMapping[str, Any]:
        values = self.compiled.construct_params(params)
        for name, default in self.defaults.items():
            values[name] = default()
        for name, process in self.processors.items():
            values[name] = process(values[name])
        return values


class Lone:
    """One Core statement (a SELECT, or DML with RETURNING or none), compiled once per
    dialect, run alone on an autocommit engine's pooled connection."""

    def __init__(self, statement: SelectBase | UpdateBase) -> None:
        self.statement = statement
        self._returns_rows = len(statement.exported_columns) > 0
        """A SELECT, or DML with RETURNING."""
        self._compiled: dict[Dialect, _Compiled] = {}
        self._row: Any = None
        """The named tuple of the statement's rows, made from the first rows it returned."""

    def _compile(self, dialect: Dialect) -> _Compiled:
        if (found := self._compiled.get(dialect)) is not None:
            return found
        compiled = self.statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler) and not compiled.positional
        processors: dict[str, Callable[[Any], Any]] = {}
        for bind, names in compiled.bind_names.items():
            if bind.expanding:
                raise ValueError("a lone statement takes no expanding IN parameters")
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors[compiled.escaped_bind_names.get(names, names)] = process
        generators = [(c, c.default) for c in compiled.insert_prefetch]
        generators += [(c, c.onupdate) for c in compiled.update_prefetch]
        defaults = {
            compiled.escaped_bind_names.get(column.key, column.key): _maker(generator)
            for column, generator in generators
        }
        made = self._compiled[dialect] = _Compiled(compiled, processors, defaults)
        return made

    def run(self, session: Session, params: Mapping[str, Any]) -> list[Any]:
        """The statement's rows with `params` (none for plain DML): alone when `session` is on
        an autocommit engine (`alone_on`), else in the session's transaction."""
        if (engine := alone_on(session)) is not None:
            return self.rows(engine, params)
        result = session.execute(cast(Executable, self.statement), params)
        return list(result) if self._returns_rows else []

    def scalar(self, session: Session, params: Mapping[str, Any]) -> Any:
        """`run`'s first column of its first row, or None."""
        rows = self.run(session, params)
        return rows[0][0] if rows else None

    def rows(self, engine: Engine, params: Mapping[str, Any]) -> list[Any]:
        """Run the statement alone on `engine` with `params`; its rows as named tuples."""
        made = self._compile(engine.dialect)
        sql, values = made.compiled.string, made.values(params)
        failure = engine.dialect.loaded_dbapi.Error
        try:
            pooled = engine.raw_connection()
        except failure as error:
            raise _wrapped(engine, sql, values, error, gone=False) from error
        try:
            fetched = self._fetch(engine, pooled, sql, values)
        except failure as error:
            gone = engine.dialect.is_disconnect(error, pooled.dbapi_connection, None)
            if gone:  # as SQLAlchemy does: the server likely dropped its pool's others too
                pooled.invalidate(error)
                engine.dispose(close=False)
            raise _wrapped(engine, sql, values, error, gone) from error
        finally:
            pooled.close()
        row = self._row
        return [row(*fields) for fields in fetched] if row is not None else []

    def _fetch(
        self, engine: Engine, pooled: Any, sql: str, values: MutableMapping[str, Any]
    ) -> list[Any]:
        """The rows of `sql` run on `pooled`, learning their names the first time there are some."""
        cursor = pooled.cursor()
        try:
            if engine.dispatch.before_cursor_execute:
                _announce(engine, pooled, cursor, sql, values)
            cursor.execute(sql, values)
            fetched: list[Any] = cursor.fetchall() if cursor.rownumber is not None else []
            if fetched and self._row is None:
                names = [column.name for column in cursor.description or ()]
                self._row = namedtuple("Row", names, rename=True)  # type: ignore[misc]
            return fetched
        finally:
            cursor.close()


def _maker(generator: Any) -> Callable[[], Any]:
    """What makes a column's Python-side default (or `onupdate`) value for a run."""
    if generator is not None and generator.is_callable:
        return lambda: generator.arg(None)
    if generator is not None and generator.is_scalar:
        return lambda: generator.arg
    raise ValueError("a lone statement takes scalar or callable column defaults only")


def _wrapped(
    engine: Engine, sql: str, values: MutableMapping[str, Any], error: Exception, gone: bool
) -> exc.StatementError:
    """`error` as the SQLAlchemy exception `Session.execute` would have raised."""
    return exc.DBAPIError.instance(
        sql,
        values,
        error,
        engine.dialect.loaded_dbapi.Error,
        connection_invalidated=gone,
        dialect=engine.dialect,
    )


def _announce(engine: Engine, pooled: Any, cursor: Any, sql: str, values: Any) -> None:
    """Tell the engine's `before_cursor_execute` listeners (instrumentation, tests) about a
    lone statement, with a Connection over its pooled connection, as SQLAlchemy would."""
    connection = Connection(engine, connection=pooled)
    engine.dispatch.before_cursor_execute(connection, cursor, sql, values, None, False)
