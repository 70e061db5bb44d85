"""Starts a worker: every queue, RQ's scheduler for delayed retries, and the outbox sweeper."""

from __future__ import annotations

import threading

from rq import Worker
from rq.cron import CronScheduler

from gateway.services import Services
from workers.outbox import sweep
from workers.queues import OUTBOX_QUEUE
from workers.queues import QUEUES

SWEEP_EVERY = 30
"""Seconds between sweeps for outbox rows that were never queued or lost their worker."""


def run_worker(services: Services, burst: bool = False) -> None:
    connection = services.connections.redis
    if not burst:
        cron = CronScheduler(connection=connection)
        cron.register(sweep, queue_name=OUTBOX_QUEUE, interval=SWEEP_EVERY)
        threading.Thread(target=cron.start, name="outbox-sweeper", daemon=True).start()
    Worker(list(QUEUES), connection=connection).work(burst=burst, with_scheduler=not burst)
