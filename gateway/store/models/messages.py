"""SMS: outgoing messages, inbound messages, delivery reports and opt-outs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.store.models.base import Base
from gateway.store.models.base import one_of
from gateway.store.models.base import utcnow

MESSAGE_KINDS = ("transactional", "notification", "reply")
MESSAGE_STATUSES = (
    "queued",
    "suppressed",
    "sending",
    "sent",
    "delivered",
    "failed",
    "rejected",
    "unknown",
    "dead",
)
"""queued → sending → sent → delivered|failed; or rejected (AT refused it), unknown (attempted,
outcome never recorded: not resent), dead (retries exhausted), suppressed (opted out)."""
INBOUND_STATUSES = ("received", "handled", "rate_limited", "ignored")


class SmsMessage(Base):
    """One outgoing SMS to one number; written in the transaction that caused it."""

    __tablename__ = "sms_messages"
    __table_args__ = (
        one_of("kind", MESSAGE_KINDS),
        one_of("status", MESSAGE_STATUSES),
        Index("ix_sms_messages_batchable", "status", "text_hash"),
        Index("ix_sms_messages_to", "to", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    """sha256 of `text`: messages with the same text are sent to Africa's Talking together."""
    encoding: Mapped[str] = mapped_column(String(5))
    units: Mapped[int] = mapped_column(Integer)
    segments: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(13))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    secret: Mapped[str | None] = mapped_column(String(12))
    """A delivery code that `text` shows as `******`, kept only until the message is handed
    to the provider or fails for good (gateway.commerce.messaging.outgoing)."""
    dedupe_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    """Set by callers that may run twice (an outbox handler): a second message is not queued."""
    batch_id: Mapped[str | None] = mapped_column(String(32), index=True)
    """The Africa's Talking call this message was (or is being) sent in."""
    at_message_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    at_status_code: Mapped[int | None] = mapped_column(Integer)
    delivery_status: Mapped[str | None] = mapped_column(String(20))
    cost: Mapped[str | None] = mapped_column(String(30))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    failure_reason: Mapped[str | None] = mapped_column(String(60))
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempted_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SmsInbound(Base):
    """A message someone sent us, stored before anything else happens; unique on AT's id."""

    __tablename__ = "sms_inbound"
    __table_args__ = (
        one_of("status", INBOUND_STATUSES),
        Index("ix_sms_inbound_from", "from_number", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at_id: Mapped[str] = mapped_column(String(64), unique=True)
    from_number: Mapped[str] = mapped_column(String(32))
    to: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    link_id: Mapped[str | None] = mapped_column(String(100))
    network_code: Mapped[str | None] = mapped_column(String(10))
    sent_date: Mapped[str | None] = mapped_column(String(40))
    """AT's `date` as sent: its format is not fixed, so it is kept verbatim."""
    status: Mapped[str] = mapped_column(String(12), default="received")
    command: Mapped[str | None] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]


class SmsDeliveryReport(Base):
    """A delivery report as received; `message_id` is set when it matched one of ours."""

    __tablename__ = "sms_delivery_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    at_message_id: Mapped[str] = mapped_column(String(64), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("sms_messages.id"))
    status: Mapped[str] = mapped_column(String(20))
    failure_reason: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(32))
    network_code: Mapped[str | None] = mapped_column(String(10))
    retry_count: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class SmsOptOut(Base):
    """One STOP (`opted_out`) or START (not `opted_out`); a number's latest row is its state."""

    __tablename__ = "sms_opt_outs"
    __table_args__ = (Index("ix_sms_opt_outs_phone", "phone", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16))
    opted_out: Mapped[bool]
    channel: Mapped[str] = mapped_column(String(10))
    """Where it was asked: `sms`, `ussd`, or `at` (Africa's Talking's bulk opt-out callback)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
