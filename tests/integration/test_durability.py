"""What a commit promises: money, stock, orders and the outbox are on disk when PostgreSQL
answers; only the autocommit pool's harmless writes are answered before their flush."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from gateway.bootstrap import Services
from gateway.store.uow import UnitOfWork
from tests.faults.support import POSTGRES

pytestmark = pytest.mark.skipif(not POSTGRES, reason="synchronous_commit is PostgreSQL's")


def _synchronous_commit(uow: Callable[[], UnitOfWork]) -> str:
    with uow() as opened:
        return str(opened.session.scalar(text("SHOW synchronous_commit")))


def test_transactions_commit_durably_and_autocommit_writes_asynchronously(
    services: Services,
) -> None:
    assert _synchronous_commit(services.uow) == "on"
    assert _synchronous_commit(lambda: services.uow().autocommit()) == "off"
    assert _synchronous_commit(services.uow) == "on"  # the pools never share a connection
