"""A worker killed between Africa's Talking's answer and the status write: the SMS is not sent
again; the delivery report for its number later gives it its messageId and status."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from config.settings import ROOT
from gateway.bootstrap import Services
from gateway.commerce.messaging.outgoing import queue_sms
from gateway.commerce.topics import QUEUE_OF
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.models.messages import SmsMessage
from gateway.store.models.outbox import OutboxItem
from workers.outbox import LEASE

WORKER = "from workers.outbox import run_batch; from workers.runtime import services; run_batch(services(), {!r})"


def _worker(services: Services, queue: str) -> subprocess.Popen[bytes]:
    """A real worker process running a batch of `queue`, configured like production from env."""
    settings = services.settings
    env = {
        **os.environ,
        "SOKONI_ENV": "test",
        "DATABASE_URL": settings.DATABASE_URL,
        "REDIS_URL": services.connections.redis_url,
        "AT_USERNAME": settings.AT_USERNAME,
        "AT_API_KEY": settings.AT_API_KEY,
        "AT_API_URL": settings.AT_API_URL,
        "AT_SENDER_ID": settings.AT_SENDER_ID,
    }
    command = [sys.executable, "-c", WORKER.format(queue)]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def test_a_worker_killed_after_the_send_never_causes_a_second_send(
    services: Services, fake_at: FakeAfricasTalking, run_outbox, client: FlaskClient
) -> None:
    with services.uow() as uow:
        queue_sms(uow, "+254711000301", "Your parcel is at the agent", kind="transactional")
        uow.commit()
    with services.uow() as uow:
        topic = uow.session.scalars(select(OutboxItem.topic)).one()

    recorded, release = fake_at.hold_next()
    worker = _worker(services, QUEUE_OF[topic])
    try:
        assert recorded.wait(timeout=60), "the worker never reached Africa's Talking"
    finally:
        worker.kill()
        worker.wait(timeout=30)
        release.set()
    with services.uow() as uow:
        message = uow.session.scalars(select(SmsMessage)).one()
    assert (message.status, message.attempts, message.at_message_id) == ("sending", 1, None)

    services.settings = replace(services.settings, SMS_SEND_STALE=0)
    later = datetime.now(UTC) + LEASE + timedelta(minutes=1)
    assert run_outbox(later) == ["done"]
    with services.uow() as uow:
        message = uow.session.scalars(select(SmsMessage)).one()
    assert (message.status, message.failure_reason) == ("unknown", "OutcomeNotRecorded")
    run_outbox(later + timedelta(hours=1))
    assert len(fake_at.received) == 1

    [message_id] = fake_at.received[0].message_ids
    response = client.post("/sms/delivery", data=fake_at.delivery_report(message_id))
    assert response.status_code == 200
    with services.uow() as uow:
        message = uow.session.scalars(select(SmsMessage)).one()
    assert (message.status, message.at_message_id, message.delivery_status) == (
        "delivered",
        message_id,
        "Success",
    )
