"""Lone statements (`gateway.store.lone`): on PostgreSQL in autocommit they run straight on a
pooled connection, and must behave as `Session.execute` does: column defaults filled, rows
named, errors raised as SQLAlchemy's, a dropped connection replaced, listeners told. Elsewhere
(SQLite, or a session in a transaction) they run through the session."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import bindparam
from sqlalchemy import exc
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update

from gateway.store.lone import Lone
from gateway.store.lone import alone_on
from gateway.store.models.catalog import Listing
from gateway.store.models.people import Person
from tests.faults.support import POSTGRES
from tests.payment_support import listing
from tests.payment_support import person
from tests.sql_support import listening

ADD = Lone(
    insert(Person)
    .values(phone=bindparam("phone"), country=bindparam("country"))
    .returning(Person.id, Person.phone, Person.failed_pin_count, Person.created_at)
)
"""A person added with only a phone and a country: the rest from the columns' defaults."""
ADDED = Lone(select(Person.phone, Person.country).where(Person.phone == bindparam("phone")))


def _add(services: Any, phone: str) -> list[Any]:
    with services.uow().autocommit() as alone:
        rows = ADD.run(alone.session, {"phone": phone, "country": "KE"})
        alone.commit()
        return rows


def test_only_postgres_autocommit_sessions_run_statements_alone(services: Any) -> None:
    with services.uow().autocommit() as alone:
        assert (alone_on(alone.session) is not None) is POSTGRES
    with services.uow() as uow:
        assert alone_on(uow.session) is None


def test_a_lone_insert_fills_the_column_defaults_and_names_its_rows(services: Any) -> None:
    [row] = _add(services, "+254711000901")
    assert row.phone == "+254711000901"
    assert row.failed_pin_count == 0  # a scalar default
    assert row.created_at is not None  # a callable one
    with services.uow() as uow:
        assert ADDED.run(uow.session, {"phone": "+254711000901"})[0].country == "KE"
        assert ADDED.scalar(uow.session, {"phone": "+254711000999"}) is None


def test_a_lone_update_sets_the_columns_onupdate_values(services: Any) -> None:
    maize = listing(services, person(services, "+254722000901", "seller"), 5000, "KES")
    with services.uow() as uow:
        before = uow.session.get(Listing, maize).updated_at
    restock = Lone(
        update(Listing)
        .where(Listing.id == bindparam("listing"))
        .values(stock=bindparam("stock"))
        .returning(Listing.stock, Listing.updated_at)
    )
    with services.uow().autocommit() as alone:
        [row] = restock.run(alone.session, {"listing": maize, "stock": 7})
        alone.commit()
    assert row.stock == 7
    assert row.updated_at > before


def test_a_refused_lone_statement_raises_as_sqlalchemy_and_the_next_one_runs(
    services: Any,
) -> None:
    _add(services, "+254711000902")
    with pytest.raises(exc.IntegrityError):
        _add(services, "+254711000902")
    assert _add(services, "+254711000903")[0].phone == "+254711000903"


def test_lone_statements_reach_the_engines_statement_listeners(services: Any) -> None:
    seen: list[str] = []

    def on_execute(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        seen.append(statement)

    with listening(services, "before_cursor_execute", on_execute):
        _add(services, "+254711000904")
    assert any(statement.startswith("INSERT INTO people") for statement in seen)


@pytest.mark.skipif(not POSTGRES, reason="a pooled PostgreSQL connection dropped by the server")
def test_a_connection_the_server_dropped_fails_one_statement_and_the_next_runs(
    services: Any,
) -> None:
    engine = services.connections.autocommit_engine
    engine.dispose()  # the pool then holds one connection: the one that tells its pid
    [(pid,)] = Lone(select(func.pg_backend_pid())).rows(engine, {})
    with services.uow() as uow:
        uow.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    with pytest.raises(exc.OperationalError) as failed:
        _add(services, "+254711000905")
    assert failed.value.connection_invalidated
    assert _add(services, "+254711000906")[0].phone == "+254711000906"
