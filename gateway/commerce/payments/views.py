"""Payment attempts as operators and the sandbox see them, detached from the session."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.store.models.orders import Order
from gateway.store.models.payments import Payment
from gateway.store.uow import UnitOfWork


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
            order = uow.orders.lock_one(payment.order_id) if payment else None
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
