"""Listings: browsing, searching, reserving and restoring stock."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import joinedload

from gateway.store.changes import note_listings
from gateway.store.models.catalog import Listing
from gateway.store.models.people import Person
from gateway.store.repositories.nearness import nearness
from gateway.store.repositories.rows import changed

_SELLER = joinedload(Listing.seller).lazyload(Person.roles)
"""A listing's seller comes in the same statement; their roles are not needed to show it."""


def _orderable(country: str) -> tuple:  # type: ignore[type-arg]
    return (Listing.country == country, Listing.status == "active", Listing.stock > 0)


class Listings:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, listing_id: int) -> Listing | None:
        return self.session.get(Listing, listing_id, options=[_SELLER])

    def by_code(self, code: str) -> Listing | None:
        return self.session.scalar(select(Listing).where(Listing.code == code))

    def add(self, listing: Listing) -> Listing:
        self.session.add(listing)
        self.session.flush()
        return listing

    def categories_in(self, country: str) -> list[str]:
        """Categories with something to buy in `country`."""
        rows = self.session.scalars(
            select(Listing.category)
            .where(Listing.country == country, Listing.status == "active", Listing.stock > 0)
            .distinct()
        )
        return sorted(rows)

    def countries_in_stock(self) -> list[str]:
        """Countries with something to buy."""
        rows = self.session.scalars(
            select(Listing.country).where(Listing.status == "active", Listing.stock > 0).distinct()
        )
        return sorted(rows)

    def browse(
        self, country: str, category: str, region: str | None, district: str | None, limit: int
    ) -> Sequence[Listing]:
        """Orderable listings, nearest first (same district, then region), then freshest."""
        near = nearness(Listing, region, district)
        query = (
            select(Listing)
            .where(
                Listing.country == country,
                Listing.category == category,
                Listing.status == "active",
                Listing.stock > 0,
            )
            .order_by(near, Listing.created_at.desc(), Listing.id.desc())
            .options(_SELLER)
            .limit(limit)
        )
        return self.session.scalars(query).all()

    def cheapest(
        self, country: str, names: Sequence[str], place: str | None, limit: int
    ) -> Sequence[Listing]:
        """Orderable listings whose folded name contains one of the folded `names`, in `place`
        (a district or region, any case) if given."""
        query = select(Listing).where(
            *_orderable(country),
            or_(*(Listing.search_name.contains(name, autoescape=True) for name in names)),
        )
        if place:
            query = query.where(
                or_(
                    func.lower(Listing.district) == place.lower(),
                    func.lower(Listing.region) == place.lower(),
                )
            )
        query = query.order_by(Listing.price_minor, Listing.created_at.desc(), Listing.id.desc())
        return self.session.scalars(query.limit(limit)).all()

    def usual_category(self, name: str) -> str | None:
        """The category most listings of this name (any case) are in, if any."""
        return self.session.scalar(
            select(Listing.category)
            .where(func.lower(Listing.name) == name.lower())
            .group_by(Listing.category)
            .order_by(func.count().desc(), Listing.category)
            .limit(1)
        )

    def of_seller(self, seller_id: int, limit: int) -> Sequence[Listing]:
        """A seller's listings, active ones first, newest first."""
        query = select(Listing).where(Listing.seller_id == seller_id)
        query = query.order_by(Listing.status, Listing.created_at.desc(), Listing.id.desc())
        return self.session.scalars(query.limit(limit)).all()

    def starting_with(
        self, country: str, prefix: str, region: str | None, district: str | None, limit: int
    ) -> Sequence[Listing]:
        """Orderable listings with a word of their folded name starting with `prefix`."""
        query = select(Listing).where(
            *_orderable(country),
            or_(
                Listing.search_name.startswith(prefix, autoescape=True),
                Listing.search_name.contains(" " + prefix, autoescape=True),
            ),
        )
        query = query.order_by(
            nearness(Listing, region, district), Listing.created_at.desc(), Listing.id.desc()
        )
        return self.session.scalars(query.limit(limit)).all()

    def names_near(
        self, country: str, region: str | None, district: str | None, limit: int
    ) -> list[tuple[int, str]]:
        """`(id, folded name)` of the nearest and freshest orderable listings."""
        query = select(Listing.id, Listing.search_name).where(*_orderable(country))
        query = query.order_by(
            nearness(Listing, region, district), Listing.created_at.desc(), Listing.id.desc()
        )
        return [(row_id, name) for row_id, name in self.session.execute(query.limit(limit))]

    def by_ids(self, ids: list[int]) -> list[Listing]:
        """The listings with these ids, in the order given."""
        found = self.session.scalars(select(Listing).where(Listing.id.in_(ids)))
        rows = {row.id: row for row in found}
        return [rows[i] for i in ids if i in rows]

    def reserve(self, listing_id: int, quantity: int) -> bool:
        """Take `quantity` from stock in one statement; False when not enough is left."""
        result = self.session.execute(
            update(Listing)
            .where(
                Listing.id == listing_id,
                Listing.status == "active",
                Listing.stock >= quantity,
            )
            .values(stock=Listing.stock - quantity)
            .execution_options(synchronize_session=False)
        )
        note_listings(self.session)  # stock moved out of the ORM's sight
        return changed(result) == 1

    def restock(self, listing_id: int, quantity: int) -> None:
        """Give `quantity` back to a listing's stock (an order that will not be paid)."""
        self.session.execute(
            update(Listing)
            .where(Listing.id == listing_id)
            .values(stock=Listing.stock + quantity)
            .execution_options(synchronize_session=False)
        )
        note_listings(self.session)
