"""Worker processes: a non-forking RQ worker on every queue, and the scheduler of periodic jobs.

The worker runs each job in its own process (RQ's `SimpleWorker`, no fork per job), so the
services, database pool, Redis connections and SMS threads are built once per process
(`workers.runtime`). RQ still enforces each job's timeout (an alarm signal in the main
thread), and every unit of work closes its database session when it ends.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from types import FrameType

import redis
from rq import SimpleWorker
from rq.cron import CronScheduler

from gateway.bootstrap import Services
from gateway.commerce.topics import BULK
from gateway.commerce.topics import PAYMENTS
from gateway.commerce.topics import QUEUES
from workers.outbox import sweep
from workers.parcels import expire_parcels
from workers.parcels import poll_carriers
from workers.payments import expire_orders

SWEEP_EVERY = 30
"""Seconds between sweeps for outbox rows that were never queued or lost their worker."""
EXPIRE_EVERY = 60
"""Seconds between looks for unpaid orders past PAYMENT_EXPIRY."""
POLL_EVERY = 60
"""Seconds between looks for parcels due a carrier poll (each parcel backs off on its own)."""
EXPIRE_PARCELS_EVERY = 600
"""Seconds between looks for parcels left at a pickup point past PARCEL_PICKUP_DAYS."""
RESTART_PAUSE = 1.0
"""Seconds before a worker that lost Redis outside its wait for a job starts again."""

log = logging.getLogger(__name__)


class _Supervised(SimpleWorker):
    """RQ's non-forking worker, telling a stop asked for by a signal from a loop left on a Redis error."""

    stop_asked = False

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop_asked = True
        super().request_stop(signum, frame)  # type: ignore[no-untyped-call]


def run_worker(services: Services, burst: bool = False, queues: Sequence[str] = QUEUES) -> None:
    """Work `queues` (all by default), always the first in QUEUES order that has a job; the
    RQ scheduler inside runs delayed retries when they fall due.

    RQ waits out a lost Redis only while it waits for a job; lost elsewhere (a failover while a
    job runs), it leaves its loop. Unless stopped by a signal, the worker then starts again,
    and its next connection finds the primary (the new one, behind Sentinel)."""
    ordered = [name for name in QUEUES if name in queues]
    while True:
        worker: _Supervised | None = None
        try:
            worker = _Supervised(ordered, connection=services.connections.redis)
            worker.work(burst=burst, with_scheduler=not burst)
        except (redis.ConnectionError, redis.TimeoutError) as err:  # not RQ's wait for a job
            if burst:
                raise
            log.warning("worker lost Redis: %s", err)
        if burst or (worker is not None and worker.stop_asked):
            return
        log.warning("worker left its loop without being asked to; starting it again")
        time.sleep(RESTART_PAUSE)


def run_scheduler(services: Services) -> None:
    """Enqueue the periodic jobs (the outbox sweeper) until stopped; one per deployment."""
    cron = CronScheduler(connection=services.connections.redis)
    cron.register(sweep, queue_name=PAYMENTS, interval=SWEEP_EVERY)
    cron.register(expire_orders, queue_name=PAYMENTS, interval=EXPIRE_EVERY)
    cron.register(poll_carriers, queue_name=BULK, interval=POLL_EVERY)
    cron.register(expire_parcels, queue_name=BULK, interval=EXPIRE_PARCELS_EVERY)
    cron.start()  # type: ignore[no-untyped-call]
