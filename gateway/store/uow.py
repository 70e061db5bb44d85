"""The unit of work: one SQL transaction, its repositories, and what to announce after commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from gateway.store import repositories
from gateway.store.models import OutboxItem

AfterCommit = Callable[[list[int]], None]


class UnitOfWork:
    """`with uow:` opens a transaction; nothing is kept unless `uow.commit()` is called.

    Outbox rows added through `uow.emit` are committed with the business change; their ids
    are then handed to `after_commit` (which enqueues them), so a crash between the two
    leaves rows the outbox sweeper still finds.
    """

    def __init__(self, sessions: sessionmaker[Session], after_commit: AfterCommit | None = None):
        self._sessions = sessions
        self._after_commit = after_commit
        self._emitted: list[OutboxItem] = []

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self.people = repositories.People(self.session)
        self.listings = repositories.Listings(self.session)
        self.orders = repositories.Orders(self.session)
        self.events = repositories.UssdEvents(self.session)
        self.outbox = repositories.Outbox(self.session)
        self.agents = repositories.Agents(self.session)
        self.sms = repositories.Sms(self.session)
        self.payments = repositories.Payments(self.session)
        self.payouts = repositories.Payouts(self.session)
        self.ledger = repositories.Ledger(self.session)
        self.shipments = repositories.Shipments(self.session)
        self._emitted = []
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the session: uncommitted work is rolled back; loaded objects stay readable."""
        self.session.close()

    def emit(self, topic: str, **payload: Any) -> None:
        """Add an outbox row for work to run after commit (an SMS, a payment request)."""
        item = OutboxItem(topic=topic, payload=payload)
        self.session.add(item)
        self._emitted.append(item)

    def commit(self) -> None:
        self.session.flush()
        ids = [item.id for item in self._emitted]
        self.session.commit()
        self._emitted = []
        if ids and self._after_commit is not None:
            self._after_commit(ids)

    def rollback(self) -> None:
        self.session.rollback()
        self._emitted = []
