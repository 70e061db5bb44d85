"""Border agents by USSD: find a cross-border parcel by its certificate's code, then record
that it is at the border or that customs cleared it (which uses the certificate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway.commerce import errors
from gateway.commerce.origin.certificates import normalise_code
from gateway.commerce.parcels.events import Recorded
from gateway.commerce.parcels.events import Report
from gateway.commerce.parcels.events import record_event
from gateway.commerce.parcels.rules import Rules
from gateway.commerce.parcels.states import BORDER_STATES
from gateway.commerce.people.callers import Caller
from gateway.commerce.phones import region_of
from gateway.store.models.people import Person
from gateway.store.uow import UnitOfWork

BORDER_AGENT = "border"
"""The role of people who record border crossings (granted by `flask origin border-agent`)."""


@dataclass(frozen=True)
class Crossing:
    """What a border agent sees before recording: the certificate and its parcel."""

    code: str
    certificate_status: str
    ref: str
    parcel_status: str
    quantity: int
    unit: str
    name: str
    origin: str
    destination: str


def preview(uow: UnitOfWork, caller: Caller, text: str) -> Crossing:
    """The parcel the certificate with code `text` covers.

    Raises:
        NotABorderAgent, CertificateNotFound, ParcelNotFound (not sent off yet).
    """
    if BORDER_AGENT not in caller.roles:
        raise errors.NotABorderAgent(caller.id)
    code = normalise_code(text)
    with uow:
        certificate = uow.certificates.by_code(code) if code else None
        if certificate is None:
            raise errors.CertificateNotFound(text[:20])
        shipment = uow.shipments.for_order(certificate.order_id)
        if shipment is None:
            raise errors.ParcelNotFound(certificate.code)
        return Crossing(
            code=certificate.code,
            certificate_status=certificate.status,
            ref=shipment.ref,
            parcel_status=shipment.status,
            quantity=certificate.quantity,
            unit=certificate.unit,
            name=certificate.description,
            origin=certificate.exporter_country,
            destination=certificate.consignee_country,
        )


def record(
    uow: UnitOfWork, caller: Caller, code: str, status: str, rules: Rules, now: datetime
) -> Recorded:
    """Record `at_border` or `cleared_border` for the parcel of the certificate `code`.

    Raises:
        what `preview` raises; IllegalTransition; CertificateUsed, CertificateCancelled
        (flagged for operators).
    """
    if status not in BORDER_STATES:
        raise errors.IllegalTransition(code, "?", status)
    seen = preview(uow, caller, code)
    report = Report(
        seen.ref,
        status,
        now,
        "ussd",
        BORDER_AGENT,
        location=f"{seen.origin}-{seen.destination} border",
        actor_id=caller.id,
    )
    return record_event(report, uow, rules, now=now)


def grant_border_agent(uow: UnitOfWork, phone: str) -> None:
    """The person with E.164 `phone` may record border crossings (registered if new)."""
    with uow:
        person = uow.people.by_phone(phone)
        if person is None:
            person = uow.people.add(Person(phone=phone, country=region_of(phone) or "KE"))
            person.grant("buyer")
        person.grant(BORDER_AGENT)
        uow.commit()
