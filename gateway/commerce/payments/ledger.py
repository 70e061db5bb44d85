"""The double-entry ledger: every money movement is a balanced set of postings.

A posting debits (amount > 0) or credits (amount < 0) one account in integer minor units of
one currency; a transaction's postings sum to zero per currency, and its `key` makes posting
it twice impossible. Accounts:

- `cash:<provider>` (asset): money in our wallet at a provider (buyers' payments in,
  payouts out);
- `escrow` (liability, per order): paid money held until the parcel is delivered;
- `seller_payable`, `agent_commission`, `refunds_payable` (liabilities, per person);
- `payouts_in_flight` (liability, per person): payouts sent whose result is not known yet;
  a success moves the amount on to `cash:<provider>`, a failure back to what is owed;
- `platform_fee` (revenue);
- `agent_float` (asset, per agent): cash an agent collected for us and still holds;
- `fx` (per order): where a cross-border order's money changes currency. A payment in the
  buyer's currency is credited to `fx` in that currency and escrow is credited from `fx` in
  the seller's, at the order's recorded rate, so each currency balances on its own; a
  refund runs the same legs back. The account's balance per currency is Sokoni's exposure
  to each currency until it is exchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime

from gateway.commerce import errors
from gateway.commerce.orders import states as order_states
from gateway.store.models.ledger import LedgerPosting
from gateway.store.models.ledger import LedgerTransaction
from gateway.store.models.orders import Order
from gateway.store.uow import UnitOfWork

ESCROW = "escrow"
SELLER_PAYABLE = "seller_payable"
AGENT_COMMISSION = "agent_commission"
PLATFORM_FEE = "platform_fee"
REFUNDS = "refunds_payable"
AGENT_FLOAT = "agent_float"
IN_FLIGHT = "payouts_in_flight"
FX = "fx"
IN_FLIGHT_STATUSES = ("sending", "pending", "unknown")
"""Payout statuses whose amount sits in `payouts_in_flight`."""


def cash(provider: str) -> str:
    return f"cash:{provider}"


@dataclass(frozen=True)
class Entry:
    account: str
    amount_minor: int
    party_id: int | None = None
    order_id: int | None = None
    currency: str | None = None
    """None: the transaction's currency."""


def escrow_entries(order: Order, account: str, party_id: int | None = None) -> list[Entry]:
    """The order is paid: `account` is debited its total in the buyer's currency and escrow
    holds the seller's total in theirs, through `fx` when the two differ."""
    entries = [Entry(account, order.total_minor, party_id, order.id, order.currency)]
    if order.currency != order.seller_currency:
        entries += [
            Entry(FX, -order.total_minor, order_id=order.id, currency=order.currency),
            Entry(FX, order.seller_total_minor, order_id=order.id, currency=order.seller_currency),
        ]
    held = Entry(ESCROW, -order.seller_total_minor, order_id=order.id)
    return [*entries, replace(held, currency=order.seller_currency)]


def reversed_entries(entries: Sequence[Entry]) -> list[Entry]:
    """The same legs run back (a refund of what `escrow_entries` moved)."""
    return [replace(e, amount_minor=-e.amount_minor) for e in entries]


def post(
    uow: UnitOfWork,
    key: str,
    kind: str,
    currency: str,
    entries: Sequence[Entry],
    order_id: int | None = None,
    memo: str | None = None,
) -> bool:
    """Add a transaction in the caller's open unit of work; False if `key` was posted before.
    Entries are in `currency` unless they name their own.

    Raises:
        UnbalancedTransaction: the entries do not sum to zero in each currency.
    """
    sums: dict[str, int] = defaultdict(int)
    for e in entries:
        sums[e.currency or currency] += e.amount_minor
    if any(sums.values()) or not entries:
        raise errors.UnbalancedTransaction(key)
    if uow.ledger.posted(key):
        return False
    uow.ledger.add(
        LedgerTransaction(
            key=key,
            kind=kind,
            order_id=order_id,
            memo=memo,
            postings=[
                LedgerPosting(
                    account=e.account,
                    party_id=e.party_id,
                    order_id=e.order_id,
                    amount_minor=e.amount_minor,
                    currency=e.currency or currency,
                )
                for e in entries
                if e.amount_minor
            ],
        )
    )
    return True


def check(uow: UnitOfWork) -> list[str]:
    """Problems found: unbalanced transactions, escrow that differs from the seller totals of
    paid, undelivered orders (per currency and per order), and payouts in flight that differ
    from the payouts sent and not yet settled. Empty means all is well."""
    problems: list[str] = []
    with uow:
        for key, currency, total in uow.ledger.unbalanced():
            problems.append(f"transaction {key} does not balance: {total:+d} {currency}")
        held = uow.orders.totals_in(order_states.HELD)
        escrow = {key: -amount for key, amount in uow.ledger.escrow_by_order().items()}
        for order_id, currency in sorted(held.keys() | escrow.keys()):
            want, got = held.get((order_id, currency), 0), escrow.get((order_id, currency), 0)
            if want != got:
                problems.append(
                    f"order {order_id}: escrow holds {got} {currency}, expected {want} {currency}"
                )
        totals: dict[str, int] = defaultdict(int)
        for (_, currency), amount in held.items():
            totals[currency] += amount
        for currency, balance in uow.ledger.balances(ESCROW).items():
            if -balance != totals.get(currency, 0):
                problems.append(
                    f"escrow holds {-balance} {currency}; paid undelivered orders total "
                    f"{totals.get(currency, 0)} {currency}"
                )
        flying = uow.payouts.totals_in(IN_FLIGHT_STATUSES)
        booked = {c: -amount for c, amount in uow.ledger.balances(IN_FLIGHT).items() if amount}
        for currency in sorted(flying.keys() | booked.keys()):
            want, got = flying.get(currency, 0), booked.get(currency, 0)
            if want != got:
                problems.append(
                    f"payouts in flight hold {got} {currency}; payouts sent and unsettled "
                    f"total {want} {currency}"
                )
    return problems


def balances(
    uow: UnitOfWork,
    since: datetime | None = None,
    until: datetime | None = None,
    kind: str | None = None,
) -> dict[tuple[str, str], int]:
    """Every account's balance per currency (debits positive); with `since`/`until`, only what
    transactions made in that period moved; with `kind`, only transactions of that kind
    (`payment`, `release`, `refund`, `seller_payout`, ...)."""
    with uow:
        return uow.ledger.all_balances(since, until, kind)


def party_balance(uow: UnitOfWork, account: str, party_id: int) -> dict[str, int]:
    """One person's balance in `account`, per currency (in the caller's open unit of work)."""
    return uow.ledger.party_balance(account, party_id)
