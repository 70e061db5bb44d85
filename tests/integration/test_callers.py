"""Who is calling: a first contact registers a buyer once, however many first hops race."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text

from gateway.bootstrap import Services
from gateway.commerce.people.callers import Caller
from gateway.commerce.people.callers import identify
from gateway.store.models.people import Person
from tests.faults.support import POSTGRES
from tests.faults.support import wait_until

NEWCOMER = "+256772000101"
"""An MTN Uganda number, calling through Safaricom Kenya's network code."""


def test_a_first_contact_registers_a_buyer_once_with_the_country_of_their_number(
    services: Services,
) -> None:
    first = identify(services.uow(), NEWCOMER, "63902")
    again = identify(services.uow(), NEWCOMER, "63902")
    assert (first.country, first.language, first.roles) == ("UG", None, frozenset({"buyer"}))
    assert again == first
    with services.uow() as uow:
        people = uow.session.scalars(select(Person).where(Person.phone == NEWCOMER)).all()
        assert [(p.id, p.network_code, [r.role for r in p.roles]) for p in people] == [
            (first.id, "63902", ["buyer"])
        ]


@pytest.mark.skipif(not POSTGRES, reason="SQLite runs one writer at a time: nothing can race")
def test_a_first_hop_racing_another_registration_of_its_number_gets_that_person(
    services: Services,
) -> None:
    """The other registration is not committed when this hop's statement looks, so its
    INSERT waits on the phone's unique key, then inserts nothing: the hop reads the person."""
    found: list[Caller] = []
    with services.connections.engine.connect() as other:
        other.execute(insert(Person).values(phone=NEWCOMER, country="UG"))
        hop = threading.Thread(target=lambda: found.append(identify(services.uow(), NEWCOMER)))
        hop.start()
        wait_until("the hop to wait on the uncommitted registration", lambda: _waits(services))
        other.commit()
        hop.join(timeout=30)
    with services.uow() as uow:
        person = uow.people.by_phone(NEWCOMER)
        assert person is not None
        assert found == [Caller.of(person)]


def _waits(services: Services) -> bool:
    """Whether a session of this database waits for a lock."""
    query = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = :d"
    with services.connections.engine.connect() as conn:
        return bool(conn.scalar(text(query), {"d": conn.engine.url.database}))
