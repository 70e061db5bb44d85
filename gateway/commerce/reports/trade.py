"""Trade figures for the regional exchange's data management: delivered order lines per month,
origin country (the listing's), destination country (the buyer's), category and HS heading
(the listing's, given when it was published: see `gateway/commerce/origin/headings.py`), with counts, quantities, and values in the order's currency and in USD at the
exchange rates (`fx_rates`) in force on each day of delivery.

An order counts in the month its escrow was released (delivery), so the totals per currency
equal the escrow the ledger released in the same period (`flask ledger balances --kind release`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from decimal import Decimal

from config.currencies import exponent
from gateway.commerce.reports.rates import Rates
from gateway.commerce.reports.rates import recorded
from gateway.store.uow import UnitOfWork

CENT = Decimal("0.01")


@dataclass
class TradeRow:
    month: str
    origin_country: str
    destination_country: str
    category: str
    hs_heading: str
    unit: str
    currency: str
    orders: int
    quantity: int
    value: Decimal
    """In major units of `currency`."""
    value_usd: Decimal | None
    """None when a day of the month has no rate recorded for `currency`."""


def period(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00 UTC, the day after `end` 00:00 UTC): both days included."""
    return (
        datetime.combine(start, time(), UTC),
        datetime.combine(end + timedelta(days=1), time(), UTC),
    )


def trade(uow: UnitOfWork, start: date, end: date) -> list[TradeRow]:
    """The trade rows of orders delivered from `start` to `end` (both included)."""
    rates = Rates(recorded(uow))
    since, until = period(start, end)
    with uow:
        days = uow.exports.delivered_lines(since, until)
    rows: dict[tuple[str, ...], TradeRow] = {}
    for day in days:
        key = (
            day.day[:7],
            day.origin,
            day.destination,
            day.category,
            day.heading,
            day.unit,
            day.currency,
        )
        value = Decimal(day.value_minor).scaleb(-exponent(day.currency))
        rate = rates.on(day.currency, date.fromisoformat(day.day))
        row = rows.get(key)
        if row is None:
            row = rows[key] = TradeRow(*key, 0, 0, Decimal(0), Decimal(0))
        row.orders += day.orders
        row.quantity += day.quantity
        row.value += value
        row.value_usd = (
            None if rate is None or row.value_usd is None else row.value_usd + value * rate
        )
    for row in rows.values():
        if row.value_usd is not None:
            row.value_usd = row.value_usd.quantize(CENT)
    return list(rows.values())
