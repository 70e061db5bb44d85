"""Runs outbox rows: claim a queue's due rows in a batch under a lease, run each topic's handler
(the SMS among them sent together), retry with backoff, or bury."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from rq.timeouts import JobTimeoutException

from config.logs import REQUEST_ID_KEY
from config.logs import bound
from gateway.bootstrap import Services
from gateway.commerce.topics import QUEUE_OF
from gateway.commerce.topics import topics_of
from gateway.commerce.topics import working_on
from gateway.store.repositories.outbox import Claimed
from workers.handlers import HANDLERS
from workers.handlers import TOGETHER
from workers.metrics import count
from workers.queues import LOOK_AGAIN
from workers.queues import queues_of
from workers.queues import wake
from workers.queues import wake_later
from workers.queues import woken
from workers.retries import BACKOFF
from workers.retries import FinalError
from workers.runtime import services as worker_services

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
"""How long a claimed row stays with its worker before the sweeper hands it to another."""


def drain(queue: str) -> int:
    """RQ job: run one batch of `queue`'s due rows; returns how many ran."""
    return len(run_batch(worker_services(), queue))


def run_batch(services: Services, queue: str, now: datetime | None = None) -> list[str]:
    """Claim up to OUTBOX_BATCH due rows of `queue` and run them; returns their new statuses,
    in row order. A full batch wakes the queue again, behind the queues before it; any other
    batch that ran rows drains it again LOOK_AGAIN seconds later (`workers.queues`)."""
    now = now or datetime.now(UTC)
    redis = services.connections.redis
    woken(redis, queue)
    size = services.settings.OUTBOX_BATCH
    with services.uow() as uow:
        claimed = uow.outbox.claim_due(topics_of(queue), now, LEASE, size)
        uow.commit()
    if not claimed:
        return []
    outcomes: dict[int, str] = {}
    try:
        for topic in sorted({item.topic for item in claimed} & set(TOGETHER)):
            _together(services, [item for item in claimed if item.topic == topic], now, outcomes)
        for item in claimed:
            if item.id not in outcomes:
                outcomes[item.id] = _run(services, item, now)
    finally:
        _settle(services, claimed, outcomes, now)
    if len(claimed) == size:
        wake(redis, [queue])
    else:
        wake_later(redis, queue, LOOK_AGAIN)
    return [outcomes[item.id] for item in claimed]


def _together(
    services: Services, items: Sequence[Claimed], now: datetime, outcomes: dict[int, str]
) -> None:
    """Run rows of one topic together (SMS sends); each ends as its own part did."""
    topic = items[0].topic
    try:
        with working_on(topic):
            failures = TOGETHER[topic](services, [item.payload for item in items], now)
    except JobTimeoutException as timeout:  # the job ran out of time: these rows retry
        for item in items:
            outcomes[item.id] = _failed(services, item, timeout, now)
        raise
    except Exception as broke:  # every failure is recorded on the rows, none is lost
        failures = dict.fromkeys(range(len(items)), broke)
    for n, item in enumerate(items):
        failure = failures.get(n)
        with bound(item.payload.get(REQUEST_ID_KEY) or f"outbox-{item.id}"):
            outcomes[item.id] = "done" if failure is None else _failed(services, item, failure, now)
            log.info("outbox %s %s: %s", item.id, topic, outcomes[item.id])


def _run(services: Services, item: Claimed, now: datetime) -> str:
    """Run one row's handler as the work of its topic and with its request id."""
    payload: dict[str, Any] = dict(item.payload)
    handler = HANDLERS.get(item.topic)
    with bound(payload.pop(REQUEST_ID_KEY, None) or f"outbox-{item.id}"), working_on(item.topic):
        try:
            if handler is None:
                raise FinalError(f"no handler for topic {item.topic!r}")
            handler(services, payload)
        except JobTimeoutException as err:  # the job ran out of time: this row retries
            _failed(services, item, err, now)
            raise
        except Exception as err:  # every failure is recorded on the row, none is lost
            status = _failed(services, item, err, now)
        else:
            status = "done"
        log.info("outbox %s %s: %s", item.id, item.topic, status)
    return status


def _settle(
    services: Services, claimed: Sequence[Claimed], outcomes: dict[int, str], now: datetime
) -> None:
    """Mark the rows that ran done, hand back those never run (the job was stopped), count."""
    done = [item.id for item in claimed if outcomes.get(item.id) == "done"]
    unrun = [item.id for item in claimed if item.id not in outcomes]
    with services.uow() as uow:
        uow.outbox.finish(done, now)
        uow.outbox.release(unrun, now)
        uow.commit()
    runs = Counter((item.topic, outcomes[item.id]) for item in claimed if item.id in outcomes)
    for (topic, outcome), n in runs.items():
        count(services, "sokoni_outbox_runs", n, topic=topic, outcome=outcome)


def _failed(services: Services, item: Claimed, err: Exception, now: datetime) -> str:
    final = isinstance(err, FinalError) or item.attempts > len(BACKOFF)
    delay = 0 if final else BACKOFF[item.attempts - 1]
    with services.uow() as uow:
        row = uow.outbox.one(item.id)
        row.last_error = f"{type(err).__name__}: {err}"[:500]
        row.status = "dead" if final else "pending"
        row.available_at = now + timedelta(seconds=delay)
        uow.commit()
    if final:
        log.error("outbox %s is dead after %s attempts: %s", item.id, item.attempts, err)
        return "dead"
    log.warning(
        "outbox %s failed (attempt %s), retry in %ss: %s", item.id, item.attempts, delay, err
    )
    wake_later(services.connections.redis, QUEUE_OF[item.topic], delay)
    return "pending"


def sweep() -> int:
    """RQ cron job: `sweep_due` now."""
    return sweep_due(worker_services(), datetime.now(UTC))


def sweep_due(services: Services, now: datetime) -> int:
    """Wake every queue with rows due by `now` that were never queued, were lost from Redis,
    or whose worker died (their lease ran out); returns how many queues."""
    with services.uow() as uow:
        topics = uow.outbox.due_topics(now)
    names = queues_of(topic for topic in topics if topic in QUEUE_OF)
    if names:
        wake(services.connections.redis, names, force=True)
    return len(names)
