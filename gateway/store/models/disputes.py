"""Disputes: a buyer's report of a problem with a paid order, held until an operator settles it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.store.models.base import Base
from gateway.store.models.base import one_of
from gateway.store.models.base import utcnow

REASONS = ("not_received", "wrong_goods", "damaged")
OUTCOMES = ("open", "refunded", "released")
"""`open` holds the order's escrow; `refunded` (to the buyer) or `released` (to the seller)."""


class Dispute(Base):
    """One order's dispute (an order is disputed at most once: `paid -> disputed` is one-way)."""

    __tablename__ = "disputes"
    __table_args__ = (one_of("reason", REASONS), one_of("status", OUTCOMES))

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(String(200))
    """What the operator wrote when settling it."""
