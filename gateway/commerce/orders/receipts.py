"""The buyer's receipt for a new order, by SMS in their language, sent once."""

from __future__ import annotations

from gateway.commerce.messaging.notices import Notices
from gateway.store.uow import UnitOfWork


def send_receipt(uow: UnitOfWork, order_id: int, notices: Notices) -> None:
    """Queue the receipt for order `order_id` (once, however often this runs)."""
    with uow:
        order = uow.orders.get(order_id)
        buyer = uow.people.one(order.buyer_id) if order is not None else None
        if order is None or buyer is None:
            return
        values = notices.order_values(order, buyer)
        notices.tell(uow, buyer, "sms.receipt", f"order.placed:{order_id}", **values)
        uow.commit()
