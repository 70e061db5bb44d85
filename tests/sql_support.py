"""Listening to the SQL a test's services run, on every engine they run it on (the one for
transactions and, on PostgreSQL, the one for lone statements in autocommit)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from gateway.bootstrap import Services


@contextmanager
def listening(services: Services, name: str, listener: Callable[..., Any]) -> Iterator[None]:
    """`listener` on the SQLAlchemy engine event `name` of every engine, while the block runs."""
    engines = services.connections.engines
    for engine in engines:
        event.listen(engine, name, listener)
    try:
        yield
    finally:
        for engine in engines:
            event.remove(engine, name, listener)
