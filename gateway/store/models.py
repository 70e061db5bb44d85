"""SQLAlchemy 2.x typed models: people, listings, orders, USSD session events, the outbox."""
from __future__ import annotations

from datetime import datetime
from datetime import timezone
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import BigInteger
from sqlalchemy import CheckConstraint
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import TypeDecorator
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator[datetime]):
    """Timestamps stored as UTC and read back timezone-aware on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime()}


class Person(Base):
    """Anyone who dials or texts: a buyer by default, a seller or agent by role."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(2))
    language: Mapped[str | None] = mapped_column(String(5))
    region: Mapped[str | None] = mapped_column(String(40))
    district: Mapped[str | None] = mapped_column(String(40))
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    failed_pin_count: Mapped[int] = mapped_column(Integer, default=0)
    pin_locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    roles: Mapped[list[PersonRole]] = relationship(
        back_populates="person", lazy="selectin", cascade="all, delete-orphan"
    )

    def has_role(self, role: str) -> bool:
        return any(r.role == role for r in self.roles)

    def grant(self, role: str) -> None:
        if not self.has_role(role):
            self.roles.append(PersonRole(role=role))


class PersonRole(Base):
    __tablename__ = "person_roles"
    __table_args__ = (
        UniqueConstraint("person_id", "role"),
        CheckConstraint("role in ('buyer', 'seller', 'agent', 'courier')", name="known_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    person: Mapped[Person] = relationship(back_populates="roles")


class Listing(Base):
    """Goods a seller offers: price in integer minor units of `currency`, stock never negative."""

    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_minor > 0", name="price_positive"),
        CheckConstraint("status in ('active', 'paused')", name="known_status"),
        Index("ix_listings_browse", "category", "status", "country"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    category: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(10))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    stock: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="active")
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(40))
    district: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    seller: Mapped[Person] = relationship(lazy="joined")


class Order(Base):
    """A buyer's order; prices are copied into its lines at order time."""

    __tablename__ = "orders"

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


class OutboxItem(Base):
    """Work to do after a commit, written in the same transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "available_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]
