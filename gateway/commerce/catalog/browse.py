"""Browsing the catalogue: categories with stock near a shopper, their listings, one listing."""

from __future__ import annotations

from gateway.commerce.catalog.terms import CATEGORIES
from gateway.commerce.catalog.views import ListingView
from gateway.commerce.places import Where
from gateway.store.uow import UnitOfWork

BROWSE_LIMIT = 60
"""Most listings one category screen pages through."""


def categories_for(uow: UnitOfWork, where: Where) -> list[str]:
    """Categories with stock in the shopper's country, in the catalogue's order (a few
    seconds old at most: `uow.shelf`)."""

    def read() -> list[str]:
        with uow.autocommit() as reading:
            present = set(reading.listings.categories_in(where.country))
        return [c for c in CATEGORIES if c in present]

    return list(uow.shelf.get(("categories", where.country), read))


def browse(uow: UnitOfWork, where: Where, category: str) -> list[ListingView]:
    """Listings of `category` near the shopper, nearest and freshest first (a few seconds
    old at most: `uow.shelf`)."""

    def read() -> tuple[ListingView, ...]:
        with uow.autocommit() as reading:
            rows = reading.listings.browse(
                where.country, category, where.region, where.district, BROWSE_LIMIT
            )
            return tuple(ListingView.of(row) for row in rows)

    key = ("browse", where.country, category, where.region, where.district)
    return list(uow.shelf.get(key, read))


def listing(uow: UnitOfWork, listing_id: int) -> ListingView | None:
    with uow.autocommit() as reading:
        row = reading.listings.get(listing_id)
        return ListingView.of(row) if row is not None else None


def listing_by_code(uow: UnitOfWork, code: str) -> ListingView | None:
    """In the caller's open unit of work: the listing with this code, if any."""
    row = uow.listings.by_code(code)
    return ListingView.of(row) if row is not None else None
