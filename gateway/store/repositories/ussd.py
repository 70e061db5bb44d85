"""USSD end-of-session events kept for drop-off analysis."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.models.ussd import UssdSessionEvent


class UssdEvents:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_session(self, session_id: str) -> UssdSessionEvent | None:
        return self.session.scalar(
            select(UssdSessionEvent).where(UssdSessionEvent.session_id == session_id)
        )

    def add(self, event: UssdSessionEvent) -> None:
        self.session.add(event)
        self.session.flush()
