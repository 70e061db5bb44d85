"""The unit of work: one SQL transaction, its repositories, and what to announce after commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from typing import Generic
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from config.logs import REQUEST_ID_KEY
from config.logs import request_id
from gateway.store import changes
from gateway.store.models.catalog import Listing
from gateway.store.models.orders import Order
from gateway.store.models.outbox import OutboxItem
from gateway.store.models.people import Person
from gateway.store.models.people import PersonRole
from gateway.store.repositories.agents import Agents
from gateway.store.repositories.catalog import Listings
from gateway.store.repositories.disputes import Disputes
from gateway.store.repositories.exports import Exports
from gateway.store.repositories.fx import FxRates
from gateway.store.repositories.inbox import CarrierInbox
from gateway.store.repositories.ledger import Ledger
from gateway.store.repositories.messages import Sms
from gateway.store.repositories.operators import Operators
from gateway.store.repositories.orders import Orders
from gateway.store.repositories.origin import Certificates
from gateway.store.repositories.outbox import Outbox
from gateway.store.repositories.payments import Payments
from gateway.store.repositories.payments import Payouts
from gateway.store.repositories.people import People
from gateway.store.repositories.reports import Reports
from gateway.store.repositories.shipments import Shipments
from gateway.store.repositories.ussd import UssdEvents
from gateway.store.schema import metadata as _schema  # noqa: F401  (every model mapped before use)
from gateway.store.shelf import Shelf

AfterCommit = Callable[[list[str]], None]
"""Told the topics of the outbox rows a commit queued, so their workers can be woken."""
PeopleChanged = Callable[[set[str]], None]

CALLER_FIELDS = ("phone", "country", "language", "name", "region", "district", "pin_hash")
"""What the USSD view kept of a caller holds (`gateway.commerce.people.callers.Caller`)
besides their roles: a change to one stamps the caller, which drops the view."""


Repo = TypeVar("Repo")


class _Repository(Generic[Repo]):
    """A repository of the unit of work, made on first use in each transaction (most use two
    or three of them) and kept for the rest of it."""

    def __init__(self, kind: Callable[[Session], Repo]) -> None:
        self.kind = kind

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        _REPOSITORY_NAMES.append(name)

    def __get__(self, uow: UnitOfWork, owner: type) -> Repo:
        made = uow.__dict__[self.name] = self.kind(uow.session)  # found there from now on
        return made


_REPOSITORY_NAMES: list[str] = []


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context: object) -> None:
    """Note what a flush changed that others cache (`gateway.store.changes`): callers whose
    view changed (a field or a role), listings, and the buyers of new orders."""
    if any(isinstance(row, Listing) for row in (*session.new, *session.dirty, *session.deleted)):
        changes.note_listings(session)
    changes.note_buyers(session, {row.buyer_id for row in session.new if isinstance(row, Order)})
    for row in session.dirty:
        if isinstance(row, Person):
            state = inspect(row)
            if any(state.attrs[name].history.has_changes() for name in CALLER_FIELDS):
                changes.note_person(session, row.phone)
    for row in (*session.new, *session.deleted):
        person = row.person if isinstance(row, PersonRole) else None
        if person is not None and person not in session.new:  # nobody saw a new person yet
            changes.note_person(session, person.phone)


class UnitOfWork:
    """`with uow:` opens a transaction; nothing is kept unless `uow.commit()` is called.

    Outbox rows added through `uow.emit` are committed with the business change; their topics
    are then handed to `after_commit` (which wakes their queues' workers), so a crash between
    the two leaves rows the outbox sweeper still finds. The phones of people whose caller view
    the transaction changed are handed to `people_changed` after commit (which stamps them, so
    a USSD session that cached one of them reads them anew).
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        after_commit: AfterCommit | None = None,
        people_changed: PeopleChanged | None = None,
        shelf: Shelf | None = None,
        autocommit_sessions: sessionmaker[Session] | None = None,
    ):
        self._sessions = sessions
        self._autocommit_sessions = autocommit_sessions or sessions
        self._after_commit = after_commit
        self._people_changed = people_changed
        self.shelf = shelf if shelf is not None else Shelf(0)
        """Catalogue reads kept a few seconds; emptied by a commit that changes listings."""
        self._emitted: list[OutboxItem] = []

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        for name in _REPOSITORY_NAMES:  # the last transaction's repositories
            self.__dict__.pop(name, None)
        self._emitted = []
        return self

    people = _Repository(People)
    listings = _Repository(Listings)
    orders = _Repository(Orders)
    events = _Repository(UssdEvents)
    outbox = _Repository(Outbox)
    agents = _Repository(Agents)
    sms = _Repository(Sms)
    payments = _Repository(Payments)
    payouts = _Repository(Payouts)
    ledger = _Repository(Ledger)
    shipments = _Repository(Shipments)
    inbox = _Repository(CarrierInbox)
    disputes = _Repository(Disputes)
    fx = _Repository(FxRates)
    certificates = _Repository(Certificates)
    operators = _Repository(Operators)
    reports = _Repository(Reports)
    exports = _Repository(Exports)

    def autocommit(self) -> UnitOfWork:
        """A twin of this unit of work for one statement, or for reads only: on PostgreSQL each
        statement commits on its own, so a lone statement costs one round trip instead of three
        (BEGIN, it, COMMIT); elsewhere it is the usual transaction. Call `commit()` after a write
        all the same (the other backends need it; PostgreSQL has nothing left to send)."""
        return UnitOfWork(
            self._autocommit_sessions,
            after_commit=self._after_commit,
            people_changed=self._people_changed,
            shelf=self.shelf,
        )

    def __exit__(self, *exc: object) -> None:
        """Close the session: uncommitted work is rolled back; loaded objects stay readable."""
        self.session.close()

    def emit(self, topic: str, *, at: datetime | None = None, **payload: Any) -> None:
        """Add an outbox row for work to run after commit (an SMS, a payment request).

        With `at`, the row waits until then and the outbox sweeper queues it; otherwise it is
        queued as soon as the transaction commits. The request id of the work that emits the
        row goes with it (`config.logs`), so the job's log lines can be followed back.
        """
        item = self.notice(topic, **payload)
        self.session.add(item)
        if at is not None:
            item.available_at = at
        else:
            self._emitted.append(item)

    @staticmethod
    def notice(topic: str, **payload: Any) -> OutboxItem:
        """An outbox row as `emit` adds it (now, with the request id), left for a statement
        that writes it with its change (`Shipments.write_seen`); then `announce` its topic."""
        rid = request_id()
        if rid is not None:
            payload = {**payload, REQUEST_ID_KEY: rid}
        return OutboxItem(topic=topic, payload=payload)

    def announce(self, topic: str) -> None:
        """Queue an outbox row of `topic` that a statement of its own just committed, as
        `commit` does."""
        if self._after_commit is not None:
            self._after_commit([topic])

    def requeue(self, item: OutboxItem) -> None:
        """Queue an existing row (put back to `pending`) after commit, like an emitted one."""
        self._emitted.append(item)

    def commit(self) -> None:
        topics = [item.topic for item in self._emitted]
        self.session.flush()
        buyers = self.session.info.pop(changes.BUYERS, None)
        for phone in self.people.phones(buyers) if buyers else ():
            changes.note_person(self.session, phone)
        self.session.commit()
        self._emitted = []
        if self.session.info.pop(changes.LISTINGS, False):
            self.shelf.clear()
        phones = self.session.info.pop(changes.PEOPLE, None)
        if phones and self._people_changed is not None:
            self._people_changed(phones)
        if topics and self._after_commit is not None:
            self._after_commit(topics)

    def rollback(self) -> None:
        self.session.rollback()
        changes.forget(self.session)
        self._emitted = []
