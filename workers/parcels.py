"""Outbox handlers and periodic jobs of parcels: open, follow up, notify, poll, expire.

Handlers are thin: ids in, domain calls out. Money moves through the payments domain
(escrow release on delivery, refund on return), each step safe to run again.
"""

from __future__ import annotations

import logging
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from gateway.commerce import errors
from gateway.commerce import escrow
from gateway.commerce import parcel_news
from gateway.commerce import parcel_polls
from gateway.commerce.parcels import Rules
from gateway.commerce.parcels import carrier_report
from gateway.commerce.parcels import open_shipment
from gateway.commerce.parcels import record_event
from gateway.commerce.payment_notices import Notices
from gateway.providers.carrier_events import CarrierEvent
from gateway.providers.carriers import Carrier
from gateway.providers.carriers import polled_carriers
from gateway.providers.errors import SendError
from gateway.services import Services
from menus.i18n import t
from workers.runtime import services as worker_services

log = logging.getLogger(__name__)

POLL_BATCH = 200
REFUSED_TTL = 7 * 86400
"""Seconds a polled event we refused is remembered, so later polls do not count it again."""
REFUSED = (errors.IllegalTransition, errors.WrongDeliveryCode, errors.ParcelLocked)


def _now() -> datetime:
    return datetime.now(UTC)


def _notices(services: Services) -> Notices:
    return Notices(t, services.settings.USSD_SERVICE_CODE)


def _rules(services: Services) -> Rules:
    return Rules.from_settings(services.settings)


def open_parcel(services: Services, payload: dict[str, Any]) -> None:
    """`order.paid`: the order becomes a parcel."""
    open_shipment(payload["order_id"], services.uow())


def changed(services: Services, payload: dict[str, Any]) -> None:
    """`parcel.changed`: code, SMS and stock; then escrow released or refunded."""
    follow = parcel_news.after_change(
        services.uow(),
        payload["shipment_id"],
        payload["status"],
        _notices(services),
        _rules(services),
        _now(),
    )
    if follow is None:
        return
    try:
        if follow.release:
            rates = escrow.Rates.from_settings(services.settings)
            escrow.release_escrow(follow.order_id, services.uow(), rates)
            parcel_news.tell_seller_delivered(
                services.uow(), payload["shipment_id"], _notices(services)
            )
        if follow.refund:
            escrow.refund_order(follow.order_id, services.uow())
    except errors.NothingInEscrow:
        log.warning(
            "parcel %s: order %s has nothing in escrow", payload["shipment_id"], follow.order_id
        )


def notify(services: Services, payload: dict[str, Any]) -> None:
    """`parcel.notify`: the coalescing window closed; one SMS to the buyer."""
    parcel_news.send_update(
        services.uow(), payload["shipment_id"], _notices(services), _rules(services)
    )


def poll(services: Services, carriers: dict[str, Carrier], now: datetime) -> int:
    """Ask polled carriers about every parcel due; returns how many were asked."""
    every = timedelta(seconds=services.settings.CARRIER_POLL_EVERY)
    due = parcel_polls.due_polls(services.uow(), list(carriers), now, POLL_BATCH)
    for parcel in due:
        try:
            events = carriers[parcel.carrier].events(parcel.tracking_ref)
        except SendError as err:
            later = parcel_polls.polled(services.uow(), parcel.shipment_id, False, every, now)
            log.warning(
                "polling %s for %s failed (%s); next at %s",
                parcel.carrier,
                parcel.tracking_ref,
                err.code,
                later,
            )
            continue
        for event in events:
            _record_polled(services, event, now)
        parcel_polls.polled(services.uow(), parcel.shipment_id, True, every, now)
    return len(due)


def _record_polled(services: Services, event: CarrierEvent, now: datetime) -> None:
    redis, key = services.connections.redis, f"parcels:refused:{event.carrier}:{event.event_id}"
    if redis.exists(key):
        return
    try:
        record_event(carrier_report(event, "poll"), services.uow(), _rules(services), now=now)
    except REFUSED as err:
        redis.set(key, type(err).__name__, ex=REFUSED_TTL)
        log.warning("polled event %s of %s refused: %s", event.event_id, event.carrier, err)
    except errors.ParcelNotFound:
        log.warning("polled event %s names unknown parcel %s", event.event_id, event.tracking_ref)


def poll_due(services: Services, now: datetime) -> int:
    """Poll the carriers of POLLED_CARRIERS for parcels due."""
    settings = services.settings
    carriers = polled_carriers(settings.POLLED_CARRIERS, settings.CARRIER_API_KEYS)
    return poll(services, carriers, now) if carriers else 0


def poll_carriers() -> int:
    """RQ cron job: `poll_due` now."""
    return poll_due(worker_services(), _now())


def expire(services: Services, now: datetime) -> int:
    """Parcels left at a pickup point too long expire and go back; returns how many."""
    expired = parcel_news.expire_left(services.uow(), _rules(services), now)
    if expired:
        log.info("parcels expired at pickup points: %s", ", ".join(expired))
    return len(expired)


def expire_parcels() -> int:
    """RQ cron job: `expire` now."""
    return expire(worker_services(), _now())
