"""Outbox rows: claimed under a lease, found when due, listed when dead."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from gateway.store.models.outbox import OutboxItem
from gateway.store.repositories.rows import changed
from gateway.store.repositories.rows import one


class Outbox:
    """Rows of work to do after commit, claimed by one worker at a time under a lease."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, item_id: int, now: datetime, lease: timedelta) -> OutboxItem | None:
        """Take the row if it is due and nobody holds a live lease on it."""
        result = self.session.execute(
            update(OutboxItem)
            .where(
                OutboxItem.id == item_id,
                OutboxItem.status.in_(("pending", "running")),
                OutboxItem.available_at <= now,
            )
            .values(status="running", attempts=OutboxItem.attempts + 1, available_at=now + lease)
            .execution_options(synchronize_session=False)
        )
        if changed(result) != 1:
            return None
        return self.session.get(OutboxItem, item_id, populate_existing=True)

    def get(self, item_id: int) -> OutboxItem | None:
        return self.session.get(OutboxItem, item_id)

    def one(self, item_id: int) -> OutboxItem:
        return one(self.get(item_id), "outbox row", item_id)

    def due(self, now: datetime, limit: int) -> list[int]:
        """Ids of rows that should have run by now: never queued, or a worker died on them."""
        return list(
            self.session.scalars(
                select(OutboxItem.id)
                .where(
                    OutboxItem.status.in_(("pending", "running")), OutboxItem.available_at <= now
                )
                .order_by(OutboxItem.id)
                .limit(limit)
            )
        )

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
