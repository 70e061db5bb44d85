"""Orders as people see them: a buyer's latest, and a seller's to fulfil.

Marking goods ready for pickup is the seller's part; the parcel journey builds on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime

from gateway.commerce import errors
from gateway.commerce.money import Money
from gateway.commerce.payments import PAYABLE
from gateway.commerce.places import place_label
from gateway.store.models import Order
from gateway.store.uow import UnitOfWork

TO_FULFIL = ("paid",)
"""Order statuses a seller is asked to prepare: paid, its money held in escrow."""
LATEST = 10
"""A buyer's orders listed in "My orders"."""
SELLER_SHOWN = 30


@dataclass(frozen=True)
class OrderCard:
    """One order with what buyer, seller and agent are told about it."""

    id: int
    ref: str
    status: str
    ready: bool
    cancellable: bool
    total: Money
    quantity: int
    unit: str
    name: str
    buyer_place: str
    delivery: str
    """`point` (collect at an agent point), `home`, or `seller` (collect from the seller)."""
    delivery_place: str


def card(uow: UnitOfWork, order: Order) -> OrderCard:
    """In the open transaction: the card of `order`."""
    line = order.lines[0]
    buyer = uow.people.get(order.buyer_id)
    point = uow.agents.point(order.pickup_point_id) if order.pickup_point_id else None
    if order.delivery == "home":
        delivery, where = "home", order.delivery_place or ""
    elif point is not None:
        delivery, where = "point", point.name
    else:
        delivery, where = "seller", ""
    return OrderCard(
        id=order.id,
        ref=order.ref,
        status=order.status,
        ready=order.ready_at is not None,
        cancellable=order.status in PAYABLE,
        total=Money(order.total_minor, order.currency),
        quantity=line.quantity,
        unit=line.unit,
        name=line.name,
        buyer_place=place_label(buyer.region, buyer.district, buyer.country) if buyer else "",
        delivery=delivery,
        delivery_place=where,
    )


def latest_of_buyer(uow: UnitOfWork, buyer_id: int) -> list[OrderCard]:
    with uow:
        return [card(uow, order) for order in uow.orders.latest_of_buyer(buyer_id, LATEST)]


def to_fulfil(uow: UnitOfWork, seller_id: int) -> list[OrderCard]:
    """The seller's paid orders, oldest first; those marked ready stay listed as such."""
    with uow:
        rows = uow.orders.of_seller(seller_id, TO_FULFIL, SELLER_SHOWN)
        return [card(uow, order) for order in rows]


def mark_ready(uow: UnitOfWork, seller_id: int, order_id: int) -> OrderCard:
    """The seller has the goods ready for the courier or agent point (once; again is a no-op).

    Raises:
        OrderNotFound (also another seller's order), NothingInEscrow (not paid).
    """
    with uow:
        order = uow.payments.lock_order(order_id)
        if order is None or order.seller_id != seller_id:
            raise errors.OrderNotFound(order_id)
        if order.status not in TO_FULFIL:
            raise errors.NothingInEscrow(order.ref)
        if order.ready_at is None:
            order.ready_at = datetime.now(UTC)
        result = card(uow, order)
        uow.commit()
        return result
