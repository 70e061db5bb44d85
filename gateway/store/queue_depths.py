"""How much work waits in each RQ queue: queued now, scheduled for later (retries), failed."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from rq import Queue


@dataclass(frozen=True)
class QueueDepth:
    name: str
    queued: int
    scheduled: int
    failed: int


def depths(connection: redis.Redis) -> list[QueueDepth]:
    """Every queue RQ knows on `connection`, by name."""
    found = []
    for queue in sorted(Queue.all(connection=connection), key=lambda q: q.name):
        found.append(
            QueueDepth(
                queue.name,
                queue.count,
                queue.scheduled_job_registry.count,
                queue.failed_job_registry.count,
            )
        )
    return found
