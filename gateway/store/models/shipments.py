"""Shipments (one per paid order, tracked by the order's reference) and their events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import func
from sqlalchemy import text
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.commerce.parcels.states import PARCEL
from gateway.store.models.base import Base
from gateway.store.models.base import one_of
from gateway.store.models.base import utcnow

EVENT_SOURCES = ("system", "carrier", "poll", "ussd")
"""Who told us: Sokoni itself, a carrier's webhook, polling a carrier, or a person by USSD."""
REFUSAL_VERDICTS = (
    "illegal",
    "wrong_code",
    "locked",
    "wrong_carrier",
    "before_shipment",
    "too_old",
    "certificate_used",
    "certificate_cancelled",
)
"""Why a carrier's event was refused: an illegal step, a wrong or missing delivery code, a
parcel locked by wrong codes, a parcel booked with another carrier, a date before the parcel
existed or older than CARRIER_EVENT_MAX_AGE, or a border clearance under a certificate of
origin already used or cancelled."""


def squeezed(
    column: ColumnElement[str | None] | InstrumentedAttribute[str | None],
) -> ColumnElement[str]:
    """A tracking number compared as its letters and digits, lower case (`SB-9981 2` is
    `sb99812`), as `fold` reads what was typed; indexed, so a carrier's number finds its
    parcel without a scan."""
    result: ColumnElement[str] = func.lower(column)
    for separator in (" ", "-", "/", ".", "_"):  # literals: an index matches only constants
        result = func.replace(result, text(f"'{separator}'"), text("''"))
    return result


class Shipment(Base):
    """A paid order's parcel: its state, who holds it, its delivery code and what is due."""

    __tablename__ = "shipments"
    __table_args__ = (
        UniqueConstraint("carrier", "tracking_number"),
        one_of("status", PARCEL.states),
        Index("ix_shipments_status", "status", "status_at"),
        Index("ix_shipments_poll", "carrier", "poll_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    ref: Mapped[str] = mapped_column(String(8), unique=True)
    """The order's reference: what everyone tracks the parcel by."""
    status: Mapped[str] = mapped_column(String(20), default="created")
    status_at: Mapped[datetime] = mapped_column(default=utcnow)
    """When the event that set `status` happened (its `occurred_at`)."""
    carrier: Mapped[str | None] = mapped_column(String(20))
    tracking_number: Mapped[str | None] = mapped_column(String(40))
    """The carrier's own number for the parcel, accepted wherever the reference is."""
    point_id: Mapped[int | None] = mapped_column(ForeignKey("agent_points.id"))
    courier_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    code_hash: Mapped[str | None] = mapped_column(String(200))
    code_sent_at: Mapped[datetime | None]
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    """Wrong delivery codes typed at hand-over (by USSD) since the last lock or right one."""
    locked_until: Mapped[datetime | None]
    """Until when hand-over by USSD is refused after too many wrong codes typed."""
    carrier_code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    """Wrong delivery codes sent by carriers, counted apart so neither side locks the other."""
    carrier_locked_until: Mapped[datetime | None]
    """Until when carriers' `delivered` events are refused after too many wrong codes."""
    notify_at: Mapped[datetime | None]
    """When the pending coalesced update SMS to the buyer goes out (None: none pending)."""
    notified_status: Mapped[str | None] = mapped_column(String(20))
    delivered_at: Mapped[datetime | None]
    return_until: Mapped[datetime | None]
    """End of the return window that delivery started."""
    restocked_at: Mapped[datetime | None]
    poll_at: Mapped[datetime | None]
    """When to ask a polled carrier next (None: not polled)."""
    poll_failures: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """Moves with every change to the parcel's state or events: a carrier's event recorded at
    once (`gateway.commerce.parcels.events`) is written only over the version it was judged on."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


Index("ix_shipments_tracked", squeezed(Shipment.__table__.c.tracking_number))


class ShipmentEvent(Base):
    """One thing that happened to a parcel: what, when, where, who said so."""

    __tablename__ = "shipment_events"
    __table_args__ = (
        UniqueConstraint("carrier", "event_id"),
        one_of("status", PARCEL.states),
        one_of("source", EVENT_SOURCES),
        Index("ix_shipment_events_shipment", "shipment_id", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    location: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(10))
    actor: Mapped[str] = mapped_column(String(20))
    """A carrier's name, or the role of the person (`seller`, `agent`, `courier`), or `sokoni`."""
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    carrier: Mapped[str | None] = mapped_column(String(20))
    event_id: Mapped[str | None] = mapped_column(String(64))
    """The carrier's id of the event; unique per carrier, so a retried event is stored once."""


class RefusedCarrierEvent(Base):
    """A carrier's event we refused, and why: a retry of it gets the same answer, counts
    nothing and changes nothing."""

    __tablename__ = "refused_carrier_events"
    __table_args__ = (
        UniqueConstraint("carrier", "event_id"),
        one_of("verdict", REFUSAL_VERDICTS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    carrier: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    """The status the event reported."""
    verdict: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(200))
    """The answer's detail, given again to a retry."""
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


INBOX_VERDICTS = ("applied", "history", "duplicate", "unknown_parcel", *REFUSAL_VERDICTS)
"""How a queued carrier event was judged: recorded (as a step or as history), a retry of one
recorded before, about no parcel we know, or refused (`REFUSAL_VERDICTS`)."""


class QueuedCarrierEvent(Base):
    """A carrier's tracking scan, signed and well formed, kept as it arrived until a worker
    judges it (`gateway.commerce.parcels.inbox`); then kept with its verdict."""

    __tablename__ = "carrier_inbox"
    __table_args__ = (
        UniqueConstraint("carrier", "event_id"),
        one_of("verdict", INBOX_VERDICTS),
        Index(
            "ix_carrier_inbox_waiting",
            "carrier",
            "tracking_ref",
            postgresql_where=text("judged_at IS NULL"),
            sqlite_where=text("judged_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(64))
    tracking_ref: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime]
    location: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    judged_at: Mapped[datetime | None]
    verdict: Mapped[str | None] = mapped_column(String(20))

    @property
    def delivery_code(self) -> None:
        """None: a scan never carries a delivery code (a delivery is judged on the spot), so a
        kept scan reads as any carrier event (`parcels.events.CarrierReport`)."""
        return None
