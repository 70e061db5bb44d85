"""Orders and their lines."""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from gateway.commerce.orders.states import ORDER
from gateway.store.models.base import Base
from gateway.store.models.base import one_of
from gateway.store.models.base import utcnow

TRADE_REGIMES = ("str", "full")
"""How a cross-border order's goods cross: under the COMESA Simplified Trade Regime (a
Simplified Certificate of Origin is issued when paid), or needing a full certificate of
origin and normal customs clearance."""


class Order(Base):
    """A buyer's order; prices are copied into its lines at order time.

    `total_minor`/`currency` is what the buyer pays, in their currency; `seller_total_minor`/
    `seller_currency` is what escrow holds and the seller is paid from, in the seller's. They
    differ only across a border, where `fx_rate` records the rate used.
    """

    __tablename__ = "orders"
    __table_args__ = (
        one_of("status", ORDER.states),
        one_of("trade_regime", TRADE_REGIMES),
        Index("ix_orders_buyer", "buyer_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(8), unique=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    placed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(String(20), default="placed")
    total_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    delivery: Mapped[str] = mapped_column(String(10), default="pickup")
    channel: Mapped[str] = mapped_column(String(5))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    pickup_point_id: Mapped[int | None] = mapped_column(ForeignKey("agent_points.id"))
    delivery_place: Mapped[str | None] = mapped_column(String(60))
    """Where a home delivery goes, as the buyer typed it."""
    ready_at: Mapped[datetime | None]
    """When the seller marked the goods ready for pickup by the courier or agent point."""
    seller_total_minor: Mapped[int] = mapped_column(BigInteger)
    """The lines' total in the seller's currency: what escrow holds and the seller's share
    is paid from."""
    seller_currency: Mapped[str] = mapped_column(String(3))
    fx_rate: Mapped[str | None] = mapped_column(String(32))
    """Units of the buyer's currency per unit of the seller's (decimal text), as quoted when
    the order was placed; None when both pay in one currency."""
    fx_as_of: Mapped[date | None]
    """The day of the rate (the older leg of a rate crossed through USD)."""
    fx_source: Mapped[str | None] = mapped_column(String(60))
    usd_value_minor: Mapped[int | None] = mapped_column(BigInteger)
    """Across a border: the consignment's value (goods plus the pair's transport allowance)
    in US cents at the recorded rates, compared with the STR threshold."""
    trade_regime: Mapped[str | None] = mapped_column(String(4))
    """Across a border: `str` or `full` (TRADE_REGIMES); None at home."""
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", lazy="selectin", cascade="all, delete-orphan"
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    name: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(10))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    order: Mapped[Order] = relationship(back_populates="lines")
