"""Processes dying under load, over real HTTP with a real RQ worker process: a worker killed
with SIGKILL mid-job, and the Redis server restarted mid-session. Nothing is lost and nothing
is doubled: orders, payments, the ledger, SMS by dedupe key."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import requests
from sqlalchemy import select

from gateway.bootstrap import Services
from gateway.commerce.topics import INBOUND
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.providers.fakes.daraja import FakeDaraja
from gateway.store.models.messages import SmsInbound
from gateway.store.models.orders import Order
from gateway.store.models.payments import Payment
from tests.faults.conftest import served
from tests.faults.support import LiveGateway
from tests.faults.support import RedisServer
from tests.faults.support import books_balance
from tests.faults.support import env_of
from tests.faults.support import kill_worker
from tests.faults.support import sent_once
from tests.faults.support import wait_until
from tests.faults.support import worker_process
from tests.payment_support import fake_daraja  # noqa: F401  (a fixture)
from tests.payment_support import listing
from tests.payment_support import person
from workers.outbox import LEASE
from workers.outbox import sweep_due
from workers.queues import queue

BUYERS = ("+254711000411", "+254711000412", "+254711000413")


def _text(gateway: LiveGateway, number: str, body: str, at_id: str) -> int:
    form = {"from": number, "to": "22384", "text": body, "id": at_id, "networkCode": "63902"}
    return requests.post(f"{gateway.url}/sms/inbound", data=form, timeout=10).status_code


def _rows(services: Services, model) -> list:
    with services.uow() as uow:
        return list(uow.session.scalars(select(model).order_by(model.id)))


def test_a_worker_killed_mid_job_loses_nothing_and_doubles_nothing_once_its_lease_runs_out(
    services: Services,
    live: LiveGateway,
    fake_at: FakeAfricasTalking,
    fake_daraja: FakeDaraja,  # noqa: F811
    run_outbox,
) -> None:
    seller = person(services, "+254722000401", "seller")
    listing(services, seller, 320000, "KES")
    code = f"P{seller:04d}"
    for number in BUYERS:
        person(services, number)
    recorded, release = fake_at.hold_next()
    for i, number in enumerate(BUYERS):
        assert _text(live, number, f"ORDER {code} 1", f"ATXkill{i}") == 200

    worker = worker_process(env_of(services.settings))
    try:
        wait_until("the worker to be inside a call to Africa's Talking", recorded.is_set)
    finally:
        kill_worker(worker)
        release.set()

    # The rows the dead worker held stay leased to it; once the lease has run out, the
    # sweeper's query finds them and a live worker runs them.
    later = datetime.now(UTC) + LEASE + timedelta(minutes=1)
    run_outbox(later)
    orders = _rows(services, Order)
    assert sorted(o.idempotency_key for o in orders) == [f"sms:ATXkill{i}" for i in range(3)]
    assert len(_rows(services, Payment)) == 3 and len(fake_daraja.pushes) == 3
    assert {m.status for m in _rows(services, SmsInbound)} == {"handled"}
    sent_once(fake_at)
    books_balance(services)


def test_a_redis_restart_mid_session_ends_or_resumes_the_hop_and_lost_jobs_are_swept_back(
    services: Services, fake_at: FakeAfricasTalking, tmp_path: Path
) -> None:
    server = RedisServer(tmp_path).start()
    own = Services(replace(services.settings, REDIS_URL=server.url))
    gateway = served(own)
    hop = {"sessionId": "ATUid_redis", "serviceCode": "*384*123#", "phoneNumber": BUYERS[0]}
    try:
        for text in ("", "1"):
            answer = requests.post(f"{gateway.url}/ussd", data={**hop, "text": text}, timeout=10)
            assert answer.status_code == 200 and answer.text.startswith("CON ")
        assert _text(gateway, BUYERS[1], "HELP", "ATXredis1") == 200
        assert queue(own.connections.redis, INBOUND).count == 1

        server.restart()
        answer = requests.post(f"{gateway.url}/ussd", data={**hop, "text": "1*1"}, timeout=10)
        assert answer.status_code == 200 and answer.text.startswith(("CON ", "END "))
        assert queue(own.connections.redis, INBOUND).count == 0, "the restart lost the queued job"

        assert sweep_due(own, datetime.now(UTC)) == 1
        worker = worker_process(env_of(own.settings), burst=True)
        assert worker.wait(timeout=120) == 0
    finally:
        gateway.stop()
        own.connections.dispose()
        server.stop()
    [inbound] = _rows(services, SmsInbound)
    assert (inbound.at_id, inbound.status) == ("ATXredis1", "handled")
    assert [call.recipients for call in fake_at.received] == [(BUYERS[1],)]
    sent_once(fake_at)
    books_balance(services)
