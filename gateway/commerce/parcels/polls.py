"""Which parcels to ask polled carriers about, and when: on a schedule, backing off on failure.

A parcel booked with a polled carrier is asked about every `every`; after a failed poll the
wait doubles, up to MAX_BACKOFF times `every`, and returns to `every` once a poll works.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from gateway.commerce import errors
from gateway.store.uow import UnitOfWork

MAX_BACKOFF = 16


def book_carrier(
    uow: UnitOfWork,
    ref: str,
    carrier: str,
    tracking_number: str | None,
    now: datetime,
    seller_id: int | None = None,
) -> None:
    """The parcel goes with `carrier`, which knows it as `tracking_number` (if it said); from
    then on its events find the parcel by that number. With `seller_id`, only that seller's
    parcel may be booked (a seller by USSD; an operator books any).

    Raises:
        ParcelNotFound; NotYourParcel; TrackingNumberTaken: the carrier has another parcel
        under that number.
    """
    with uow:
        found = uow.shipments.find(ref)
        if found is None:
            raise errors.ParcelNotFound(ref)
        shipment = uow.shipments.lock_one(found.id)
        if seller_id is not None and uow.orders.one(shipment.order_id).seller_id != seller_id:
            raise errors.NotYourParcel(shipment.ref)
        if _taken(uow, carrier, tracking_number, shipment.id):
            raise errors.TrackingNumberTaken(tracking_number)
        shipment.carrier, shipment.tracking_number = carrier, tracking_number or None
        shipment.poll_at, shipment.poll_failures = now, 0
        shipment.version += 1  # a carrier's event judged before the booking is judged again
        uow.commit()


def tracking_free(
    uow: UnitOfWork, carrier: str, tracking_number: str | None, shipment_id: int | None = None
) -> bool:
    """Whether `carrier` has no other parcel than `shipment_id` under `tracking_number`."""
    with uow:
        return not _taken(uow, carrier, tracking_number, shipment_id)


def _taken(
    uow: UnitOfWork, carrier: str, tracking_number: str | None, shipment_id: int | None
) -> bool:
    """In the caller's open unit of work: another parcel of `carrier` has that number."""
    if not tracking_number:
        return False
    other = uow.shipments.by_tracking(tracking_number, carrier)
    return other is not None and other.id != shipment_id


@dataclass(frozen=True)
class Due:
    shipment_id: int
    carrier: str
    tracking_ref: str
    """The carrier's tracking number, else the order reference."""


def due_polls(uow: UnitOfWork, carriers: Sequence[str], now: datetime, limit: int) -> list[Due]:
    with uow:
        due = []
        for shipment_id in uow.shipments.due_polls(carriers, now, limit):
            shipment = uow.shipments.one(shipment_id)
            due.append(
                Due(shipment.id, shipment.carrier or "", shipment.tracking_number or shipment.ref)
            )
        return due


def polled(
    uow: UnitOfWork, shipment_id: int, ok: bool, every: timedelta, now: datetime
) -> datetime | None:
    """Record a poll's outcome; returns when the next poll is due (None: no more polls)."""
    with uow:
        shipment = uow.shipments.lock(shipment_id)
        if shipment is None or shipment.poll_at is None:
            return None
        shipment.poll_failures = 0 if ok else shipment.poll_failures + 1
        shipment.poll_at = now + every * min(2**shipment.poll_failures, MAX_BACKOFF)
        uow.commit()
        return shipment.poll_at
