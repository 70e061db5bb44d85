"""Queries the domain needs, so `gateway.commerce` never writes SQL itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from datetime import timedelta

from sqlalchemy import case
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from gateway.store.models import Listing
from gateway.store.models import Order
from gateway.store.models import OutboxItem
from gateway.store.models import Person
from gateway.store.models import UssdSessionEvent


class People:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_phone(self, phone: str) -> Person | None:
        return self.session.scalar(select(Person).where(Person.phone == phone))

    def get(self, person_id: int) -> Person | None:
        return self.session.get(Person, person_id)

    def add(self, person: Person) -> Person:
        self.session.add(person)
        self.session.flush()
        return person


class Listings:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, listing_id: int) -> Listing | None:
        return self.session.get(Listing, listing_id)

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

    def browse(
        self, country: str, category: str, region: str | None, district: str | None, limit: int
    ) -> Sequence[Listing]:
        """Orderable listings, nearest first (same district, then region), then freshest."""
        nearness = case(
            (Listing.district == (district or ""), 0),
            (Listing.region == (region or ""), 1),
            else_=2,
        )
        query = (
            select(Listing)
            .where(
                Listing.country == country,
                Listing.category == category,
                Listing.status == "active",
                Listing.stock > 0,
            )
            .order_by(nearness, Listing.created_at.desc(), Listing.id.desc())
            .limit(limit)
        )
        return self.session.scalars(query).all()

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
        return result.rowcount == 1


class Orders:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, order: Order) -> Order:
        self.session.add(order)
        self.session.flush()
        return order

    def by_ref(self, ref: str) -> Order | None:
        return self.session.scalar(select(Order).where(Order.ref == ref))

    def by_idempotency_key(self, key: str) -> Order | None:
        return self.session.scalar(select(Order).where(Order.idempotency_key == key))

    def ref_taken(self, ref: str) -> bool:
        return self.session.scalar(select(Order.id).where(Order.ref == ref)) is not None


class UssdEvents:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_session(self, session_id: str) -> UssdSessionEvent | None:
        return self.session.scalar(
            select(UssdSessionEvent).where(UssdSessionEvent.session_id == session_id)
        )

    def add(self, event: UssdSessionEvent) -> None:
        self.session.add(event)
        self.session.flush()


class Outbox:
    """Rows of work to do after commit, claimed by one worker at a time under a lease."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, item_id: int, now: datetime, lease: timedelta) -> OutboxItem | None:
        """Take the row if it is due and nobody holds a live lease on it."""
        result = self.session.execute(
            update(OutboxItem)
            .where(
                OutboxItem.id == item_id,
                OutboxItem.status.in_(("pending", "running")),
                OutboxItem.available_at <= now,
            )
            .values(status="running", attempts=OutboxItem.attempts + 1, available_at=now + lease)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return None
        return self.session.get(OutboxItem, item_id, populate_existing=True)

    def get(self, item_id: int) -> OutboxItem | None:
        return self.session.get(OutboxItem, item_id)

    def due(self, now: datetime, limit: int) -> list[int]:
        """Ids of rows that should have run by now: never queued, or a worker died on them."""
        return list(
            self.session.scalars(
                select(OutboxItem.id)
                .where(
                    OutboxItem.status.in_(("pending", "running")), OutboxItem.available_at <= now
                )
                .order_by(OutboxItem.id)
                .limit(limit)
            )
        )

    def dead(self, limit: int) -> Sequence[OutboxItem]:
        return self.session.scalars(
            select(OutboxItem)
            .where(OutboxItem.status == "dead")
            .order_by(OutboxItem.id.desc())
            .limit(limit)
        ).all()
