"""USSD sessions as facts for analytics: how each ended, after how many hops, where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway.store.models import UssdSessionEvent
from gateway.store.uow import UnitOfWork

STATUSES = ("Success", "Incomplete", "Failed")


@dataclass(frozen=True)
class SessionEnded:
    session_id: str
    status: str
    phone: str | None
    service_code: str | None
    network_code: str | None
    hops: int | None
    duration_ms: int | None
    last_screen: str | None
    hops_metadata: str | None
    last_response: str | None
    cost: str | None
    error: str | None
    occurred_at: datetime | None


def record_session_end(uow: UnitOfWork, event: SessionEnded) -> bool:
    """Store the end of a session once; a repeated notification changes nothing."""
    with uow:
        if uow.events.by_session(event.session_id) is not None:
            return False
        uow.events.add(UssdSessionEvent(**vars(event)))
        uow.commit()
        return True
