"""Origin of goods: Simplified Certificates of Origin, their flags, and operators' HS headings
per category."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.commerce.origin.states import CERTIFICATE
from gateway.store.models.base import Base
from gateway.store.models.base import one_of
from gateway.store.models.base import utcnow

FLAG_REASONS = ("used_again", "cancelled_used")
"""Why a certificate was flagged for operators: a border was asked to clear it again after
it was used, or after it was cancelled."""


class Certificate(Base):
    """A Simplified Certificate of Origin for one STR-eligible order, as issued when it was
    paid; `code` is what the seller carries to the border."""

    __tablename__ = "certificates"
    __table_args__ = (one_of("status", CERTIFICATE.states),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="valid")
    exporter: Mapped[str] = mapped_column(String(40))
    """The seller's name (their number, partly hidden, when they gave none)."""
    exporter_country: Mapped[str] = mapped_column(String(2))
    consignee: Mapped[str] = mapped_column(String(40))
    """The buyer's name (their number, partly hidden, when they gave none)."""
    consignee_country: Mapped[str] = mapped_column(String(2))
    description: Mapped[str] = mapped_column(String(40))
    hs_heading: Mapped[str] = mapped_column(String(5))
    quantity: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(10))
    value_minor: Mapped[int] = mapped_column(BigInteger)
    """The goods' value in the seller's currency (the order's seller total)."""
    currency: Mapped[str] = mapped_column(String(3))
    buyer_value_minor: Mapped[int] = mapped_column(BigInteger)
    buyer_currency: Mapped[str] = mapped_column(String(3))
    usd_value_minor: Mapped[int] = mapped_column(BigInteger)
    """The goods' value in US cents at the order's recorded rates."""
    origin_country: Mapped[str] = mapped_column(String(2))
    """Where the goods come from: the exporter's country, as the seller lists them there."""
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
    used_by: Mapped[str | None] = mapped_column(String(40))
    """Who cleared the parcel at the border: a carrier's name or `border agent <id>`."""
    cancelled_at: Mapped[datetime | None]


class CertificateFlag(Base):
    """A certificate shown where it should not be: kept for operators (`flask origin flags`)."""

    __tablename__ = "certificate_flags"
    __table_args__ = (
        one_of("reason", FLAG_REASONS),
        Index("ix_certificate_flags_certificate", "certificate_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    reason: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(40))
    parcel_ref: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CategoryHeading(Base):
    """An operator's HS heading for a category, instead of `config/hs_headings.toml`'s."""

    __tablename__ = "category_headings"

    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    heading: Mapped[str] = mapped_column(String(5))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
