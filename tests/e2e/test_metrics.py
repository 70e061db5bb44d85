"""`GET /metrics`: after one journey every metric of the issue is there; a bearer token guards
it when set; under gunicorn the workers' counts add up (prometheus_client multiprocess)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

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
    'sokoni_carrier_events_total{result="applied"}',
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
    assert post_event(client, tracking_ref=placed.ref, status="picked_up").status_code == 200
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


def _hop(url: str, n: int) -> None:
    form = {
        "sessionId": f"ATUid_gunicorn_{n}",
        "serviceCode": "*384*123#",
        "phoneNumber": "+254711000952",
        "networkCode": "63902",
        "text": "",
    }
    with requests.Session() as fresh:  # a new connection, so any worker may take it
        assert fresh.post(f"{url}/ussd", data=form, timeout=30).status_code == 200


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
        sent = 0
        while sent < 200 and len(list(folder.glob("counter_*.db"))) < 2:
            _hop(server.url, sent)
            sent += 1
        assert len(list(folder.glob("counter_*.db"))) == 2, "one worker took every hop"
        text = requests.get(f"{server.url}/metrics", timeout=30).text
        assert _value(text, 'sokoni_ussd_hops_total{outcome="con"}') == sent
    finally:
        server.stop()
