"""An agent's cash float: cash collected for orders is owed to Sokoni until settled.

Recording cash pays the order into escrow and debits the agent's float; the agent settles
by paying Sokoni (a mobile-money deposit with its reference) and their commissions are
netted against what they still owe before anything is paid out (see payouts).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from gateway.commerce import errors
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.money import Money
from gateway.commerce.orders import states as order_states
from gateway.commerce.payments import ledger
from gateway.commerce.payments import states as payment_states
from gateway.commerce.payments.collection import announce_paid
from gateway.store.models.payments import Payment
from gateway.store.uow import UnitOfWork

CASH = "cash"


def collect_cash(
    order_id: int, agent_id: int, uow: UnitOfWork, notices: Notices, now: datetime
) -> None:
    """The agent took the order's total in cash from their customer: the order is paid.

    A mobile-money prompt still open for it is not cancelled: if the customer also pays
    there, that money is refunded.

    Raises:
        OrderNotFound, NotYourCustomer (the agent did not place it for someone else),
        PaymentNotRetryable (the order cannot be paid any more).
    """
    with uow:
        order = uow.orders.lock(order_id)
        if order is None:
            raise errors.OrderNotFound(order_id)
        if order.placed_by_id != agent_id or order.buyer_id == agent_id:
            raise errors.NotYourCustomer(order.ref)
        if order.status not in order_states.PAYABLE:
            raise errors.PaymentNotRetryable(order.status)
        latest = uow.payments.latest(order.id)
        agent = uow.people.one(agent_id)
        payment = Payment(
            order_id=order.id,
            attempt=(latest.attempt + 1) if latest else 1,
            provider=CASH,
            status="sending",
            phone=agent.phone,
            amount_minor=order.total_minor,
            currency=order.currency,
            request_key=str(uuid.uuid4()),
            outcome="paid",
            checks=0,
            requested_at=now,
            settled_at=now,
        )
        uow.payments.add(payment)
        payment_states.move(payment, "succeeded")
        ledger.post(
            uow,
            f"payment:{payment.id}",
            "cash_payment",
            order.currency,
            ledger.escrow_entries(order, ledger.AGENT_FLOAT, agent.id),
            order_id=order.id,
        )
        order_states.move(order, "paid")
        buyer = uow.people.one(order.buyer_id)
        announce_paid(uow, notices, order, buyer, payment, "payment_sms.paid_cash")
        uow.commit()


def settle_float(
    agent_id: int, amount: Money, reference: str, provider: str, uow: UnitOfWork
) -> bool:
    """The agent paid Sokoni `amount` (a deposit with `reference` at `provider`); False if
    that reference was recorded before.

    Raises:
        ValueError: a non-positive amount or an empty reference.
    """
    if amount.minor <= 0 or not reference.strip():
        raise ValueError("a settlement needs a positive amount and a reference")
    with uow:
        posted = ledger.post(
            uow,
            f"float:{provider}:{reference.strip()}",
            "float_settlement",
            amount.currency,
            [
                ledger.Entry(ledger.cash(provider), amount.minor),
                ledger.Entry(ledger.AGENT_FLOAT, -amount.minor, agent_id),
            ],
            memo=f"agent {agent_id} deposit {reference.strip()}",
        )
        uow.commit()
        return posted


def float_owed(agent_id: int, uow: UnitOfWork) -> dict[str, int]:
    """What the agent still owes Sokoni, per currency (negative: Sokoni owes the agent)."""
    with uow:
        return ledger.party_balance(uow, ledger.AGENT_FLOAT, agent_id)
