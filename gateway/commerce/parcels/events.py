"""Parcels: a shipment for every paid order, and recording what happens to it.

Every report (a carrier's webhook or poll, a person by USSD, Sokoni itself) goes through
`record_event`: stored once per (carrier, event id), placed by its time among the parcel's
events, refused if illegal there. The request only writes the event, the new state and one
`parcel.changed` outbox row; codes, SMS, escrow and refunds follow in workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Protocol

from gateway.commerce import errors
from gateway.commerce import topics
from gateway.commerce.origin import certificates
from gateway.commerce.parcels import codes
from gateway.commerce.parcels import refusals
from gateway.commerce.parcels import states
from gateway.commerce.parcels.rules import Rules
from gateway.store.models.orders import Order
from gateway.store.models.shipments import Shipment
from gateway.store.models.shipments import ShipmentEvent
from gateway.store.uow import UnitOfWork

SOKONI = "sokoni"
COUNTED = (
    errors.WrongDeliveryCode,
    errors.ParcelLocked,
    errors.CertificateUsed,
    errors.CertificateCancelled,
)
"""Refusals that leave something to keep even when a person made them: a wrong code counted,
a certificate flagged."""
LOCKED_STEPS = ("delivered", "cleared_border", "at_pickup_point")
"""Reports recorded under the parcel's lock only: a delivery (its code counted), a border
clearance (its certificate used), an arrival at a point (the order names the point)."""


@dataclass(frozen=True)
class Report:
    """One event to record; `ref` is the order reference or the carrier's tracking number."""

    ref: str
    status: str
    occurred_at: datetime
    source: str
    actor: str
    location: str | None = None
    note: str | None = None
    carrier: str | None = None
    event_id: str | None = None
    delivery_code: str | None = None
    actor_id: int | None = None


class CarrierReport(Protocol):
    """A carrier's event (gateway.providers.carriers.events.CarrierEvent fits)."""

    @property
    def carrier(self) -> str: ...

    @property
    def tracking_ref(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def occurred_at(self) -> datetime: ...

    @property
    def event_id(self) -> str: ...

    @property
    def location(self) -> str | None: ...

    @property
    def note(self) -> str | None: ...

    @property
    def delivery_code(self) -> str | None: ...


def carrier_report(event: CarrierReport, source: str) -> Report:
    """A carrier's event as a report; `source` is `carrier` (webhook) or `poll`."""
    return Report(
        event.tracking_ref,
        event.status,
        event.occurred_at,
        source,
        event.carrier,
        location=event.location,
        note=event.note,
        carrier=event.carrier,
        event_id=event.event_id,
        delivery_code=event.delivery_code,
    )


@dataclass(frozen=True)
class Recorded:
    """`applied` (the state changed), `history` (stored, state unchanged) or `duplicate`."""

    result: str
    ref: str
    status: str


Guard = Callable[[UnitOfWork, Shipment, Order], None]
"""A check run on the locked shipment before a person's report is recorded; raises to refuse."""


def open_shipment(order_id: int, uow: UnitOfWork, now: datetime | None = None) -> bool:
    """A paid order becomes a parcel (`created`); False if it already is one or is not paid."""
    now = now or datetime.now(UTC)
    with uow:
        order = uow.orders.get(order_id)
        if order is None or order.status != "paid" or uow.shipments.for_order(order_id):
            return False
        shipment = uow.shipments.add(
            Shipment(
                order_id=order.id,
                ref=order.ref,
                status="created",
                status_at=now,
                point_id=order.pickup_point_id,
                code_attempts=0,
                poll_failures=0,
            )
        )
        uow.shipments.add_event(
            ShipmentEvent(
                shipment_id=shipment.id,
                status="created",
                occurred_at=now,
                source="system",
                actor=SOKONI,
            )
        )
        uow.commit()
        return True


def record_event(
    report: Report,
    uow: UnitOfWork,
    rules: Rules,
    guard: Guard | None = None,
    now: datetime | None = None,
) -> Recorded:
    """Record one report in its own transaction; `now` times the delivery-code lock.

    A carrier's report is recorded at once where the store can (`_at_once`: no lock, two
    statements); a delivery, a border clearance, an arrival at a point, a refusal, a person's
    report (with its `guard`) and a parcel changed meanwhile are recorded under the parcel's
    lock. Both ways judge with the same code and give the same answer.

    A carrier's report must name the parcel's carrier, once it has one (booked, or set by that
    carrier's first accepted event). A carrier's refused report is remembered with its verdict
    (`parcels.refusals`), and a wrong code is counted on the side that gave it (`codes`).

    A `cleared_border` report uses the parcel's certificate of origin, if it has one; a
    certificate used or cancelled before refuses it (and is flagged for operators).

    Raises:
        ParcelNotFound; EventBeforeShipment and EventTooOld for a report dated before the
        parcel existed or longer ago than `rules.event_max_age`; IllegalTransition;
        WrongCarrier; WrongDeliveryCode and ParcelLocked for a `delivered` report without the
        right code (the wrong attempt is committed first); CertificateUsed and
        CertificateCancelled for a `cleared_border` report (the flag is committed first);
        EventRefused for a carrier's report refused before; whatever `guard` raises.
    """
    now = now or datetime.now(UTC)
    if guard is None:
        done = _at_once(report, uow, rules, now)
        if done is not None:
            return done
    with uow:
        shipment = uow.shipments.find(report.ref, report.carrier, lock=True)
        if shipment is None:
            raise errors.ParcelNotFound(report.ref)
        if refusals.received_before(uow, report.carrier, report.event_id):
            return Recorded("duplicate", shipment.ref, shipment.status)
        if guard is not None:
            guard(uow, shipment, uow.orders.one(shipment.order_id))
        try:
            timeline = uow.shipments.around(shipment.id, report.occurred_at)
            accepted = _judge(shipment, timeline, report, uow, rules, now)
        except refusals.REFUSALS as refusal:
            _refused(uow, shipment, report, refusal)
            raise
        if not uow.shipments.add_event(_event(shipment, report)):
            return Recorded("duplicate", shipment.ref, shipment.status)
        _next_version(shipment)
        _move(uow, shipment, report, accepted, rules)
        if accepted.changed:
            uow.emit(topics.PARCEL_CHANGED, shipment_id=shipment.id, status=accepted.after)
        uow.commit()
        return Recorded("applied" if accepted.changed else "history", shipment.ref, shipment.status)


def _at_once(report: Report, uow: UnitOfWork, rules: Rules, now: datetime) -> Recorded | None:
    """A carrier's report recorded in two statements and no lock: the parcel read with its
    version, judged, and written only over that version. None where the parcel's lock must
    decide: a database that cannot (`Shipments.seen`), a report of `LOCKED_STEPS`, an event
    refused now, a parcel changed since it was read.

    Raises:
        EventRefused: the event was refused before.
    """
    if report.carrier is None or report.event_id is None or report.status in LOCKED_STEPS:
        return None
    with uow.autocommit() as once:
        seen = once.shipments.seen(report.ref, report.carrier, report.event_id, report.occurred_at)
        if seen is None:
            return None
        shipment = seen.shipment
        if refusals.stored_before(seen.received):
            return Recorded("duplicate", shipment.ref, shipment.status)
        try:
            accepted = _judge(shipment, seen.timeline, report, once, rules, now)
        except refusals.REFUSALS:
            return None
        _move(once, shipment, report, accepted, rules)
        notice = None
        if accepted.changed:
            notice = once.notice(
                topics.PARCEL_CHANGED, shipment_id=shipment.id, status=accepted.after
            )
        if not once.shipments.write_seen(seen, _event(shipment, report), notice, now):
            return None
        if notice is not None:
            once.announce(notice.topic)
        return Recorded("applied" if accepted.changed else "history", shipment.ref, shipment.status)


def _judge(
    shipment: Shipment,
    timeline: list[states.Step],
    report: Report,
    uow: UnitOfWork,
    rules: Rules,
    now: datetime,
) -> states.Accepted:
    """Where the report would leave the parcel, placed among the events `timeline` holds
    (`Shipments.around` its time), if it may be recorded at all.

    Raises:
        EventBeforeShipment, EventTooOld, WrongCarrier, IllegalTransition, WrongDeliveryCode,
        ParcelLocked, CertificateUsed, CertificateCancelled.
    """
    _check_time(shipment, timeline, report.occurred_at, rules, now)
    if report.carrier is not None and shipment.carrier not in (None, report.carrier):
        raise errors.WrongCarrier(shipment.ref)
    accepted = _place(shipment, timeline, report.status, report.occurred_at)
    if report.status == "delivered":
        by_carrier = report.carrier is not None
        codes.check(shipment, report.delivery_code, rules, now, by_carrier=by_carrier)
    if report.status == "cleared_border":
        who = report.actor if report.actor_id is None else f"{report.actor} {report.actor_id}"
        certificates.clear(uow, shipment.order_id, who, shipment.ref, now)
    return accepted


def _refused(
    uow: UnitOfWork, shipment: Shipment, report: Report, refusal: errors.DomainError
) -> None:
    """Commit what a refusal leaves: a carrier's event remembered, a wrong code counted."""
    if report.carrier is not None and report.event_id is not None:
        refusals.remember(uow, shipment.id, report.carrier, report.event_id, report.status, refusal)
    elif not isinstance(refusal, COUNTED):
        return
    _next_version(shipment)
    uow.commit()


def _next_version(shipment: Shipment) -> None:
    """Move the version of a parcel about to change under its lock: a carrier's event judged
    without the lock since it was read is judged again (`_at_once`). Called after the last
    read, so the flush that writes the change writes the version with it."""
    shipment.version += 1


def place_step(
    uow: UnitOfWork, shipment: Shipment, status: str, occurred_at: datetime
) -> states.Accepted:
    """Where an event of `status` at `occurred_at` would leave the parcel.

    Raises:
        IllegalTransition.
    """
    return _place(shipment, uow.shipments.around(shipment.id, occurred_at), status, occurred_at)


def _place(
    shipment: Shipment, timeline: list[states.Step], status: str, occurred_at: datetime
) -> states.Accepted:
    """`place_step` on the events `Shipments.around` read for `occurred_at`."""
    since = next((s for s in reversed(timeline) if s.occurred_at <= occurred_at), None)
    later = [s for s in timeline if s.occurred_at > occurred_at]
    new = states.Step(status, occurred_at, 1 + max((s.seq for s in timeline), default=0))
    return states.accept(shipment.ref, later, new, since)


def _check_time(
    shipment: Shipment,
    timeline: list[states.Step],
    occurred_at: datetime,
    rules: Rules,
    now: datetime,
) -> None:
    """Refuse an event from before the parcel's own `created` event, or too long ago."""
    created = min(
        (s.occurred_at for s in timeline if s.status == states.START),
        default=shipment.created_at,
    )
    if occurred_at < created:
        raise errors.EventBeforeShipment(f"{shipment.ref}: event at {occurred_at:%Y-%m-%d %H:%M}")
    if occurred_at < now - rules.event_max_age:
        raise errors.EventTooOld(f"{shipment.ref}: event at {occurred_at:%Y-%m-%d %H:%M}")


def _event(shipment: Shipment, report: Report) -> ShipmentEvent:
    return ShipmentEvent(
        shipment_id=shipment.id,
        status=report.status,
        occurred_at=report.occurred_at,
        location=(report.location or None) and report.location[:60],
        note=(report.note or None) and report.note[:200],
        source=report.source,
        actor=report.actor[:20],
        actor_id=report.actor_id,
        carrier=report.carrier,
        event_id=report.event_id,
    )


def _move(
    uow: UnitOfWork, shipment: Shipment, report: Report, accepted: states.Accepted, rules: Rules
) -> None:
    """Change the parcel as recording the report does: its carrier, once it has none, and the
    state the report enters, if it changed."""
    if report.carrier and shipment.carrier is None:
        shipment.carrier = report.carrier
    if accepted.changed:
        _enter(uow, shipment, accepted, rules)


def _enter(uow: UnitOfWork, shipment: Shipment, accepted: states.Accepted, rules: Rules) -> None:
    shipment.status, shipment.status_at = accepted.after, accepted.after_at
    if accepted.after == "at_pickup_point" and shipment.point_id is None:
        shipment.point_id = uow.orders.one(shipment.order_id).pickup_point_id
    if accepted.after == "delivered":
        shipment.delivered_at = accepted.after_at
        shipment.return_until = accepted.after_at + rules.return_window
    if accepted.after in states.FINAL:
        shipment.poll_at = None
