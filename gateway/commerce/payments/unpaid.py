"""Orders not paid yet: paying again after a failure, and expiry of orders left unpaid."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

from gateway.commerce import errors
from gateway.commerce import topics
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.orders import states as order_states
from gateway.commerce.payments import states as payment_states
from gateway.store.uow import UnitOfWork


def retry_payment(order_id: int, uow: UnitOfWork, buyer_id: int | None = None) -> int:
    """Ask for an order's payment again after a failure: a new attempt, never a second
    charge for the same one. Returns the new attempt's number.

    Raises:
        OrderNotFound (also when `buyer_id` is given and not the buyer's), PaymentInProgress,
        PaymentNotRetryable.
    """
    with uow:
        order = uow.orders.lock(order_id)
        if order is None or (buyer_id is not None and order.buyer_id != buyer_id):
            raise errors.OrderNotFound(order_id)
        latest = uow.payments.latest(order_id)
        if latest is not None and latest.status in payment_states.OPEN:
            raise errors.PaymentInProgress(order_id)
        if order.status != "payment_failed":
            raise errors.PaymentNotRetryable(order.status)
        attempt = latest.attempt + 1 if latest else 1
        order_states.move(order, "awaiting_payment")
        uow.emit(topics.PAYMENT_REQUEST, order_id=order.id, attempt=attempt)
        uow.commit()
        return attempt


def expire_unpaid(uow: UnitOfWork, now: datetime, after: timedelta, notices: Notices) -> list[str]:
    """Expire orders unpaid `after` their latest request (or placing); stock goes back.

    Returns the expired orders' references. A payment that succeeds later is refunded.
    """
    with uow:
        candidates = uow.orders.placed_before(order_states.PAYABLE, now - after)
    expired = []
    for order_id in candidates:
        with uow:
            order = uow.orders.lock_one(order_id)
            latest = uow.payments.latest(order_id)
            started = max(order.created_at, latest.created_at) if latest else order.created_at
            if order.status not in order_states.PAYABLE or started > now - after:
                continue
            order_states.move(order, "expired")
            for line in order.lines:
                uow.listings.restock(line.listing_id, line.quantity)
            buyer = uow.people.one(order.buyer_id)
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
