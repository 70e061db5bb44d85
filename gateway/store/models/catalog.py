"""Listings: what sellers offer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship
from sqlalchemy.orm import validates

from gateway.store.models.base import Base
from gateway.store.models.base import utcnow
from gateway.store.models.people import Person
from gateway.text.folding import fold


class Listing(Base):
    """Goods a seller offers: price in integer minor units of `currency`, stock never negative."""

    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_minor > 0", name="price_positive"),
        CheckConstraint("status in ('active', 'paused')", name="known_status"),
        Index("ix_listings_browse", "category", "status", "country"),
        Index("ix_listings_search", "country", "search_name"),
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
    search_name: Mapped[str] = mapped_column(String(40), default="")
    """`name` folded (lower case, no accents) for search; kept in step by `_fold_name`."""
    home_delivery: Mapped[bool] = mapped_column(Boolean, default=False)
    hs_heading: Mapped[str | None] = mapped_column(String(5))
    """The goods' HS heading (`10.05`): from the category and name when listed
    (`gateway.commerce.origin.headings`), or set by an operator."""

    @validates("name")
    def _fold_name(self, _key: str, name: str) -> str:
        self.search_name = fold(name)
        return name
