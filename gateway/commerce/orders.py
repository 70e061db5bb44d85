"""Placing an order: stock reserved atomically, prices copied, outbox rows in the same commit."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.commerce import errors
from gateway.commerce.money import Money
from gateway.commerce.refs import new_ref
from gateway.store.models import Order
from gateway.store.models import OrderLine
from gateway.store.uow import UnitOfWork

MAX_QUANTITY = 9999


@dataclass(frozen=True)
class PlaceOrder:
    """Buy `quantity` of one listing; `idempotency_key` makes a retried request a no-op."""

    buyer_id: int
    listing_id: int
    quantity: int
    channel: str
    idempotency_key: str
    delivery: str = "pickup"
    placed_by_id: int | None = None


@dataclass(frozen=True)
class OrderPlaced:
    order_id: int
    ref: str
    total: Money
    quantity: int
    name: str
    unit: str


def _placed(order: Order) -> OrderPlaced:
    line = order.lines[0]
    return OrderPlaced(
        order_id=order.id,
        ref=order.ref,
        total=Money(order.total_minor, order.currency),
        quantity=line.quantity,
        name=line.name,
        unit=line.unit,
    )


def place_order(cmd: PlaceOrder, uow: UnitOfWork) -> OrderPlaced:
    """Reserve stock and write the order in one transaction.

    Raises:
        InvalidQuantity, ListingNotFound, ListingUnavailable, OwnListing, OutOfStock.
    """
    if not 0 < cmd.quantity <= MAX_QUANTITY:
        raise errors.InvalidQuantity(cmd.quantity)
    with uow:
        existing = uow.orders.by_idempotency_key(cmd.idempotency_key)
        if existing is not None:
            return _placed(existing)
        listing = uow.listings.get(cmd.listing_id)
        if listing is None:
            raise errors.ListingNotFound(cmd.listing_id)
        if listing.seller_id == cmd.buyer_id:
            raise errors.OwnListing(cmd.listing_id)
        if listing.status != "active" or listing.stock == 0:
            raise errors.ListingUnavailable(cmd.listing_id)
        if not uow.listings.reserve(listing.id, cmd.quantity):
            raise errors.OutOfStock(cmd.listing_id)
        unit_price = Money(listing.price_minor, listing.currency)
        order = uow.orders.add(
            Order(
                ref=new_ref(uow.orders.ref_taken),
                buyer_id=cmd.buyer_id,
                seller_id=listing.seller_id,
                placed_by_id=cmd.placed_by_id,
                total_minor=(unit_price * cmd.quantity).minor,
                currency=listing.currency,
                delivery=cmd.delivery,
                channel=cmd.channel,
                idempotency_key=cmd.idempotency_key,
                lines=[
                    OrderLine(
                        listing_id=listing.id,
                        name=listing.name,
                        unit=listing.unit,
                        quantity=cmd.quantity,
                        unit_price_minor=listing.price_minor,
                        currency=listing.currency,
                    )
                ],
            )
        )
        uow.emit("order.placed", order_id=order.id)
        placed = _placed(order)
        uow.commit()
        return placed
