"""What can be bought: categories, units, and the listings a buyer sees."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.commerce.money import Money
from gateway.store.models import Listing
from gateway.store.models import Person
from gateway.store.uow import UnitOfWork

CATEGORIES = ("grains", "vegetables", "fruit", "livestock", "dairy", "crafts", "tools", "other")
UNITS = ("kg", "bag", "crate", "piece", "litre", "bunch", "tray", "dozen")
NAME_MAX = 24
"""Longest listing name a seller may give; screens are budgeted for it."""
BROWSE_LIMIT = 60
"""Most listings one category screen pages through."""


@dataclass(frozen=True)
class ListingView:
    """What a menu shows of a listing, detached from the database session."""

    id: int
    code: str
    name: str
    unit: str
    price: Money
    stock: int
    seller_name: str
    place: str
    status: str = "active"
    home_delivery: bool = False

    @classmethod
    def of(cls, listing: Listing) -> ListingView:
        return cls(
            id=listing.id,
            code=listing.code,
            name=listing.name,
            unit=listing.unit,
            price=Money(listing.price_minor, listing.currency),
            stock=listing.stock,
            seller_name=listing.seller.name or listing.seller.phone,
            place=listing.district or listing.region or listing.country,
            status=listing.status,
            home_delivery=listing.home_delivery,
        )


def categories_for(uow: UnitOfWork, buyer: Person) -> list[str]:
    """Categories with stock in the buyer's country, in the catalogue's order."""
    with uow:
        present = set(uow.listings.categories_in(buyer.country))
    return [c for c in CATEGORIES if c in present]


def browse(uow: UnitOfWork, buyer: Person, category: str) -> list[ListingView]:
    """Listings of `category` near the buyer, nearest and freshest first."""
    with uow:
        rows = uow.listings.browse(
            buyer.country, category, buyer.region, buyer.district, BROWSE_LIMIT
        )
        return [ListingView.of(row) for row in rows]


def listing(uow: UnitOfWork, listing_id: int) -> ListingView | None:
    with uow:
        row = uow.listings.get(listing_id)
        return ListingView.of(row) if row is not None else None
