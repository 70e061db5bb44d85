"""Disputes: by order, the open ones for operators."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.models.disputes import Dispute


class Disputes:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, dispute: Dispute) -> Dispute:
        self.session.add(dispute)
        self.session.flush()
        return dispute

    def of_order(self, order_id: int) -> Dispute | None:
        query = select(Dispute).where(Dispute.order_id == order_id).with_for_update()
        return self.session.scalar(query)

    def with_status(self, statuses: tuple[str, ...], limit: int) -> Sequence[Dispute]:
        """Disputes in `statuses`, oldest first (the longest waiting first)."""
        query = select(Dispute).where(Dispute.status.in_(statuses)).order_by(Dispute.id)
        return self.session.scalars(query.limit(limit)).all()
