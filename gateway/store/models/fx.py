"""Exchange rates: what one unit of a currency costs in another, on a date, from a source."""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.store.models.base import Base
from gateway.store.models.base import utcnow


class FxRate(Base):
    """`1 base = rate quote` as of `as_of`, from `source`; every rate set is kept (history),
    the newest per pair is the one used."""

    __tablename__ = "fx_rates"
    __table_args__ = (Index("ix_fx_rates_pair", "base", "quote", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    rate: Mapped[str] = mapped_column(String(32))
    """A positive decimal, exactly as given (`129.50`): text, so no float ever rounds it."""
    as_of: Mapped[date]
    """The day the rate is for."""
    source: Mapped[str] = mapped_column(String(60))
    """Who published it (`CBK`, `BoU`, `operator`)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
