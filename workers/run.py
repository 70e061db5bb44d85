"""Worker processes: an RQ worker on every queue, and the scheduler of periodic jobs."""

from __future__ import annotations

import logging
import time
from types import FrameType

import redis
from rq import Worker
from rq.cron import CronScheduler

from gateway.bootstrap import Services
from workers.outbox import sweep
from workers.parcels import expire_parcels
from workers.parcels import poll_carriers
from workers.payments import expire_orders
from workers.queues import OUTBOX_QUEUE
from workers.queues import QUEUES

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


class _Supervised(Worker):
    """RQ's worker, telling a stop asked for by a signal from a loop left on a Redis error."""

    stop_asked = False

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop_asked = True
        super().request_stop(signum, frame)  # type: ignore[no-untyped-call]


def run_worker(services: Services, burst: bool = False) -> None:
    """Work every queue; the RQ scheduler inside runs delayed retries when they fall due.

    RQ waits out a lost Redis only while it waits for a job; lost elsewhere (a failover while a
    job runs), it leaves its loop. Unless stopped by a signal, the worker then starts again,
    and its next connection finds the primary (the new one, behind Sentinel)."""
    while True:
        worker: _Supervised | None = None
        try:
            worker = _Supervised(list(QUEUES), connection=services.connections.redis)
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
    cron.register(sweep, queue_name=OUTBOX_QUEUE, interval=SWEEP_EVERY)
    cron.register(expire_orders, queue_name=OUTBOX_QUEUE, interval=EXPIRE_EVERY)
    cron.register(poll_carriers, queue_name="parcels", interval=POLL_EVERY)
    cron.register(expire_parcels, queue_name="parcels", interval=EXPIRE_PARCELS_EVERY)
    cron.start()  # type: ignore[no-untyped-call]
