"""A seller's money: what escrow holds for their orders, what was paid out or failed to be,
and the latest movements, read from the ledger and the payouts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from config.countries import COUNTRIES
from gateway.commerce.money import Money
from gateway.commerce.orders import states as order_states
from gateway.commerce.payments import ledger
from gateway.store.models.ledger import LedgerTransaction
from gateway.store.uow import UnitOfWork

MOVEMENTS = 5
"""Movements "My money" shows."""
KIND = {
    "payment": "paid",
    "cash_payment": "paid",
    "release": "earned",
    "seller_payout": "paid_out",
    "refund": "refunded",
}
"""Ledger transaction kind → the movement a seller reads about."""


@dataclass(frozen=True)
class Movement:
    """Money moving for one of the seller's orders: `paid` (by the buyer, into escrow),
    `earned` (released to the seller on delivery), `paid_out`, `payout_failed`, `refunded`
    (back to the buyer)."""

    at: datetime
    ref: str
    kind: str
    amount: Money


@dataclass(frozen=True)
class Earnings:
    """What a seller's money looks like now, in their country's currency."""

    in_escrow: Money
    paid_out: Money
    failed: Money
    failed_count: int
    movements: list[Movement]


def _amount(row: LedgerTransaction, seller_id: int) -> int:
    kind = KIND[row.kind]
    if kind in ("paid", "refunded"):
        return sum(abs(p.amount_minor) for p in row.postings if p.account == ledger.ESCROW)
    return sum(
        abs(p.amount_minor)
        for p in row.postings
        if p.account == ledger.SELLER_PAYABLE and p.party_id == seller_id
    )


def earnings(uow: UnitOfWork, seller_id: int) -> Earnings:
    with uow:
        seller = uow.people.one(seller_id)
        currency = COUNTRIES[seller.country].currency
        held = uow.orders.totals_of_seller(seller_id, order_states.HELD).get(currency, 0)
        paid = uow.payouts.of_person(seller_id, "seller", ("succeeded",), 10**6)
        failed = uow.payouts.of_person(seller_id, "seller", ("failed",), 10**6)
        moves = [
            Movement(row.created_at, ref, KIND[row.kind], Money(_amount(row, seller_id), currency))
            for row, ref in uow.ledger.of_sellers_orders(seller_id, tuple(KIND), MOVEMENTS)
        ]
        for payout in failed[:MOVEMENTS]:
            ref = uow.orders.one(payout.order_id).ref
            at = payout.settled_at or payout.created_at
            moves.append(Movement(at, ref, "payout_failed", Money(payout.amount_minor, currency)))
        moves.sort(key=lambda m: m.at, reverse=True)
        return Earnings(
            in_escrow=Money(held, currency),
            paid_out=Money(sum(p.amount_minor for p in paid if p.currency == currency), currency),
            failed=Money(sum(p.amount_minor for p in failed if p.currency == currency), currency),
            failed_count=len(failed),
            movements=moves[:MOVEMENTS],
        )
