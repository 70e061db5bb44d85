"""Read-only queries for data exports: delivered order lines per day and place, and row-level
orders and SMS streamed in id order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from gateway.store.models.catalog import Listing
from gateway.store.models.ledger import LedgerTransaction
from gateway.store.models.messages import SmsMessage
from gateway.store.models.orders import Order
from gateway.store.models.orders import OrderLine
from gateway.store.models.people import Person
from gateway.store.repositories.days import day_of

RELEASE = "release"
"""The ledger transaction that marks an order delivered (its escrow released)."""
BATCH = 500
"""Rows fetched at a time by the row-level exports."""


@dataclass(frozen=True)
class TradeDay:
    """Delivered order lines of one day, origin, destination, category, HS heading, unit and
    currency."""

    day: str
    origin: str
    destination: str
    category: str
    heading: str
    """The listing's HS heading (`10.05`); empty where it has none."""
    unit: str
    currency: str
    orders: int
    quantity: int
    value_minor: int


class Exports:
    def __init__(self, session: Session) -> None:
        self.session = session

    def delivered_lines(self, since: datetime, until: datetime) -> list[TradeDay]:
        """Order lines of orders delivered (escrow released) in [since, until), grouped by the
        UTC day of delivery, the listing's country (origin), the buyer's country (destination),
        category, the listing's HS heading, unit and currency."""
        buyer = aliased(Person)
        day = day_of(LedgerTransaction.created_at)
        value = func.sum(OrderLine.quantity * OrderLine.unit_price_minor)
        keys = (
            day,
            Listing.country,
            buyer.country,
            Listing.category,
            func.coalesce(Listing.hs_heading, ""),
            OrderLine.unit,
            OrderLine.currency,
        )
        query = (
            select(
                *keys,
                func.count(func.distinct(Order.id)),
                func.sum(OrderLine.quantity),
                value,
            )
            .select_from(OrderLine)
            .join(Order, Order.id == OrderLine.order_id)
            .join(LedgerTransaction, LedgerTransaction.order_id == Order.id)
            .join(Listing, Listing.id == OrderLine.listing_id)
            .join(buyer, buyer.id == Order.buyer_id)
            .where(
                LedgerTransaction.kind == RELEASE,
                LedgerTransaction.created_at >= since,
                LedgerTransaction.created_at < until,
            )
            .group_by(*keys)
            .order_by(*keys)
        )
        return [
            TradeDay(d, o, de, c, h, u, cur, int(orders), int(qty), int(val))
            for d, o, de, c, h, u, cur, orders, qty, val in self.session.execute(query)
        ]

    def orders(
        self, since: datetime, until: datetime
    ) -> Iterator[Row[Order, str, str, str, str, str | None, int]]:
        """Orders placed in [since, until), oldest first, with the people's numbers and
        countries and the number of lines."""
        buyer, seller, agent = aliased(Person), aliased(Person), aliased(Person)
        lines = (
            select(func.count(OrderLine.id))
            .where(OrderLine.order_id == Order.id)
            .correlate(Order)
            .scalar_subquery()
        )
        query = (
            select(
                Order, buyer.phone, buyer.country, seller.phone, seller.country, agent.phone, lines
            )
            .join(buyer, buyer.id == Order.buyer_id)
            .join(seller, seller.id == Order.seller_id)
            .outerjoin(agent, agent.id == Order.placed_by_id)
            .where(Order.created_at >= since, Order.created_at < until)
            .order_by(Order.id)
            .execution_options(yield_per=BATCH)
        )
        yield from self.session.execute(query)

    def count_orders(self, since: datetime, until: datetime) -> int:
        query = select(func.count(Order.id)).where(
            Order.created_at >= since, Order.created_at < until
        )
        return int(self.session.scalar(query) or 0)

    def sms(self, since: datetime, until: datetime) -> Iterator[SmsMessage]:
        """Outgoing SMS queued in [since, until), oldest first."""
        query = (
            select(SmsMessage)
            .where(SmsMessage.created_at >= since, SmsMessage.created_at < until)
            .order_by(SmsMessage.id)
            .execution_options(yield_per=BATCH)
        )
        yield from self.session.scalars(query)

    def count_sms(self, since: datetime, until: datetime) -> int:
        query = select(func.count(SmsMessage.id)).where(
            SmsMessage.created_at >= since, SmsMessage.created_at < until
        )
        return int(self.session.scalar(query) or 0)
