"""The wakes that bring a worker to committed outbox rows: a web process wakes a queue at most
every WAKE_EVERY seconds, and a drain that ran rows looks again LOOK_AGAIN seconds later, so a
row committed without a wake of its own is still run."""

from __future__ import annotations

from rq import Queue
from rq.registry import ScheduledJobRegistry

from gateway.bootstrap import Services
from gateway.commerce.topics import INBOUND
from gateway.commerce.topics import PARCEL_SCAN
from workers.outbox import run_batch
from workers.queues import WAKE_EVERY
from workers.queues import Waker


def test_a_process_wakes_a_queue_at_most_every_so_often_and_a_drain_looks_again(
    services: Services,
) -> None:
    redis = services.connections.redis
    moments = iter([0.0, WAKE_EVERY / 2, WAKE_EVERY * 1.5])
    waker = Waker(redis, WAKE_EVERY, clock=lambda: next(moments))
    for _ in range(3):
        waker([INBOUND])
        redis.delete(f"sokoni:awake:{INBOUND}")  # as a drain job starting would
    assert Queue(INBOUND, connection=redis).count == 2
    with services.uow() as uow:
        uow.emit(PARCEL_SCAN, inbox_id=0)
        uow.commit()
    run_batch(services, INBOUND)
    assert ScheduledJobRegistry(INBOUND, connection=redis).count == 1
