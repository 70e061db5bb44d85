"""Parcels' work: judge carriers' kept scans; periodic jobs: ask polled carriers for news,
expire parcels left at a point."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from datetime import timedelta
from typing import Any

from gateway.bootstrap import Services
from gateway.commerce import errors
from gateway.commerce.parcels import news as parcel_news
from gateway.commerce.parcels import polls as parcel_polls
from gateway.commerce.parcels.events import carrier_report
from gateway.commerce.parcels.events import record_event
from gateway.commerce.parcels.inbox import judge_kept
from gateway.commerce.parcels.refusals import REFUSALS
from gateway.providers.carriers.events import CarrierEvent
from gateway.providers.carriers.polling import Carrier
from gateway.providers.errors import SendError
from gateway.store.repositories.inbox import INBOX_ID
from workers.metrics import count
from workers.runtime import services as worker_services

log = logging.getLogger(__name__)

POLL_BATCH = 200


def judge_scans(
    services: Services, payloads: Sequence[dict[str, Any]], _now: datetime
) -> dict[int, Exception]:
    """Outbox rows of kept scans: judge those still waiting, in the order they arrived."""
    verdicts = judge_kept(
        services.uow(), services.deps.parcel_rules, [p[INBOX_ID] for p in payloads]
    )
    for verdict, n in Counter(verdicts.values()).items():
        count(services, "sokoni_carrier_scans_judged", n, verdict=verdict)
    return {}


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
    """Record one polled event; one refused before (remembered with its verdict) stays so."""
    try:
        record_event(
            carrier_report(event, "poll"), services.uow(), services.deps.parcel_rules, now=now
        )
    except errors.EventRefused:
        return
    except REFUSALS as err:  # logged, and the poll goes on
        log.warning("polled event %s of %s refused: %s", event.event_id, event.carrier, err)
    except errors.ParcelNotFound:
        log.warning("polled event %s names unknown parcel %s", event.event_id, event.tracking_ref)


def poll_due(services: Services, now: datetime) -> int:
    """Poll the carriers of POLLED_CARRIERS for parcels due."""
    carriers = services.polled_carriers
    return poll(services, carriers, now) if carriers else 0


def poll_carriers() -> int:
    """RQ cron job: `poll_due` now."""
    services = worker_services()
    return poll_due(services, services.clock())


def expire(services: Services, now: datetime) -> int:
    """Parcels left at a pickup point too long expire and go back; returns how many."""
    expired = parcel_news.expire_left(services.uow(), services.deps.parcel_rules, now)
    if expired:
        log.info("parcels expired at pickup points: %s", ", ".join(expired))
    return len(expired)


def expire_parcels() -> int:
    """RQ cron job: `expire` now."""
    services = worker_services()
    return expire(services, services.clock())
