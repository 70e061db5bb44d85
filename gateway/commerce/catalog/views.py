"""A listing as menus and replies show it, detached from the database session."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.commerce.money import Money
from gateway.store.models.catalog import Listing


@dataclass(frozen=True)
class ListingView:
    """What a menu shows of a listing."""

    id: int
    code: str
    name: str
    unit: str
    price: Money
    stock: int
    seller_name: str
    place: str
    country: str
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
            country=listing.country,
            status=listing.status,
            home_delivery=listing.home_delivery,
        )
