"""Runs outbox rows: claim under a lease, call the topic's handler, retry with backoff, or bury."""

from __future__ import annotations

import logging
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from config.logs import REQUEST_ID_KEY
from config.logs import bound
from gateway.bootstrap import Services
from workers.handlers import HANDLERS
from workers.metrics import count
from workers.queues import enqueue_outbox
from workers.retries import BACKOFF
from workers.retries import FinalError
from workers.runtime import services as worker_services

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
"""How long a claimed row stays with its worker before the sweeper hands it to another."""


def dispatch(item_id: int) -> str:
    """RQ job: run one outbox row by id."""
    return run_item(worker_services(), item_id)


def run_item(services: Services, item_id: int, now: datetime | None = None) -> str:
    """Claim and run row `item_id`; returns its new status (or `skipped` if not ours).

    The row's request id (the hop, SMS or event that caused it) is the request id of the
    run, so its log lines and the rows it emits carry it too.
    """
    now = now or datetime.now(UTC)
    with services.uow() as uow:
        item = uow.outbox.claim(item_id, now, LEASE)
        if item is None:
            return "skipped"
        topic, payload, attempts = item.topic, dict(item.payload), item.attempts
        uow.commit()
    with bound(payload.pop(REQUEST_ID_KEY, None) or f"outbox-{item_id}"):
        status = _run(services, item_id, topic, payload, attempts, now)
        log.info("outbox %s %s: %s", item_id, topic, status)
    count(services, "sokoni_outbox_runs", topic=topic, outcome=status)
    return status


def _run(
    services: Services,
    item_id: int,
    topic: str,
    payload: dict[str, Any],
    attempts: int,
    now: datetime,
) -> str:
    handler = HANDLERS.get(topic)
    try:
        if handler is None:
            raise FinalError(f"no handler for topic {topic!r}")
        handler(services, payload)
    except Exception as err:  # every failure is recorded on the row, none is lost
        return _failed(services, item_id, attempts, err, now)
    with services.uow() as uow:
        row = uow.outbox.one(item_id)
        row.status, row.done_at, row.last_error = "done", now, None
        uow.commit()
    return "done"


def _failed(services: Services, item_id: int, attempts: int, err: Exception, now: datetime) -> str:
    final = isinstance(err, FinalError) or attempts > len(BACKOFF)
    delay = 0 if final else BACKOFF[attempts - 1]
    with services.uow() as uow:
        row = uow.outbox.one(item_id)
        row.last_error = f"{type(err).__name__}: {err}"[:500]
        row.status = "dead" if final else "pending"
        row.available_at = now + timedelta(seconds=delay)
        uow.commit()
    if final:
        log.error("outbox %s is dead after %s attempts: %s", item_id, attempts, err)
        return "dead"
    log.warning("outbox %s failed (attempt %s), retry in %ss: %s", item_id, attempts, delay, err)
    enqueue_outbox(services.connections.redis, [item_id], delay=delay)
    return "pending"


def sweep(limit: int = 500) -> int:
    """RQ cron job: `sweep_due` now."""
    return sweep_due(worker_services(), datetime.now(UTC), limit)


def sweep_due(services: Services, now: datetime, limit: int = 500) -> int:
    """Queue rows due by `now` that were never queued, were lost from Redis, or whose worker
    died (their lease ran out); returns how many."""
    with services.uow() as uow:
        ids = uow.outbox.due(now, limit)
    if ids:
        enqueue_outbox(services.connections.redis, ids)
    return len(ids)
