"""A seller's part of an order: the goods are ready (the buyer hears of it by SMS, with the
seller's number), and for a home delivery the seller takes them out and hands them over."""

from __future__ import annotations

from datetime import datetime

from gateway.commerce import errors
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.orders import states as order_states
from gateway.commerce.orders.views import OrderCard
from gateway.commerce.orders.views import card
from gateway.store.uow import UnitOfWork


def mark_ready(
    uow: UnitOfWork, seller_id: int, order_id: int, notices: Notices, now: datetime
) -> OrderCard:
    """The seller has the goods ready for the buyer, the courier or the agent point (once;
    again is a no-op); the buyer is told by SMS, with the seller's number.

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
            order.ready_at = now
            buyer, seller = uow.people.one(order.buyer_id), uow.people.one(seller_id)
            point = uow.agents.point(order.pickup_point_id) if order.pickup_point_id else None
            via = "home" if order.delivery == "home" else "point" if point else "seller"
            notices.tell(
                uow,
                buyer,
                f"order_sms.ready_{via}",
                f"order:{order.id}:ready",
                phone=seller.phone,
                point=point.name if point else "",
                **notices.order_values(order, buyer),
            )
        result = card(uow, order)
        uow.commit()
        return result
