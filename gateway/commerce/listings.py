"""A seller's own listings: publish, change price or stock, pause and resume."""

from __future__ import annotations

from dataclasses import dataclass

from config.countries import COUNTRIES
from gateway.commerce import errors
from gateway.commerce.catalog import CATEGORIES
from gateway.commerce.catalog import NAME_MAX
from gateway.commerce.catalog import UNITS
from gateway.commerce.catalog import ListingView
from gateway.commerce.money import Money
from gateway.commerce.orders import MAX_QUANTITY
from gateway.commerce.refs import new_ref
from gateway.commerce.texts import clean_name
from gateway.store.models import Listing
from gateway.store.models import Person
from gateway.store.uow import UnitOfWork

MINE_SHOWN = 60
"""Most listings a seller pages through."""


@dataclass(frozen=True)
class Publish:
    seller_id: int
    category: str
    name: str
    unit: str
    price: Money
    stock: int
    home_delivery: bool


@dataclass(frozen=True)
class Change:
    """Set one thing of a seller's listing: `price` (Money), `stock` (int), `paused` (bool)."""

    seller_id: int
    listing_id: int
    field: str
    value: Money | int | bool


def add_listing(
    uow: UnitOfWork,
    seller: Person,
    category: str,
    name: str,
    unit: str,
    price: Money,
    stock: int,
    home_delivery: bool = False,
) -> Listing:
    """Add an active listing under a fresh code at the seller's place (details already checked)."""
    return uow.listings.add(
        Listing(
            code=new_ref(lambda code: uow.listings.by_code(code) is not None),
            seller_id=seller.id,
            category=category,
            name=name,
            unit=unit,
            price_minor=price.minor,
            currency=price.currency,
            stock=stock,
            status="active",
            home_delivery=home_delivery,
            country=seller.country,
            region=seller.region,
            district=seller.district,
        )
    )


def publish(cmd: Publish, uow: UnitOfWork) -> ListingView:
    """List goods at the seller's place, priced in their country's currency.

    Raises:
        NotASeller, InvalidDetail("name"), InvalidListing("category"|"unit"|"price"),
        InvalidQuantity.
    """
    name = clean_name(cmd.name, NAME_MAX)
    if name is None:
        raise errors.InvalidDetail("name")
    if cmd.category not in CATEGORIES:
        raise errors.InvalidListing("category")
    if cmd.unit not in UNITS:
        raise errors.InvalidListing("unit")
    with uow:
        seller = uow.people.get(cmd.seller_id)
        if seller is None or not seller.has_role("seller"):
            raise errors.NotASeller(cmd.seller_id)
        _check_price(cmd.price, COUNTRIES[seller.country].currency)
        _check_stock(cmd.stock, least=1)
        listing = add_listing(
            uow, seller, cmd.category, name, cmd.unit, cmd.price, cmd.stock, cmd.home_delivery
        )
        view = ListingView.of(listing)
        uow.commit()
        return view


def mine(uow: UnitOfWork, seller_id: int) -> list[ListingView]:
    """The seller's listings, active ones first."""
    with uow:
        return [ListingView.of(row) for row in uow.listings.of_seller(seller_id, MINE_SHOWN)]


def change(cmd: Change, uow: UnitOfWork) -> ListingView:
    """Apply one change to the seller's own listing; orders already placed keep their prices.

    Raises:
        ListingNotFound (also for someone else's listing), InvalidListing("price"),
        InvalidQuantity.
    """
    with uow:
        listing = uow.listings.get(cmd.listing_id)
        if listing is None or listing.seller_id != cmd.seller_id:
            raise errors.ListingNotFound(cmd.listing_id)
        if cmd.field == "price" and isinstance(cmd.value, Money):
            _check_price(cmd.value, listing.currency)
            listing.price_minor = cmd.value.minor
        elif cmd.field == "stock" and type(cmd.value) is int:
            _check_stock(cmd.value, least=0)
            listing.stock = cmd.value
        elif cmd.field == "paused" and isinstance(cmd.value, bool):
            listing.status = "paused" if cmd.value else "active"
        else:
            raise errors.InvalidListing(cmd.field)
        uow.commit()
        return ListingView.of(listing)


def _check_price(price: Money, currency: str) -> None:
    if price.minor <= 0 or price.currency != currency:
        raise errors.InvalidListing("price")


def _check_stock(stock: int, least: int) -> None:
    if not least <= stock <= MAX_QUANTITY:
        raise errors.InvalidQuantity(stock)
