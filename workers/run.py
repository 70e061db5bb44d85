"""Worker processes: an RQ worker on every queue, and the scheduler of periodic jobs."""

from __future__ import annotations

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


def run_worker(services: Services, burst: bool = False) -> None:
    """Work every queue; the RQ scheduler inside runs delayed retries when they fall due."""
    Worker(list(QUEUES), connection=services.connections.redis).work(
        burst=burst, with_scheduler=not burst
    )


def run_scheduler(services: Services) -> None:
    """Enqueue the periodic jobs (the outbox sweeper) until stopped; one per deployment."""
    cron = CronScheduler(connection=services.connections.redis)
    cron.register(sweep, queue_name=OUTBOX_QUEUE, interval=SWEEP_EVERY)
    cron.register(expire_orders, queue_name=OUTBOX_QUEUE, interval=EXPIRE_EVERY)
    cron.register(poll_carriers, queue_name="parcels", interval=POLL_EVERY)
    cron.register(expire_parcels, queue_name="parcels", interval=EXPIRE_PARCELS_EVERY)
    cron.start()  # type: ignore[no-untyped-call]
