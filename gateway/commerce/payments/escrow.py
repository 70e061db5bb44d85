"""Escrow after payment: released on delivery (seller, fee, agent), or refunded to the buyer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from config.currencies import exponent
from gateway.commerce import errors
from gateway.commerce.orders import states as order_states
from gateway.commerce.payments import ledger
from gateway.commerce.payments.cash import CASH
from gateway.commerce.payments.payouts import schedule_payout
from gateway.store.models.orders import Order
from gateway.store.uow import UnitOfWork


@dataclass(frozen=True)
class Rates:
    """Fee and commission in basis points of an order's total; the agent's wait for returns."""

    fee_bps: int
    commission_bps: int
    return_window: timedelta


@dataclass(frozen=True)
class Split:
    seller: int
    fee: int
    commission: int


def split(total: int, currency: str, rates: Rates, with_agent: bool) -> Split:
    """Fee and commission rounded down to whole major units (wallets pay whole units); the
    seller gets the rest, so the parts always add up to `total`."""
    unit = 10 ** exponent(currency)
    fee = total * rates.fee_bps // 10000 // unit * unit
    commission = total * rates.commission_bps // 10000 // unit * unit if with_agent else 0
    return Split(total - fee - commission, fee, commission)


def agent_of(order: Order) -> int | None:
    """The agent who placed the order for someone else, if any."""
    if order.placed_by_id is None or order.placed_by_id == order.buyer_id:
        return None
    return order.placed_by_id


def _held(uow: UnitOfWork, order_id: int, key: str) -> Order | None:
    """The order, locked, with its total in escrow; None if `key` was posted already."""
    order = uow.orders.lock(order_id)
    if order is None:
        raise errors.OrderNotFound(order_id)
    if uow.ledger.posted(key):
        return None
    held = -uow.ledger.escrow_of(order.id, order.seller_currency)
    if order.status not in order_states.HELD or held != order.seller_total_minor:
        raise errors.NothingInEscrow(order.ref)
    return order


def release_escrow(order_id: int, uow: UnitOfWork, rates: Rates, now: datetime) -> bool:
    """The parcel was delivered: escrow → seller payable, platform fee, agent commission, all
    in the seller's currency; the order becomes `delivered`; the seller's payout is queued now,
    the agent's after the return window. Opens and commits its own transaction. False if
    already released.

    Raises:
        OrderNotFound; NothingInEscrow when the order is not paid (or was refunded);
        DisputeOpen while the buyer's reported problem is not settled.
    """
    with uow:
        order = _held(uow, order_id, f"release:{order_id}")
        if order is None:
            return False
        if order.status == "disputed":
            raise errors.DisputeOpen(order.ref)
        release(uow, order, rates, now)
        uow.commit()
        return True


def _collected_by(uow: UnitOfWork, order_id: int) -> str | None:
    """The provider whose wallet took the order's money (None for cash: choose by number)."""
    paid = [p for p in uow.payments.for_order(order_id) if p.outcome == "paid"]
    return paid[-1].provider if paid and paid[-1].provider != CASH else None


def release(uow: UnitOfWork, order: Order, rates: Rates, now: datetime) -> None:
    """In the caller's open unit of work, on the locked order whose total escrow holds:
    release it as `release_escrow` says."""
    agent = agent_of(order)
    parts = split(order.seller_total_minor, order.seller_currency, rates, agent is not None)
    ledger.post(
        uow,
        f"release:{order.id}",
        "release",
        order.seller_currency,
        [
            ledger.Entry(ledger.ESCROW, order.seller_total_minor, order_id=order.id),
            ledger.Entry(ledger.PLATFORM_FEE, -parts.fee, order_id=order.id),
            ledger.Entry(ledger.SELLER_PAYABLE, -parts.seller, order.seller_id, order.id),
            ledger.Entry(ledger.AGENT_COMMISSION, -parts.commission, agent, order.id),
        ],
        order_id=order.id,
    )
    order_states.move(order, "delivered")
    seller = uow.people.one(order.seller_id)
    schedule_payout(uow, "seller", f"seller:{order.id}", order, seller, parts.seller, now)
    if agent is not None:
        schedule_payout(
            uow,
            "agent",
            f"agent:{order.id}",
            order,
            uow.people.one(agent),
            parts.commission,
            now,
            not_before=now + rates.return_window,
        )


def refund_order(order_id: int, uow: UnitOfWork, now: datetime) -> bool:
    """A paid order will not be delivered: escrow → refunds payable (back through `fx` at the
    recorded rate across a border, so the buyer gets what they paid), and a refund payout to
    the buyer; the order becomes `refunded` (a dispute about it is settled so). False if
    already refunded.

    Raises:
        OrderNotFound; NothingInEscrow when nothing is held for it.
    """
    with uow:
        order = _held(uow, order_id, f"refund:{order_id}")
        if order is None:
            return False
        refund(uow, order, now)
        uow.commit()
        return True


def refund(uow: UnitOfWork, order: Order, now: datetime) -> None:
    """In the caller's open unit of work, on the locked order whose total escrow holds:
    refund it as `refund_order` says."""
    buyer = uow.people.one(order.buyer_id)
    ledger.post(
        uow,
        f"refund:{order.id}",
        "refund",
        order.currency,
        ledger.reversed_entries(ledger.escrow_entries(order, ledger.REFUNDS, buyer.id)),
        order_id=order.id,
    )
    order_states.move(order, "refunded")
    dispute = uow.disputes.of_order(order.id)
    if dispute is not None and dispute.status == "open":
        dispute.status, dispute.resolved_at = "refunded", now
    schedule_payout(
        uow,
        "refund",
        f"refund-order:{order.id}",
        order,
        buyer,
        order.total_minor,
        now,
        provider=_collected_by(uow, order.id),
    )
