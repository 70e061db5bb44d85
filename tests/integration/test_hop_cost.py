"""What one USSD hop costs, counted: SQL statements and Redis round trips per hop.

The bench's journeys (bench/scenarios/hop.lua) go through the Flask test client against the
real database and Redis; each hop's statements (SQLAlchemy `before_cursor_execute`) and
Redis round trips (each packed send of redis-py's connection: a pipeline or a script is one)
are counted and held under a bound. Counts, unlike times, are the same on every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import redis

from gateway.cli.demo import seed
from tests.faults.support import POSTGRES
from tests.sql_support import listening

FIRST_TIME = ("", "1", "1*1", "1*1*1", "1*1*1*2")
"""Dial, English, Kenya, Buy, Grains (ends on the listings)."""
RETURNING = ("", "1", "1*2", "1*2*00")
"""Dial, Buy, Grains, 00 home."""

MAX_SQL = {"first-time": (3, 1, 0, 1, 1), "returning": (0, 1, 1, 0), "shelved": (0, 0, 0, 0)}
"""Statements per hop. A first dial finds the caller (and whether they ever ordered), or
registers them (find, then add with their role: three statements; on PostgreSQL one does all,
`FIRST_DIAL_POSTGRES`); later hops, and a returning caller's next dial, use the view of the
caller kept in Redis (`ussd:who:<phone>`). Choosing a language writes it (one update; the
hop keeps the caller's new view itself, so nobody is stamped). A list of categories or listings is one
statement, unless this process read the same list a moment ago ("shelved": the gateway's
shelf of catalogue reads)."""
FIRST_DIAL_POSTGRES = 1
MAX_IN_TRANSACTION = {"first-time": 0, "returning": 0, "shelved": 0}
"""Statements per walk that PostgreSQL runs inside BEGIN ... COMMIT (two more round trips per
transaction): none. Every statement of these walks is a read or a single write (a newcomer
and their role are one statement there), run in autocommit."""
MAX_REDIS = {"first-time": (2, 2, 2, 2, 2), "returning": (2, 2, 2, 2), "shelved": (2, 2, 2, 2)}
"""Round trips per hop: the claim (lock, state, stored answer, caller's view, resume point)
and the commit (state, answer, resume point, caller's view, unlock); a change to the caller
adds its stamp."""


@dataclass
class Counts:
    sql: int = 0
    redis: int = 0
    statements: list[str] | None = None
    in_transaction: int = 0


@pytest.fixture()
def counted(services: Any) -> Iterator[Counts]:
    """Counts of SQL statements and Redis round trips made by `services` while it runs."""
    counts = Counts(statements=[])

    def on_execute(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE; psycopg's is not seen
            return
        counts.sql += 1
        if POSTGRES and not conn.connection.dbapi_connection.autocommit:
            counts.in_transaction += 1
        assert counts.statements is not None
        counts.statements.append(statement.split("\n")[0][:80])

    client = services.connections.redis
    original = client.connection_pool

    class Counting(original.connection_class):  # type: ignore[misc, name-defined]
        def send_packed_command(self, command: Any, check_health: bool = True) -> None:
            counts.redis += 1
            super().send_packed_command(command, check_health)

    client.connection_pool = redis.ConnectionPool(
        connection_class=Counting, **original.connection_kwargs
    )
    client.ping()  # the connection's handshake (HELLO, CLIENT SETINFO, SELECT) is no hop's
    counts.redis = 0
    with listening(services, "before_cursor_execute", on_execute):
        yield counts
    client.connection_pool.disconnect()
    client.connection_pool = original


def _walk(phone: Any, number: str, texts: tuple[str, ...], counts: Counts) -> list[Counts]:
    """Each hop's counts, walking `texts` in one new session of `number`."""
    handset = phone(number)
    handset.session_id = f"ATUid_cost_{number}"
    per_hop = []
    for text in texts:
        counts.sql, counts.redis, counts.statements, counts.in_transaction = 0, 0, [], 0
        handset.hop_text(text)
        per_hop.append(Counts(counts.sql, counts.redis, counts.statements, counts.in_transaction))
    return per_hop


@pytest.fixture()
def catalogue(services: Any, phone: Any) -> Any:
    seed(services.uow())
    warm = phone("+254700000001")
    warm.dial("1*1")  # the bench's returning callers chose English and Kenya once
    return phone


def _check(name: str, per_hop: list[Counts]) -> None:
    report = [(c.sql, c.redis) for c in per_hop]
    most = MAX_SQL[name]
    if POSTGRES:
        most = (min(most[0], FIRST_DIAL_POSTGRES), *most[1:])
    bounds = zip(per_hop, most, MAX_REDIS[name], strict=True)
    for hop, (counts, sql, round_trips) in enumerate(bounds):
        assert counts.sql <= sql, f"{name} hop {hop}: {counts.statements} ({report})"
        assert counts.redis <= round_trips, f"{name} hop {hop}: {report}"
    in_transaction = sum(counts.in_transaction for counts in per_hop)
    assert in_transaction <= MAX_IN_TRANSACTION[name], [c.statements for c in per_hop]


def test_a_first_time_caller_walking_to_the_listings(catalogue: Any, counted: Counts) -> None:
    walked = _walk(catalogue, "+254700000002", FIRST_TIME, counted)
    _check("first-time", walked)


def test_a_returning_caller_walking_to_the_listings_and_home(
    catalogue: Any, counted: Counts
) -> None:
    walked = _walk(catalogue, "+254700000001", RETURNING, counted)
    _check("returning", walked)


def test_a_second_caller_browsing_what_the_first_just_read_reads_it_from_the_shelf(
    catalogue: Any, counted: Counts
) -> None:
    catalogue("+254700000003").dial("1*1")  # chose English and Kenya
    _walk(catalogue, "+254700000001", RETURNING, counted)
    walked = _walk(catalogue, "+254700000003", RETURNING, counted)
    _check("shelved", walked)
