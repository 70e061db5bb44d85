"""RQ queues by kind of work, and the one call that hands committed outbox rows to them."""

from __future__ import annotations

from datetime import timedelta

import redis
from rq import Queue

OUTBOX_QUEUE = "outbox"
QUEUES = (OUTBOX_QUEUE, "sms", "payments", "parcels")
"""Every queue a worker listens on, most urgent first."""
DISPATCH = "workers.outbox.dispatch"
"""The job that runs one outbox row, named by path so queueing needs none of the handlers."""


def queue(connection: redis.Redis, name: str = OUTBOX_QUEUE) -> Queue:
    return Queue(name, connection=connection)


def enqueue_outbox(connection: redis.Redis, item_ids: list[int], delay: float = 0) -> None:
    """Queue one dispatch job per outbox row; `delay` seconds later when retrying."""
    q = queue(connection)
    for item_id in item_ids:
        job_id = f"outbox-{item_id}"
        if delay:
            q.enqueue_in(timedelta(seconds=delay), DISPATCH, item_id, job_id=job_id)
        else:
            q.enqueue(DISPATCH, item_id, job_id=job_id)
