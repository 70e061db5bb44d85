"""Simplified Certificates of Origin: issued when an STR-eligible order is paid, verified by
anyone with the code, used once when customs clear the parcel, cancelled with a refund.

A certificate copies what it certifies when it is issued (who, what, how much, from where to
where), so it reads the same however the order, the listing or the people change later.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from gateway.commerce import errors
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.money import Money
from gateway.commerce.origin import states
from gateway.commerce.origin.crossing import STR
from gateway.commerce.origin.headings import listing_heading
from gateway.store.models.origin import Certificate
from gateway.store.models.origin import CertificateFlag
from gateway.store.models.people import Person
from gateway.store.uow import UnitOfWork

CODE_ALPHABET = "23456789ACDEFGHJKMNPRTUVWXY"
"""Digits 2-9 and capitals without the letters read as digits or as each other: no O or Q
(0), I or L (1), Z (2), S (5), B (8)."""
CODE_LENGTH = 10
CODE_PATTERN = f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}"
"""A certificate code as a regular expression (for the API description of `/verify/<code>`)."""
NAME_SHOWN = 40


def new_code(taken: Callable[[str], bool]) -> str:
    """A fresh random code that `taken` says is unused (27^10, about 2e14, codes)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not taken(code):
            return code


def normalise_code(text: str) -> str | None:
    """A code as typed (any case, spaces or dashes), or None if it cannot be one."""
    code = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def shown_name(person: Person) -> str:
    """A person as a certificate names them: their name, else their number partly hidden."""
    if person.name:
        return person.name[:NAME_SHOWN]
    phone = person.phone
    return phone[:4] + "*" * max(len(phone) - 7, 0) + phone[-3:]


@dataclass(frozen=True)
class CertificateView:
    """What verifying a certificate shows."""

    code: str
    status: str
    order_ref: str
    exporter: str
    exporter_country: str
    consignee: str
    consignee_country: str
    description: str
    hs_heading: str
    quantity: int
    unit: str
    value: Money
    buyer_value: Money
    usd_value: Money
    origin_country: str
    issued_at: datetime
    used_at: datetime | None
    cancelled_at: datetime | None

    @classmethod
    def of(cls, row: Certificate, order_ref: str) -> CertificateView:
        return cls(
            code=row.code,
            status=row.status,
            order_ref=order_ref,
            exporter=row.exporter,
            exporter_country=row.exporter_country,
            consignee=row.consignee,
            consignee_country=row.consignee_country,
            description=row.description,
            hs_heading=row.hs_heading,
            quantity=row.quantity,
            unit=row.unit,
            value=Money(row.value_minor, row.currency),
            buyer_value=Money(row.buyer_value_minor, row.buyer_currency),
            usd_value=Money(row.usd_value_minor, "USD"),
            origin_country=row.origin_country,
            issued_at=row.issued_at,
            used_at=row.used_at,
            cancelled_at=row.cancelled_at,
        )


def issue(uow: UnitOfWork, order_id: int, notices: Notices, now: datetime) -> str | None:
    """An STR-eligible order was paid: issue its certificate and text the seller its code.
    Opens and commits its own transaction; safe to run twice. The code, or None when the
    order gets none (not STR-eligible, not paid, or issued before)."""
    with uow:
        order = uow.orders.lock(order_id)
        if order is None or order.trade_regime != STR or order.status != "paid":
            return None
        if uow.certificates.for_order(order.id) is not None:
            return None
        seller, buyer = uow.people.one(order.seller_id), uow.people.one(order.buyer_id)
        line = order.lines[0]
        listing = uow.listings.get(line.listing_id)
        heading = (listing_heading(uow, listing) if listing else None) or "-"
        certificate = uow.certificates.add(
            Certificate(
                code=new_code(lambda code: uow.certificates.by_code(code) is not None),
                order_id=order.id,
                status="valid",
                exporter=shown_name(seller),
                exporter_country=seller.country,
                consignee=shown_name(buyer),
                consignee_country=buyer.country,
                description=line.name,
                hs_heading=heading,
                quantity=line.quantity,
                unit=line.unit,
                value_minor=order.seller_total_minor,
                currency=order.seller_currency,
                buyer_value_minor=order.total_minor,
                buyer_currency=order.currency,
                usd_value_minor=order.usd_value_minor or 0,
                origin_country=listing.country if listing else seller.country,
                issued_at=now,
            )
        )
        notices.tell(
            uow,
            seller,
            "origin_sms.issued",
            f"certificate:{certificate.id}",
            certificate=certificate.code,
            **notices.order_values(order, seller),
        )
        uow.commit()
        return certificate.code


def find(uow: UnitOfWork, text: str) -> CertificateView | None:
    """The certificate whose code `text` is, or None; a malformed code is simply not found."""
    code = normalise_code(text)
    if code is None:
        return None
    with uow:
        row = uow.certificates.by_code(code)
        if row is None:
            return None
        return CertificateView.of(row, uow.orders.one(row.order_id).ref)


def clear(uow: UnitOfWork, order_id: int, actor: str, parcel_ref: str, now: datetime) -> None:
    """In the caller's open unit of work: customs cleared the order's parcel, so its
    certificate (if it has one) is used from now on.

    Raises:
        CertificateUsed, CertificateCancelled: it cannot clear a parcel again; a flag for
            operators is added first (the caller commits it with the refusal).
    """
    found = uow.certificates.for_order(order_id)
    certificate = uow.certificates.lock(found.id) if found is not None else None
    if certificate is None:
        return
    refusal: errors.DomainError | None = None
    if certificate.status == "used":
        reason, refusal = "used_again", errors.CertificateUsed(certificate.code)
    elif certificate.status == "cancelled":
        reason, refusal = "cancelled_used", errors.CertificateCancelled(certificate.code)
    if refusal is not None:
        uow.certificates.flag(
            CertificateFlag(
                certificate_id=certificate.id,
                reason=reason,
                actor=actor[:40],
                parcel_ref=parcel_ref,
                created_at=now,
            )
        )
        raise refusal
    states.move(certificate, "used")
    certificate.used_at, certificate.used_by = now, actor[:40]


def cancel(uow: UnitOfWork, order_id: int, now: datetime) -> bool:
    """The order was refunded: its valid certificate is cancelled. Opens and commits its own
    transaction; False when there was none to cancel."""
    with uow:
        certificate = uow.certificates.for_order(order_id)
        if certificate is None or certificate.status != "valid":
            return False
        states.move(certificate, "cancelled")
        certificate.cancelled_at = now
        uow.commit()
        return True


def withdraw(uow: UnitOfWork, text: str, now: datetime) -> bool:
    """An operator withdraws the certificate with this code; False if there is no valid one."""
    code = normalise_code(text)
    with uow:
        row = uow.certificates.by_code(code) if code else None
        order_id = row.order_id if row is not None else None
    return order_id is not None and cancel(uow, order_id, now)
