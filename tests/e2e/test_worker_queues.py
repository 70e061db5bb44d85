"""Queues by urgency, through a real non-forking RQ worker on real Redis and the fake Africa's
Talking: a payment's SMS overtakes a flood of inbound commands; retries and the sweeper wake
the queue of each row's topic; jobs still time out; one call carries many numbers."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from rq import Queue
from sqlalchemy import select

from gateway.bootstrap import Services
from gateway.commerce import topics
from gateway.commerce.messaging.outgoing import queue_sms
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.models.messages import SmsInbound
from gateway.store.models.messages import SmsMessage
from gateway.store.models.outbox import OutboxItem
from tests.sms_support import rows
from workers.outbox import run_batch
from workers.outbox import sweep_due
from workers.queues import queue
from workers.run import run_worker

FLOOD = 1_000
PAID = "+254711000990"


def _flood(services: Services, n: int) -> None:
    """`n` HELP commands from `n` numbers, stored and queued as /sms/inbound would."""
    with services.uow() as uow:
        for i in range(n):
            row = SmsInbound(
                at_id=f"ATXflood{i}", from_number=f"+2547115{i:05d}", text="HELP", status="received"
            )
            uow.sms.add_inbound(row)
            uow.emit(topics.SMS_INBOUND, inbound_id=row.id)
        uow.commit()


def test_every_topic_has_a_queue() -> None:
    assert sorted(topics.QUEUE_OF) == sorted(topics.ALL)
    assert set(topics.QUEUE_OF.values()) <= set(topics.QUEUES)


def test_an_sms_takes_the_urgency_of_the_work_that_queued_it(services: Services) -> None:
    with services.uow() as uow:
        queue_sms(uow, "+254711000981", "Your parcel moved")
        queue_sms(uow, "+254711000982", "Help text", kind="reply")
        with topics.working_on(topics.PAYMENT_CALLBACK):
            queue_sms(uow, "+254711000983", "Payment received", kind="transactional")
        uow.commit()
    found = [item.topic for item in rows(services, OutboxItem)]
    assert found == [topics.SMS_SEND, topics.SMS_REPLY, topics.SMS_RECEIPT]
    assert [topics.QUEUE_OF[t] for t in found] == [topics.NOTICES, topics.REPLIES, topics.PAYMENTS]


def test_a_payment_sms_is_sent_before_a_thousand_queued_inbound_commands(
    worker_services: Services, fake_at: FakeAfricasTalking
) -> None:
    _flood(worker_services, FLOOD)
    with worker_services.uow() as uow, topics.working_on(topics.PAYMENT_CALLBACK):
        queue_sms(uow, PAID, "Payment of KES 600 received for order SK1", kind="transactional")
        uow.commit()
    redis = worker_services.connections.redis
    assert queue(redis, topics.INBOUND).count == 1, "one drain job wakes the whole flood"

    run_worker(worker_services, burst=True)

    first, *rest = fake_at.received
    assert first.recipients == (PAID,)
    assert sum(len(call.recipients) for call in rest) == FLOOD
    assert len(rest) < FLOOD / 100, "replies with one text share calls"
    assert {m.status for m in rows(worker_services, SmsInbound)} == {"handled"}
    assert {m.status for m in rows(worker_services, SmsMessage)} == {"sent"}
    assert worker_services.connections.engine.pool.checkedout() == 0, "a session left open"


def test_one_call_carries_many_numbers_and_each_gets_its_own_result(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    numbers = [f"+25471100{i:04d}" for i in range(150)]
    fake_at.reject(numbers[7])
    with services.uow() as uow:
        for number in numbers:
            queue_sms(uow, number, "Market day moved to Friday")
        uow.commit()
    assert set(run_outbox()) == {"done"}
    [call] = fake_at.received
    assert call.recipients == tuple(numbers)
    statuses = {m.to: m.status for m in rows(services, SmsMessage)}
    assert statuses.pop(numbers[7]) == "rejected" and set(statuses.values()) == {"sent"}


def test_a_full_batch_wakes_its_queue_again_behind_the_others(
    services: Services, fake_at: FakeAfricasTalking
) -> None:
    size = services.settings.OUTBOX_BATCH
    with services.uow() as uow:
        for i in range(size + 1):
            queue_sms(uow, f"+2547112{i:05d}", f"Notice {i}")
        uow.commit()
    redis = services.connections.redis
    notices = queue(redis, topics.NOTICES)
    notices.empty()
    assert len(run_batch(services, topics.NOTICES)) == size
    assert notices.count == 1
    assert len(run_batch(services, topics.NOTICES)) == 1
    assert run_batch(services, topics.NOTICES) == []


def test_a_retry_and_the_sweeper_wake_the_queue_of_the_rows_topic(
    services: Services, fake_at: FakeAfricasTalking
) -> None:
    with services.uow() as uow, topics.working_on(topics.PAYMENT_CALLBACK):
        queue_sms(uow, "+254711000984", "Receipt", kind="transactional")
        uow.commit()
    now = datetime.now(UTC)
    with services.uow() as uow:  # another worker is sending it right now
        message = uow.session.scalars(select(SmsMessage)).one()
        message.status, message.attempted_at = "sending", now
        uow.commit()
    redis = services.connections.redis
    payments = queue(redis, topics.PAYMENTS)
    assert run_batch(services, topics.PAYMENTS, now) == ["pending"]
    # The retry drains the payments queue; so does the look again of a batch that ran rows.
    assert payments.scheduled_job_registry.count == 2

    for name in topics.QUEUES:
        queue(redis, name).empty()
    later = now + timedelta(minutes=1)
    assert sweep_due(services, later) == 1
    assert [q.name for q in map(lambda n: queue(redis, n), topics.QUEUES) if q.count] == [
        topics.PAYMENTS
    ]


def test_the_non_forking_worker_still_ends_a_job_past_its_timeout(
    worker_services: Services,
) -> None:
    redis = worker_services.connections.redis
    bulk = Queue(topics.BULK, connection=redis)
    job = bulk.enqueue("time.sleep", 30, job_timeout=1)
    run_worker(worker_services, burst=True, queues=[topics.BULK])
    assert job.get_status(refresh=True) == "failed"
    assert "JobTimeoutException" in (job.latest_result().exc_string or "")  # type: ignore[union-attr]
