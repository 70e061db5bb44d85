"""USSD end-of-session events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.store.models.base import Base
from gateway.store.models.base import utcnow


class UssdSessionEvent(Base):
    """Africa's Talking's end-of-session notification, kept for drop-off analysis."""

    __tablename__ = "ussd_session_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(100), unique=True)
    phone: Mapped[str | None] = mapped_column(String(16))
    service_code: Mapped[str | None] = mapped_column(String(40))
    network_code: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    hops: Mapped[int | None]
    duration_ms: Mapped[int | None] = mapped_column(BigInteger)
    last_screen: Mapped[str | None] = mapped_column(String(100))
    hops_metadata: Mapped[str | None] = mapped_column(String(2000))
    last_response: Mapped[str | None] = mapped_column(String(400))
    cost: Mapped[str | None] = mapped_column(String(30))
    error: Mapped[str | None] = mapped_column(String(400))
    occurred_at: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
