"""USSD sessions as facts for analytics: how each ended, after how many hops, where."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from gateway.store.models.ussd import UssdSessionEvent
from gateway.store.uow import UnitOfWork

FIELDS = (
    "session_id",
    "status",
    "phone",
    "service_code",
    "network_code",
    "hops",
    "duration_ms",
    "last_screen",
    "hops_metadata",
    "last_response",
    "cost",
    "error",
    "occurred_at",
)
"""What is kept of a session's end, one column each."""


class SessionEnded(Protocol):
    """How a USSD session ended, as the provider told it (Africa's Talking's `SessionEnd` fits)."""

    @property
    def session_id(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def phone(self) -> str | None: ...

    @property
    def service_code(self) -> str | None: ...

    @property
    def network_code(self) -> str | None: ...

    @property
    def hops(self) -> int | None: ...

    @property
    def duration_ms(self) -> int | None: ...

    @property
    def last_screen(self) -> str | None: ...

    @property
    def hops_metadata(self) -> str | None: ...

    @property
    def last_response(self) -> str | None: ...

    @property
    def cost(self) -> str | None: ...

    @property
    def error(self) -> str | None: ...

    @property
    def occurred_at(self) -> datetime | None: ...


def record_session_end(uow: UnitOfWork, event: SessionEnded) -> bool:
    """Store the end of a session once; a repeated notification changes nothing."""
    with uow:
        if uow.events.by_session(event.session_id) is not None:
            return False
        uow.events.add(UssdSessionEvent(**{name: getattr(event, name) for name in FIELDS}))
        uow.commit()
        return True
