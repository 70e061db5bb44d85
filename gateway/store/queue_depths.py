"""How much work waits in each RQ queue: queued now, scheduled for later (retries), failed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import redis
from rq import Queue


@dataclass(frozen=True)
class QueueDepth:
    name: str
    queued: int
    scheduled: int
    failed: int


def depths(connection: redis.Redis, names: Sequence[str]) -> list[QueueDepth]:
    """The queues `names` in their order (empty or not), then any other queue RQ knows on
    `connection`, by name."""
    known = {queue.name: queue for queue in Queue.all(connection=connection)}
    queues = [
        known.pop(name) if name in known else Queue(name, connection=connection) for name in names
    ]
    found = []
    for queue in queues + sorted(known.values(), key=lambda q: q.name):
        found.append(
            QueueDepth(
                queue.name,
                queue.count,
                queue.scheduled_job_registry.count,
                queue.failed_job_registry.count,
            )
        )
    return found
