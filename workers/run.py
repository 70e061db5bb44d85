"""Worker processes: an RQ worker on every queue, and the scheduler of periodic jobs."""
from __future__ import annotations

from rq import Worker
from rq.cron import CronScheduler

from gateway.services import Services
from workers.outbox import sweep
from workers.queues import OUTBOX_QUEUE
from workers.queues import QUEUES

SWEEP_EVERY = 30
"""Seconds between sweeps for outbox rows that were never queued or lost their worker."""


def run_worker(services: Services, burst: bool = False) -> None:
    """Work every queue; the RQ scheduler inside runs delayed retries when they fall due."""
    Worker(list(QUEUES), connection=services.connections.redis).work(
        burst=burst, with_scheduler=not burst
    )


def run_scheduler(services: Services) -> None:
    """Enqueue the periodic jobs (the outbox sweeper) until stopped; one per deployment."""
    cron = CronScheduler(connection=services.connections.redis)
    cron.register(sweep, queue_name=OUTBOX_QUEUE, interval=SWEEP_EVERY)
    cron.start()
