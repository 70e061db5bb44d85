"""`GET /metrics`: after one journey every metric of the issue is there; a bearer token guards
it when set; under gunicorn the workers' counts add up (prometheus_client multiprocess)."""

from __future__ import annotations

import re
import socket
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests

from tests.http_support import Gunicorn
from tests.observability_support import order_by_ussd
from tests.observability_support import pay
from tests.parcel_support import post_event

pytestmark = pytest.mark.usefixtures("sandbox_only")

METRICS = (
    'sokoni_ussd_hop_seconds_bucket{le="0.005",screen="',
    'sokoni_ussd_hops_total{outcome="con"}',
    'sokoni_ussd_hops_total{outcome="end"}',
    'sokoni_ussd_sessions_total{outcome="incomplete"}',
    'sokoni_sms_sent_total{result="sent"}',
    'sokoni_sms_delivery_reports_total{status="Success"}',
    'sokoni_payments_total{provider="sandbox",result="requested"}',
    'sokoni_payments_total{provider="sandbox",result="succeeded"}',
    'sokoni_outbox_rows{status="done",topic="order.placed"}',
    'sokoni_outbox_runs_total{outcome="done",topic="sms.receipt"}',
    'sokoni_queue_depth{queue="payments",state="queued"}',
    'sokoni_queue_depth{queue="bulk",state="queued"}',
    'sokoni_carrier_events_total{result="queued"}',
    'sokoni_carrier_scans_judged_total{verdict="applied"}',
)


def _value(text: str, sample: str) -> float:
    found = re.search(re.escape(sample) + r" ([0-9.e+]+)", text)
    assert found, sample
    return float(found.group(1))


def test_after_one_journey_every_metric_is_on_the_page(services, client, fake_at, run_outbox):
    placed = order_by_ussd(services, client, "+254711000951")
    run_outbox()
    pay(client, placed.ref)
    run_outbox()
    [message_id] = [i for call in fake_at.received for i in call.message_ids][:1]
    client.post("/sms/delivery", data=fake_at.delivery_report(message_id))
    client.post("/ussd/events", data={"sessionId": "ATUid_m1", "status": "Incomplete"})
    assert post_event(client, tracking_ref=placed.ref, status="picked_up").status_code == 202
    run_outbox()  # the scan is judged
    page = client.get("/metrics")
    assert page.status_code == 200 and page.content_type.startswith("text/plain")
    text = page.get_data(as_text=True)
    missing = [sample for sample in METRICS if sample not in text]
    assert missing == []
    assert _value(text, 'sokoni_ussd_hops_total{outcome="end"}') >= 1


@pytest.fixture()
def metrics_token(services):
    original = services.settings
    services.settings = replace(original, METRICS_TOKEN="metrics-" + "m" * 40)
    yield services.settings.METRICS_TOKEN
    services.settings = original


def test_with_a_token_set_metrics_need_it_as_a_bearer_token(client, metrics_token):
    token = metrics_token
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    answer = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and b"sokoni_outbox_rows" in answer.data


def _hop_form(n: int) -> dict[str, str]:
    return {
        "sessionId": f"ATUid_gunicorn_{n}",
        "serviceCode": "*384*123#",
        "phoneNumber": "+254711000952",
        "networkCode": "63902",
        "text": "",
    }


def _held_hop(port: int, n: int) -> tuple[socket.socket, bytes]:
    """A hop whose request is sent up to its last byte: the sync worker that took the
    connection waits on it, so the next connection must go to the other worker."""
    body = urlencode(_hop_form(n)).encode()
    head = (
        f"POST /ussd HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    held = socket.create_connection(("127.0.0.1", port), timeout=30)
    held.sendall(head + body[:-1])
    return held, body[-1:]


def _answer(held: socket.socket, rest: bytes) -> bytes:
    held.sendall(rest)
    answer = b""
    while chunk := held.recv(65536):
        answer += chunk
    held.close()
    return answer


def test_under_gunicorn_every_workers_hops_add_up(services, tmp_path: Path):
    folder = tmp_path / "metrics"
    env = {
        "SOKONI_ENV": "test",
        "DATABASE_URL": services.settings.DATABASE_URL,
        "REDIS_URL": services.connections.redis_url,
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
    }
    server = Gunicorn(env, tmp_path / "gunicorn.log", workers=2).start()
    try:
        held, rest = _held_hop(server.port, 1)
        other = requests.post(f"{server.url}/ussd", data=_hop_form(2), timeout=30)
        assert other.status_code == 200
        assert _answer(held, rest).startswith(b"HTTP/1.1 200")
        assert len(list(folder.glob("counter_*.db"))) == 2, "one worker took both hops"
        text = requests.get(f"{server.url}/metrics", timeout=30).text
        assert _value(text, 'sokoni_ussd_hops_total{outcome="con"}') == 2
    finally:
        server.stop()
