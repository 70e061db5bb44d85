"""Orders as people see them: cards for a buyer's latest and a seller's to fulfil (USSD),
and the shorter views SMS replies and receipts are written from."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.commerce.money import Money
from gateway.commerce.orders import states as order_states
from gateway.commerce.parcels.states import CODE_STATES
from gateway.commerce.people.callers import Caller
from gateway.commerce.places import place_label
from gateway.store.models.orders import Order
from gateway.store.models.people import Person
from gateway.store.uow import UnitOfWork

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
    buyer_phone: str
    delivery: str
    """`point` (collect at an agent point), `home`, or `seller` (collect from the seller)."""
    delivery_place: str
    """The point's name, or the address a home delivery goes to."""
    parcel: str | None
    """The parcel's status, once the order is one."""
    has_code: bool
    """The buyer holds a delivery code that works now (so a new one may be asked for)."""


def card(uow: UnitOfWork, order: Order, for_seller: bool = False) -> OrderCard:
    """In the open transaction: the card of `order`, its total the buyer's (or the seller's,
    in their currency)."""
    line = order.lines[0]
    buyer = uow.people.one(order.buyer_id)
    point = uow.agents.point(order.pickup_point_id) if order.pickup_point_id else None
    if order.delivery == "home":
        delivery, where = "home", order.delivery_place or ""
    elif point is not None:
        delivery, where = "point", point.name
    else:
        delivery, where = "seller", ""
    parcel = uow.shipments.for_order(order.id)
    return OrderCard(
        id=order.id,
        ref=order.ref,
        status=order.status,
        ready=order.ready_at is not None,
        cancellable=order.status in order_states.PAYABLE,
        total=(
            Money(order.seller_total_minor, order.seller_currency)
            if for_seller
            else Money(order.total_minor, order.currency)
        ),
        quantity=line.quantity,
        unit=line.unit,
        name=line.name,
        buyer_place=place_label(buyer.region, buyer.district, buyer.country) if buyer else "",
        buyer_phone=buyer.phone if buyer else "",
        delivery=delivery,
        delivery_place=where,
        parcel=parcel.status if parcel else None,
        has_code=bool(parcel and parcel.status in CODE_STATES and parcel.code_hash),
    )


def latest_of_buyer(uow: UnitOfWork, buyer_id: int) -> list[OrderCard]:
    with uow:
        return [card(uow, order) for order in uow.orders.latest_of_buyer(buyer_id, LATEST)]


def to_fulfil(uow: UnitOfWork, seller_id: int) -> list[OrderCard]:
    """The seller's paid orders, oldest first; those marked ready stay listed as such."""
    with uow:
        rows = uow.orders.of_seller(seller_id, order_states.TO_FULFIL, SELLER_SHOWN)
        return [card(uow, order, for_seller=True) for order in rows]


@dataclass(frozen=True)
class OrderView:
    """What a person is told about one of their orders."""

    id: int
    ref: str
    status: str
    total: Money
    quantity: int
    unit: str
    name: str
    buyer_phone: str
    buyer_language: str | None
    buyer_country: str

    @classmethod
    def of(cls, order: Order, buyer: Caller | Person) -> OrderView:
        line = order.lines[0]
        return cls(
            id=order.id,
            ref=order.ref,
            status=order.status,
            total=Money(order.total_minor, order.currency),
            quantity=line.quantity,
            unit=line.unit,
            name=line.name,
            buyer_phone=buyer.phone,
            buyer_language=buyer.language,
            buyer_country=buyer.country,
        )


def latest_orders(uow: UnitOfWork, caller: Caller, limit: int) -> list[OrderView]:
    rows = uow.orders.latest_of_buyer(caller.id, limit)
    return [OrderView.of(row, caller) for row in rows]


def order_of(uow: UnitOfWork, caller: Caller, ref: str) -> OrderView | None:
    """The order `ref` if the caller bought, sold or placed it; nobody else may see it."""
    order = uow.orders.by_ref(ref)
    if order is None or caller.id not in (order.buyer_id, order.seller_id, order.placed_by_id):
        return None
    return order_view(uow, order.id)


def order_view(uow: UnitOfWork, order_id: int) -> OrderView | None:
    order = uow.orders.get(order_id)
    if order is None:
        return None
    buyer = uow.people.one(order.buyer_id)
    return OrderView.of(order, buyer) if buyer else None
