"""An order's payments as buyers and operators meet them: paying again after a failure,
expiry of orders left unpaid, and a plain view of each attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from gateway.commerce import errors
from gateway.commerce.payment_notices import Notices
from gateway.commerce.payments import OPEN
from gateway.commerce.payments import PAYABLE
from gateway.commerce.payments import REQUEST_TOPIC
from gateway.store.models import Order
from gateway.store.models import Payment
from gateway.store.uow import UnitOfWork


def retry_payment(order_id: int, uow: UnitOfWork, buyer_id: int | None = None) -> int:
    """Ask for an order's payment again after a failure: a new attempt, never a second
    charge for the same one. Returns the new attempt's number.

    Raises:
        OrderNotFound (also when `buyer_id` is given and not the buyer's), PaymentInProgress,
        PaymentNotRetryable.
    """
    with uow:
        order = uow.payments.lock_order(order_id)
        if order is None or (buyer_id is not None and order.buyer_id != buyer_id):
            raise errors.OrderNotFound(order_id)
        latest = uow.payments.latest(order_id)
        if latest is not None and latest.status in OPEN:
            raise errors.PaymentInProgress(order_id)
        if order.status != "payment_failed":
            raise errors.PaymentNotRetryable(order.status)
        attempt = latest.attempt + 1 if latest else 1
        order.status = "awaiting_payment"
        uow.emit(REQUEST_TOPIC, order_id=order.id, attempt=attempt)
        uow.commit()
        return attempt


def expire_unpaid(uow: UnitOfWork, now: datetime, after: timedelta, notices: Notices) -> list[str]:
    """Expire orders unpaid `after` their latest request (or placing); stock goes back.

    Returns the expired orders' references. A payment that succeeds later is refunded.
    """
    with uow:
        candidates = uow.payments.unpaid_orders(PAYABLE, now - after)
    expired = []
    for order_id in candidates:
        with uow:
            order = uow.payments.lock_order(order_id)
            latest = uow.payments.latest(order_id)
            started = max(order.created_at, latest.created_at) if latest else order.created_at
            if order.status not in PAYABLE or started > now - after:
                continue
            order.status = "expired"
            for line in order.lines:
                uow.payments.restock(line.listing_id, line.quantity)
            buyer = uow.people.get(order.buyer_id)
            notices.tell(
                uow,
                buyer,
                "payment_sms.expired",
                f"order:{order.id}:expired",
                **notices.order_values(order, buyer),
            )
            uow.commit()
            expired.append(order.ref)
    return expired


@dataclass(frozen=True)
class PaymentView:
    """A payment attempt as operators and the sandbox see it."""

    order_ref: str
    order_status: str
    attempt: int
    provider: str
    status: str
    provider_ref: str
    amount_minor: int
    currency: str
    phone: str
    reason: str | None
    outcome: str | None


def _view(order: Order, payment: Payment) -> PaymentView:
    return PaymentView(
        order.ref,
        order.status,
        payment.attempt,
        payment.provider,
        payment.status,
        payment.provider_ref or "",
        payment.amount_minor,
        payment.currency,
        payment.phone,
        payment.reason,
        payment.outcome,
    )


def find_payment(uow: UnitOfWork, ref: str, provider: str | None = None) -> PaymentView | None:
    """The latest attempt of the order with reference `ref`, or the attempt whose provider
    reference is `ref` (at `provider`)."""
    with uow:
        order = uow.orders.by_ref(ref.strip().upper())
        payment = uow.payments.latest(order.id) if order is not None else None
        if payment is None and provider is not None:
            payment = uow.payments.by_provider_ref(provider, ref.strip())
            order = uow.payments.lock_order(payment.order_id) if payment else None
        if payment is None or order is None or (provider and payment.provider != provider):
            return None
        return _view(order, payment)


def payments_of(uow: UnitOfWork, order_ref: str) -> list[PaymentView]:
    """Every attempt to pay one order, oldest first."""
    with uow:
        order = uow.orders.by_ref(order_ref.strip().upper())
        if order is None:
            return []
        return [_view(order, p) for p in uow.payments.for_order(order.id)]
