"""SMS as the domain sees it: queueing a text, opting out and in, receiving a message.

`queue_sms` runs inside the caller's unit of work, so the message row and its outbox row
commit (or roll back) with the business change that caused them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from gateway.commerce.phones import to_e164
from gateway.gsm import measure
from gateway.gsm import transliterate
from gateway.store.models import SmsInbound
from gateway.store.models import SmsMessage
from gateway.store.models import SmsOptOut
from gateway.store.models import utcnow
from gateway.store.uow import UnitOfWork

KINDS = ("transactional", "notification", "reply")
ASKED_FOR = frozenset({"transactional", "reply"})
"""Kinds a person asked for (a receipt, a consent request they triggered, the answer to their
own command): sent even after STOP. Notifications to an opted-out number are suppressed."""
SEND_TOPIC = "sms.send"
INBOUND_TOPIC = "sms.inbound"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def queue_sms(
    uow: UnitOfWork,
    to: str,
    text: str,
    *,
    kind: str = "notification",
    dedupe_key: str | None = None,
) -> None:
    """Write an outgoing SMS and its outbox row in the caller's open transaction.

    Smart punctuation is transliterated to GSM-7 before the text is measured; the encoding,
    length and segment count are stored. An opted-out number's notification is stored as
    `suppressed` and never sent. A `dedupe_key` already used makes this a no-op.

    Raises:
        ValueError: for an unknown kind; InvalidPhone for a number that is not one.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown SMS kind {kind!r}")
    phone = to_e164(to)
    if dedupe_key is not None and uow.sms.dedupe_key_taken(dedupe_key):
        return
    body = transliterate(text)
    size = measure(body)
    suppressed = kind not in ASKED_FOR and uow.sms.opted_out(phone)
    message = SmsMessage(
        to=phone,
        text=body,
        text_hash=text_hash(body),
        encoding=size.encoding,
        units=size.units,
        segments=size.segments,
        kind=kind,
        status="suppressed" if suppressed else "queued",
        attempts=0,
        dedupe_key=dedupe_key,
    )
    uow.sms.add(message)
    if not suppressed:
        uow.emit(SEND_TOPIC, message_id=message.id)


def set_opt_out(uow: UnitOfWork, phone: str, opted_out: bool, channel: str) -> None:
    """Record a STOP (`opted_out`) or START from `channel` in the caller's open transaction."""
    uow.sms.add(SmsOptOut(phone=phone, opted_out=opted_out, channel=channel, created_at=utcnow()))


def is_opted_out(uow: UnitOfWork, phone: str) -> bool:
    with uow:
        return uow.sms.opted_out(phone)


@dataclass(frozen=True)
class IncomingSms:
    """An inbound message as Africa's Talking posted it."""

    at_id: str
    from_number: str
    text: str
    to: str | None = None
    link_id: str | None = None
    network_code: str | None = None
    date: str | None = None


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
        uow.emit(INBOUND_TOPIC, inbound_id=row.id)
        uow.commit()
        return True


def record_opt_out(uow: UnitOfWork, phone: str, opted_out: bool, channel: str) -> None:
    """Record a STOP or START that arrived on its own (Africa's Talking's opt-out callback)."""
    with uow:
        set_opt_out(uow, to_e164(phone), opted_out, channel)
        uow.commit()


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
        return Inbound(row.id, row.at_id, row.from_number, row.text, row.network_code, row.status)


def settle(uow: UnitOfWork, inbound_id: int, status: str, command: str | None) -> bool:
    """Mark a received message handled, rate_limited or ignored, in the caller's open
    transaction; False if it was settled already (then the caller must not commit)."""
    return uow.sms.settle_inbound(inbound_id, status, command, utcnow())
