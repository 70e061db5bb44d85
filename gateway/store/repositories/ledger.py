"""Ledger transactions and the sums the ledger check compares."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.models.ledger import LedgerPosting
from gateway.store.models.ledger import LedgerTransaction
from gateway.store.models.orders import Order


class Ledger:
    """Ledger transactions and the balances the check compares."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def posted(self, key: str) -> bool:
        query = select(LedgerTransaction.id).where(LedgerTransaction.key == key)
        return self.session.scalar(query) is not None

    def add(self, transaction: LedgerTransaction) -> None:
        self.session.add(transaction)
        self.session.flush()

    def unbalanced(self) -> list[tuple[str, str, int]]:
        total = func.sum(LedgerPosting.amount_minor)
        query = (
            select(LedgerTransaction.key, LedgerPosting.currency, total)
            .join(LedgerPosting)
            .group_by(LedgerTransaction.key, LedgerPosting.currency)
            .having(total != 0)
        )
        return [
            (key, currency, int(amount)) for key, currency, amount in self.session.execute(query)
        ]

    def escrow_by_order(self) -> dict[tuple[int, str], int]:
        total = func.sum(LedgerPosting.amount_minor)
        query = (
            select(LedgerPosting.order_id, LedgerPosting.currency, total)
            .where(LedgerPosting.account == "escrow")
            .group_by(LedgerPosting.order_id, LedgerPosting.currency)
        )
        return {(o, c): int(t) for o, c, t in self.session.execute(query) if o is not None and t}

    def escrow_of(self, order_id: int, currency: str) -> int:
        query = select(func.coalesce(func.sum(LedgerPosting.amount_minor), 0)).where(
            LedgerPosting.account == "escrow",
            LedgerPosting.order_id == order_id,
            LedgerPosting.currency == currency,
        )
        return int(self.session.scalar(query) or 0)

    def _sums(self, *where: ColumnElement[bool]) -> dict[str, int]:
        query = (
            select(LedgerPosting.currency, func.sum(LedgerPosting.amount_minor))
            .where(*where)
            .group_by(LedgerPosting.currency)
        )
        return {currency: int(total) for currency, total in self.session.execute(query)}

    def balances(self, account: str) -> dict[str, int]:
        return self._sums(LedgerPosting.account == account)

    def party_balance(self, account: str, party_id: int) -> dict[str, int]:
        return self._sums(LedgerPosting.account == account, LedgerPosting.party_id == party_id)

    def all_balances(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        kind: str | None = None,
    ) -> dict[tuple[str, str], int]:
        """Every account's sum per currency, of the transactions made in [since, until) and of
        `kind` when given."""
        query = (
            select(
                LedgerPosting.account, LedgerPosting.currency, func.sum(LedgerPosting.amount_minor)
            )
            .join(LedgerTransaction)
            .group_by(LedgerPosting.account, LedgerPosting.currency)
        )
        if since is not None:
            query = query.where(LedgerTransaction.created_at >= since)
        if until is not None:
            query = query.where(LedgerTransaction.created_at < until)
        if kind is not None:
            query = query.where(LedgerTransaction.kind == kind)
        return {(a, c): int(t) for a, c, t in self.session.execute(query)}

    def of_sellers_orders(
        self, seller_id: int, kinds: tuple[str, ...], limit: int
    ) -> list[tuple[LedgerTransaction, str]]:
        """The latest transactions of `kinds` about a seller's orders, with each order's ref."""
        query = (
            select(LedgerTransaction, Order.ref)
            .join(Order, Order.id == LedgerTransaction.order_id)
            .where(Order.seller_id == seller_id, LedgerTransaction.kind.in_(kinds))
            .order_by(LedgerTransaction.id.desc())
            .limit(limit)
        )
        return [(row, ref) for row, ref in self.session.execute(query)]
