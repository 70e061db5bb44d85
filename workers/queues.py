"""RQ queues by urgency, and the one call that wakes a queue's worker for committed outbox rows.

An outbox row is not a job of its own: committing rows wakes their queue (`wake`), which
queues one `drain` job for it unless one is waiting already; that job claims the queue's due
rows in batches (`workers.outbox.run_batch`). The queue of each topic is the domain's table,
`gateway.commerce.topics.QUEUE_OF`.

A web process, which commits many small changes a second (carriers' scans), wakes each queue
at most every WAKE_EVERY seconds (`Waker`), sparing a Redis round trip per request; a drain job
that ran rows drains its queue once more LOOK_AGAIN seconds later, which finds the rows
committed meanwhile without a wake of their own. So every row is run within about LOOK_AGAIN
seconds of a drain, and the outbox sweeper remains the backstop. Workers wake at every commit
(a burst worker, which stops when the queues are empty, never waits for a later look).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from collections.abc import Iterable
from datetime import timedelta
from math import ceil

import redis
from rq import Queue

from gateway.commerce.topics import QUEUE_OF
from gateway.commerce.topics import QUEUES

DRAIN = "workers.outbox.drain"
"""The job that runs a batch of one queue's due rows, named by path so waking needs none of
the handlers."""
DRAIN_TIMEOUT = 240
"""Seconds one drain job may take (a batch), enforced by RQ; shorter than the outbox lease."""
AWAKE = "sokoni:awake:{}"
"""Redis key set while a drain job of the queue waits to start; it clears it when it starts."""
AWAKE_TTL = 60
"""Seconds a lost drain job keeps its queue from being woken (the sweeper wakes it anyway)."""
WAKE_EVERY = 0.05
"""Seconds a process lets pass between two wakes of one queue (less than LOOK_AGAIN): at a
thousand commits a second, one commit in fifty wakes, and a worker faster than the commits
still finds new rows every few hundredths of a second."""
LOOK_AGAIN = 1
"""Seconds after a drain job that ran rows until its queue is drained once more."""


def queue(connection: redis.Redis, name: str) -> Queue:
    return Queue(name, connection=connection)


def queues_of(topics: Iterable[str]) -> list[str]:
    """The queues of `topics`, most urgent first."""
    wanted = {QUEUE_OF[topic] for topic in topics}
    return [name for name in QUEUES if name in wanted]


def wake(connection: redis.Redis, queues: Iterable[str], force: bool = False) -> None:
    """Queue a drain job on each of `queues` unless one waits already (`force`: even then)."""
    for name in queues:
        if connection.set(AWAKE.format(name), 1, nx=not force, ex=AWAKE_TTL) or force:
            queue(connection, name).enqueue(DRAIN, name, job_timeout=DRAIN_TIMEOUT, result_ttl=0)


def woken(connection: redis.Redis, name: str) -> None:
    """A drain job of `name` has started: rows committed from now on wake the queue again."""
    connection.delete(AWAKE.format(name))


def wake_later(connection: redis.Redis, name: str, delay: float) -> None:
    """Drain `name` in `delay` seconds (a retry falls due); one job per queue and second."""
    seconds = ceil(delay)
    queue(connection, name).enqueue_in(
        timedelta(seconds=seconds),
        DRAIN,
        name,
        job_id=f"drain-{name}-{int(time.time()) + seconds}",
        job_timeout=DRAIN_TIMEOUT,
        result_ttl=0,
    )


class Waker:
    """Wakes queues for one process, each at most every `every` seconds (0: at every call)."""

    def __init__(
        self, connection: redis.Redis, every: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.connection = connection
        self.every = every
        self.clock = clock
        self._woke: dict[str, float] = {}

    def __call__(self, queues: Iterable[str]) -> None:
        now = self.clock()
        due = [name for name in queues if now - self._woke.get(name, -self.every) >= self.every]
        if due:
            wake(self.connection, due)
            self._woke.update(dict.fromkeys(due, now))
