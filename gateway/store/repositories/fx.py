"""Exchange rates: adding one, the newest of a pair, the newest of every pair, the history of
one currency's pairs."""

from __future__ import annotations

from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.models.fx import FxRate


class FxRates:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, rate: FxRate) -> FxRate:
        self.session.add(rate)
        self.session.flush()
        return rate

    def newest(self, base: str, quote: str) -> FxRate | None:
        """The pair's rate with the latest day (the latest set, on a tie)."""
        return self.session.scalar(
            select(FxRate)
            .where(FxRate.base == base, FxRate.quote == quote)
            .order_by(FxRate.as_of.desc(), FxRate.id.desc())
            .limit(1)
        )

    def newest_of_each(self) -> list[FxRate]:
        """The newest rate of every pair, by base then quote."""
        pairs = self.session.execute(
            select(FxRate.base, FxRate.quote).distinct().order_by(FxRate.base, FxRate.quote)
        ).all()
        newest = (self.newest(base, quote) for base, quote in pairs)
        return [rate for rate in newest if rate is not None]

    def with_currency(self, currency: str) -> list[FxRate]:
        """Every rate ever set of a pair that has `currency` on either side, oldest first."""
        query = (
            select(FxRate)
            .where(or_(FxRate.base == currency, FxRate.quote == currency))
            .order_by(FxRate.as_of, FxRate.id)
        )
        return list(self.session.scalars(query))
