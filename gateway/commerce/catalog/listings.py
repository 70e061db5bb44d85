"""A seller's own listings: publish (by USSD, or in one SMS), change price or stock, pause."""

from __future__ import annotations

from dataclasses import dataclass

from config.countries import COUNTRIES
from gateway.commerce import errors
from gateway.commerce.catalog.terms import CATEGORIES
from gateway.commerce.catalog.terms import MAX_QUANTITY
from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.catalog.terms import UNITS
from gateway.commerce.catalog.views import ListingView
from gateway.commerce.money import Money
from gateway.commerce.origin.headings import heading_for
from gateway.commerce.refs import new_ref
from gateway.store.models.catalog import Listing
from gateway.store.models.people import Person
from gateway.store.uow import UnitOfWork
from gateway.text.names import clean_name

MINE_SHOWN = 60
"""Most listings a seller pages through."""
FALLBACK_CATEGORY = "other"
"""The category of goods listed by SMS whose name no other listing shares."""


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
class ListGoods:
    """Publish `quantity` `unit`s of `name` at `price` each; the category is inferred."""

    seller_id: int
    name: str
    price: Money
    quantity: int
    unit: str


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
            hs_heading=heading_for(uow, category, name),
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
    _check_unit(cmd.unit)
    with uow:
        seller = _seller(uow, cmd.seller_id)
        _check_price(cmd.price, COUNTRIES[seller.country].currency)
        _check_stock(cmd.stock, least=1)
        listing = add_listing(
            uow, seller, cmd.category, name, cmd.unit, cmd.price, cmd.stock, cmd.home_delivery
        )
        view = ListingView.of(listing)
        uow.commit()
        return view


def list_goods(uow: UnitOfWork, cmd: ListGoods) -> ListingView:
    """Publish a listing in the seller's country and place, in the caller's open transaction.

    The category is the one most listings of the same name use, else "other".

    Raises:
        NotASeller, InvalidQuantity, InvalidListing.
    """
    seller = _seller(uow, cmd.seller_id)
    _check_stock(cmd.quantity, least=1)
    name = " ".join(cmd.name.split())
    if not name or len(name) > NAME_MAX:
        raise errors.InvalidListing("name")
    _check_unit(cmd.unit)
    _check_price(cmd.price, COUNTRIES[seller.country].currency)
    category = uow.listings.usual_category(name)
    if category not in CATEGORIES:
        category = FALLBACK_CATEGORY
    listing = add_listing(uow, seller, category, name, cmd.unit, cmd.price, cmd.quantity)
    return ListingView.of(listing)


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


def _seller(uow: UnitOfWork, seller_id: int) -> Person:
    seller = uow.people.get(seller_id)
    if seller is None or not seller.has_role("seller"):
        raise errors.NotASeller(seller_id)
    return seller


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise errors.InvalidListing("unit")


def _check_price(price: Money, currency: str) -> None:
    if price.minor <= 0 or price.currency != currency:
        raise errors.InvalidListing("price")


def _check_stock(stock: int, least: int) -> None:
    if not least <= stock <= MAX_QUANTITY:
        raise errors.InvalidQuantity(stock)
