"""Inbound SMS: stored once per Africa's Talking id, then handled by a worker, exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from gateway.commerce import topics
from gateway.store.models.base import utcnow
from gateway.store.models.messages import SmsInbound
from gateway.store.uow import UnitOfWork


class IncomingSms(Protocol):
    """An inbound message as a provider read it (Africa's Talking's `InboundSms` fits)."""

    @property
    def at_id(self) -> str: ...

    @property
    def from_number(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def to(self) -> str | None: ...

    @property
    def link_id(self) -> str | None: ...

    @property
    def network_code(self) -> str | None: ...

    @property
    def date(self) -> str | None: ...


def receive(uow: UnitOfWork, sms: IncomingSms) -> bool:
    """Store a message and queue its handling; False when this `at_id` was already stored."""
    with uow:
        row = SmsInbound(
            at_id=sms.at_id,
            from_number=sms.from_number,
            to=sms.to,
            text=sms.text,
            link_id=sms.link_id,
            network_code=sms.network_code,
            sent_date=sms.date,
            status="received",
        )
        if not uow.sms.add_inbound(row):
            return False
        uow.emit(topics.SMS_INBOUND, inbound_id=row.id)
        uow.commit()
        return True


@dataclass(frozen=True)
class Inbound:
    """A stored inbound message, detached from the session."""

    id: int
    at_id: str
    from_number: str
    text: str
    network_code: str | None
    status: str


def inbound(uow: UnitOfWork, inbound_id: int) -> Inbound | None:
    with uow:
        row = uow.sms.inbound(inbound_id)
        if row is None:
            return None
        return _view(row)


def received(uow: UnitOfWork, inbound_ids: Sequence[int]) -> list[Inbound]:
    """The messages among `inbound_ids` not handled yet, oldest first, in the caller's open
    transaction."""
    return [_view(row) for row in uow.sms.inbound_many(inbound_ids) if row.status == "received"]


def _view(row: SmsInbound) -> Inbound:
    return Inbound(row.id, row.at_id, row.from_number, row.text, row.network_code, row.status)


def settle(uow: UnitOfWork, inbound_id: int, status: str, command: str | None) -> bool:
    """Mark a received message handled, rate_limited or ignored, in the caller's open
    transaction; False if it was settled already (then the caller must not commit)."""
    return inbound_id in settle_all(uow, [inbound_id], status, command)


def settle_all(
    uow: UnitOfWork, inbound_ids: Sequence[int], status: str, command: str | None
) -> set[int]:
    """`settle` many messages in one statement; returns those it settled (the others were
    settled already: they must not be answered)."""
    return uow.sms.settle_inbound(inbound_ids, status, command, utcnow())
