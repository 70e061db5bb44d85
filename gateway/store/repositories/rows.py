"""Rows a caller knows exist (a foreign key points at them, or they were just read): `one`
turns a missing one into an error that names it, instead of a `None` that fails later; and
how many rows a conditional UPDATE changed; and an INSERT that skips a row already there;
and the lazy commit of a lone PostgreSQL statement whose loss in a crash is harmless."""

from __future__ import annotations

from functools import cache
from typing import Any
from typing import TypeVar
from typing import cast

from sqlalchemy import ColumnElement
from sqlalchemy import CursorResult
from sqlalchemy import Result
from sqlalchemy import Table
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import true
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from gateway.store.lone import alone_on

Row = TypeVar("Row")


class Missing(LookupError):
    """A row that a foreign key or an earlier read promised is not there."""


def one(row: Row | None, what: str, key: object) -> Row:
    if row is None:
        raise Missing(f"no {what} {key}")
    return row


def changed(result: Result[Any]) -> int:
    """Rows an UPDATE changed (its cursor's rowcount)."""
    return cast(CursorResult[Any], result).rowcount


def values_of(row: Any) -> dict[str, Any]:
    """The column values set on a new ORM object (unset ones left to their defaults)."""
    given = {c.key: getattr(row, c.key) for c in row.__table__.columns}
    return {key: value for key, value in given.items() if value is not None}


def insert_new(
    session: Session, table: Table, values: dict[str, Any], unique: tuple[str, ...]
) -> bool:
    """INSERT ... ON CONFLICT (`unique`) DO NOTHING, one statement (no savepoint); False if
    a row with the same `unique` columns was there (or committed meanwhile)."""
    statement = _insert_new(session.get_bind().dialect.name, table, unique)
    return session.execute(statement, values).first() is not None


@cache
def _insert_new(dialect: str, table: Table, unique: tuple[str, ...]) -> ReturningInsert[Any]:
    """`insert_new`'s statement for a table (built once a process; the values come with it)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=unique).returning(table.c.id)


def lazy_commit() -> ColumnElement[bool]:
    """A condition, always true, that lets the PostgreSQL statement whose WHERE holds it commit
    without waiting for its WAL to reach the disk (`synchronous_commit` off until the
    statement's transaction ends: about 100 us less a write here).

    Only for a lone statement in autocommit (`lazy`) whose loss in a crash of the database's
    machine is harmless: PostgreSQL bounds the loss to about three `wal_writer_delay`s (0.6 s),
    never corrupts, and any later durable commit flushes it too. The setting ends with the
    statement's own transaction, so a pooler's server connection (PgBouncer in transaction
    mode) keeps none of it, and no other statement commits lazily by accident."""
    setting = func.set_config("synchronous_commit", "off", true())
    return select(setting).scalar_subquery().is_not(None)


def lazy(session: Session) -> bool:
    """Whether a statement `session` runs next may commit lazily (`lazy_commit`): on
    PostgreSQL in autocommit, where it is a transaction of its own."""
    return alone_on(session) is not None
