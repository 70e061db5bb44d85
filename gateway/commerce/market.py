"""Quick trading by text: list goods in one go, compare prices, look up one's orders.

These run inside the caller's open unit of work (like `queue_sms`), so an answer to the
person can be committed in the same transaction as what it reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.countries import COUNTRIES
from gateway.commerce import errors
from gateway.commerce.catalog import CATEGORIES
from gateway.commerce.catalog import NAME_MAX
from gateway.commerce.catalog import UNITS
from gateway.commerce.catalog import ListingView
from gateway.commerce.listings import add_listing
from gateway.commerce.money import Money
from gateway.commerce.orders import MAX_QUANTITY
from gateway.commerce.people import Caller
from gateway.store.models import Order
from gateway.store.models import Person
from gateway.store.uow import UnitOfWork

FALLBACK_CATEGORY = "other"


@dataclass(frozen=True)
class ListGoods:
    """Publish `quantity` `unit`s of `name` at `price` each; the category is inferred."""

    seller_id: int
    name: str
    price: Money
    quantity: int
    unit: str


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


def currency_of(caller: Caller) -> str:
    return COUNTRIES[caller.country].currency


def list_goods(uow: UnitOfWork, cmd: ListGoods) -> ListingView:
    """Publish a listing in the seller's country and place, in the caller's open transaction.

    The category is the one most listings of the same name use, else "other".

    Raises:
        NotASeller, InvalidQuantity, InvalidListing.
    """
    seller = uow.people.get(cmd.seller_id)
    if seller is None or not seller.has_role("seller"):
        raise errors.NotASeller(cmd.seller_id)
    if not 0 < cmd.quantity <= MAX_QUANTITY:
        raise errors.InvalidQuantity(cmd.quantity)
    name = " ".join(cmd.name.split())
    if not name or len(name) > NAME_MAX:
        raise errors.InvalidListing("name")
    if cmd.unit not in UNITS:
        raise errors.InvalidListing("unit")
    if cmd.price.minor <= 0 or cmd.price.currency != COUNTRIES[seller.country].currency:
        raise errors.InvalidListing("price")
    category = uow.listings.usual_category(name)
    if category not in CATEGORIES:
        category = FALLBACK_CATEGORY
    listing = add_listing(uow, seller, category, name, cmd.unit, cmd.price, cmd.quantity)
    return ListingView.of(listing)


def cheapest(
    uow: UnitOfWork, caller: Caller, item: str, place: str | None, limit: int
) -> list[ListingView]:
    """The cheapest orderable listings named like `item` in the caller's country (and place)."""
    rows = uow.listings.cheapest(caller.country, item, place, limit)
    return [ListingView.of(row) for row in rows]


def listing_by_code(uow: UnitOfWork, code: str) -> ListingView | None:
    row = uow.listings.by_code(code)
    return ListingView.of(row) if row is not None else None


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
    buyer = uow.people.get(order.buyer_id)
    return OrderView.of(order, buyer) if buyer else None
