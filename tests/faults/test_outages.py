"""Dependencies failing under the gateway, over real HTTP: the database unreachable for 10 s
(behind a TCP proxy the test cuts), a provider answering in 10 s, a provider answering 5xx.
Nothing is lost and nothing is doubled: orders, payments, the ledger, SMS by dedupe key."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.engine import make_url

from gateway.bootstrap import Services
from gateway.commerce import topics
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.providers.fakes.daraja import FakeDaraja
from gateway.store.models.messages import SmsInbound
from gateway.store.models.messages import SmsMessage
from gateway.store.models.outbox import OutboxItem
from tests.faults.conftest import served
from tests.faults.support import POSTGRES
from tests.faults.support import LiveGateway
from tests.faults.support import TcpProxy
from tests.faults.support import books_balance
from tests.faults.support import env_of
from tests.faults.support import kill_worker
from tests.faults.support import sent_once
from tests.faults.support import wait_until
from tests.faults.support import worker_process
from tests.payment_support import TOKEN
from tests.payment_support import attempts
from tests.payment_support import fake_daraja  # noqa: F401  (a fixture)
from tests.payment_support import kenyan_order
from tests.payment_support import the_order
from workers.retries import BACKOFF

OUTAGE = 10.0
"""Seconds the database stays unreachable, and a slow provider takes to answer."""
POSTGRES_ONLY = "a 10-second fault, run in the PostgreSQL pass of make test (CI's second run)"
CUT_DATABASE = pytest.mark.skipif(
    not POSTGRES, reason=POSTGRES_ONLY + ": only a database server can be cut behind a proxy"
)
SLOW_PROVIDER = pytest.mark.skipif(not POSTGRES, reason=POSTGRES_ONLY + " to keep SQLite's fast")
INBOUND = {"from": "+254711000431", "to": "22384", "text": "HELP", "id": "ATXdown1"}


def _rows(services: Services, model) -> list:
    with services.uow() as uow:
        return list(uow.session.scalars(select(model).order_by(model.id)))


@CUT_DATABASE
def test_ten_seconds_without_the_database_lose_no_sms_and_no_payment(
    services: Services,
    fake_at: FakeAfricasTalking,
    fake_daraja: FakeDaraja,  # noqa: F811
    run_outbox,
) -> None:
    order_id, _ = kenyan_order(services)
    run_outbox()
    callback = fake_daraja.complete()
    url = make_url(services.settings.DATABASE_URL)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    behind = Services(replace(services.settings, DATABASE_URL=proxied))
    gateway = served(behind)
    answers: list[tuple[int, int]] = []
    try:
        proxy.cut()
        cut_at = time.monotonic()
        while time.monotonic() - cut_at < OUTAGE:  # Africa's Talking and Daraja keep trying
            sms = requests.post(f"{gateway.url}/sms/inbound", data=INBOUND, timeout=30)
            pay = requests.post(f"{gateway.url}/payments/mpesa/{TOKEN}", json=callback, timeout=30)
            assert "Traceback" not in sms.text + pay.text
            answers.append((sms.status_code, pay.status_code))
            time.sleep(1)
        proxy.mend()
        sms = requests.post(f"{gateway.url}/sms/inbound", data=INBOUND, timeout=30)
        pay = requests.post(f"{gateway.url}/payments/mpesa/{TOKEN}", json=callback, timeout=30)
    finally:
        gateway.stop()
        behind.connections.dispose()
        proxy.close()
    assert set(answers) == {(503, 503)} and len(answers) >= 5
    assert (sms.status_code, pay.status_code) == (200, 200)
    run_outbox()
    [inbound] = _rows(services, SmsInbound)
    assert (inbound.at_id, inbound.status) == ("ATXdown1", "handled")
    assert the_order(services, order_id).status == "paid"
    assert [p.status for p in attempts(services, order_id)] == ["succeeded"]
    sent_once(fake_at)
    books_balance(services)


@SLOW_PROVIDER
def test_a_provider_that_takes_ten_seconds_holds_up_only_its_worker_and_sends_nothing_twice(
    services: Services, live: LiveGateway, fake_at: FakeAfricasTalking
) -> None:
    recorded, release = fake_at.hold_next()
    form = {**INBOUND, "id": "ATXslow1"}
    assert requests.post(f"{live.url}/sms/inbound", data=form, timeout=10).status_code == 200
    worker = worker_process(env_of(services.settings))
    try:
        wait_until("the worker to call Africa's Talking", recorded.is_set)
        threading.Timer(OUTAGE, release.set).start()
        hop = {"sessionId": "ATUid_slow", "phoneNumber": "+254711000432", "text": ""}
        answer = requests.post(f"{live.url}/ussd", data=hop, timeout=10)
        other = {**INBOUND, "id": "ATXslow2", "from": "+254711000433", "text": "STOP"}
        stored = requests.post(f"{live.url}/sms/inbound", data=other, timeout=10)
        assert not release.is_set(), "the gateway answered only after the provider did"
        assert answer.text.startswith("CON ") and stored.status_code == 200

        def settled() -> list[str]:
            statuses = [m.status for m in _rows(services, SmsMessage)]
            return statuses if statuses in (["unknown", "sent"], ["sent", "sent"]) else []

        statuses = wait_until("both replies to be settled", settled)
    finally:
        release.set()
        kill_worker(worker)
    # Longer than the SDK's read timeout (9.05 s): Africa's Talking may have sent it, so it is
    # `unknown` and never sent again; its delivery report settles it.
    assert statuses == ["unknown", "sent"]
    [message_id] = fake_at.received[0].message_ids
    report = fake_at.delivery_report(message_id)
    assert requests.post(f"{live.url}/sms/delivery", data=report, timeout=10).status_code == 200
    assert [m.status for m in _rows(services, SmsMessage)] == ["delivered", "sent"]
    sent_once(fake_at)
    books_balance(services)


def test_a_provider_answering_5xx_is_retried_a_bounded_number_of_times_then_dead(
    services: Services,
    fake_daraja: FakeDaraja,  # noqa: F811
    run_outbox,
) -> None:
    order_id, _ = kenyan_order(services)
    fake_daraja.fail_next(503, {"errorMessage": "Service Unavailable"}, times=100)
    now = datetime.now(UTC)
    for delay in (0, *BACKOFF):
        now += timedelta(seconds=delay + 1)
        run_outbox(now)
    [row] = [r for r in _rows(services, OutboxItem) if r.topic == topics.PAYMENT_REQUEST]
    assert (row.status, row.attempts) == ("dead", len(BACKOFF) + 1)
    pushes = [c for c in fake_daraja.calls if c.path.endswith("/processrequest")]
    assert len(pushes) <= len(BACKOFF) + 1 and fake_daraja.pushes == {}
    run_outbox(now + timedelta(days=1))
    assert row.id in [r.id for r in _rows(services, OutboxItem) if r.status == "dead"]
    assert the_order(services, order_id).status != "paid"
    books_balance(services)
