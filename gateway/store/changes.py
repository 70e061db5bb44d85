"""What a transaction changed that others cache: noted in the SQL session, acted on at commit.

`gateway.store.uow` notes ORM changes itself (after each flush) and, after commit, stamps the
changed callers for USSD sessions and empties the catalogue shelf. A repository that changes
rows with a plain UPDATE, out of the ORM's sight, notes the change here.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

PEOPLE = "people_changed"
"""Phones of people whose caller view changed (a field or a role)."""
LISTINGS = "listings_changed"
"""Whether any listing changed (what the catalogue shows may differ)."""
BUYERS = "buyers_ordered"
"""Ids of people an order was placed for (their first shows them "Buy again")."""


def note_person(session: Session, phone: str) -> None:
    session.info.setdefault(PEOPLE, set()).add(phone)


def note_listings(session: Session) -> None:
    session.info[LISTINGS] = True


def note_buyers(session: Session, person_ids: set[int]) -> None:
    if person_ids:
        session.info.setdefault(BUYERS, set()).update(person_ids)


def forget(session: Session) -> None:
    """Drop every note (the transaction was rolled back)."""
    for key in (PEOPLE, LISTINGS, BUYERS):
        session.info.pop(key, None)
