"""Batch claims of outbox rows: by queue, oldest first, each row to one worker; on PostgreSQL a
worker skips the rows another is claiming instead of waiting for them."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest

from gateway.bootstrap import Services
from gateway.commerce import topics
from workers.outbox import LEASE


def _rows(services: Services, topic: str, n: int) -> None:
    with services.uow() as uow:
        for i in range(n):
            uow.emit(topic, message_id=i)
        uow.commit()


def test_a_claim_takes_the_oldest_due_rows_of_its_topics_once(services: Services) -> None:
    _rows(services, topics.SMS_SEND, 3)
    _rows(services, topics.SMS_INBOUND, 2)
    now = datetime.now(UTC)
    with services.uow() as uow:
        first = uow.outbox.claim_due([topics.SMS_SEND], now, LEASE, 2)
        second = uow.outbox.claim_due([topics.SMS_SEND], now, LEASE, 2)
        uow.commit()
    assert [c.payload["message_id"] for c in first] == [0, 1]
    assert [c.payload["message_id"] for c in second] == [2]
    assert {c.topic for c in first + second} == {topics.SMS_SEND}
    assert {c.attempts for c in first + second} == {1}


def test_workers_claiming_at_once_skip_each_others_rows(services: Services) -> None:
    if services.connections.engine.dialect.name != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED is PostgreSQL's; SQLite has one writer at a time")
    _rows(services, topics.SMS_SEND, 4)
    now = datetime.now(UTC)
    with services.uow() as one, services.uow() as other:
        mine = one.outbox.claim_due([topics.SMS_SEND], now, LEASE, 2)
        theirs = other.outbox.claim_due([topics.SMS_SEND], now, LEASE, 10)  # not blocked
        one.commit()
        other.commit()
    assert len(mine) == 2 and len(theirs) == 2
    assert not {c.id for c in mine} & {c.id for c in theirs}
