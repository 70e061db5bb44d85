"""The US dollar rate in force on a day, from the exchange rates operators set
(`flask fx set USD KES 129.50 --date 2026-01-01`, kept in `fx_rates`): the latest on or before
it. A pair may be set either way round (`USD KES` or `KES USD`); a US dollar is worth 1."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gateway.store.uow import UnitOfWork

USD = "USD"


@dataclass(frozen=True)
class Rate:
    currency: str
    valid_from: date
    usd_per_unit: Decimal
    source: str


def recorded(uow: UnitOfWork) -> list[Rate]:
    """Every rate set between the US dollar and another currency, as USD per unit."""
    with uow:
        rates = []
        for r in uow.fx.with_currency(USD):
            if r.base == USD:
                rates.append(Rate(r.quote, r.as_of, 1 / Decimal(r.rate), r.source))
            else:
                rates.append(Rate(r.base, r.as_of, Decimal(r.rate), r.source))
        return rates


class Rates:
    """The rate in force on each day, from the rates recorded."""

    def __init__(self, rates: list[Rate]) -> None:
        self._days: dict[str, list[date]] = {}
        self._values: dict[str, list[Decimal]] = {}
        for rate in sorted(rates, key=lambda r: (r.currency, r.valid_from)):
            self._days.setdefault(rate.currency, []).append(rate.valid_from)
            self._values.setdefault(rate.currency, []).append(rate.usd_per_unit)

    def on(self, currency: str, day: date) -> Decimal | None:
        """USD per unit of `currency` on `day`; None when no rate was recorded by then."""
        if currency == USD:
            return Decimal(1)
        days = self._days.get(currency, [])
        at = bisect.bisect_right(days, day)
        return self._values[currency][at - 1] if at else None
