"""A seller's part of an order: the goods are ready for the courier or the agent point."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from gateway.commerce import errors
from gateway.commerce.orders import states as order_states
from gateway.commerce.orders.views import OrderCard
from gateway.commerce.orders.views import card
from gateway.store.uow import UnitOfWork


def mark_ready(uow: UnitOfWork, seller_id: int, order_id: int) -> OrderCard:
    """The seller has the goods ready for the courier or agent point (once; again is a no-op).

    Raises:
        OrderNotFound (also another seller's order), NothingInEscrow (not paid).
    """
    with uow:
        order = uow.orders.lock(order_id)
        if order is None or order.seller_id != seller_id:
            raise errors.OrderNotFound(order_id)
        if order.status not in order_states.TO_FULFIL:
            raise errors.NothingInEscrow(order.ref)
        if order.ready_at is None:
            order.ready_at = datetime.now(UTC)
        result = card(uow, order)
        uow.commit()
        return result
