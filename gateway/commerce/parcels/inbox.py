"""Carriers' tracking scans: kept as they arrive and answered at once, judged by workers.

A carrier's event is judged while the carrier waits only where someone at the spot needs the
answer (ON_THE_SPOT): a delivery (the courier at the door; the code is checked) and a border
clearance (the certificate of origin is used). Every other scan is kept in the inbox in one
statement and answered at once; a worker judges it with the same code as any event
(`events.record_event`), as of the moment it arrived, and keeps its verdict beside it. Before
an event is judged on the spot, its parcel's scans still waiting are judged first, so a
delivery never meets a parcel that its own scans have not moved yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from datetime import datetime

from gateway.commerce import errors
from gateway.commerce import topics
from gateway.commerce.parcels import refusals
from gateway.commerce.parcels.events import CarrierReport
from gateway.commerce.parcels.events import carrier_report
from gateway.commerce.parcels.events import record_event
from gateway.commerce.parcels.rules import Rules
from gateway.store.models.shipments import QueuedCarrierEvent
from gateway.store.uow import UnitOfWork

ON_THE_SPOT = frozenset({"delivered", "cleared_border"})
"""Statuses judged while the carrier waits; every other scan goes through the inbox."""
UNKNOWN_PARCEL = "unknown_parcel"


def keep_scan(uow: UnitOfWork, event: CarrierReport, now: datetime) -> bool:
    """Keep a carrier's scan for a worker to judge, in one statement where the store can;
    False when the carrier sent this `event_id` before (nothing is written)."""
    scan = {
        "carrier": event.carrier,
        "event_id": event.event_id,
        "tracking_ref": event.tracking_ref,
        "status": event.status,
        "occurred_at": event.occurred_at,
        "location": event.location,
        "note": event.note,
        "received_at": now,
    }
    with uow.autocommit() as alone:
        kept = alone.inbox.keep(scan, topics.PARCEL_SCAN)
        alone.commit()
    if kept:
        alone.announce(topics.PARCEL_SCAN)
    return kept


def judge_kept(uow: UnitOfWork, rules: Rules, scan_ids: Sequence[int]) -> dict[int, str]:
    """Judge the scans among `scan_ids` still waiting, in the order they arrived; their
    verdicts by scan id."""
    with uow:
        scans = uow.inbox.waiting(scan_ids)
    return _judge_all(uow, rules, scans)


def catch_up(uow: UnitOfWork, rules: Rules, carrier: str, tracking_ref: str) -> dict[int, str]:
    """Judge a carrier's scans of `tracking_ref` still waiting (before an event on the spot)."""
    with uow:
        scans = uow.inbox.waiting_for(carrier, tracking_ref)
    return _judge_all(uow, rules, scans)


def _judge_all(
    uow: UnitOfWork, rules: Rules, scans: Sequence[QueuedCarrierEvent]
) -> dict[int, str]:
    """Judge `scans` in order and keep their verdicts, also those reached before a failure."""
    verdicts: dict[int, str] = {}
    try:
        for scan in scans:
            verdicts[scan.id] = _verdict(uow, rules, scan)
    finally:
        if verdicts:
            with uow:
                uow.inbox.judged(verdicts, datetime.now(UTC))
                uow.commit()
    return verdicts


def _verdict(uow: UnitOfWork, rules: Rules, scan: QueuedCarrierEvent) -> str:
    """Record one scan as of when it arrived: `applied`, `history`, `duplicate`, a refusal's
    verdict (`refusals.VERDICTS`, remembered there too) or UNKNOWN_PARCEL."""
    report = carrier_report(scan, "carrier")
    try:
        return record_event(report, uow, rules, now=scan.received_at).result
    except errors.EventRefused as again:
        return again.verdict
    except refusals.REFUSALS as refusal:
        return refusals.VERDICTS[type(refusal)]
    except errors.ParcelNotFound:
        return UNKNOWN_PARCEL
