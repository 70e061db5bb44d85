"""Carrier events we refused, remembered with their verdict: a carrier that sends the same
`(carrier, event_id)` again gets the same answer, and nothing is counted or changed again."""

from __future__ import annotations

from gateway.commerce import errors
from gateway.store.models.shipments import RefusedCarrierEvent
from gateway.store.repositories.shipments import Received
from gateway.store.uow import UnitOfWork

VERDICTS: dict[type[errors.DomainError], str] = {
    errors.IllegalTransition: "illegal",
    errors.WrongDeliveryCode: "wrong_code",
    errors.ParcelLocked: "locked",
    errors.WrongCarrier: "wrong_carrier",
    errors.EventBeforeShipment: "before_shipment",
    errors.EventTooOld: "too_old",
    errors.CertificateUsed: "certificate_used",
    errors.CertificateCancelled: "certificate_cancelled",
}
"""Each refusal a carrier's event can meet, by the verdict stored for it."""
REFUSALS = tuple(VERDICTS)


def received_before(uow: UnitOfWork, carrier: str | None, event_id: str | None) -> bool:
    """Whether this carrier's event was stored before (a duplicate), in one statement.

    Raises:
        EventRefused: with the stored verdict, when the event was refused before.
    """
    if not (carrier and event_id):
        return False
    return stored_before(uow.shipments.received(carrier, event_id))


def stored_before(earlier: Received | None) -> bool:
    """Whether an event received `earlier` was stored (a duplicate).

    Raises:
        EventRefused: with the stored verdict, when it was refused.
    """
    if earlier is not None and earlier.verdict is not None:
        raise errors.EventRefused(earlier.verdict, earlier.detail)
    return earlier is not None


def remember(
    uow: UnitOfWork,
    shipment_id: int,
    carrier: str,
    event_id: str,
    status: str,
    refusal: errors.DomainError,
) -> None:
    """Store the refusal in the open transaction.

    Raises:
        EventRefused: the same event was refused concurrently (for another parcel); the
            caller must not commit what this attempt counted.
    """
    row = RefusedCarrierEvent(
        shipment_id=shipment_id,
        carrier=carrier,
        event_id=event_id,
        status=status,
        verdict=VERDICTS[type(refusal)],
        detail=str(refusal)[:200],
    )
    if not uow.shipments.add_event(row):
        raise errors.EventRefused(row.verdict, row.detail)
