"""Outbox rows: claimed in batches under a lease, found when due, listed when dead."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from gateway.store.models.outbox import OutboxItem
from gateway.store.repositories.rows import changed
from gateway.store.repositories.rows import one


class Claimed(NamedTuple):
    """A row taken by a worker: what it needs to run it."""

    id: int
    topic: str
    payload: dict[str, Any]
    attempts: int


class Outbox:
    """Rows of work to do after commit, claimed by one worker at a time under a lease."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claim_due(
        self, topics: Sequence[str], now: datetime, lease: timedelta, limit: int
    ) -> list[Claimed]:
        """Take up to `limit` due rows of `topics`, oldest first, that nobody holds a live lease
        on; rows another transaction is taking right now are skipped (PostgreSQL's
        `FOR UPDATE SKIP LOCKED`; SQLite has one writer at a time anyway)."""
        due = (
            select(OutboxItem.id)
            .where(
                OutboxItem.topic.in_(topics),
                OutboxItem.status.in_(("pending", "running")),
                OutboxItem.available_at <= now,
            )
            .order_by(OutboxItem.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = self.session.execute(
            update(OutboxItem)
            .where(OutboxItem.id.in_(due.scalar_subquery()))
            .values(status="running", attempts=OutboxItem.attempts + 1, available_at=now + lease)
            .returning(OutboxItem.id, OutboxItem.topic, OutboxItem.payload, OutboxItem.attempts)
            .execution_options(synchronize_session=False)
        ).all()
        return sorted((Claimed(*row) for row in rows), key=lambda c: c.id)

    def finish(self, item_ids: Sequence[int], now: datetime) -> None:
        """Mark claimed rows done."""
        if item_ids:
            self.session.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_(item_ids), OutboxItem.status == "running")
                .values(status="done", done_at=now, last_error=None)
                .execution_options(synchronize_session=False)
            )

    def release(self, item_ids: Sequence[int], now: datetime) -> None:
        """Hand back claimed rows that were never run: due now, their attempt not counted."""
        if item_ids:
            self.session.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_(item_ids), OutboxItem.status == "running")
                .values(status="pending", attempts=OutboxItem.attempts - 1, available_at=now)
                .execution_options(synchronize_session=False)
            )

    def due_topics(self, now: datetime) -> list[str]:
        """Topics with rows that should have run by now: never queued, or a worker died on them."""
        return list(
            self.session.scalars(
                select(OutboxItem.topic)
                .where(
                    OutboxItem.status.in_(("pending", "running")), OutboxItem.available_at <= now
                )
                .distinct()
            )
        )

    def get(self, item_id: int) -> OutboxItem | None:
        return self.session.get(OutboxItem, item_id)

    def one(self, item_id: int) -> OutboxItem:
        return one(self.get(item_id), "outbox row", item_id)

    def dead(self, limit: int) -> Sequence[OutboxItem]:
        return self.session.scalars(
            select(OutboxItem)
            .where(OutboxItem.status == "dead")
            .order_by(OutboxItem.id.desc())
            .limit(limit)
        ).all()

    def revive(self, item_id: int, now: datetime) -> OutboxItem | None:
        """Put a dead row back to `pending`, due now, with a fresh set of retries; None when
        the row is not dead (already revived, or never dead)."""
        result = self.session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item_id, OutboxItem.status == "dead")
            .values(status="pending", attempts=0, available_at=now)
            .execution_options(synchronize_session=False)
        )
        if changed(result) != 1:
            return None
        return self.session.get(OutboxItem, item_id, populate_existing=True)
