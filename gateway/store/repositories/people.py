"""People, found by phone."""

from __future__ import annotations

from sqlalchemy import exists
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import joinedload
from sqlalchemy.orm import lazyload

from gateway.store.models.orders import Order
from gateway.store.models.people import Person
from gateway.store.repositories.rows import one


class People:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_phone(self, phone: str) -> Person | None:
        """The person with this phone, roles included (one statement)."""
        query = select(Person).options(joinedload(Person.roles)).where(Person.phone == phone)
        return self.session.execute(query).unique().scalar_one_or_none()

    def caller(self, phone: str) -> tuple[Person | None, bool]:
        """The person with this phone, roles included, and whether they were ever a buyer
        (one statement)."""
        ordered = exists().where(Order.buyer_id == Person.id)
        query = (
            select(Person, ordered).options(joinedload(Person.roles)).where(Person.phone == phone)
        )
        row = self.session.execute(query).unique().one_or_none()
        return (row[0], bool(row[1])) if row is not None else (None, False)

    def phones(self, ids: set[int]) -> list[str]:
        """The phones of these people."""
        return list(self.session.scalars(select(Person.phone).where(Person.id.in_(ids))))

    def get(self, person_id: int) -> Person | None:
        return self.session.get(Person, person_id)

    def plain(self, person_id: int) -> Person | None:
        """The person without their roles (to change their own fields: one statement)."""
        return self.session.get(Person, person_id, options=[lazyload(Person.roles)])

    def one(self, person_id: int) -> Person:
        return one(self.get(person_id), "person", person_id)

    def add(self, person: Person) -> Person:
        self.session.add(person)
        self.session.flush()
        return person

    def lock(self, person_id: int) -> Person | None:
        """The person, re-read and locked for update until the transaction ends."""
        return self.session.get(Person, person_id, with_for_update=True, populate_existing=True)
