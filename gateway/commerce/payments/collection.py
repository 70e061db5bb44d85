"""Collecting an order's money: payment attempts, provider reports applied exactly once.

An attempt is written `sending` before the provider is called and `pending` once it took
the request. A report (a checked callback, or a status query) settles it once: the payment
row is locked and only an unsettled one changes. Money that arrives for an order that can
no longer be paid (expired, cancelled, paid by another attempt) goes to a refund, never to
a shipment. Failures Sokoni recorded itself (`no_answer`, `lost`) give way to a later
success, so no money that arrived is ever left off the ledger.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from gateway.commerce import topics
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.orders import states as order_states
from gateway.commerce.payments import ledger
from gateway.commerce.payments import states as payment_states
from gateway.commerce.payments.payouts import Choose
from gateway.commerce.payments.payouts import schedule_payout
from gateway.store.models.orders import Order
from gateway.store.models.payments import Payment
from gateway.store.models.people import Person
from gateway.store.uow import UnitOfWork

OURS = ("no_answer", "lost")
"""Failure codes Sokoni recorded without the provider's word; a proven success overrides them."""
DESCRIPTION = "Sokoni order"


class Report(Protocol):
    """A provider's word on a payment (gateway.providers.payments.base.PaymentStatus fits)."""

    @property
    def state(self) -> str: ...

    @property
    def provider_ref(self) -> str | None: ...

    @property
    def code(self) -> str | None: ...

    @property
    def reason(self) -> str | None: ...

    @property
    def amount_minor(self) -> int | None: ...

    @property
    def currency(self) -> str | None: ...

    @property
    def phone(self) -> str | None: ...

    @property
    def receipt(self) -> str | None: ...


@dataclass(frozen=True)
class Attempt:
    """A payment request to send; `resend` when an earlier run's outcome is unknown."""

    payment_id: int
    order_ref: str
    provider: str
    phone: str
    amount_minor: int
    currency: str
    request_key: str
    resend: bool
    retryable: bool
    """The earlier run failed before the provider acted, so resending is safe."""


def _attempt(order: Order, payment: Payment, resend: bool) -> Attempt:
    return Attempt(
        payment.id,
        order.ref,
        payment.provider,
        payment.phone,
        payment.amount_minor,
        payment.currency,
        payment.request_key,
        resend,
        retryable=(payment.result_code or "").startswith("retry:"),
    )


def start_attempt(uow: UnitOfWork, order_id: int, attempt: int, choose: Choose) -> Attempt | None:
    """Write attempt number `attempt` for an unpaid order; None when there is nothing to ask.

    `choose(phone, network_code)` names the provider for the buyer's number and network. Running twice is safe: an
    attempt already written comes back (with `resend`) while still `sending`, else None.
    """
    with uow:
        order = uow.orders.lock(order_id)
        if order is None:
            return None
        existing = uow.payments.attempt(order_id, attempt)
        if existing is not None:
            return _attempt(order, existing, resend=True) if existing.status == "sending" else None
        latest = uow.payments.latest(order_id)
        expected = latest.attempt + 1 if latest else 1
        if (
            order.status not in order_states.PAYABLE
            or attempt != expected
            or (latest and latest.status in payment_states.OPEN)
        ):
            return None
        buyer = uow.people.one(order.buyer_id)
        payment = Payment(
            order_id=order.id,
            attempt=attempt,
            provider=choose(buyer.phone, buyer.network_code),
            status="sending",
            phone=buyer.phone,
            amount_minor=order.total_minor,
            currency=order.currency,
            request_key=str(uuid.uuid4()),
            checks=0,
        )
        uow.payments.add(payment)
        order_states.move(order, "awaiting_payment")
        uow.commit()
        return _attempt(order, payment, resend=False)


def record_requested(
    uow: UnitOfWork,
    payment_id: int,
    provider_ref: str,
    merchant_ref: str | None,
    now: datetime,
    first_check: datetime,
) -> bool:
    """The provider took the request: `pending`, with a status query due at `first_check`."""
    with uow:
        payment = uow.payments.lock(payment_id)
        if payment is None or payment.status != "sending":
            return False
        payment_states.move(payment, "pending")
        payment.requested_at = now
        payment.provider_ref, payment.merchant_ref = provider_ref, merchant_ref
        payment.result_code = None
        uow.emit(topics.PAYMENT_CHECK, at=first_check, payment_id=payment.id)
        uow.commit()
        return True


def record_retryable(uow: UnitOfWork, payment_id: int, code: str) -> None:
    """The request failed before the provider acted; it stays `sending` to be sent again."""
    with uow:
        payment = uow.payments.lock(payment_id)
        if payment is not None and payment.status == "sending":
            payment.result_code = f"retry:{code}"[:40]
            uow.commit()


def record_refused(
    uow: UnitOfWork, payment_id: int, code: str, notices: Notices, now: datetime
) -> None:
    """The request was refused, or its fate is unknown (`lost`): the attempt failed."""
    with uow:
        payment = uow.payments.lock(payment_id)
        if payment is None or payment.status != "sending":
            return
        fail_attempt(uow, payment, code[:40], "error", notices, now)
        uow.commit()


def apply_report(
    uow: UnitOfWork,
    payment_id: int,
    report: Report,
    notices: Notices,
    now: datetime,
) -> str:
    """Settle a payment by a provider's report in one transaction; returns what happened."""
    with uow:
        verdict, _ = settle(uow, payment_id, report, notices, now)
        uow.commit()
        return verdict


def settle(
    uow: UnitOfWork, payment_id: int, report: Report, notices: Notices, now: datetime
) -> tuple[str, str | None]:
    """In the caller's open unit of work: (`applied` | `duplicate` | `mismatch` | `pending`,
    detail). Only an unsettled payment changes; a mismatching report changes nothing."""
    payment = uow.payments.lock(payment_id)
    if payment is None:
        return "unknown", f"no payment {payment_id}"
    if not unsettled(payment, report.state):
        return "duplicate", f"payment already {payment.status}"
    if report.state == "pending":
        return "pending", None
    problem = mismatch(payment, report)
    if problem:
        return "mismatch", problem
    if report.state == "succeeded":
        _succeed(uow, payment, report, notices, now)
    else:
        fail_attempt(
            uow, payment, (report.code or "failed")[:40], report.reason or "error", notices, now
        )
    return "applied", None


def unsettled(payment: Payment, state: str) -> bool:
    """Whether a report of `state` may still change this payment."""
    if payment.status in payment_states.OPEN:
        return True
    return payment.status == "failed" and payment.result_code in OURS and state == "succeeded"


def mismatch(payment: Payment, report: Report) -> str | None:
    """What in the report differs from what was asked, if anything."""
    asked = {
        "reference": payment.provider_ref,
        "amount": payment.amount_minor,
        "currency": payment.currency,
        "phone": payment.phone,
    }
    told = {
        "reference": report.provider_ref,
        "amount": report.amount_minor,
        "currency": report.currency,
        "phone": report.phone,
    }
    wrong = [
        k for k in asked if told[k] is not None and asked[k] is not None and told[k] != asked[k]
    ]
    return ", ".join(f"{k} {told[k]} != {asked[k]}" for k in wrong) or None


def announce_paid(
    uow: UnitOfWork, notices: Notices, order: Order, buyer: Person, payment: Payment, key: str
) -> None:
    """The order is paid: tell the buyer (text `key`), ask the seller to dispatch, say so."""
    seller = uow.people.one(order.seller_id)
    notices.tell(
        uow, buyer, key, f"payment:{payment.id}:paid", **notices.order_values(order, buyer)
    )
    notices.tell(
        uow,
        seller,
        "payment_sms.dispatch",
        f"payment:{payment.id}:dispatch",
        **notices.order_values(order, seller),
    )
    uow.emit(topics.ORDER_PAID, order_id=order.id)


def _succeed(
    uow: UnitOfWork, payment: Payment, report: Report, notices: Notices, now: datetime
) -> None:
    payment_states.move(payment, "succeeded")
    payment.settled_at = now
    payment.receipt, payment.result_code = report.receipt, report.code or "0"
    order = uow.orders.lock_one(payment.order_id)
    buyer = uow.people.one(order.buyer_id)
    amount, currency = payment.amount_minor, payment.currency
    if order.status in order_states.PAYABLE:
        payment.outcome = "paid"
        order_states.move(order, "paid")
        ledger.post(
            uow,
            f"payment:{payment.id}",
            "payment",
            currency,
            ledger.escrow_entries(order, ledger.cash(payment.provider)),
            order_id=order.id,
        )
        announce_paid(uow, notices, order, buyer, payment, "payment_sms.paid")
        return
    payment.outcome = "refund"
    ledger.post(
        uow,
        f"payment:{payment.id}",
        "late_payment",
        currency,
        [
            ledger.Entry(ledger.cash(payment.provider), amount),
            ledger.Entry(ledger.REFUNDS, -amount, party_id=buyer.id, order_id=order.id),
        ],
        order_id=order.id,
    )
    schedule_payout(
        uow, "refund", f"refund:{payment.id}", order, buyer, amount, now, provider=payment.provider
    )
    notices.tell(
        uow,
        buyer,
        "payment_sms.refunding",
        f"payment:{payment.id}:refund",
        **notices.order_values(order, buyer),
    )


def fail_attempt(
    uow: UnitOfWork, payment: Payment, code: str, reason: str, notices: Notices, now: datetime
) -> None:
    """In the caller's open unit of work: the attempt failed; if it was the order's latest,
    the order awaits a retry and the buyer is told why."""
    payment_states.move(payment, "failed")
    payment.result_code, payment.reason = code, reason
    payment.settled_at = now
    order = uow.orders.lock_one(payment.order_id)
    latest = uow.payments.latest(order.id)
    if order.status != "awaiting_payment" or latest is None or latest.id != payment.id:
        return
    order_states.move(order, "payment_failed")
    buyer = uow.people.one(order.buyer_id)
    notices.tell(
        uow,
        buyer,
        f"payment_sms.failed_{reason}",
        f"payment:{payment.id}:failed",
        **notices.order_values(order, buyer),
    )
